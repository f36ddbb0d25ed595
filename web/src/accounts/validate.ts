/**
 * Checks done in the browser before calling the API, with the limits the server enforces
 * (one module, src/shared/limits.ts, for both). Each returns a translation key, or null.
 */
import { LIMITS } from '../../../src/shared/limits.ts';

export { LIMITS };

export type EmailProblem = 'validation.emailRequired' | 'validation.emailInvalid';
export type PasswordProblem =
  | 'validation.passwordRequired'
  | 'validation.passwordTooShort'
  | 'validation.passwordTooLong';

export function checkEmail(value: string): EmailProblem | null {
  const email = value.trim();
  if (!email) return 'validation.emailRequired';
  // The server validates the format fully; this catches the common slips.
  if (email.length > LIMITS.emailMax || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    return 'validation.emailInvalid';
  }
  return null;
}

/** `isNew`: a password being chosen must meet the length rules; one typed to sign in only must be there. */
export function checkPassword(value: string, isNew: boolean): PasswordProblem | null {
  if (!value) return 'validation.passwordRequired';
  if (value.length > LIMITS.passwordMax) return 'validation.passwordTooLong';
  if (isNew && value.length < LIMITS.passwordMin) return 'validation.passwordTooShort';
  return null;
}
