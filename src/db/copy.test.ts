import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { POSTGRES_URL } from '../../test/helpers/backends.ts';
import { freshPostgresDatabase } from '../../test/helpers/postgres-database.ts';
import { revokeStaff } from '../accounts/store.ts';
import { seedDemo } from '../demo/seed.ts';
import { loadBundledTerritories } from '../territories/bundled.ts';
import { importTerritories } from '../territories/import.ts';
import { copySqliteToPostgres } from './copy.ts';

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

  it('copies the full demo installation with matching counts and checksums in every table, and is safe to re-run', async () => {
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
    const second = await copySqliteToPostgres(t.services.db, target.url);
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
    expect((await copySqliteToPostgres(t.services.db, target.url)).every((r) => r.verified)).toBe(true);
    expect(await count()).toBe(1);
    // The access is revoked on the embedded server, then the copy is run again before switching.
    await revokeStaff(t.services.db.kysely, staff.id, '75117');
    const again = await copySqliteToPostgres(t.services.db, target.url);
    expect(again.filter((r) => !r.verified).map((r) => r.table)).toEqual([]);
    expect(await count()).toBe(0);
  });
});
