/**
 * i18next set up once: French by default, English second; with no choice made yet, the
 * browser's languages decide (locale.ts). The choice is kept in localStorage (and on the
 * account, see accounts/session.tsx) and `<html lang>` follows it,
 * so screen readers pronounce the page in the right language.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import fr, { type Messages } from './fr.ts';
import { deviceLocale, LOCALE_STORAGE_KEY, type Locale } from './locale.ts';

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

/** The English strings load only for those who use them: French is the default and the fallback. */
async function loadStrings(locale: Locale): Promise<void> {
  if (locale === 'en' && !i18n.hasResourceBundle('en', 'translation'))
    i18n.addResourceBundle('en', 'translation', (await import('./en.ts')).default, true, true);
}

/** Switches the interface language and remembers it on this device. */
export async function applyLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // not persisted on this device; the account still keeps it when signed in
  }
  await loadStrings(locale);
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources: { fr: { translation: fr } },
  lng: deviceLocale(),
  fallbackLng: 'fr',
  supportedLngs: ['fr', 'en'],
  initAsync: false, // French is bundled: render translated on the first paint (English: i18nReady)
  interpolation: { escapeValue: false }, // React escapes already
  showSupportNotice: false, // no advertising in the users' console
});
document.documentElement.lang = i18n.language;

/** Resolves once the strings of this device's language are in (at once for French). */
export const i18nReady: Promise<void> = loadStrings(currentLocale());

export { i18n };
