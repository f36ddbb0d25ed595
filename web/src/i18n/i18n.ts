/**
 * i18next set up once: French by default, English second. The choice is kept in
 * localStorage (and on the account, see accounts/session.tsx) and `<html lang>` follows it,
 * so screen readers pronounce the page in the right language.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.ts';
import fr, { type Messages } from './fr.ts';
import { LOCALE_STORAGE_KEY, type Locale, storedLocale } from './locale.ts';

export type { Locale };

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

export function currentLocale(): Locale {
  return i18n.language === 'en' ? 'en' : 'fr';
}

/** Switches the interface language and remembers it on this device. */
export async function applyLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // not persisted on this device; the account still keeps it when signed in
  }
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources: { fr: { translation: fr }, en: { translation: en } },
  lng: storedLocale(),
  fallbackLng: 'fr',
  supportedLngs: ['fr', 'en'],
  initAsync: false, // resources are bundled: render translated on the first paint
  interpolation: { escapeValue: false }, // React escapes already
  showSupportNotice: false, // no advertising in the users' console
});
document.documentElement.lang = i18n.language;

export { i18n };
