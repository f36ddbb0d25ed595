/**
 * Strings of the partner portal and the staff review (namespace `partner`), added when this
 * lazy chunk loads. French first, English second.
 */
import { useTranslation } from 'react-i18next';
import { i18n } from '../i18n/i18n.ts';
import en from './i18n-en.ts';
import fr from './i18n-fr.ts';

/** Adds the namespace (idempotent: the home entries and the pages may both load it). */
export function addPartnerStrings() {
  if (i18n.hasResourceBundle('fr', 'partner')) return;
  i18n.addResourceBundle('fr', 'partner', fr, true, true);
  i18n.addResourceBundle('en', 'partner', en, true, true);
}
addPartnerStrings();

/** `t` of the partner namespace (the namespace is added lazily, so keys are checked at runtime). */
export function usePartnerT() {
  const { t, i18n: instance } = useTranslation('partner' as never);
  return {
    t: t as unknown as (key: string, options?: Record<string, unknown>) => string,
    tList: (key: string) => t(key as never, { returnObjects: true } as never) as unknown as string[],
    i18n: instance,
  };
}

/** The message of an API error: the portal's own codes first, then the app's. */
export function partnerErrorKey(code: string): string | null {
  return code in fr.errors ? `errors.${code}` : null;
}
