/**
 * A real Havre instance for the HTTP and WebSocket benchmarks: the same `startServer` as
 * `havre serve`, on a temporary database, rate limit raised out of the way (all load comes
 * from 127.0.0.1), logs at warn. The parent seeds it through IPC calls (places, users,
 * share sessions) written straight into the tables, because creating 15,000 accounts through
 * the API would spend minutes hashing passwords.
 *
 *   env: HAVRE_DATABASE_URL, BENCH_DATA_DIR
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { hashToken, newToken } from '../../src/accounts/tokens.ts';
import { placesChanged, placesIndex } from '../../src/places/live-index.ts';
import { configureReports } from '../../src/reports/settings.ts';
import { loadConfig } from '../../src/server/config.ts';
import { startServer } from '../../src/server/main.ts';
import { loadBundledTerritories } from '../../src/territories/bundled.ts';
import { importTerritories } from '../../src/territories/import.ts';
import { loopWatch } from '../lib/loop-watch.ts';
import { synthPlaces, toRow } from '../lib/places-data.ts';
import { serveParent } from '../lib/proc.ts';

const dir = process.env.BENCH_DATA_DIR as string;
const config = loadConfig({
  HAVRE_PORT: '0',
  HAVRE_DATA_DIR: dir,
  HAVRE_DATABASE_URL: process.env.HAVRE_DATABASE_URL,
  HAVRE_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  HAVRE_LOG_LEVEL: 'warn',
  // Per client address and minute: the load comes from one address, and a calm machine sends
  // nearest and health at 25,000–45,000 req/s (more than 1,000,000 in a minute: 429s).
  HAVRE_RATE_LIMIT: '100000000',
  HAVRE_WEB_DIR: process.env.BENCH_WEB_DIR ?? `${dir}/no-web`,
});
const running = await startServer(config);
const { services } = running;
const watch = loopWatch();
/**
 * Statements of the main SQLite connection that held the event loop ≥ 5 ms (better-sqlite3 is
 * synchronous: a write waits for its fsync, or for the trail worker's write lock).
 */
let slowSql: { at: number; ms: number; sql: string }[] = [];
let slowT0 = performance.now();
if (services.db.sqlite) {
  const proto = Object.getPrototypeOf(services.db.sqlite.prepare('SELECT 1')) as Record<string, unknown>;
  for (const method of ['run', 'get', 'all']) {
    const original = proto[method] as (...args: unknown[]) => unknown;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      const t = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const ms = performance.now() - t;
        if (ms >= 5 && slowSql.length < 200)
          slowSql.push({ at: Math.round(t - slowT0), ms: Math.round(ms), sql: this.source.slice(0, 80) });
      }
    };
  }
}
const db = services.db.kysely;
const DAY = 86_400_000;
const inspector = new Session();
const post = (method: string) =>
  new Promise((resolve, reject) =>
    inspector.post(method, (err, result) => (err ? reject(err) : resolve(result))),
  );

async function insertChunks<T>(table: string, rows: T[], size = 500) {
  for (let i = 0; i < rows.length; i += size)
    // biome-ignore lint/suspicious/noExplicitAny: bench seeding of several tables
    await (db as any)
      .insertInto(table)
      .values(rows.slice(i, i + size))
      .execute();
}

/** n users with a live session each; returns [userId, token][]. */
async function makeUsers(n: number, prefix: string): Promise<[string, string][]> {
  const now = Date.now();
  const users: [string, string][] = [];
  const rows = [];
  const roles = [];
  const sessions = [];
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    const token = newToken();
    users.push([id, token]);
    rows.push({
      id,
      email: `${prefix}-${i}@bench.example`,
      password_hash: 'x',
      email_verified_at: now,
      locale: 'fr',
      created_at: now,
    });
    roles.push({ user_id: id, role: 'citizen' });
    sessions.push({
      token_hash: hashToken(token),
      user_id: id,
      created_at: now,
      expires_at: now + DAY,
      last_seen_at: now,
    });
  }
  await insertChunks('users', rows);
  await insertChunks('user_roles', roles);
  await insertChunks('sessions', sessions);
  return users;
}

serveParent(
  {
    async loadPlaces({ n, seed }: { n: number; seed: number }) {
      const now = Date.now();
      const rows = synthPlaces(n, seed).map((p) => toRow(p, now));
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < rows.length; i += 500)
          await tx
            .insertInto('places')
            .values(rows.slice(i, i + 500))
            .execute();
      });
      await placesChanged(services);
      const t0 = performance.now();
      const index = await placesIndex(services);
      return { places: index.places.length, indexBuildMs: performance.now() - t0 };
    },
    async territories() {
      await importTerritories(services, loadBundledTerritories());
      return null;
    },
    async users({ n, prefix }: { n: number; prefix: string }) {
      return makeUsers(n, prefix);
    },
    /** A staff member of `territory` with a live session; returns its token. */
    async staff({ territory, prefix }: { territory: string; prefix: string }) {
      const [[id, token]] = await makeUsers(1, prefix);
      await insertChunks('user_roles', [{ user_id: id, role: 'staff' }]);
      await insertChunks('staff_territories', [{ user_id: id, territory_code: territory }]);
      return token;
    },
    async configureReports(settings: Record<string, number>) {
      configureReports(services, settings);
      return null;
    },
    /** S sharers, each with a live trip shared with W/S contacts (one device each). */
    async shares({ sharers, watchersPerShare }: { sharers: number; watchersPerShare: number }) {
      const now = Date.now();
      const owners = await makeUsers(sharers, 'sharer');
      const watchers = await makeUsers(sharers * watchersPerShare, 'watcher');
      const contacts = [];
      const devices = [];
      const sessions = [];
      const recipients = [];
      const out: { share: string; sharer: string; watchers: string[] }[] = [];
      for (let s = 0; s < sharers; s++) {
        const share = randomUUID();
        const [ownerId, ownerToken] = owners[s];
        sessions.push({
          id: share,
          owner_id: ownerId,
          mode: 'trip',
          visibility: 'live',
          chosen_visibility: 'live',
          status: 'active',
          meta: null,
          expected_arrival: null,
          until: null,
          still_minutes: 0,
          created_at: now,
          ends_at: now + DAY,
          ended_at: null,
          end_reason: null,
          alert_reason: null,
          last_seq: null,
          last_position_at: null,
        });
        const tokens: string[] = [];
        for (let w = 0; w < watchersPerShare; w++) {
          const [userId, token] = watchers[s * watchersPerShare + w];
          tokens.push(token);
          const device = randomUUID();
          contacts.push({
            id: randomUUID(),
            owner_id: ownerId,
            contact_id: userId,
            created_at: now,
            ended_at: null,
          });
          devices.push({
            id: device,
            user_id: userId,
            public_key: 'A'.repeat(87),
            label: 'bench',
            created_at: now,
            last_seen_at: now,
            revoked_at: null,
          });
          recipients.push({
            share_id: share,
            device_id: device,
            user_id: userId,
            wrapped_key: 'B'.repeat(142),
            created_at: now,
          });
        }
        out.push({ share, sharer: ownerToken, watchers: tokens });
      }
      await insertChunks('contacts', contacts);
      await insertChunks('devices', devices);
      await insertChunks('share_sessions', sessions);
      await insertChunks('share_recipients', recipients);
      return out;
    },
    /** CPU profile of the load phase only (node:inspector), written to `file`. */
    async profileStart() {
      inspector.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
      return null;
    },
    async profileStop({ file }: { file: string }) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      inspector.disconnect();
      return file;
    },
    memory() {
      if (global.gc) global.gc();
      return process.memoryUsage();
    },
    loopReset() {
      slowSql = [];
      slowT0 = performance.now();
      return watch.reset();
    },
    loopRead: () => ({ ...watch.read(), slowSql }),
  },
  { url: running.url, port: Number(new URL(running.url).port) },
  () => running.stop(),
);
