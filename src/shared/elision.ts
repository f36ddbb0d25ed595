/**
 * French "de" before a name: "de bob@…", "d’alice@…" — elided before a vowel. The names here
 * are mostly e-mail addresses, of which the first letter is all we know: before an "h" (mute
 * or aspirated cannot be told from the spelling) "de" stays.
 */
import type { i18n as I18n } from 'i18next';

const VOWEL = /^[aeiouyàâäéèêëîïôöùûüÿæœ]/i;

/** "de bob@…" / "d’alice@…". */
export const deName = (name: string): string => (VOWEL.test(name) ? `d’${name}` : `de ${name}`);

/**
 * Adds the `de` format to i18next: a French text writes "Trajet {{who, de}}" for "Trajet
 * d’alice@…" (the English texts do not use it).
 */
export function addElision(instance: I18n): void {
  instance.services.formatter?.add('de', (value) => deName(String(value)));
}
