/**
 * The interface language of this device, without i18next: the SOS page's own entry reads it
 * before anything else loads (web/src/sos/sos-entry.ts); i18n.ts starts i18next with it. Once
 * signed in, the account's language applies (accounts/session.tsx), as before.
 */
export type Locale = 'fr' | 'en';
export const LOCALE_STORAGE_KEY = 'havre.locale';

/**
 * The language chosen on this device (the switch stores it), else the first of the browser's
 * languages that Havre speaks (`en-GB` is English, `fr-CA` French), else French, the default.
 */
export function pickLocale(stored: string | null, browserLanguages: readonly string[]): Locale {
  if (stored === 'en' || stored === 'fr') return stored;
  for (const tag of browserLanguages) {
    const language = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (language === 'en' || language === 'fr') return language;
  }
  return 'fr';
}

function readStored(): string | null {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    return null; // storage may be disabled (private mode): the browser's languages decide
  }
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  if (navigator.languages?.length) return navigator.languages;
  return navigator.language ? [navigator.language] : [];
}

export function deviceLocale(): Locale {
  return pickLocale(readStored(), browserLanguages());
}

const CHOSEN_SIGNED_OUT_KEY = 'havre.locale.chosen-signed-out';

/**
 * The language was chosen on this device while signed out: at the next sign-in it wins over the
 * account's (and goes to the account), instead of the account's older choice undoing it.
 */
export function markChosenSignedOut(): void {
  try {
    localStorage.setItem(CHOSEN_SIGNED_OUT_KEY, '1');
  } catch {
    // storage disabled: the account's language applies at sign-in, as before
  }
}

/** Whether a choice was made signed out (and forgets it: one sign-in takes it). */
export function takeChosenSignedOut(): boolean {
  try {
    const chosen = localStorage.getItem(CHOSEN_SIGNED_OUT_KEY) === '1';
    localStorage.removeItem(CHOSEN_SIGNED_OUT_KEY);
    return chosen;
  } catch {
    return false;
  }
}

/**
 * The locale dates, times and numbers are written in: French as in France; English as in
 * Britain ("30 Nov 2026, 00:54", 24-hour clock), not the United States' month-first order that
 * plain 'en' gives — the closest to what the French interface says, and to Europe's habits.
 */
export const formatLocale = (language: string): string => (language.startsWith('en') ? 'en-GB' : 'fr-FR');
