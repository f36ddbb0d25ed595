/**
 * Signed-in users resolved from their session token, kept in memory for a few seconds.
 *
 * Why: every authenticated request resolved its session from the database (session row, user,
 * roles, territories: four queries). On PostgreSQL each one is a round trip, and on
 * `POST /api/reports` they cost more than writing the report (bench/: `npm run bench -- intake`).
 *
 * What keeps it correct: whatever changes who a session belongs to or what that user may do
 * calls `sessionsChanged` (logout, password reset, erasure, role, staff territory or e-mail
 * verification change), which forgets the entries here at once and publishes the change on the
 * bus, so every other instance forgets them too (Redis bus). Two bounds cover what the bus cannot
 * carry: an entry is trusted for `SESSION_CACHE_TTL_MS` at most, and on SQLite a change committed
 * by another process (the `havre` CLI granting or revoking staff) is noted by triggers in
 * `account_changes` (changes-migration.ts), read before each lookup: the accounts of the changed
 * bucket are forgotten. Other commits (report batches, trail points) keep the cache.
 * Keys are the SHA-256 of the tokens, as in the database; users are frozen (shared by requests).
 */
import type SqliteDatabase from 'better-sqlite3';
import type { Services } from '../server/services.ts';
import { ACCOUNT_BUCKET_CHARS } from './changes-migration.ts';
import type { CurrentUser } from './policies.ts';
import { loadCurrentUser, resolveSessionHash } from './store.ts';
import { hashToken } from './tokens.ts';

/** How long a resolved session is trusted without asking the database again. */
export const SESSION_CACHE_TTL_MS = 10_000;
/** Sessions kept at most (least recently resolved first out). */
const MAX_ENTRIES = 50_000;

export const SESSIONS_CHANGED_TOPIC = 'accounts.sessions.changed';

/** One session (logout), every session of an account (roles, erasure…), or everything. */
export type SessionsChange = { tokenHash: string } | { userId: string } | { all: true };

interface Entry {
  user: CurrentUser;
  /** Trusted until this instant: min(session expiry, resolution + TTL). */
  until: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byUser = new Map<string, Set<string>>();
  /** SQLite: the account buckets changed since a sequence number (`account_changes`). */
  private changesSince: SqliteDatabase.Statement<[number], { bucket: string; seq: number }> | null = null;
  private lastChange = -1;
  /** Bumped by every forget: a resolution that started before one must not be cached. */
  generation = 0;

  constructor(private readonly sqlite?: SqliteDatabase.Database) {}

  /** Forgets the accounts of the buckets that changed since the last look (SQLite). */
  private applyChanges(sqlite: SqliteDatabase.Database): void {
    if (!this.changesSince) {
      // Prepared on first use: the table exists once the migrations ran.
      this.changesSince = sqlite.prepare(
        'SELECT bucket, seq FROM account_changes WHERE seq > ? ORDER BY seq',
      );
      this.lastChange = sqlite
        .prepare('SELECT coalesce(max(seq), 0) FROM account_changes')
        .pluck()
        .get() as number;
      return;
    }
    const changed = this.changesSince.all(this.lastChange);
    if (!changed.length) return;
    this.generation++;
    const buckets = new Set(changed.map((c) => c.bucket));
    for (const [userId, hashes] of this.byUser) {
      if (buckets.has(userId.slice(0, ACCOUNT_BUCKET_CHARS)))
        for (const hash of [...hashes]) this.remove(hash);
    }
    this.lastChange = Number(changed[changed.length - 1].seq);
  }

  get(tokenHash: string, now: number): CurrentUser | null {
    if (this.sqlite) this.applyChanges(this.sqlite);
    const entry = this.entries.get(tokenHash);
    if (!entry) return null;
    if (entry.until <= now) {
      this.remove(tokenHash);
      return null;
    }
    return entry.user;
  }

  /** `generation`: the value read before the database was asked (see `userOfToken`). */
  set(tokenHash: string, user: CurrentUser, sessionExpiresAt: number, now: number, generation: number): void {
    if (generation !== this.generation) return;
    this.remove(tokenHash);
    const frozen = Object.freeze({
      ...user,
      roles: Object.freeze([...user.roles]),
      territories: Object.freeze([...user.territories]),
    }) as CurrentUser;
    this.entries.set(tokenHash, {
      user: frozen,
      until: Math.min(sessionExpiresAt, now + SESSION_CACHE_TTL_MS),
    });
    let hashes = this.byUser.get(user.id);
    if (!hashes) {
      hashes = new Set();
      this.byUser.set(user.id, hashes);
    }
    hashes.add(tokenHash);
    if (this.entries.size > MAX_ENTRIES) this.remove(this.entries.keys().next().value as string);
  }

  forget(change: SessionsChange): void {
    this.generation++;
    if ('all' in change) {
      this.clear();
      return;
    }
    const hashes = 'userId' in change ? [...(this.byUser.get(change.userId) ?? [])] : [change.tokenHash];
    for (const hash of hashes) this.remove(hash);
  }

  /** Drops one entry (expired, evicted or forgotten). */
  private remove(tokenHash: string): void {
    const entry = this.entries.get(tokenHash);
    if (!entry) return;
    this.entries.delete(tokenHash);
    const ofUser = this.byUser.get(entry.user.id);
    ofUser?.delete(tokenHash);
    if (ofUser?.size === 0) this.byUser.delete(entry.user.id);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.byUser.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The signed-in user of a session token, or null (unknown, expired or revoked session, erased
 * account): from the cache, else from the database (then cached).
 */
export async function userOfToken(services: Services, token: string): Promise<CurrentUser | null> {
  const cache = sessionCache(services);
  const now = services.clock.now();
  const tokenHash = hashToken(token);
  const cached = cache.get(tokenHash, now);
  if (cached) return cached;
  const generation = cache.generation;
  const session = await resolveSessionHash(services.db.kysely, tokenHash, now);
  const user = session ? await loadCurrentUser(services.db.kysely, session.userId) : null;
  if (session && user) cache.set(tokenHash, user, session.expiresAt, now, generation);
  return user;
}

const caches = new WeakMap<Services, SessionCache>();

/** The cache of this instance; subscribe it to the bus with `listenForSessionChanges` at start. */
export function sessionCache(services: Services): SessionCache {
  let cache = caches.get(services);
  if (!cache) {
    cache = new SessionCache(services.db.sqlite);
    caches.set(services, cache);
  }
  return cache;
}

export async function listenForSessionChanges(services: Services): Promise<() => Promise<void>> {
  const cache = sessionCache(services);
  return services.bus.subscribe(SESSIONS_CHANGED_TOPIC, (message) => {
    const change = message as SessionsChange;
    // Anything unexpected from the bus empties the cache: forgetting too much is only slower.
    if (change && typeof change === 'object' && ('tokenHash' in change || 'userId' in change))
      cache.forget(change);
    else cache.clear();
  });
}

/**
 * Call after committing a change to sessions, roles, staff territories or an account. This
 * instance forgets at once; the change is published on the bus and the call returns once the
 * bus handed it to the other instances (`settled`), before any request that follows the
 * change's answer can reach them. A bus failure is logged; the TTL still bounds the staleness.
 */
export async function sessionsChanged(services: Services, change: SessionsChange): Promise<void> {
  sessionCache(services).forget(change);
  try {
    await services.bus.publish(SESSIONS_CHANGED_TOPIC, change);
    await services.bus.settled?.();
  } catch (err) {
    services.log.warn({ err }, 'session change not published on the bus');
  }
}
