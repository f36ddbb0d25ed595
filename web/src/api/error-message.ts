/** Turns an error from the API into a sentence in the user's language, chosen by its stable code. */
import type { TFunction } from 'i18next';
import fr from '../i18n/fr.ts';
import { errorCode } from './client.ts';

type KnownCode = Exclude<keyof typeof fr.errors, 'generic'>;

const isKnown = (code: string): code is KnownCode => code !== 'generic' && code in fr.errors;

export function errorMessage(t: TFunction, error: unknown): string {
  const code = errorCode(error);
  return isKnown(code) ? t(`errors.${code}`) : t('errors.generic');
}
