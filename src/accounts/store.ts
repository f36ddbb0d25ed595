/** Accounts storage: users, roles, staff territories, sessions, e-mail tokens. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { verifyPassword } from './passwords.ts';
import type { CurrentUser } from './policies.ts';
import type { Role } from './tables.ts';
import { hashToken, newToken } from './tokens.ts';

type K = Kysely<Schema>;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export async function createUser(
  db: K,
  input: {
    email: string;
    passwordHash: string;
    roles?: Role[];
    locale?: string;
    now: number;
    verified?: boolean;
  },
): Promise<string> {
  const id = randomUUID();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('users')
      .values({
        id,
        email: normaliseEmail(input.email),
        password_hash: input.passwordHash,
        email_verified_at: input.verified ? input.now : null,
        locale: input.locale ?? 'fr',
        created_at: input.now,
      })
      .execute();
    const roles = [...new Set<Role>(['citizen', ...(input.roles ?? [])])];
    await tx
      .insertInto('user_roles')
      .values(roles.map((role) => ({ user_id: id, role })))
      .execute();
  });
  return id;
}

/** Whether `password` is the account's own (the confirmation asked before sensitive changes). */
export async function isAccountPassword(db: K, userId: string, password: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row !== undefined && (await verifyPassword(row.password_hash, password));
}

export function findUserByEmail(db: K, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
}

export async function loadCurrentUser(db: K, userId: string): Promise<CurrentUser | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'email_verified_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return null;
  const [roles, territories] = await Promise.all([
    db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute(),
    db
      .selectFrom('staff_territories')
      .select('territory_code')
      .where('user_id', '=', userId)
      .orderBy('territory_code')
      .execute(),
  ]);
  return {
    id: user.id,
    email: user.email,
    emailVerified: user.email_verified_at !== null,
    roles: roles.map((r) => r.role).sort(),
    territories: territories.map((t) => t.territory_code),
  };
}

export async function grantRole(db: K, userId: string, role: Role): Promise<void> {
  await db
    .insertInto('user_roles')
    .values({ user_id: userId, role })
    .onConflict((oc) => oc.columns(['user_id', 'role']).doNothing())
    .execute();
}

/** E-mail addresses of the platform administrators, alphabetical. */
export async function listAdmins(db: K): Promise<string[]> {
  const rows = await db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select('users.email')
    .where('user_roles.role', '=', 'admin')
    .orderBy('users.email')
    .execute();
  return rows.map((row) => row.email);
}

/**
 * Takes the administrator role from an account (it keeps its other roles and its data), unless
 * it is the last administrator: a platform nobody can administer is repaired only by hand.
 * One statement, so that the check and the removal see the same rows.
 */
export async function revokeAdmin(db: K, userId: string): Promise<'removed' | 'not-admin' | 'last-admin'> {
  const result = await db
    .deleteFrom('user_roles')
    .where('user_id', '=', userId)
    .where('role', '=', 'admin')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_roles as other')
          .select('other.user_id')
          .where('other.role', '=', 'admin')
          .where('other.user_id', '<>', userId),
      ),
    )
    .executeTakeFirst();
  if (Number(result.numDeletedRows) > 0) return 'removed';
  const stillAdmin = await db
    .selectFrom('user_roles')
    .select('role')
    .where('user_id', '=', userId)
    .where('role', '=', 'admin')
    .executeTakeFirst();
  return stillAdmin ? 'last-admin' : 'not-admin';
}

export async function grantStaff(db: K, userId: string, territoryCode: string): Promise<void> {
  await grantRole(db, userId, 'staff');
  await db
    .insertInto('staff_territories')
    .values({ user_id: userId, territory_code: territoryCode })
    .onConflict((oc) => oc.columns(['user_id', 'territory_code']).doNothing())
    .execute();
}

/** E-mail addresses of the accounts with staff access to a territory, alphabetical. */
export async function listStaff(db: K, territoryCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('staff_territories')
    .innerJoin('users', 'users.id', 'staff_territories.user_id')
    .select('users.email')
    .where('staff_territories.territory_code', '=', territoryCode)
    .orderBy('users.email')
    .execute();
  return rows.map((row) => row.email);
}

/** Whether there was an access to remove. */
export async function revokeStaff(db: K, userId: string, territoryCode: string): Promise<boolean> {
  const result = await db
    .deleteFrom('staff_territories')
    .where('user_id', '=', userId)
    .where('territory_code', '=', territoryCode)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---- sessions ----

export async function createSession(db: K, userId: string, now: number, ttlMs: number): Promise<string> {
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      created_at: now,
      expires_at: now + ttlMs,
      last_seen_at: now,
    })
    .execute();
  return token;
}

/** The user id of a live session, or null. Touches `last_seen_at` at most once a minute. */
export async function resolveSession(db: K, token: string, now: number): Promise<string | null> {
  return (await resolveSessionHash(db, hashToken(token), now))?.userId ?? null;
}

/** The live session with this token hash: its user and when it expires, or null. */
export async function resolveSessionHash(
  db: K,
  tokenHash: string,
  now: number,
): Promise<{ userId: string; expiresAt: number } | null> {
  const session = await db
    .selectFrom('sessions')
    .select(['user_id', 'expires_at', 'last_seen_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!session || session.expires_at <= now) return null;
  if (now - session.last_seen_at > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
  }
  return { userId: session.user_id, expiresAt: session.expires_at };
}

export async function deleteSession(db: K, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

export async function deleteUserSessions(db: K, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

// ---- one-time e-mail tokens ----

export async function createEmailToken(
  db: K,
  userId: string,
  purpose: 'verify' | 'reset',
  now: number,
  ttlMs: number,
): Promise<string> {
  const token = newToken();
  await db
    .insertInto('email_tokens')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      purpose,
      expires_at: now + ttlMs,
      used_at: null,
    })
    .execute();
  return token;
}

/** Marks the token used and returns its user, or null if unknown, used, expired or of another purpose. */
export async function consumeEmailToken(
  db: K,
  token: string,
  purpose: 'verify' | 'reset',
  now: number,
): Promise<string | null> {
  const result = await db
    .updateTable('email_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return result?.user_id ?? null;
}

/**
 * After a password change: every reset link of the user not used yet stops working. An older
 * link (a mail read later, or in the hands of someone who had the mailbox) must not set the
 * password again behind the newer one.
 */
export async function spendResetLinks(db: K, userId: string, now: number): Promise<void> {
  await db
    .updateTable('email_tokens')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('purpose', '=', 'reset')
    .where('used_at', 'is', null)
    .execute();
}
