/** The `sharing` namespace: contacts, sharing, watching (French first, English second). */
import { useTranslation } from 'react-i18next';
import { addElision } from '../../../src/shared/elision.ts';
import { errorCode } from '../api/client.ts';
import { errorMessage } from '../api/error-message.ts';
import { i18n } from '../i18n/i18n.ts';
import en from './i18n-en.ts';
import fr from './i18n-fr.ts';
import { namespace, type Translate } from './translate.ts';

addElision(i18n); // "{{who, de}}" in the French texts: "d’alice@…", "de bob@…"
export const { useT, t: tSharing } = namespace('sharing', fr, en);
export type SharingT = Translate<typeof fr>;

/** A sentence for an error: this capability's codes first, then the app's catalogue. */
export function sharingError(t: SharingT, error: unknown): string {
  const code = errorCode(error);
  if (code in fr.errors) return t(`errors.${code as keyof typeof fr.errors}`);
  return errorMessage(i18n.t, error);
}

/** The interface language, for dates and numbers (re-renders when it changes). */
export const useLng = (): string => useTranslation().i18n.language;
