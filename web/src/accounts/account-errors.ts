/**
 * What the accounts pages do with some of the server's answers, beyond a message: how long a
 * blocked sign-in must wait, a reset link that can no longer be used, a password too common.
 */
import { ApiError } from '../api/client.ts';

/**
 * Whole minutes to wait before signing in again (a 429 carries `retryAfter`, in seconds), or
 * null when the answer is not that one or does not say: the general message applies.
 */
export function minutesToWait(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.code !== 'HAVRE_ERR_LOGIN_THROTTLED') return null;
  const seconds = error.problem.retryAfter;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return null;
  return Math.ceil(seconds / 60);
}

/** The reset link has expired or was used (a newer one too): only a new link gets her further. */
export const isDeadResetLink = (error: unknown): boolean =>
  error instanceof ApiError && error.code === 'HAVRE_ERR_TOKEN_INVALID';

/** The server refused the new password as one of the most common: the field says so. */
export const isTooCommonPassword = (error: unknown): boolean =>
  error instanceof ApiError && error.code === 'HAVRE_ERR_PASSWORD_TOO_COMMON';
