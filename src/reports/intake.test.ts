import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import {
  actualAggregates,
  addTerritories,
  expectedAggregates,
  PLACES,
  postReport,
  reportBody,
} from '../../test/helpers/reports.ts';
import { anonymizeReport, type ReportInput } from './anonymize.ts';
import { quotaTicket } from './quota.ts';
import { configureReports } from './settings.ts';
import { acceptedTopic, reportWriter } from './writer.ts';

describe.each(backends())('report intake on %s', (backend) => {
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

  it('stores an anonymous report and answers 201 with its id only', async () => {
    const res = await postReport(
      t,
      citizen.auth,
      reportBody(t, { shareDescription: true, description: 'Suivie.' }),
    );
    expect(res.statusCode).toBe(201);
    expect(Object.keys(res.json())).toEqual(['id']);
    const row = await t.services.db.kysely
      .selectFrom('reports')
      .selectAll()
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      territory_code: '75117',
      category: 'following',
      role: 'victim',
      status: 'accepted',
      synthetic: 0,
      description: 'Suivie.',
    });
    expect(Number(row.hour_bucket) % 3_600_000).toBe(0);
  });

  it('refuses an anonymous caller with 401', async () => {
    const res = await postReport(t, {}, reportBody(t));
    expect(res.statusCode).toBe(401);
  });

  it.each([
    ['an unknown category', { category: 'robbery' }, 400, 'HAVRE_ERR_REPORT_UNKNOWN_CATEGORY'],
    ['an unknown role', { role: 'bystander' }, 400, 'HAVRE_ERR_REPORT_UNKNOWN_ROLE'],
    ['a latitude above 90', { lat: 91 }, 400, 'HAVRE_ERR_REPORT_BAD_POSITION'],
    ['a longitude below -180', { lon: -181 }, 400, 'HAVRE_ERR_REPORT_BAD_POSITION'],
    ['a latitude as text', { lat: '48.88' }, 400, 'HAVRE_ERR_VALIDATION'],
    ['a time in words', { occurredAt: 'yesterday' }, 400, 'HAVRE_ERR_REPORT_BAD_TIME'],
    ['a time without offset', { occurredAt: '2026-11-28T21:00:00' }, 400, 'HAVRE_ERR_REPORT_BAD_TIME'],
    [
      'a 2001-character description',
      { description: 'x'.repeat(2001) },
      400,
      'HAVRE_ERR_REPORT_DESCRIPTION_TOO_LONG',
    ],
    ['an unknown field', { ipAddress: '1.2.3.4' }, 400, 'HAVRE_ERR_VALIDATION'],
    ['a point in Lyon', PLACES.lyon, 422, 'HAVRE_ERR_OUT_OF_TERRITORY'],
  ])('rejects %s with the matching 4xx code and stores nothing', async (_label, overrides, status, code) => {
    const res = await postReport(t, citizen.auth, reportBody(t, overrides));
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
    expect(await t.services.db.kysely.selectFrom('reports').select('id').execute()).toHaveLength(0);
  });

  it('rejects a time more than 5 minutes ahead or more than 30 days ago, accepts the edges', async () => {
    const at = (ms: number) => new Date(t.clock.now() + ms).toISOString();
    const future = await postReport(t, citizen.auth, reportBody(t, { occurredAt: at(6 * 60_000) }));
    expect(future.json().code).toBe('HAVRE_ERR_REPORT_IN_FUTURE');
    const old = await postReport(
      t,
      citizen.auth,
      reportBody(t, { occurredAt: at(-30 * 86_400_000 - 60_000) }),
    );
    expect(old.json().code).toBe('HAVRE_ERR_REPORT_TOO_OLD');
    expect(
      (await postReport(t, citizen.auth, reportBody(t, { occurredAt: at(4 * 60_000) }))).statusCode,
    ).toBe(201);
    const edge = at(-30 * 86_400_000 + 60_000);
    expect((await postReport(t, citizen.auth, reportBody(t, { occurredAt: edge }))).statusCode).toBe(201);
  });

  it('files Réunion reports in Indian/Reunion local time', async () => {
    const res = await postReport(
      t,
      citizen.auth,
      reportBody(t, { ...PLACES.barachois, occurredAt: '2026-11-28T23:30:00+04:00' }),
    );
    expect(res.statusCode).toBe(201);
    const row = await t.services.db.kysely
      .selectFrom('reports')
      .selectAll()
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ territory_code: '97411', day: '2026-11-28', hour_of_day: 23, weekday: 6 });
  });

  it('commits 60 concurrent reports in group commits, each acknowledged, aggregates exact', async () => {
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        postReport(
          t,
          citizen.auth,
          reportBody(t, {
            lat: PLACES.batignolles.lat + (i % 6) * 0.002,
            category: i % 2 ? 'insecurity' : 'following',
            occurredAt: new Date(t.clock.now() - i * 3_600_000).toISOString(),
          }),
        ),
      ),
    );
    expect(responses.map((r) => r.statusCode).filter((s) => s !== 201)).toEqual(
      // the default quota is 20 a day: the other 40 are refused with 429
      Array(40).fill(429),
    );
    expect(await t.services.db.kysely.selectFrom('reports').select('id').execute()).toHaveLength(20);
    const expected = await expectedAggregates(t);
    const actual = await actualAggregates(t);
    expect(actual.counts).toEqual(expected.counts);
    expect(actual.hours).toEqual(expected.hours);
  });

  it('writes reports submitted in the same tick in one transaction (one bus message for the group)', async () => {
    const messages: unknown[] = [];
    await t.services.bus.subscribe(acceptedTopic('75117'), (m) => messages.push(m));
    const now = t.clock.now();
    const report = anonymizeReport(reportBody(t) as ReportInput, '75117', now);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        reportWriter(t.services).submit(
          { ...report },
          quotaTicket('secret-of-at-least-32-characters!!', `acct-${i}`, now),
        ),
      ),
    );
    expect(outcomes.every((o) => 'id' in o)).toBe(true);
    expect(messages).toEqual([{ count: 10, held: 30 }]); // the 30 beyond the burst threshold are held
    expect(outcomes.filter((o) => 'status' in o && o.status === 'held')).toHaveLength(30);
  });

  it('writes a report submitted while the previous group is being acknowledged (no lost wake-up)', async () => {
    const writer = reportWriter(t.services);
    const now = t.clock.now();
    const report = anonymizeReport(reportBody(t) as ReportInput, '75117', now);
    const ticket = quotaTicket('secret-of-at-least-32-characters!!', 'acct', now);
    // Submitted from the first acknowledgement: after the writer emptied its queue, before it went idle.
    const second = writer.submit(report, ticket).then(() => writer.submit(report, ticket));
    expect(await second).toMatchObject({ status: 'accepted' });
  });

  it('acknowledges a committed report even when the live-feed bus fails', async () => {
    t.services.bus.publish = async () => {
      throw new Error('redis down');
    };
    const res = await postReport(t, citizen.auth, reportBody(t));
    expect(res.statusCode).toBe(201);
    expect(await t.services.db.kysely.selectFrom('reports').select('id').execute()).toHaveLength(1);
  });

  it('counts the daily quota per account and per UTC day, under an HMAC key', async () => {
    configureReports(t.services, { dailyQuota: 3 });
    const other = await userWith(t);
    for (let i = 0; i < 3; i++)
      expect((await postReport(t, citizen.auth, reportBody(t))).statusCode).toBe(201);
    const fourth = await postReport(t, citizen.auth, reportBody(t));
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().code).toBe('HAVRE_ERR_REPORT_QUOTA_EXCEEDED');
    expect((await postReport(t, other.auth, reportBody(t))).statusCode).toBe(201);
    const quota = await t.services.db.kysely.selectFrom('report_quota').selectAll().execute();
    expect(quota).toHaveLength(2);
    for (const row of quota) {
      expect(row.key).not.toContain(citizen.id);
      expect(row.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    t.clock.advance(86_400_000);
    expect((await postReport(t, citizen.auth, reportBody(t))).statusCode).toBe(201);
  });
});
