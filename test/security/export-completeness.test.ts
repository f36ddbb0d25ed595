/**
 * The GDPR export contains every personal datum. Alice takes the full tour of Havre
 * (full-tour.ts, the same as the erasure scan), then downloads `GET /api/me/export`. The scan is
 * generated from the database catalog (tables, columns, foreign keys; both engines):
 *
 * - her rows: every row holding her account id, address or alert phone number in any column,
 *   then every row that references one of her rows through a foreign key, to a fixed point
 *   (her sessions' trail, guest links and timers, her venue's trainings, keys wrapped for her
 *   devices…);
 * - every table that references `users` (directly or through other tables) must hold at least
 *   one of her rows after the tour, so the tour exercises every feature that keeps personal data;
 * - every column of each of her rows must be in the export, inside one object of it (or its
 *   parents: a trail point under its session), unless EXCLUDED below says why it is not. A
 *   column that holds another person's account id must name that person (id or address).
 *
 * A table or column added later therefore fails this test until the export carries it or an
 * exclusion is written and justified here.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';
import { readCatalog, type TableInfo } from '../helpers/catalog.ts';
import { dumpDatabase } from '../helpers/reports.ts';
import { appForTour, caller, takeFullTour } from './full-tour.ts';

/**
 * What the export leaves out on purpose, and why. `table.*`: the whole table.
 * Hashes of credentials: they identify nothing for her and would only help someone who got hold
 * of the file to guess the secret offline; the rows themselves are exported by their dates.
 */
const EXCLUDED: Record<string, string> = {
  'users.password_hash': 'argon2id hash of her password: a credential, not information about her',
  'sessions.token_hash': 'SHA-256 of a bearer token: a credential; each session is listed by its dates',
  'email_tokens.token_hash': 'SHA-256 of a one-time link token: a credential; the link is listed',
  'pending_signups.token_hash': 'SHA-256 of a one-time sign-up link token: a credential',
  'pending_signups.password_hash': 'argon2id hash of the password typed at sign-up: a credential',
  'contact_invites.token_hash': 'SHA-256 of an invitation token: a credential; the invitation is listed',
  'guest_links.token_hash': 'SHA-256 of a guest token: a credential; the link is listed',
  'sos_pins.pin_hash': 'argon2id hash of her SOS PIN: a credential; when it was set is exported',
  'webauthn_challenges.challenge':
    'a random single-use number her passkey would sign within five minutes: a credential in flight; what it was for and when it expires are exported',
  'push_subscriptions.auth':
    'the browser’s Web Push authentication secret (RFC 8291): whoever holds it can forge messages her browser accepts; the endpoint and public key identify the subscription',
  'outbox.payload':
    'the message itself, already delivered to her mailbox, browser or phone; e-mails carry one-time links (sign-up, password reset) an export file must not make usable again. Each message is listed (channel, recipient, dates, delivery state)',
  'trail_log.*':
    'SQLite’s append log of trail points not yet moved into trail_points (src/sharing/trail-store.ts): its rows are checked as trail_points rows; empty on PostgreSQL',
  'dev_sms.*':
    'the development SMS gateway’s copy of what a carrier would have sent (src/notify/sms.ts); each SMS is an outbox message the export lists',
  'place_status_changes.actor_user_id':
    'who decided: her own id when she did (the export is hers), otherwise a staff member, whose identity is theirs; what was decided and when is exported',
  'city_actions.text':
    'the municipality’s public text, shown to everyone on the map; her authorship (action id, title, dates) is exported',
  'city_actions.area_kind': 'the municipality’s public area, shown on the map (as city_actions.text)',
  'city_actions.area': 'the municipality’s public area, shown on the map (as city_actions.text)',
  'city_actions.geometry': 'drawn from city_actions.area',
  'city_actions.min_lon': 'bounding box of city_actions.geometry',
  'city_actions.min_lat': 'bounding box of city_actions.geometry',
  'city_actions.max_lon': 'bounding box of city_actions.geometry',
  'city_actions.max_lat': 'bounding box of city_actions.geometry',
};

const excluded = (table: string, column: string) =>
  `${table}.*` in EXCLUDED || `${table}.${column}` in EXCLUDED;

type Row = Record<string, unknown>;

/** Tables with a foreign-key path to `users`. */
function referencingUsers(catalog: Map<string, TableInfo>): Set<string> {
  const found = new Set(['users']);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [table, info] of catalog) {
      if (!found.has(table) && info.foreignKeys.some((k) => found.has(k.table))) {
        found.add(table);
        grew = true;
      }
    }
  }
  found.delete('users');
  return found;
}

/** Her rows: those holding one of her identifiers, then those referencing her rows (fixed point). */
function herRows(catalog: Map<string, TableInfo>, dump: Record<string, Row[]>, identifiers: string[]) {
  const ids = new Set(identifiers.map((x) => x.toLowerCase()));
  const mine = new Map<string, Set<Row>>();
  const add = (table: string, row: Row) => {
    const set = mine.get(table) ?? new Set();
    mine.set(table, set);
    if (set.has(row)) return false;
    set.add(row);
    return true;
  };
  for (const [table, rows] of Object.entries(dump)) {
    for (const row of rows) {
      if (Object.values(row).some((v) => typeof v === 'string' && ids.has(v.toLowerCase()))) add(table, row);
    }
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const [table, info] of catalog) {
      for (const key of info.foreignKeys) {
        const targets = new Set([...(mine.get(key.table) ?? [])].map((r) => r[key.references]));
        for (const row of dump[table] ?? []) {
          if (row[key.column] !== null && targets.has(row[key.column]) && add(table, row)) grew = true;
        }
      }
    }
  }
  return mine;
}

/** Every object of the export, with the scalar values it and its parents hold (as text). */
function exportObjects(value: unknown, inherited: Set<string> = new Set(), out: Set<string>[] = []) {
  if (Array.isArray(value)) {
    for (const item of value) exportObjects(item, inherited, out);
  } else if (value && typeof value === 'object') {
    const own = new Set(inherited);
    const entries = Object.values(value as object);
    for (const v of entries.flatMap((e) => (Array.isArray(e) ? e : [e]))) {
      if (v !== null && typeof v !== 'object') own.add(String(v));
    }
    out.push(own);
    for (const v of entries) if (v && typeof v === 'object') exportObjects(v, own, out);
  }
  return out;
}

/** How a stored value may read in the export: as is, or an epoch-ms instant as ISO 8601. */
function forms(value: unknown): string[] {
  const text = String(value);
  const n = typeof value === 'number' ? value : /^\d{13}$/.test(text) ? Number(text) : null;
  return n !== null && n > 1e12 && n < 1e13 ? [text, new Date(n).toISOString()] : [text];
}

describe.each(backends())('GDPR export on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await appForTour(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  it('contains every column of every row that is hers, in every table, or says why not', async () => {
    const { alice, needles } = await takeFullTour(t);
    const exported = (await caller(t)(alice, 'GET', '/api/me/export', undefined, 200)).json();
    const catalog = await readCatalog(t);
    const dump = (await dumpDatabase(t)) as Record<string, Row[]>;
    // One trail in two tables: the log's rows are trail points (and are exported as such).
    dump.trail_points = [...(dump.trail_points ?? []), ...(dump.trail_log ?? [])];

    // Exclusions name real columns (a renamed column does not leave a stale excuse behind).
    const stale = Object.keys(EXCLUDED).filter((key) => {
      const [table, column] = key.split('.');
      const info = catalog.get(table);
      return !info || (column !== '*' && !info.columns.includes(column));
    });
    expect(stale).toEqual([]);

    expect(exported.account.id).toBe(alice.id); // so her own id, in any row, is in the export
    const mine = herRows(catalog, dump, [alice.id, alice.email, needles.phone]);

    // The tour reaches every table that references accounts.
    const unreached = [...referencingUsers(catalog)].filter(
      (table) => !excluded(table, '*') && !(mine.get(table)?.size ?? 0),
    );
    expect(unreached).toEqual([]);

    const emailOf = new Map(dump.users.map((u) => [u.id, String(u.email)]));
    const objects = exportObjects(exported);
    /** table → columns missing from the export (in at least one of her rows). */
    const gaps: Record<string, string[]> = {};
    let checked = 0;
    for (const [table, rows] of mine) {
      const info = catalog.get(table)!;
      const toUsers = new Set(info.foreignKeys.filter((k) => k.table === 'users').map((k) => k.column));
      for (const row of rows) {
        // Each datum that must be found, with the texts that count as finding it.
        const wanted = info.columns
          .filter((c) => !excluded(table, c) && row[c] !== null && row[c] !== alice.id)
          .map((c) => ({
            column: c,
            accepted: toUsers.has(c) ? [String(row[c]), emailOf.get(row[c]) ?? ''] : forms(row[c]),
          }));
        const missingIn = (values: Set<string>) =>
          wanted.filter((w) => !w.accepted.some((a) => values.has(a))).map((w) => w.column);
        let best: string[] | null = null;
        for (const values of objects) {
          const missing = missingIn(values);
          if (!best || missing.length < best.length) best = missing;
          if (missing.length === 0) break;
        }
        checked += 1;
        if (best && best.length > 0) gaps[table] = [...new Set([...(gaps[table] ?? []), ...best])];
      }
    }
    // Every table with her rows was looked at: the scan cannot pass by seeing nothing.
    expect(checked).toBeGreaterThan(30);
    expect([...mine.keys()].sort()).toEqual(expect.arrayContaining(['trail_points', 'share_recipients']));
    expect(gaps).toEqual({});
  });
});
