/**
 * The differencing attack of a malicious municipal employee (docs/SECURITY.md), through the
 * API: two windows that differ by one hour (or by one week) used to reveal the cell and the
 * count of the reports of that hour alone — a single report located at resolution 9.
 */
import { latLngToCell } from 'h3-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { addTerritories, PLACES, postReport, reportBody } from '../../test/helpers/reports.ts';
import { configureReports } from './settings.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
type Feature = { properties: { cell: string; resolution: number; count: number } };

describe.each(backends())('differencing two heatmap windows on %s', (backend) => {
  let t: TestApp;
  let staff: Awaited<ReturnType<typeof userWith>>;
  beforeEach(async () => {
    t = await makeTestApp(backend); // Saturday 2026-11-28 21:00 UTC
    await addTerritories(t);
    configureReports(t.services, { dailyQuota: 1000 });
    staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
  });
  afterEach(async () => {
    await t.close();
  });

  const heatmap = async (query: string) => {
    const res = await t.app.inject({ url: `/api/territories/75117/heatmap?${query}`, headers: staff.auth });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  /** (cell, resolution) → shown count. */
  const cells = (body: { features: Feature[] }) =>
    new Map(
      body.features.map((f) => [`${f.properties.cell}|${f.properties.resolution}`, f.properties.count]),
    );

  it('shows no count below k by difference, and never locates a lone report at resolution 9', async () => {
    const citizen = await userWith(t);
    const k = 5;
    const at = (ms: number) => new Date(ms).toISOString();
    // Last week (Monday 16 to Monday 23 November): k reports in the Batignolles, one per hour.
    for (let i = 0; i < k; i++) {
      const occurredAt = at(Date.parse('2026-11-20T18:10:00Z') + i * HOUR);
      expect((await postReport(t, citizen.auth, reportBody(t, { occurredAt }))).statusCode).toBe(201);
    }
    // This week, alone in its hour: one more report in the same cell, at 20:10 UTC.
    const lone = Date.parse('2026-11-28T20:10:00Z');
    expect((await postReport(t, citizen.auth, reportBody(t, { occurredAt: at(lone) }))).statusCode).toBe(201);
    const cell = latLngToCell(PLACES.batignolles.lat, PLACES.batignolles.lon, 9);

    const T = Date.parse('2026-11-28T20:00:00Z');
    const pairs: [string, string][] = [
      // The one-hour difference of the issue: [T − 30 d, T) and [T − 30 d, T + 1 h).
      [`from=${at(T - 30 * DAY)}&to=${at(T)}`, `from=${at(T - 30 * DAY)}&to=${at(T + HOUR)}`],
      // Week against week: up to last Monday, and up to next Monday.
      [
        `from=${at(T - 30 * DAY)}&to=2026-11-23T00:00:00Z`,
        `from=${at(T - 30 * DAY)}&to=2026-11-30T00:00:00Z`,
      ],
      // Same end, one week shorter at the start.
      [
        'from=2026-11-16T00:00:00Z&to=2026-11-30T00:00:00Z',
        'from=2026-11-23T00:00:00Z&to=2026-11-30T00:00:00Z',
      ],
    ];
    for (const [a, b] of pairs) {
      const [x, y] = [await heatmap(a), await heatmap(b)];
      const [cx, cy] = [cells(x), cells(y)];
      for (const key of new Set([...cx.keys(), ...cy.keys()])) {
        const diff = Math.abs((cx.get(key) ?? 0) - (cy.get(key) ?? 0));
        expect(diff === 0 || diff >= k, `${a} vs ${b}: ${key} differs by ${diff}`).toBe(true);
      }
    }

    // The lone report's week alone: counted in the total, shown nowhere.
    const thisWeek = await heatmap('from=2026-11-23T00:00:00Z');
    expect(thisWeek).toMatchObject({ total: 1, hidden: 1, features: [], weeks: 1 });
    // Both weeks: the cell shows last week's k, not k + 1.
    const both = await heatmap('from=2026-11-16T00:00:00Z');
    expect(both).toMatchObject({ total: k + 1, hidden: 1, weeks: 2 });
    expect(cells(both).get(`${cell}|9`)).toBe(k);
    // The window one hour longer is the same window, and says which weeks it covers.
    const longer = await heatmap(`from=${at(T - 30 * DAY)}&to=${at(T + HOUR)}`);
    expect(longer).toMatchObject({
      from: '2026-10-26T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
      weeks: 5,
    });
    // The export and the stats follow the same weeks.
    const csv = await t.app.inject({
      url: `/api/territories/75117/export.csv?from=${at(T - 30 * DAY)}&to=${at(T + HOUR)}`,
      headers: staff.auth,
    });
    expect(csv.body).toContain(`${cell},9,${k},`);
    const stats = (
      await t.app.inject({
        url: '/api/territories/75117/stats?from=2026-11-16T00:00:00Z',
        headers: staff.auth,
      })
    ).json();
    expect(stats.weeks).toEqual([
      { week: '2026-W47', from: '2026-11-16T00:00:00.000Z', count: k },
      { week: '2026-W48', from: '2026-11-23T00:00:00.000Z', count: null },
    ]);
  });

  it('lets no category, weekday or band of hours be worked out below k from two windows of charts', async () => {
    const citizen = await userWith(t);
    const k = 5;
    const send = async (occurredAt: string, category = 'following') =>
      expect((await postReport(t, citizen.auth, reportBody(t, { occurredAt, category }))).statusCode).toBe(
        201,
      );
    // Last week: k reports on Friday 20 November at 19 h in Paris (18:xx UTC).
    for (let i = 0; i < k; i++) await send(`2026-11-20T18:${10 + i}:00Z`);
    // This week: one more, same category, same weekday, same hour — alone in its week.
    await send('2026-11-27T18:10:00Z');
    const stats = async (query: string) => {
      const res = await t.app.inject({ url: `/api/territories/75117/stats?${query}`, headers: staff.auth });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    type Stats = {
      categories: { category: string; count: number | null }[];
      weekdays: { weekday: number; count: number | null }[];
      hourBands: { from: number; count: number | null }[];
    };
    const buckets = (s: Stats) =>
      new Map<string, number>([
        ...s.categories.map((c): [string, number] => [`category ${c.category}`, c.count ?? 0]),
        ...s.weekdays.map((d): [string, number] => [`weekday ${d.weekday}`, d.count ?? 0]),
        ...s.hourBands.map((b): [string, number] => [`band ${b.from}`, b.count ?? 0]),
      ]);
    const lastWeek = buckets(await stats('from=2026-11-16T00:00:00Z&to=2026-11-23T00:00:00Z'));
    const both = buckets(await stats('from=2026-11-16T00:00:00Z&to=2026-11-30T00:00:00Z'));
    expect(lastWeek.get('category following')).toBe(k);
    expect(lastWeek.get('weekday 5')).toBe(k);
    expect(lastWeek.get('band 18')).toBe(k);
    for (const [key, n] of both) {
      const diff = Math.abs(n - (lastWeek.get(key) ?? 0));
      expect(diff === 0 || diff >= k, `${key} differs by ${diff}`).toBe(true);
    }
    // The lone report's week alone: counted in the total, in no chart.
    const thisWeek = await stats('from=2026-11-23T00:00:00Z&to=2026-11-30T00:00:00Z');
    expect(thisWeek.total).toBe(1);
    expect([...buckets(thisWeek).values()].every((n) => n === 0)).toBe(true);
  });
});
