/**
 * GDPR: "download my data" and "delete my account". Every capability that keeps personal
 * data registers a section here, so export and erasure stay complete as features grow.
 * Erasure runs every section's `erase`, then deletes the user row (foreign keys cascade).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { forgetMessagesMentioning } from '../notify/outbox.ts';

export interface PersonalDataSection {
  /** Key of this section in the export. */
  name: string;
  export(db: Kysely<Schema>, userId: string): Promise<unknown>;
  /** Data not removed by the cascade from `users` (none if every row references users.id). */
  erase?(tx: Transaction<Schema>, userId: string): Promise<void>;
}

const sections = new Map<string, PersonalDataSection>();

export function registerPersonalData(section: PersonalDataSection): void {
  sections.set(section.name, section);
}

export async function exportPersonalData(db: Kysely<Schema>, userId: string, now: number) {
  const out: Record<string, unknown> = { exportedAt: new Date(now).toISOString(), format: 'havre-export-1' };
  for (const section of sections.values()) out[section.name] = await section.export(db, userId);
  return out;
}

export async function eraseAccount(db: Kysely<Schema>, userId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const section of sections.values()) await section.erase?.(tx, userId);
    await tx.deleteFrom('users').where('id', '=', userId).execute();
  });
}

registerPersonalData({
  name: 'account',
  async export(db, userId) {
    const user = await db
      .selectFrom('users')
      .select(['id', 'email', 'email_verified_at', 'locale', 'created_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
    const territories = await db
      .selectFrom('staff_territories')
      .select('territory_code')
      .where('user_id', '=', userId)
      .execute();
    const sessions = await db
      .selectFrom('sessions')
      .select(['created_at', 'expires_at', 'last_seen_at'])
      .where('user_id', '=', userId)
      .execute();
    const links = await db
      .selectFrom('email_tokens')
      .select(['purpose', 'expires_at', 'used_at'])
      .where('user_id', '=', userId)
      .execute();
    // Sign-ups of her address still waiting for their link (someone may have typed it).
    const signups = await db
      .selectFrom('pending_signups')
      .select(['locale', 'expires_at'])
      .where('email', '=', user.email)
      .execute();
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return {
      id: user.id,
      email: user.email,
      emailVerifiedAt: iso(user.email_verified_at),
      locale: user.locale,
      createdAt: iso(user.created_at),
      roles: roles.map((r) => r.role),
      staffTerritories: territories.map((t) => t.territory_code),
      sessions: sessions.map((s) => ({
        createdAt: iso(s.created_at),
        expiresAt: iso(s.expires_at),
        lastSeenAt: iso(s.last_seen_at),
      })),
      emailLinks: links.map((l) => ({
        purpose: l.purpose,
        expiresAt: iso(l.expires_at),
        usedAt: iso(l.used_at),
      })),
      pendingSignups: signups.map((p) => ({ locale: p.locale, expiresAt: iso(p.expires_at) })),
    };
  },
  async erase(tx, userId) {
    // Rows keyed by the address rather than the account: sign-ups of this address still waiting
    // for their link, and e-mails written before the account existed (the sign-up link).
    const { email } = await tx
      .selectFrom('users')
      .select('email')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    await tx.deleteFrom('pending_signups').where('email', '=', email).execute();
    await tx.deleteFrom('outbox').where('recipient', '=', email).execute();
    // Alerts her contacts received name her by address.
    await forgetMessagesMentioning(tx, [email]);
  },
});

/**
 * Messages to her, pending or kept after delivery (SENT_RETENTION_MS): those of her account and
 * those written to her address before it had one (the sign-up link). Not their text: it was
 * delivered to her, and e-mails carry one-time links a downloaded file must not make usable again.
 */
registerPersonalData({
  name: 'pendingMessages',
  async export(db, userId) {
    const { email } = await db
      .selectFrom('users')
      .select('email')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    const rows = await db
      .selectFrom('outbox')
      .select([
        'id',
        'channel',
        'recipient',
        'attempts',
        'next_attempt_at',
        'last_error',
        'created_at',
        'sent_at',
      ])
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('recipient', '=', email)]))
      .execute();
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      recipient: r.recipient,
      createdAt: iso(r.created_at),
      sentAt: iso(r.sent_at),
      attempts: r.attempts,
      nextAttemptAt: iso(r.next_attempt_at),
      lastError: r.last_error,
    }));
  },
});
