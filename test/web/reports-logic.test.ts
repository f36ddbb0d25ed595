/**
 * Pure logic of the report screens and the dashboard: the "when" of a report, the dashboard's
 * filters in the address and their API window, the colour classes, and the city-action area
 * (drawn on the map or typed as GeoJSON). The API accepts what these produce: the window and
 * area shapes are checked against the server's own functions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveArea } from '../../src/reports/actions.ts';
import { resolveWindow } from '../../src/reports/window.ts';
import { REPORT_WINDOWS } from '../../src/shared/reports.ts';
import {
  type AreaDraft,
  areaText,
  fromAction,
  isComplete,
  parseAreaText,
  toApiArea,
} from '../../web/src/dashboard/action-area.ts';
import { endsNow, readFilters, toQuery, validRange, writeFilters } from '../../web/src/dashboard/filters.ts';
import { classBreaks, colourOf, PALETTE, stepExpression } from '../../web/src/dashboard/scale.ts';
import type { ActionFeature } from '../../web/src/reports/api.ts';
import { resolveWhen, toLocalInput } from '../../web/src/reports/when.ts';

const NOW = Date.parse('2026-11-28T21:40:00Z');
const HOUR = 3_600_000;

describe('when a report happened', () => {
  it('sends "just now" as the current instant', () => {
    expect(resolveWhen({ mode: 'now', local: '' }, NOW)).toEqual({ at: new Date(NOW).toISOString() });
  });

  it('accepts an earlier local time within 30 days and refuses the future, the too old and the empty', () => {
    const earlier = toLocalInput(NOW - 3 * HOUR);
    expect(resolveWhen({ mode: 'earlier', local: earlier }, NOW)).toEqual({
      at: new Date(new Date(earlier).getTime()).toISOString(),
    });
    expect(resolveWhen({ mode: 'earlier', local: toLocalInput(NOW + HOUR) }, NOW)).toEqual({
      error: 'future',
    });
    expect(resolveWhen({ mode: 'earlier', local: toLocalInput(NOW - 31 * 24 * HOUR) }, NOW)).toEqual({
      error: 'tooOld',
    });
    expect(resolveWhen({ mode: 'earlier', local: '' }, NOW)).toEqual({ error: 'missing' });
  });
});

describe('dashboard filters', () => {
  it('reads the default (4 weeks, every category) from an empty address and writes it back empty', () => {
    const filters = readFilters(new URLSearchParams());
    expect(filters).toEqual({ period: '4w', from: '', to: '', category: '' });
    expect(writeFilters(filters).toString()).toBe('');
  });

  it('round-trips presets, categories and custom days through the address; ignores unknown values', () => {
    for (const query of [
      'periode=week',
      'periode=52w&categorie=following',
      'periode=dates&du=2026-01-01&au=2026-01-31',
    ]) {
      expect(writeFilters(readFilters(new URLSearchParams(query))).toString()).toBe(query);
    }
    expect(readFilters(new URLSearchParams('periode=30d&categorie=nope'))).toEqual({
      period: '4w',
      from: '',
      to: '',
      category: '',
    });
    expect(readFilters(new URLSearchParams('periode=dates&du=2026-01-01')).period).toBe('4w');
  });

  it('gives the server a window it accepts: presets are N whole weeks ending with the current one, custom days widen to weeks', () => {
    const WEEK = 7 * 24 * HOUR;
    for (const preset of REPORT_WINDOWS.presets) {
      const query = toQuery({ period: preset.id, from: '', to: '', category: '' }, NOW);
      const window = resolveWindow(query, NOW, REPORT_WINDOWS);
      expect(new Date(window.to).toISOString()).toBe('2026-11-30T00:00:00.000Z'); // the Monday after NOW
      expect((window.to - window.from) / WEEK).toBe(preset.weeks);
    }
    const custom = {
      period: 'custom' as const,
      from: '2026-03-01',
      to: '2026-03-31',
      category: 'insecurity',
    };
    const query = toQuery(custom, NOW);
    expect(query.category).toBe('insecurity');
    const window = resolveWindow(query, NOW, REPORT_WINDOWS);
    // 2026-03-01 is a Sunday, 2026-03-31 a Tuesday: Monday 23 February to Monday 6 April UTC.
    expect(new Date(window.from).toISOString()).toBe('2026-02-23T00:00:00.000Z');
    expect(new Date(window.to).toISOString()).toBe('2026-04-06T00:00:00.000Z');
    expect(endsNow(custom)).toBe(false);
    expect(validRange('2026-03-02', '2026-03-01')).toBe(false);
  });

  it('reads chosen days as UTC days, whatever the phone’s zone: one week chosen is one week', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Europe/Paris'; // local midnight is 23:00 UTC the day before
    try {
      const week = { period: 'custom' as const, from: '2026-11-23', to: '2026-11-29', category: '' };
      const window = resolveWindow(toQuery(week, NOW), NOW, REPORT_WINDOWS);
      expect(new Date(window.from).toISOString()).toBe('2026-11-23T00:00:00.000Z');
      expect(new Date(window.to).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe('colour classes', () => {
  it('starts at k, rises strictly, and colours every count from k up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 20 }), fc.integer({ min: 0, max: 100_000 }), (k, extra) => {
        const breaks = classBreaks(k, k + extra);
        expect(breaks[0]).toBe(k);
        expect(breaks.length).toBeLessThanOrEqual(PALETTE.length);
        for (let i = 1; i < breaks.length; i++) expect(breaks[i]).toBeGreaterThan(breaks[i - 1]);
        expect(PALETTE).toContain(colourOf(k + extra, breaks));
        const expression = stepExpression(breaks);
        if (breaks.length === 1) expect(PALETTE).toContain(expression);
        else expect(expression).toHaveLength(3 + 2 * (breaks.length - 1));
      }),
    );
  });

  it('gives the largest count the darkest colour', () => {
    const breaks = classBreaks(5, 500);
    expect(colourOf(500, breaks)).toBe(PALETTE[PALETTE.length - 1]);
    expect(colourOf(5, breaks)).toBe(PALETTE[0]);
  });
});

describe('city action area', () => {
  const square: AreaDraft = {
    mode: 'polygon',
    vertices: [
      [2.31, 48.885],
      [2.312, 48.885],
      [2.312, 48.887],
      [2.31, 48.887],
    ],
  };
  const boundary = {
    type: 'Polygon' as const,
    coordinates: [
      [
        [2.29, 48.875],
        [2.33, 48.875],
        [2.33, 48.9],
        [2.29, 48.9],
        [2.29, 48.875],
      ],
    ],
  };

  it('closes the drawn ring, and the server accepts it inside the territory', () => {
    expect(
      isComplete({ mode: 'polygon', vertices: square.mode === 'polygon' ? square.vertices.slice(0, 2) : [] }),
    ).toBe(false);
    const area = toApiArea(square);
    expect(Array.isArray(area)).toBe(false);
    const ring = (area as { coordinates: number[][][] }).coordinates[0];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(resolveArea(area, boundary as Parameters<typeof resolveArea>[1]).kind).toBe('polygon');
  });

  it('reads back what it writes as text (polygon and cells), and refuses what is not an area', () => {
    expect(parseAreaText(areaText(square))).toEqual(square);
    const cells: AreaDraft = { mode: 'cells', cells: ['891fb475b87ffff'] };
    expect(parseAreaText(areaText(cells))).toEqual(cells);
    for (const bad of [
      '',
      'bonjour',
      '{"type":"Point","coordinates":[2,48]}',
      '["zz"]',
      '{"type":"Polygon","coordinates":[[[1,2]]]}',
    ]) {
      expect(parseAreaText(bad)).toBeNull();
    }
  });

  it('opens a published polygon action in the editor without its closing point', () => {
    const action = {
      type: 'Feature',
      id: 'a',
      geometry: toApiArea(square),
      properties: { areaKind: 'polygon', cells: null },
    } as unknown as ActionFeature;
    expect(fromAction(action)).toEqual(square);
  });
});
