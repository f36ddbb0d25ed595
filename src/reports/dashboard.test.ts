import { cellToParent, latLngToCell } from 'h3-js';
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
import { SCRUB_MARKERS } from './scrub.ts';
import { configureReports } from './settings.ts';

type User = Awaited<ReturnType<typeof userWith>>;
const HOUR = 3_600_000;
const SECRET_TEXT = 'Le-témoin-secret-42';

describe.each(backends())('territory dashboard on %s', (backend) => {
  let t: TestApp;
  let citizen: User;
  let staff: User;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await addTerritories(t);
    configureReports(t.services, { dailyQuota: 1000 });
    citizen = await userWith(t);
    staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
  });
  afterEach(async () => {
    await t.close();
  });

  /** n reports at a place, one per hour going back, so no burst is detected. */
  async function report(n: number, place: { lat: number; lon: number }, extra: Record<string, unknown> = {}) {
    for (let i = 0; i < n; i++) {
      const occurredAt = new Date(t.clock.now() - (i + 1) * HOUR).toISOString();
      const res = await postReport(t, citizen.auth, reportBody(t, { ...place, occurredAt, ...extra }));
      expect(res.statusCode).toBe(201);
    }
  }
  const get = (url: string, user: User = staff) => t.app.inject({ url, headers: user.auth });

  it('shows a cell that reaches k, folds the rest into the hidden count', async () => {
    await report(6, PLACES.batignolles);
    await report(2, PLACES.ternes, { category: 'insecurity' });
    const res = await get('/api/territories/75117/heatmap');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ type: 'FeatureCollection', total: 8, hidden: 2, held: 0, k: 5 });
    const cell = latLngToCell(PLACES.batignolles.lat, PLACES.batignolles.lon, 9);
    expect(body.features).toHaveLength(1);
    expect(body.features[0].properties).toEqual({ cell, resolution: 9, count: 6 });
    const ring = body.features[0].geometry.coordinates[0];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(ring[0][0]).toBeCloseTo(2.32, 1); // [lon, lat]
    const only = (await get('/api/territories/75117/heatmap?category=insecurity')).json();
    expect(only).toMatchObject({ total: 2, hidden: 2, features: [] });
  });

  it('reads only the window asked for, in whole UTC weeks, and says which', async () => {
    await report(6, PLACES.batignolles); // this week (Saturday 28 November, 15:00–20:00 UTC)
    for (let i = 0; i < 3; i++) {
      // Last week: Sunday 22 November, 23:xx UTC (already Monday in Paris: still last UTC week).
      const occurredAt = new Date(Date.parse('2026-11-22T23:10:00Z') - i * HOUR).toISOString();
      expect((await postReport(t, citizen.auth, reportBody(t, { occurredAt }))).statusCode).toBe(201);
    }
    // Any instants within this week widen to the whole week.
    const week = (
      await get('/api/territories/75117/heatmap?from=2026-11-24T10:00:00Z&to=2026-11-25T10:00:00Z')
    ).json();
    expect(week).toMatchObject({
      total: 6,
      from: '2026-11-23T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
      weeks: 1,
    });
    // Up to Monday 23 November 00:00 UTC exactly: the 4 weeks before, without this one.
    const before = (await get('/api/territories/75117/heatmap?to=2026-11-23T00:00:00Z')).json();
    expect(before).toMatchObject({ total: 3, from: '2026-10-26T00:00:00.000Z', weeks: 4 });
    // Default: the last 4 weeks, this one included.
    expect((await get('/api/territories/75117/heatmap')).json()).toMatchObject({
      total: 9,
      from: '2026-11-02T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
      weeks: 4,
    });
  });

  it('refuses an unknown category filter and a reversed window with 400', async () => {
    const category = await get('/api/territories/75117/heatmap?category=robbery');
    expect(category.statusCode).toBe(400);
    expect(category.json().code).toBe('HAVRE_ERR_REPORT_UNKNOWN_CATEGORY');
    const window = await get(
      '/api/territories/75117/stats?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z',
    );
    expect(window.statusCode).toBe(400);
    expect(window.json().code).toBe('HAVRE_ERR_REPORT_BAD_WINDOW');
  });

  it('answers stats per category, week, weekday and band of hours with null below k', async () => {
    await report(5, PLACES.batignolles);
    await report(2, PLACES.batignolles, { category: 'insecurity' });
    const res = await get('/api/territories/75117/stats');
    expect(res.statusCode).toBe(200);
    const stats = res.json();
    expect(stats).toMatchObject({ k: 5, total: 7, held: 0 });
    expect(stats.categories).toHaveLength(9);
    expect(stats.categories.find((c: { category: string }) => c.category === 'following').count).toBe(5);
    expect(stats.categories.find((c: { category: string }) => c.category === 'insecurity').count).toBeNull();
    expect(stats.weekdays.map((d: { weekday: number }) => d.weekday)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(stats.hourBands.map((b: { from: number; to: number }) => [b.from, b.to])).toEqual(
      [0, 3, 6, 9, 12, 15, 18, 21].map((h) => [h, h + 3]),
    );
    const shownDays = stats.weekdays.filter((d: { count: number | null }) => d.count !== null);
    const shownBands = stats.hourBands.filter((b: { count: number | null }) => b.count !== null);
    // Each shown bucket holds at least k, and none more than the 7 reports.
    for (const b of [...shownDays, ...shownBands]) expect(b.count).toBeGreaterThanOrEqual(5);
    expect(shownDays.reduce((s: number, d: { count: number }) => s + d.count, 0)).toBeLessThanOrEqual(7);
    expect(stats).toMatchObject({ from: '2026-11-02T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' });
    expect(stats.weeks.map((w: { week: string }) => w.week)).toEqual([
      '2026-W45',
      '2026-W46',
      '2026-W47',
      '2026-W48',
    ]);
    expect(stats.weeks.at(-1)).toEqual({ week: '2026-W48', from: '2026-11-23T00:00:00.000Z', count: 7 });
    expect(stats.weeks[0].count).toBeNull(); // zero is "fewer than k" too
    expect(JSON.stringify(stats)).not.toMatch(/"cell/);
  });

  it('exports CSV and GeoJSON of the aggregates, never a description', async () => {
    await report(6, PLACES.batignolles, { description: SECRET_TEXT, shareDescription: true });
    const csv = await get('/api/territories/75117/export.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const named = /^attachment; filename="havre-75117-heatmap-(\d{8})-(\d{8})\.csv"$/.exec(
      String(csv.headers['content-disposition']),
    );
    const day = (stamp: string) => new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6)}`);
    expect(day(named![1]).getUTCDay()).toBe(1); // from a Monday…
    expect(day(named![2]).getUTCDay()).toBe(0); // …to the Sunday it covers last, not the next Monday
    const cell = latLngToCell(PLACES.batignolles.lat, PLACES.batignolles.lon, 9);
    expect(csv.body.split('\r\n')[0]).toBe('cell,resolution,count,center_lat,center_lon,from,to');
    expect(csv.body).toContain(`${cell},9,6,`);
    expect(csv.body).toMatch(/\r\ntotal,,6,/);
    const geojson = await get('/api/territories/75117/export.geojson');
    expect(geojson.headers['content-type']).toContain('application/geo+json');
    expect(geojson.json().features[0].properties).toEqual({ cell, resolution: 9, count: 6 });
    for (const body of [csv.body, geojson.body]) {
      expect(body).not.toContain(SECRET_TEXT);
      expect(body).not.toContain('description');
    }
  });

  it('lists consented descriptions with category and day only, not those without consent', async () => {
    await report(1, PLACES.batignolles, {
      description: `${SECRET_TEXT} 06 12 34 56 78`,
      shareDescription: true,
    });
    await report(1, PLACES.batignolles, { description: 'pas de consentement', shareDescription: false });
    const res = await get('/api/territories/75117/descriptions');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      descriptions: [
        { category: 'following', day: '2026-11-28', text: `${SECRET_TEXT} ${SCRUB_MARKERS.phone}` },
      ],
    });
  });

  it('holds a burst in one cell and hour, counts it in the total only, and lets an admin moderate it', async () => {
    configureReports(t.services, { burstThreshold: 5 });
    const admin = await userWith(t, { roles: ['admin'] });
    const occurredAt = new Date(t.clock.now() - 20 * 60_000).toISOString();
    for (let i = 0; i < 8; i++) {
      const body = reportBody(t, { occurredAt, description: `rafale ${i}`, shareDescription: true });
      expect((await postReport(t, citizen.auth, body)).statusCode).toBe(201);
    }
    const before = (await get('/api/territories/75117/heatmap')).json();
    expect(before).toMatchObject({ total: 8, held: 3, hidden: 3 });
    expect(before.features[0].properties.count).toBe(5);
    expect((await get('/api/territories/75117/descriptions')).json().descriptions).toHaveLength(5);

    expect((await get('/api/admin/reports/held', staff)).statusCode).toBe(403);
    const held = (await get('/api/admin/reports/held', admin)).json().reports;
    expect(held).toHaveLength(3);
    expect(held[0]).toMatchObject({ territoryCode: '75117', category: 'following', burst: 8 });
    expect(held[0].cell).toBe(
      cellToParent(latLngToCell(PLACES.batignolles.lat, PLACES.batignolles.lon, 10), 9),
    );

    const accept = (id: string) =>
      t.app.inject({ method: 'POST', url: `/api/admin/reports/${id}/accept`, headers: admin.auth });
    const reject = (id: string) =>
      t.app.inject({ method: 'POST', url: `/api/admin/reports/${id}/reject`, headers: admin.auth });
    expect((await accept(held[0].id)).statusCode).toBe(204);
    expect((await reject(held[1].id)).statusCode).toBe(204);
    expect((await accept(held[0].id)).json().code).toBe('HAVRE_ERR_REPORT_NOT_HELD');
    expect((await reject(held[1].id)).statusCode).toBe(404);

    const after = (await get('/api/territories/75117/heatmap')).json();
    expect(after).toMatchObject({ total: 7, held: 1, hidden: 1 });
    expect(after.features[0].properties.count).toBe(6);
    const expected = await expectedAggregates(t);
    const actual = await actualAggregates(t);
    expect(actual.counts).toEqual(expected.counts);
    expect(actual.hours).toEqual(expected.hours);
  });

  it('answers "near me now" by rings, with fewer than k instead of small numbers', async () => {
    const now = new Date(t.clock.now() - 5 * 60_000).toISOString();
    for (let i = 0; i < 6; i++) await postReport(t, citizen.auth, reportBody(t, { occurredAt: now }));
    await postReport(
      t,
      citizen.auth,
      reportBody(t, { occurredAt: now, lat: PLACES.batignolles.lat + 0.004 }),
    );
    const url = `/api/reports/nearby?lat=${PLACES.batignolles.lat}&lon=${PLACES.batignolles.lon}&minutes=30`;
    const res = await get(url, citizen);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ k: 5, minutes: 30 });
    expect(body.rings.map((r: { cells: string[] }) => r.cells.length)).toEqual([1, 6, 12]);
    expect(body.rings[0]).toMatchObject({ ring: 0, count: 6, fewerThanK: false });
    for (const ring of body.rings.slice(1)) expect(ring).toMatchObject({ count: null, fewerThanK: true });
    expect((await t.app.inject({ url })).statusCode).toBe(401);
    t.clock.advance(3 * HOUR);
    expect((await get(url, citizen)).json().rings[0]).toMatchObject({ count: null, fewerThanK: true });
  });

  it('releases "near me now" hour by hour: a longer look back cannot reveal an older hour below k', async () => {
    const base = t.clock.now(); // 21:00:00Z
    const at = (ms: number) => new Date(ms).toISOString();
    const post = async (n: number, occurredAt: string) => {
      for (let i = 0; i < n; i++)
        expect((await postReport(t, citizen.auth, reportBody(t, { occurredAt }))).statusCode).toBe(201);
    };
    await post(4, at(base - 2 * HOUR + 5 * 60_000)); // 19:05: 4 reports, below k
    await post(3, at(base - HOUR + 5 * 60_000)); // 20:05: 3 reports, below k
    t.clock.t = base + 40 * 60_000; // 21:40
    await post(5, at(base + 30 * 60_000)); // 21:30: 5 reports, k
    const ring0 = async (minutes: number) =>
      (
        await get(
          `/api/reports/nearby?lat=${PLACES.batignolles.lat}&lon=${PLACES.batignolles.lon}&minutes=${minutes}`,
          citizen,
        )
      ).json().rings[0];
    expect(await ring0(30)).toMatchObject({ count: 5, fewerThanK: false }); // the 21:00 hour
    // 90 minutes reach back into 20:00, 150 into 19:00: their 3 and 4 reports add nothing.
    expect(await ring0(90)).toMatchObject({ count: 5, fewerThanK: false });
    expect(await ring0(150)).toMatchObject({ count: 5, fewerThanK: false });
    // Seen from 20:50, without the 21:00 hour: 4 + 3 = 7 ≥ k over two hours, but no single
    // hour reached k: "fewer than k", not 7.
    t.clock.t = base - 10 * 60_000;
    expect(await ring0(110)).toMatchObject({ count: null, fewerThanK: true });
  });

  it('reads "near me now" in whole hour buckets, the same anywhere within an hour', async () => {
    const base = t.clock.now(); // 21:00:00Z
    const at = (ms: number) => new Date(ms).toISOString();
    // Five reports at 20:50 (bucket 20:00) and five at 21:05 (bucket 21:00).
    for (let i = 0; i < 5; i++)
      await postReport(t, citizen.auth, reportBody(t, { occurredAt: at(base - 10 * 60_000) }));
    t.clock.advance(6 * 60_000);
    for (let i = 0; i < 5; i++)
      await postReport(t, citizen.auth, reportBody(t, { occurredAt: at(base + 5 * 60_000) }));
    const nearby = async (minutes: number) =>
      (
        await get(
          `/api/reports/nearby?lat=${PLACES.batignolles.lat}&lon=${PLACES.batignolles.lon}&minutes=${minutes}`,
          citizen,
        )
      ).json();
    const seen: unknown[] = [];
    for (const offset of [10, 29, 59]) {
      t.clock.t = base + offset * 60_000; // 21:10, 21:29, 21:59
      const body = await nearby(5);
      expect(body).toMatchObject({ since: at(base), until: at(base + HOUR), hours: 1, minutes: 5 });
      seen.push(body.rings[0].count);
    }
    expect(seen).toEqual([5, 5, 5]); // the 20:50 reports are in the bucket before: not read
    t.clock.t = base + 40 * 60_000; // 21:40: the last 45 minutes touch the 20:00 and 21:00 buckets
    expect(await nearby(45)).toMatchObject({ since: at(base - HOUR), until: at(base + HOUR), hours: 2 });
    expect((await nearby(45)).rings[0].count).toBe(10);
  });
});
