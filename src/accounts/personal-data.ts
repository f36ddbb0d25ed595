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

registerPersonalData({
  name: 'pendingMessages',
  async export(db, userId) {
    const rows = await db
      .selectFrom('outbox')
      .select(['channel', 'recipient', 'created_at', 'sent_at'])
      .where('user_id', '=', userId)
      .execute();
    return rows.map((r) => ({
      channel: r.channel,
      recipient: r.recipient,
      createdAt: new Date(r.created_at).toISOString(),
      sentAt: r.sent_at === null ? null : new Date(r.sent_at).toISOString(),
    }));
  },
});
