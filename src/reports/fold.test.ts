import fc from 'fast-check';
import { cellToChildren, cellToParent, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { foldCells } from './fold.ts';

// Points in and around Paris 17e: neighbouring cells share parents, so folding happens.
const point = fc.record({
  lat: fc.double({ min: 48.87, max: 48.91, noNaN: true }),
  lon: fc.double({ min: 2.27, max: 2.34, noNaN: true }),
});
const cellCounts = fc.array(
  fc.tuple(
    point.map(({ lat, lon }) => latLngToCell(lat, lon, 9)),
    fc.integer({ min: 0, max: 12 }),
  ),
  { maxLength: 80 },
);
const kArb = fc.integer({ min: 3, max: 10 });

describe('foldCells (adaptive k)', () => {
  it('never shows a cell below k', () => {
    fc.assert(
      fc.property(cellCounts, kArb, (counts, k) => {
        for (const cell of foldCells(counts, { k }).cells) expect(cell.count).toBeGreaterThanOrEqual(k);
      }),
    );
  });

  it('conserves the total: shown + hidden = total = sum of the input', () => {
    fc.assert(
      fc.property(cellCounts, kArb, (counts, k) => {
        const result = foldCells(counts, { k });
        const input = counts.reduce((s, [, n]) => s + n, 0);
        const shown = result.cells.reduce((s, c) => s + c.count, 0);
        expect(result.total).toBe(input);
        expect(shown + result.hidden).toBe(result.total);
      }),
    );
  });

  it('conserves counts inside every resolution-7 area (nothing moves to another area)', () => {
    fc.assert(
      fc.property(cellCounts, kArb, (counts, k) => {
        const result = foldCells(counts, { k });
        const inArea = new Map<string, number>();
        for (const [cell, n] of counts) {
          const area = cellToParent(cell, 7);
          inArea.set(area, (inArea.get(area) ?? 0) + n);
        }
        const shownArea = new Map<string, number>();
        for (const c of result.cells) {
          const area = c.resolution === 7 ? c.cell : cellToParent(c.cell, 7);
          shownArea.set(area, (shownArea.get(area) ?? 0) + c.count);
        }
        for (const [area, shown] of shownArea) expect(shown).toBeLessThanOrEqual(inArea.get(area) ?? 0);
        const hidden = [...inArea].reduce((s, [area, n]) => s + n - (shownArea.get(area) ?? 0), 0);
        expect(hidden).toBe(result.hidden);
      }),
    );
  });

  it('shows a cell that reaches k at resolution 9 with its exact count, and each cell once', () => {
    fc.assert(
      fc.property(cellCounts, kArb, (counts, k) => {
        const result = foldCells(counts, { k });
        const summed = new Map<string, number>();
        for (const [cell, n] of counts) summed.set(cell, (summed.get(cell) ?? 0) + n);
        for (const [cell, n] of summed) {
          if (n >= k) expect(result.cells).toContainEqual({ cell, resolution: 9, count: n });
        }
        const ids = result.cells.map((c) => c.cell);
        expect(new Set(ids).size).toBe(ids.length);
        for (const c of result.cells) expect([7, 8, 9]).toContain(c.resolution);
      }),
    );
  });

  it('folds two small neighbours into their parent when together they reach k', () => {
    const parent = cellToParent(latLngToCell(48.8838, 2.3203, 9), 8);
    const [a, b] = cellToChildren(parent, 9);
    const result = foldCells(
      [
        [a, 3],
        [b, 2],
      ],
      { k: 5 },
    );
    expect(result).toEqual({ cells: [{ cell: parent, resolution: 8, count: 5 }], hidden: 0, total: 5 });
  });

  it('shows the remainder in the parent next to a child that reached k on its own', () => {
    const parent = cellToParent(latLngToCell(48.8838, 2.3203, 9), 8);
    const [a, b, c] = cellToChildren(parent, 9);
    const result = foldCells(
      [
        [a, 7],
        [b, 4],
        [c, 1],
      ],
      { k: 5 },
    );
    expect(result.cells).toEqual([
      { cell: a, resolution: 9, count: 7 },
      { cell: parent, resolution: 8, count: 5 },
    ]);
  });

  it('hides a lone report entirely: one report never shows alone', () => {
    const result = foldCells([[latLngToCell(48.8838, 2.3203, 9), 1]], { k: 3 });
    expect(result).toEqual({ cells: [], hidden: 1, total: 1 });
  });

  it('accepts finer cells and sums them into resolution 9', () => {
    const c10 = latLngToCell(48.8838, 2.3203, 10);
    const result = foldCells([[c10, 5]], { k: 5 });
    expect(result.cells).toEqual([{ cell: cellToParent(c10, 9), resolution: 9, count: 5 }]);
  });
});
