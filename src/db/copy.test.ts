import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { POSTGRES_URL } from '../../test/helpers/backends.ts';
import { freshPostgresDatabase } from '../../test/helpers/postgres-database.ts';
import { revokeStaff } from '../accounts/store.ts';
import { seedDemo } from '../demo/seed.ts';
import { loadBundledTerritories } from '../territories/bundled.ts';
import { importTerritories } from '../territories/import.ts';
import { copySqliteToPostgres, TargetInUseError, TargetNotEmptyError } from './copy.ts';

describe.runIf(POSTGRES_URL)('havre db copy (SQLite → PostgreSQL)', () => {
  let t: TestApp;
  let target: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  beforeAll(async () => {
    t = await makeTestApp('sqlite');
    target = await freshPostgresDatabase('havre_copy');
    // The full demo installation: territories, accounts, places, a year of reports…
    await seedDemo(t.services);
    await importTerritories(t.services, loadBundledTerritories());
    for (let i = 0; i < 25; i++)
      await userWith(t, { roles: i % 5 === 0 ? ['staff'] : [], territories: i % 5 === 0 ? ['75117'] : [] });
  });
  afterAll(async () => {
    await t.close();
    await target.drop();
  });

  it('copies the full demo installation with matching counts and checksums in every table, and re-runs onto its own earlier copy', async () => {
    const first = await copySqliteToPostgres(t.services.db, target.url);
    const byTable = Object.fromEntries(first.map((r) => [r.table, r]));
    expect(first.every((r) => r.verified)).toBe(true);
    expect(byTable.territories.rows).toBe(32);
    expect(byTable.users.rows).toBe(25 + 6);
    expect(byTable.sessions.rows).toBe(25);
    expect(byTable.staff_territories.rows).toBe(5 + 2);
    expect(byTable.places.rows).toBeGreaterThan(3_700);
    expect(byTable.reports.rows).toBeGreaterThan(5_000);
    // The server keeps running: a new user arrives, and the copy is run again.
    await userWith(t);
    const second = await copySqliteToPostgres(t.services.db, target.url, { replace: true });
    expect(second.every((r) => r.verified)).toBe(true);
    expect(second.find((r) => r.table === 'users')!.rows).toBe(32);
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    const { rows } = await client.query('select count(*)::int as n from users');
    await client.end();
    expect(rows[0].n).toBe(32);
  });

  it('makes the target equal to the source on a re-run, rows deleted since the last copy included', async () => {
    const staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    const count = async () => {
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      const { rows } = await client.query(
        'select count(*)::int as n from staff_territories where user_id = $1',
        [staff.id],
      );
      await client.end();
      return rows[0].n;
    };
    expect(
      (await copySqliteToPostgres(t.services.db, target.url, { replace: true })).every((r) => r.verified),
    ).toBe(true);
    expect(await count()).toBe(1);
    // The access is revoked on the embedded server, then the copy is run again before switching.
    await revokeStaff(t.services.db.kysely, staff.id, '75117');
    const again = await copySqliteToPostgres(t.services.db, target.url, { replace: true });
    expect(again.filter((r) => !r.verified).map((r) => r.table)).toEqual([]);
    expect(await count()).toBe(0);
  });

  /** Runs `sql` on the target and returns its rows. */
  async function onTarget(sql: string, values: unknown[] = []) {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  it('refuses a target that holds rows unless told it is an earlier copy, naming what each table would lose', async () => {
    // What an instance serving the target wrote: a copy would silently replace it.
    await onTarget(
      "update users set email = 'written-there@example.org' where id = (select min(id) from users)",
    );
    const [{ n: users }] = await onTarget('select count(*)::int as n from users');
    const refusal = await copySqliteToPostgres(t.services.db, target.url).catch((error) => error);
    expect(refusal).toBeInstanceOf(TargetNotEmptyError);
    const { tables, leases } = (refusal as TargetNotEmptyError).content;
    expect(tables).toContainEqual({ table: 'users', rows: users });
    expect(tables.every((table) => table.rows > 0)).toBe(true);
    expect(leases).toEqual([]);
    expect(await onTarget("select id from users where email = 'written-there@example.org'")).toHaveLength(1);
    // Said to be an earlier copy: replaced by the source.
    expect((await copySqliteToPostgres(t.services.db, target.url, { replace: true })).length).toBeGreaterThan(
      0,
    );
    expect(await onTarget("select id from users where email = 'written-there@example.org'")).toEqual([]);
  });

  it('refuses even with replace while an unexpired lease shows an instance serving the target, and copies no lease', async () => {
    const now = Date.now();
    // The embedded server's own lease: a claim on the SQLite database, not data to move.
    await t.services.db.kysely
      .insertInto('leases')
      .values({ name: 'job:embedded', holder: 'embedded-instance', expires_at: now + 600_000, fence: 7 })
      .execute();
    await onTarget('insert into leases (name, holder, expires_at, fence) values ($1, $2, $3, $4)', [
      'job:checkins',
      'instance-a',
      now + 60_000,
      3,
    ]);
    const usersBefore = await onTarget('select id, email from users order by id');
    for (const replace of [true, false]) {
      const refusal = await copySqliteToPostgres(t.services.db, target.url, { replace }).catch((e) => e);
      expect(refusal).toBeInstanceOf(replace ? TargetInUseError : TargetNotEmptyError);
      expect((refusal as TargetInUseError).content.leases).toEqual([
        { name: 'job:checkins', holder: 'instance-a', expiresAt: now + 60_000 },
      ]);
    }
    expect(await onTarget('select id, email from users order by id')).toEqual(usersBefore);
    // The instance stopped (it releases its leases): the re-run goes through.
    await onTarget("update leases set expires_at = 0 where holder = 'instance-a'");
    const copied = await copySqliteToPostgres(t.services.db, target.url, { replace: true });
    expect(copied.every((r) => r.verified)).toBe(true);
    expect(copied.map((r) => r.table)).not.toContain('leases');
    expect(await onTarget('select name, holder from leases order by name')).toEqual([
      { name: 'job:checkins', holder: 'instance-a' },
    ]);
  });
});
