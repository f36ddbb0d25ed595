/**
 * Abuse control without identity (privacy rule 4): the daily quota of an account is
 * counted under HMAC(secret, account, day). Without the server secret the key cannot be
 * linked to an account, and a new key is used every day; past days are purged.
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { utcDay } from './local-time.ts';
import type { QuotaTicket } from './writer.ts';

/** Today's tickets by account (an HMAC costs more than the rest of the quota check): the memo is emptied when the day changes. */
const memo = { day: '', secret: '', tickets: new Map<string, QuotaTicket>() };
const MEMO_MAX = 100_000;

export function quotaTicket(secret: string, accountId: string, now: number): QuotaTicket {
  const day = utcDay(now);
  if (memo.day !== day || memo.secret !== secret || memo.tickets.size >= MEMO_MAX) {
    memo.day = day;
    memo.secret = secret;
    memo.tickets.clear();
  }
  let ticket = memo.tickets.get(accountId);
  if (!ticket) {
    const key = createHmac('sha256', secret)
      .update(`havre.report-quota\n${accountId}\n${day}`)
      .digest('base64url');
    ticket = { key, day };
    memo.tickets.set(accountId, ticket);
  }
  return ticket;
}

/** Deletes the quota rows of past days. Returns how many. */
export async function purgeQuota(db: Kysely<Schema>, now: number): Promise<number> {
  const result = await db.deleteFrom('report_quota').where('day', '<', utcDay(now)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
