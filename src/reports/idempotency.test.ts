import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import {
  actualAggregates,
  addTerritories,
  expectedAggregates,
  reportBody,
} from '../../test/helpers/reports.ts';
import { purgeExpiredReports } from './retention.ts';
import { configureReports } from './settings.ts';
import { acceptedTopic } from './writer.ts';

describe.each(backends())('idempotent report intake on %s', (backend) => {
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

  const post = (body: Record<string, unknown>, key?: string, auth = citizen.auth) =>
    t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: { ...auth, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      payload: body,
    });
  const reportCount = async () =>
    Number(
      (
        await t.services.db.kysely
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('stores a report once when the device retries after a lost 201, and answers the same id', async () => {
    const live: unknown[] = [];
    await t.services.bus.subscribe(acceptedTopic('75117'), (m) => live.push(m));
    const key = randomUUID();
    const body = reportBody(t);
    const first = await post(body, key);
    expect(first.statusCode).toBe(201);
    // The answer was lost: the phone sends the same report with the same key, later.
    t.clock.advance(20 * 60_000);
    const retry = await post(body, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(await reportCount()).toBe(1);
    expect(await actualAggregates(t)).toEqual(await expectedAggregates(t));
    expect(live).toEqual([{ count: 1 }]);
    // Another report, with its own key, is stored.
    expect((await post(reportBody(t), randomUUID())).statusCode).toBe(201);
    expect(await reportCount()).toBe(2);
  });

  it('dedupes attempts that arrive in the same group commit, and does not spend quota on retries', async () => {
    configureReports(t.services, { dailyQuota: 2 });
    const key = randomUUID();
    const body = reportBody(t);
    const answers = await Promise.all([post(body, key), post(body, key), post(body, key)]);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect((await post(body, key)).statusCode).toBe(201);
    expect(await reportCount()).toBe(1);
    // One of the two reports of the day used: one more fits.
    expect((await post(reportBody(t), randomUUID())).statusCode).toBe(201);
    expect((await post(reportBody(t), randomUUID())).statusCode).toBe(429);
  });

  it('keeps nothing that ties the key to the account, the device or the time of day', async () => {
    const key = randomUUID();
    const { id } = (await post(reportBody(t), key)).json();
    const rows = await t.services.db.kysely.selectFrom('report_idempotency').selectAll().execute();
    expect(rows).toEqual([
      { key: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), report_id: id, day: '2026-11-28' },
    ]);
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(JSON.stringify(rows)).not.toContain(citizen.id);
  });

  it('answers a retry from another account with the stored id, without a second report', async () => {
    // The key is per report, not per account: a phone whose session changed still dedupes.
    const key = randomUUID();
    const first = await post(reportBody(t), key);
    const other = await userWith(t);
    const retry = await post(reportBody(t), key, other.auth);
    expect(retry.json()).toEqual(first.json());
    expect(await reportCount()).toBe(1);
  });

  it('refuses a malformed key with 400 HAVRE_ERR_REPORT_BAD_IDEMPOTENCY_KEY and stores nothing', async () => {
    for (const key of ['short', 'x'.repeat(101), 'with space in it 0123456789', 'é'.repeat(20)]) {
      const res = await post(reportBody(t), key);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('HAVRE_ERR_REPORT_BAD_IDEMPOTENCY_KEY');
    }
    expect(await reportCount()).toBe(0);
  });

  it('forgets keys after two days (retention job); a report without a key is still accepted', async () => {
    expect((await post(reportBody(t), randomUUID())).statusCode).toBe(201);
    expect((await post(reportBody(t))).statusCode).toBe(201);
    t.clock.advance(2 * 86_400_000);
    expect((await purgeExpiredReports(t.services)).idempotencyKeys).toBe(0);
    t.clock.advance(86_400_000);
    expect((await purgeExpiredReports(t.services)).idempotencyKeys).toBe(1);
    expect(await t.services.db.kysely.selectFrom('report_idempotency').selectAll().execute()).toEqual([]);
  });
});
