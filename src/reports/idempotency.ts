/**
 * A lost answer must not store a report twice: the device sends the same random key
 * (`Idempotency-Key` header) with every attempt at one report, and the server stores the key's
 * HMAC with the report it made. A retry is answered with that report's id, without a new
 * report, quota use or aggregate change.
 *
 * The key is not tied to anything: it is random per report (not per device or account), kept
 * only under an HMAC of the server secret, with the UTC day it arrived (no time of day), and
 * purged after two days. The device deletes it with the queued report once acknowledged.
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { fail } from '../server/errors.ts';
import { utcDay } from './local-time.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Printable, 16 to 100 characters: a UUID or 128+ random bits in base64url. */
const KEY = /^[A-Za-z0-9_-]{16,100}$/;
/** How long a key is remembered: the day it arrived and the next two (UTC). */
export const IDEMPOTENCY_DAYS = 2;
const DAY_MS = 86_400_000;

/** The stored form of the header's key, or null without one. Refuses a malformed key. */
export function idempotencyKey(secret: string, header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (typeof header !== 'string' || !KEY.test(header)) return fail('REPORT_BAD_IDEMPOTENCY_KEY');
  return createHmac('sha256', secret).update(`havre.report-idempotency\n${header}`).digest('base64url');
}

/** Deletes the keys older than `IDEMPOTENCY_DAYS` days. Returns how many. */
export async function purgeIdempotencyKeys(db: Kysely<Schema>, now: number): Promise<number> {
  const result = await db
    .deleteFrom('report_idempotency')
    .where('day', '<', utcDay(now - IDEMPOTENCY_DAYS * DAY_MS))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
