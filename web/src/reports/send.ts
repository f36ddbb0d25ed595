/**
 * Sending a report from the screen: straight to the server when the network is there,
 * otherwise kept on the phone (outbox) — the screen says which, honestly.
 */
import { ApiError } from '../api/client.ts';
import type { ReportBody } from './api.ts';
import { reportsApi } from './api.ts';
import { enqueue, isRetryable, recordSent } from './outbox.ts';

export type SendOutcome =
  | { kind: 'sent'; id: string }
  /** Kept on the phone; `signedOut` when the server asked for a new sign-in. */
  | { kind: 'queued'; id: string; signedOut: boolean };

/** Id of the report on this phone only (the server's id is never kept). */
const localId = () =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/**
 * Random key sent with every attempt at one report (`Idempotency-Key`): if the server stored
 * the report but its answer was lost, the retry from the outbox is not stored twice. Kept only
 * with the queued report, forgotten once acknowledged; the history never holds it.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export async function sendReport(body: ReportBody): Promise<SendOutcome> {
  const id = localId();
  const key = newIdempotencyKey();
  if (navigator.onLine === false) {
    await enqueue(id, body, key);
    return { kind: 'queued', id, signedOut: false };
  }
  try {
    await reportsApi.submit(body, key);
  } catch (error) {
    if (!isRetryable(error)) throw error;
    try {
      // The same key: this attempt may have been stored even though no answer came back.
      await enqueue(id, body, key);
    } catch {
      throw error; // no storage on this phone: say the network failed, nothing was kept
    }
    return { kind: 'queued', id, signedOut: error instanceof ApiError && error.status === 401 };
  }
  await recordSent(id, body);
  return { kind: 'sent', id };
}
