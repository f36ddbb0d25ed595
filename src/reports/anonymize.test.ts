import fc from 'fast-check';
import { cellToLatLng, cellToParent, getResolution, greatCircleDistance } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { anonymizeReport, type ReportInput } from './anonymize.ts';
import { SCRUB_MARKERS } from './scrub.ts';

const NOW = Date.parse('2026-11-28T21:00:00Z');
const base: ReportInput = {
  category: 'following',
  role: 'victim',
  lat: 48.88383217,
  lon: 2.32031749,
  occurredAt: '2026-11-28T21:47:13.482+01:00',
};

// Exact points in Paris 17e and instants within the last 30 days, never on a whole hour.
const exactPoint = fc.record({
  lat: fc.double({ min: 48.875, max: 48.9, noNaN: true }),
  lon: fc.double({ min: 2.28, max: 2.33, noNaN: true }),
});
const exactTime = fc
  .integer({ min: NOW - 29 * 86_400_000, max: NOW })
  .filter((t) => t % 3_600_000 >= 60_000) // not in the first minute of an hour
  .map((t) => new Date(t).toISOString());

describe('anonymizeReport', () => {
  it('keeps only category, role, cells, hour bucket, local calendar parts and territory', () => {
    const out = anonymizeReport(base, '75117', NOW);
    expect(Object.keys(out).sort()).toEqual(
      [
        'territoryCode',
        'category',
        'role',
        'cell10',
        'cell9',
        'cell8',
        'cell7',
        'hourBucket',
        'day',
        'isoWeek',
        'hourOfDay',
        'weekday',
        'description',
      ].sort(),
    );
    expect(out).toMatchObject({
      territoryCode: '75117',
      hourBucket: Date.parse('2026-11-28T20:00:00Z'),
      day: '2026-11-28',
      isoWeek: '2026-W48',
      hourOfDay: 21,
      weekday: 6,
      description: null,
    });
  });

  it('no exact coordinate or timestamp survives, for any point and time (property)', () => {
    fc.assert(
      fc.property(exactPoint, exactTime, ({ lat, lon }, occurredAt) => {
        const out = anonymizeReport({ ...base, lat, lon, occurredAt }, '75117', NOW);
        const text = JSON.stringify(out);
        const t = Date.parse(occurredAt);
        for (const secret of [
          String(lat),
          String(lon),
          occurredAt,
          String(t),
          String(Math.floor(t / 1000)),
        ]) {
          expect(text).not.toContain(secret);
        }
        expect(text).not.toContain(occurredAt.slice(0, 16)); // not even the minute
        expect(out.hourBucket % 3_600_000).toBe(0);
        expect(t - out.hourBucket).toBeGreaterThanOrEqual(0);
        expect(t - out.hourBucket).toBeLessThan(3_600_000);
      }),
    );
  });

  it('the resolution-10 cell contains the point and its parents are 9, 8, 7 (property)', () => {
    fc.assert(
      fc.property(exactPoint, ({ lat, lon }) => {
        const out = anonymizeReport({ ...base, lat, lon }, '75117', NOW);
        expect(getResolution(out.cell10)).toBe(10);
        expect(out.cell9).toBe(cellToParent(out.cell10, 9));
        expect(out.cell8).toBe(cellToParent(out.cell10, 8));
        expect(out.cell7).toBe(cellToParent(out.cell10, 7));
        // A resolution-10 hexagon has a 66 m edge: its centre is at most ~80 m from the point.
        expect(greatCircleDistance(cellToLatLng(out.cell10), [lat, lon], 'm')).toBeLessThan(80);
      }),
    );
  });

  it('drops the description without consent, keeps it scrubbed with consent', () => {
    const text = 'Il m’a suivie, son numéro 06 12 34 56 78, insta www.instagram.com/x, mail a@b.fr';
    expect(anonymizeReport({ ...base, description: text }, '75117', NOW).description).toBeNull();
    expect(
      anonymizeReport({ ...base, description: text, shareDescription: false }, '75117', NOW).description,
    ).toBe(null);
    expect(
      anonymizeReport({ ...base, description: text, shareDescription: true }, '75117', NOW).description,
    ).toBe(
      `Il m’a suivie, son numéro ${SCRUB_MARKERS.phone}, insta ${SCRUB_MARKERS.url}, mail ${SCRUB_MARKERS.email}`,
    );
    expect(
      anonymizeReport({ ...base, description: '   ', shareDescription: true }, '75117', NOW).description,
    ).toBe(null);
  });

  it('uses Indian/Reunion time for 974xx territories and Europe/Paris otherwise', () => {
    const occurredAt = '2026-11-28T20:30:00Z';
    expect(anonymizeReport({ ...base, occurredAt }, '97411', NOW)).toMatchObject({
      day: '2026-11-29',
      hourOfDay: 0,
      weekday: 7,
    });
    expect(anonymizeReport({ ...base, occurredAt }, '76540', NOW)).toMatchObject({
      day: '2026-11-28',
      hourOfDay: 21,
      weekday: 6,
    });
  });

  it('follows daylight saving time in Paris (summer: UTC+2)', () => {
    const summer = Date.parse('2026-07-01T12:00:00Z');
    const out = anonymizeReport({ ...base, occurredAt: '2026-06-30T22:10:00Z' }, '75117', summer);
    expect(out).toMatchObject({ day: '2026-07-01', hourOfDay: 0, weekday: 3, isoWeek: '2026-W27' });
  });

  it('files a report dated within the clock skew in the current hour', () => {
    const out = anonymizeReport({ ...base, occurredAt: '2026-11-28T21:03:00Z' }, '75117', NOW);
    expect(out.hourBucket).toBe(NOW);
  });

  it.each([
    ['non-finite latitude', { lat: Number.NaN }, 'HAVRE_ERR_REPORT_BAD_POSITION'],
    ['infinite longitude', { lon: Number.POSITIVE_INFINITY }, 'HAVRE_ERR_REPORT_BAD_POSITION'],
    ['unknown category', { category: 'theft' }, 'HAVRE_ERR_REPORT_UNKNOWN_CATEGORY'],
    ['6 minutes ahead', { occurredAt: '2026-11-28T21:06:00Z' }, 'HAVRE_ERR_REPORT_IN_FUTURE'],
    ['31 days old', { occurredAt: '2026-10-28T20:00:00Z' }, 'HAVRE_ERR_REPORT_TOO_OLD'],
  ])('refuses %s', (_label, overrides, code) => {
    expect(() => anonymizeReport({ ...base, ...overrides }, '75117', NOW)).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('never repeats the submitted position in an error', () => {
    try {
      anonymizeReport({ ...base, lat: 123.456789 }, '75117', NOW);
      expect.unreachable();
    } catch (error) {
      expect(JSON.stringify(error) + String(error)).not.toContain('123.456789');
    }
  });
});
