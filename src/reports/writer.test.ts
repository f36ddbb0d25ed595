import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { addTerritories, PLACES, reportBody } from '../../test/helpers/reports.ts';
import { anonymizeReport, type ReportInput } from './anonymize.ts';
import { quotaTicket } from './quota.ts';
import { configureReports } from './settings.ts';
import { reportWriter } from './writer.ts';

const SECRET = 'secret-of-at-least-32-characters!!';

const post = (t: TestApp, auth: Record<string, string>, body: Record<string, unknown>, key?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: { ...auth, ...(key ? { 'idempotency-key': key } : {}) },
    payload: body,
  });

const count = async (t: TestApp, table: 'reports' | 'report_idempotency' = 'reports') =>
  Number(
    (
      await t.services.db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A real write failure inside the database: inserting a witness's report raises an error. */
async function failWitnessReports(t: TestApp): Promise<void> {
  const k = t.services.db.kysely;
  if (t.backend.name === 'sqlite') {
    await sql`CREATE TRIGGER fail_witness BEFORE INSERT ON reports WHEN NEW.role = 'witness'
      BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END`.execute(k);
  } else {
    await sql`CREATE FUNCTION fail_witness() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.role = 'witness' THEN RAISE EXCEPTION 'simulated write failure'; END IF; RETURN NEW; END $$`.execute(
      k,
    );
    await sql`CREATE TRIGGER fail_witness BEFORE INSERT ON reports
      FOR EACH ROW EXECUTE FUNCTION fail_witness()`.execute(k);
  }
}

describe.each(backends())('group commit on %s', (backend) => {
  let t: TestApp;
  let citizen: Awaited<ReturnType<typeof userWith>>;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await addTerritories(t);
    citizen = await userWith(t);
  });
  afterEach(async () => {
    await t.close();
  });

  it('acknowledges nothing when the commit fails (5xx problem), and stores the next batch', async () => {
    await failWitnessReports(t);
    const failed = await post(t, citizen.auth, reportBody(t, { role: 'witness' }));
    expect(failed.statusCode).toBeGreaterThanOrEqual(500);
    expect(failed.headers['content-type']).toContain('application/problem+json');
    expect(await count(t)).toBe(0);
    // Rolled back whole: the quota was not spent either.
    expect(await t.services.db.kysely.selectFrom('report_quota').selectAll().execute()).toEqual([]);
    const next = await post(t, citizen.auth, reportBody(t));
    expect(next.statusCode).toBe(201);
    expect(await count(t)).toBe(1);
  });

  it('closes only once the batches being committed are durable (graceful shutdown)', async () => {
    const writer = reportWriter(t.services);
    const now = t.clock.now();
    const report = anonymizeReport(reportBody(t) as ReportInput, '75117', now);
    const outcomes = Array.from({ length: 60 }, (_, i) =>
      writer.submit({ ...report }, quotaTicket(SECRET, `acct-${i}`, now)),
    );
    await writer.close();
    expect(await count(t)).toBe(60);
    expect((await Promise.all(outcomes)).every((o) => 'id' in o)).toBe(true);
  });

  it('holds the reports beyond the burst threshold even when several batches commit at once', async () => {
    configureReports(t.services, { postgresInFlight: 4 });
    const writer = reportWriter(t.services);
    const now = t.clock.now();
    const report = anonymizeReport(reportBody(t) as ReportInput, '75117', now);
    const outcomes: ReturnType<typeof writer.submit>[] = [];
    for (let i = 0; i < 40; i++) {
      outcomes.push(writer.submit({ ...report }, quotaTicket(SECRET, `acct-${i}`, now)));
      // One report per turn of the event loop: many small batches, several in flight on PostgreSQL.
      await new Promise((r) => setImmediate(r));
    }
    const statuses = (await Promise.all(outcomes)).map((o) => ('status' in o ? o.status : 'other'));
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(10);
    expect(statuses.filter((s) => s === 'held')).toHaveLength(30);
  });
});

/**
 * PostgreSQL: locks `report_quota` from a connection of the test until `waiting` statements
 * wait for it, then lets them all go at once: their transactions overlap for sure.
 */
async function holdQuotaTable(t: TestApp, waiting: number): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: t.backend.databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${t.backend.schema}.report_quota IN EXCLUSIVE MODE`);
  return async () => {
    await expect
      .poll(
        async () =>
          Number(
            (
              await client.query(
                'SELECT count(*) AS n FROM pg_locks WHERE relation = $1::regclass AND NOT granted',
                [`${t.backend.schema}.report_quota`],
              )
            ).rows[0].n,
          ),
        { timeout: 10_000 },
      )
      .toBe(waiting);
    await client.query('COMMIT');
    await client.end();
  };
}

describe.each(backends())('one Idempotency-Key sent to two instances at once on %s', (backend) => {
  let a: TestApp;
  let b: TestApp;
  beforeEach(async () => {
    a = await makeTestApp(backend);
    b = await makeTestApp(backend, { databaseOf: a });
    await addTerritories(a);
    await addTerritories(b);
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  it('stores one report, and both instances answer its id', async () => {
    const citizen = await userWith(a);
    const key = randomUUID();
    // Two positions, so two (cell, hour) burst locks: the key's claim alone must decide.
    const bodies = [reportBody(a), reportBody(a, PLACES.ternes)];
    const release = backend === 'postgres' ? await holdQuotaTable(a, 2) : async () => {};
    const answers = Promise.all([
      post(a, citizen.auth, bodies[0], key),
      post(b, citizen.auth, bodies[1], key),
    ]);
    await release();
    const [fromA, fromB] = await answers;
    expect([fromA.statusCode, fromB.statusCode]).toEqual([201, 201]);
    expect(fromB.json().id).toBe(fromA.json().id);
    expect(await count(a)).toBe(1);
    expect(await count(a, 'report_idempotency')).toBe(1);
    // The retry used no quota.
    expect(
      (await a.services.db.kysely.selectFrom('report_quota').select('n').execute()).map((r) => r.n),
    ).toEqual([1]);
  });
});
