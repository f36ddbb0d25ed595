/**
 * The promise of DESIGN.md, checked end to end: after real reports go through the API, no
 * exact coordinate, no exact time and nothing of the account survives in any table of the
 * database, in any response of the reports API, or in the logs.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { addTerritories, dumpDatabase, postReport } from '../../test/helpers/reports.ts';
import { configureReports } from './settings.ts';

type User = Awaited<ReturnType<typeof userWith>>;
const REPORT_TABLES = ['reports', 'report_counts', 'report_hour_counts', 'report_quota'];

// Exact points with 8 decimals (≈ 1 mm) inside Paris 17e (Batignolles), and exact instants
// of the last 29 days that are not in the first minute of an hour.
const exactLat = fc.integer({ min: 1, max: 39_999 }).map((n) => (4_888_500_000 + n * 10 + 3) / 1e8);
const exactLon = fc.integer({ min: 1, max: 129_999 }).map((n) => (230_500_000 + n * 10 + 7) / 1e8);
const report = (now: number) =>
  fc.record({
    lat: exactLat,
    lon: exactLon,
    at: fc.integer({ min: now - 29 * 86_400_000, max: now - 60_000 }).filter((t) => t % 3_600_000 >= 60_000),
    category: fc.constantFrom('following', 'verbal_harassment', 'insecurity'),
  });

describe.each(backends())('anonymity of reports end to end on %s', (backend) => {
  let t: TestApp;
  let citizen: User;
  let staff: User;
  let admin: User;
  const secrets: string[] = [];
  const accountSecrets: string[] = [];
  beforeAll(async () => {
    t = await makeTestApp(backend);
    await addTerritories(t);
    configureReports(t.services, { dailyQuota: 1000, burstThreshold: 2 });
    citizen = await userWith(t);
    staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    admin = await userWith(t, { roles: ['admin'] });
    accountSecrets.push(citizen.id, citizen.email, citizen.token);

    const samples = fc.sample(fc.array(report(t.clock.now()), { minLength: 30, maxLength: 30 }), {
      seed: 20261128,
      numRuns: 1,
    })[0];
    // A few in the same cell and hour, so some are held and appear in the moderation queue.
    samples.push(...[0, 1, 2].map((i) => ({ ...samples[0], lat: samples[0].lat + i * 1e-7 })));
    for (const [i, s] of samples.entries()) {
      const occurredAt = new Date(s.at).toISOString();
      const res = await postReport(t, citizen.auth, {
        category: s.category,
        role: 'victim',
        lat: s.lat,
        lon: s.lon,
        occurredAt,
        shareDescription: true,
        description: `Vers ${occurredAt.slice(11, 16)}, écrivez à temoin${i}@exemple.fr ou 06 12 34 ${String(i).padStart(2, '0')} 78`,
      });
      expect(res.statusCode, res.body).toBe(201);
      secrets.push(
        String(s.lat),
        String(s.lon),
        occurredAt,
        occurredAt.slice(0, 16),
        String(s.at),
        String(Math.floor(s.at / 1000)),
        `temoin${i}@exemple.fr`,
        `06 12 34 ${String(i).padStart(2, '0')} 78`,
      );
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const expectNone = (where: string, text: string, list: string[]) => {
    const found = list.filter((secret) => text.includes(secret));
    expect(found, `${where} contains ${found.join(', ')}`).toEqual([]);
  };

  it('no table of the database holds an exact coordinate, an exact time or a contact detail', async () => {
    const dump = await dumpDatabase(t);
    expect(Object.keys(dump)).toEqual(expect.arrayContaining(REPORT_TABLES));
    expect(dump.reports.length).toBe(33);
    for (const [table, rows] of Object.entries(dump)) expectNone(table, JSON.stringify(rows), secrets);
  });

  it('no report table holds the account (id, e-mail, session) or a position rounded to 11 m', async () => {
    const dump = await dumpDatabase(t);
    const rounded = secrets.filter((s) => /^-?\d+\.\d{8}$/.test(s)).map((s) => Number(s).toFixed(4));
    for (const table of REPORT_TABLES)
      expectNone(table, JSON.stringify(dump[table]), [...accountSecrets, ...rounded]);
  });

  it('no response of the reports API repeats an exact coordinate, time or contact detail', async () => {
    const from = new Date(t.clock.now() - 40 * 86_400_000).toISOString();
    const urls = [
      `/api/territories/75117/heatmap?from=${from}`,
      `/api/territories/75117/stats?from=${from}`,
      `/api/territories/75117/export.csv?from=${from}`,
      `/api/territories/75117/export.geojson?from=${from}`,
      `/api/territories/75117/descriptions?from=${from}`,
    ];
    for (const url of urls) {
      const res = await t.app.inject({ url, headers: staff.auth });
      expect(res.statusCode).toBe(200);
      expectNone(url, res.body, [...secrets, ...accountSecrets]);
    }
    const held = await t.app.inject({ url: '/api/admin/reports/held', headers: admin.auth });
    expect(held.json().reports.length).toBeGreaterThan(0);
    expectNone('held', held.body, [...secrets, ...accountSecrets]);
  });

  it('does not log the reported positions, the "near me" position or the descriptions', async () => {
    const near = { lat: 48.88512345, lon: 2.31987654 };
    const res = await t.app.inject({
      url: `/api/reports/nearby?lat=${near.lat}&lon=${near.lon}`,
      headers: citizen.auth,
    });
    expect(res.statusCode).toBe(200);
    expectNone('nearby', res.body, [String(near.lat), String(near.lon)]);
    expect(t.logs.lines.length).toBeGreaterThan(0);
    expectNone('logs', t.logs.lines.join('\n'), [
      ...secrets,
      String(near.lat),
      String(near.lon),
      citizen.token,
    ]);
    const dump = await dumpDatabase(t);
    expectNone('database', JSON.stringify(dump), [String(near.lat), String(near.lon)]);
  });
});
