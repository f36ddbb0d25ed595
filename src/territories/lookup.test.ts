import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBundledTerritories } from './bundled.ts';
import { asBoundary, InvalidGeometry } from './geojson.ts';
import { TerritoryLookup, type TerritoryShape } from './lookup.ts';

const territories = loadBundledTerritories();
const lookup = new TerritoryLookup(territories);

describe('territory lookup on real boundaries', () => {
  it('loads the 20 arrondissements and the 12 partner communes', () => {
    expect(territories).toHaveLength(32);
    expect(lookup.size).toBe(32);
    expect(territories.find((t) => t.code === '75117')?.name).toBe('Paris 17e — Batignolles-Monceau');
    expect(territories.find((t) => t.code === '75101')?.name).toBe('Paris 1er — Louvre');
  });

  it('names Saint-Denis de La Réunion so that no one takes it for Saint-Denis 93, and no two alike', () => {
    expect(territories.find((t) => t.code === '97411')?.name).toBe('Saint-Denis (La Réunion)');
    const names = territories.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each([
    ['place de Clichy side of the 17e (Batignolles)', 48.8838, 2.3203, '75117'],
    ['Notre-Dame is in the 4e', 48.85297, 2.34998, '75104'],
    ['Tour Eiffel is in the 7e', 48.85837, 2.29448, '75107'],
    ['Sacré-Cœur is in the 18e', 48.88673, 2.34307, '75118'],
    ['Rouen, Gros-Horloge', 49.44039, 1.09023, '76540'],
    ['Vincennes town hall', 48.84734, 2.43844, '94080'],
    ['Saint-Denis de La Réunion, Barachois', -20.8769, 55.4481, '97411'],
    ['Aix-en-Provence, cours Mirabeau', 43.5263, 5.4474, '13001'],
    ['Lyon is no partner', 45.764, 4.8357, null],
    ['the open sea', 46.0, -10.0, null],
  ])('%s', (_name, lat, lon, expected) => {
    expect(lookup.find(lat, lon)).toBe(expected);
  });

  it('places points 5 m on either side of the 17e/8e border correctly', () => {
    // A vertex shared by the 17e and the 8e boundaries (boulevard de Courcelles side).
    const ring17 = (territories.find((t) => t.code === '75117')!.boundary.coordinates as number[][][])[0];
    const ring8 = (territories.find((t) => t.code === '75108')!.boundary.coordinates as number[][][])[0];
    const shared = ring17.filter(([x, y]) =>
      ring8.some(([u, v]) => Math.abs(u - x) < 1e-9 && Math.abs(v - y) < 1e-9),
    );
    expect(shared.length).toBeGreaterThan(3);
    const step = 5 / 111_000; // 5 m in degrees of latitude
    let checked = 0;
    for (const [lon, lat] of shared.slice(1, -1)) {
      // North of boulevard de Courcelles is the 17e, south is the 8e.
      const north = lookup.find(lat + step, lon);
      const south = lookup.find(lat - step, lon);
      if (north === '75117' && south === '75108') checked += 1;
    }
    expect(checked).toBeGreaterThan(shared.length / 2);
  });

  it('gives a sliver where two sources overlap to the territory the point lies deeper in', () => {
    // IGN's simplified Ivry-sur-Seine overlaps Paris 13e by a few metres along the périphérique.
    const ivry = territories.find((t) => t.code === '94041')!;
    const p13 = territories.find((t) => t.code === '75113')!;
    const both = new TerritoryLookup([ivry, p13]);
    const deepIn13 = [48.8283, 2.3622]; // place d'Italie area
    const deepInIvry = [48.8131, 2.3848]; // Ivry town centre
    expect(both.find(deepIn13[0], deepIn13[1])).toBe('75113');
    expect(both.find(deepInIvry[0], deepInIvry[1])).toBe('94041');
  });

  it('prefers the nested territory when one contains another (a commune and its arrondissement)', () => {
    const p17 = territories.find((t) => t.code === '75117')!;
    const paris: TerritoryShape = {
      code: '75056',
      boundary: {
        type: 'Polygon',
        coordinates: [
          [
            [2.2, 48.8],
            [2.5, 48.8],
            [2.5, 48.95],
            [2.2, 48.95],
            [2.2, 48.8],
          ],
        ],
      },
    };
    const nested = new TerritoryLookup([paris, p17]);
    expect(nested.find(48.8838, 2.3203)).toBe('75117');
    expect(nested.find(48.85, 2.35)).toBe('75056');
  });

  it('agrees with brute-force point-in-polygon on random points around Paris', () => {
    const sorted = [...territories].sort((a, b) => a.code.localeCompare(b.code));
    fc.assert(
      fc.property(
        fc.double({ min: 48.8, max: 48.93, noNaN: true }),
        fc.double({ min: 2.2, max: 2.47, noNaN: true }),
        (lat, lon) => {
          const matches = sorted
            .filter((t) => booleanPointInPolygon([lon, lat], t.boundary))
            .map((t) => t.code);
          const found = lookup.find(lat, lon);
          if (matches.length === 0) return found === null;
          if (matches.length === 1) return found === matches[0];
          return found !== null && matches.includes(found); // overlap of two sources: either side
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds the territory of points just inside every arrondissement boundary', () => {
    for (const t of territories.filter((x) => x.code.startsWith('751'))) {
      const ring = t.boundary.type === 'Polygon' ? t.boundary.coordinates[0] : t.boundary.coordinates[0][0];
      const cx = ring.reduce((s, p) => s + p[0], 0) / ring.length;
      const cy = ring.reduce((s, p) => s + p[1], 0) / ring.length;
      let agree = 0;
      let inside = 0;
      for (const [lon, lat] of ring.filter((_, i) => i % 7 === 0)) {
        const p: [number, number] = [lon + (cx - lon) * 0.002, lat + (cy - lat) * 0.002]; // ~2–5 m inward
        if (!booleanPointInPolygon(p, t.boundary)) continue; // concave corner: nudge went outside
        // Only points no other territory claims: slivers are covered by the test above.
        if (territories.some((o) => o.code !== t.code && booleanPointInPolygon(p, o.boundary))) continue;
        inside += 1;
        if (lookup.find(p[1], p[0]) === t.code) agree += 1;
      }
      expect(agree, t.code).toBe(inside);
    }
  });

  it('answers null for non-finite coordinates', () => {
    expect(lookup.find(Number.NaN, 2.3)).toBeNull();
    expect(lookup.find(48.8, Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe('boundary validation', () => {
  it.each([
    [{ type: 'Point', coordinates: [2, 48] }, 'expected a Polygon or MultiPolygon'],
    [{ type: 'Polygon', coordinates: [] }, 'non-empty'],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [0, 0],
          ],
        ],
      },
      'at least 4 positions',
    ],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      },
      'must be closed',
    ],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [200, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      'outside WGS84',
    ],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            ['a', 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      '[longitude, latitude]',
    ],
  ])('rejects %j', (geometry, message) => {
    expect(() => asBoundary(geometry)).toThrow(InvalidGeometry);
    expect(() => asBoundary(geometry)).toThrow(message);
  });
});
