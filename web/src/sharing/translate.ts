/**
 * Typed strings of one capability, kept beside it (not in the shared fr.ts/en.ts): the bundle
 * is added to i18next when the capability's lazy chunk loads, under its own namespace, and
 * the keys are checked by the compiler against the French dictionary.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n } from '../i18n/i18n.ts';

/** Plural forms (`key_one`, `key_other`) are asked for as `key` with a `count`. */
type Plain<K extends string> = K extends `${infer Base}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}`
  ? Base
  : K;

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${Plain<K>}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Same shape as `T`, every leaf a string (the English dictionary must match the French one). */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export type Translate<T> = (key: Leaves<T>, options?: Record<string, unknown>) => string;

export function namespace<T extends object>(name: string, fr: T, en: Shape<T>) {
  i18n.addResourceBundle('fr', name, fr, true, true);
  i18n.addResourceBundle('en', name, en, true, true);
  const fixed = (lng: string) =>
    (i18n.getFixedT.bind(i18n) as (lng: string, ns: string) => unknown)(lng, name) as (
      key: string,
      options?: Record<string, unknown>,
    ) => string;
  return {
    /** The translate function of this namespace; the component re-renders when the language changes. */
    useT(): Translate<T> {
      const { i18n: instance } = useTranslation();
      const lng = instance.language;
      // biome-ignore lint/correctness/useExhaustiveDependencies: `fixed` belongs to this namespace, never changes
      return useMemo(() => {
        const t = fixed(lng);
        return (key, options) => t(key, options);
      }, [lng]);
    },
    /** Outside React (texts built by engines, e.g. an SMS body). */
    t: ((key, options) => fixed(i18n.language)(key, options)) as Translate<T>,
  };
}
