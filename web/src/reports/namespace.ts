/**
 * Typed translations of one capability's namespace. The app's i18next types know only the
 * foundation's `translation` namespace, so a capability registers its own bundle (in its lazy
 * chunk) and reads it through `useNamespace`, whose keys are checked against its French texts.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n } from '../i18n/i18n.ts';

type Plural = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type Base<K extends string> = K extends `${infer B}_${Plural}` ? B : K;

/** Every dotted key of a messages object (plural suffixes folded into their base key). */
export type Keys<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? Base<`${P}${K}`> : Keys<T[K], `${P}${K}.`>;
}[keyof T & string];

export type Translate<K extends string> = (key: K, options?: Record<string, unknown>) => string;

type Loose = (key: string, options?: Record<string, unknown>) => string;

/** Adds the French and English texts of a namespace (idempotent: the chunk may load twice in dev). */
export function registerNamespace<T extends object>(ns: string, fr: T, en: T): void {
  i18n.addResourceBundle('fr', ns, fr, true, true);
  i18n.addResourceBundle('en', ns, en, true, true);
}

/** `t` of the namespace; the component re-renders when the language changes. */
export function useNamespace<K extends string>(ns: string): { t: Translate<K>; lang: 'fr' | 'en' } {
  const { i18n: instance } = useTranslation();
  const lang = instance.language === 'en' ? 'en' : 'fr';
  const t = useCallback(
    (key: K, options?: Record<string, unknown>) =>
      (instance.t as unknown as Loose)(`${ns}:${key}`, { lng: lang, ...options }),
    [instance, ns, lang],
  );
  return { t, lang };
}
