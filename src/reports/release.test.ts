/**
 * Release blocks (release.ts): the property that stops differencing. What can be proved, and
 * is checked here on random report sets:
 * 1. a window's answer is the sum, per (cell, resolution), of its one-block answers;
 * 2. a one-block answer only holds counts ≥ k;
 * hence 3. two windows with the same start (or the same end) differ, for every (cell,
 *    resolution), by 0 or by at least k: the difference is a sum of released values, each ≥ k.
 * (Two arbitrary windows differ by a sum of released values with signs, which can be small:
 * 6 − 5; but each of those values is itself a one-block answer, ≥ k. Nothing below k of any
 * block can be derived, which is what rule 3 promises.)
 */
import fc from 'fast-check';
import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { foldCells } from './fold.ts';
import { releaseBlock, releaseBlocks, releasePartition, sumReleased } from './release.ts';

// Points in and around Paris 17e: neighbouring cells share parents, so folding happens.
const cell = fc
  .record({
    lat: fc.double({ min: 48.87, max: 48.91, noNaN: true }),
    lon: fc.double({ min: 2.27, max: 2.34, noNaN: true }),
  })
  .map(({ lat, lon }) => latLngToCell(lat, lon, 9));
const block = fc.array(fc.tuple(cell, fc.integer({ min: 0, max: 9 })), { maxLength: 30 });
const blocks = fc.array(block, { minLength: 1, maxLength: 10 });
const kArb = fc.integer({ min: 3, max: 8 });

/** (cell, resolution) → shown count. */
const shown = (cells: { cell: string; resolution: number; count: number }[]) =>
  new Map(cells.map((c) => [`${c.cell}|${c.resolution}`, c.count]));

describe('releaseBlocks (one fold per block, then sums)', () => {
  it('answers a window with the sum of its one-block answers, each of them only ≥ k', () => {
    fc.assert(
      fc.property(blocks, kArb, (weeks, k) => {
        const window = releaseBlocks(weeks, { k });
        const sum = new Map<string, number>();
        let hidden = 0;
        for (const week of weeks) {
          const one = releaseBlocks([week], { k });
          expect(one).toEqual(foldCells(week, { k })); // a one-block window is that block's fold
          for (const c of one.cells) {
            expect(c.count).toBeGreaterThanOrEqual(k);
            const key = `${c.cell}|${c.resolution}`;
            sum.set(key, (sum.get(key) ?? 0) + c.count);
          }
          hidden += one.hidden;
        }
        expect(shown(window.cells)).toEqual(sum);
        expect(window.hidden).toBe(hidden);
        const total = weeks.flat().reduce((s, [, n]) => s + n, 0);
        expect(window.total).toBe(total);
        expect(window.cells.reduce((s, c) => s + c.count, 0) + window.hidden).toBe(total);
      }),
    );
  });

  it('sums released blocks without changing them, so kept blocks answer the same again', () => {
    fc.assert(
      fc.property(blocks, kArb, (weeks, k) => {
        const released = weeks.map((week) => releaseBlock(week, { k }));
        const copy = structuredClone(released);
        const once = sumReleased(released);
        expect(once).toEqual(releaseBlocks(weeks, { k }));
        expect(sumReleased(released)).toEqual(once);
        expect(released).toEqual(copy);
      }),
    );
  });

  it('never lets two windows with a common end point differ by 1..k−1 in any cell at any resolution', () => {
    fc.assert(
      fc.property(blocks, kArb, fc.nat(), fc.nat(), fc.boolean(), (weeks, k, a, b, sameStart) => {
        const [short, long] = [a % (weeks.length + 1), b % (weeks.length + 1)].sort((x, y) => x - y);
        // Windows [0, short) ⊂ [0, long) (same start), or [n − short, n) ⊂ [n − long, n) (same end).
        const pick = (n: number) => (sameStart ? weeks.slice(0, n) : weeks.slice(weeks.length - n));
        const small = shown(releaseBlocks(pick(short), { k }).cells);
        const large = shown(releaseBlocks(pick(long), { k }).cells);
        for (const key of new Set([...small.keys(), ...large.keys()])) {
          const diff = (large.get(key) ?? 0) - (small.get(key) ?? 0);
          expect(diff === 0 || diff >= k, `${key}: ${diff}`).toBe(true);
        }
      }),
    );
  });

  it('is the attack it stops: one fold over the union of two blocks shows a single report by difference', () => {
    const a = latLngToCell(48.8838, 2.3203, 9);
    const before = [[a, 5]] as [string, number][];
    const extra = [[a, 1]] as [string, number][];
    const k = 5;
    // Folding the window as one bucket (the former rule): 6 − 5 = 1 report located at res 9.
    expect(
      foldCells([...before, ...extra], { k }).cells[0].count - foldCells(before, { k }).cells[0].count,
    ).toBe(1);
    // Per block: the lone report's week releases nothing; both answers show 5.
    expect(releaseBlocks([before, extra], { k }).cells).toEqual(releaseBlocks([before], { k }).cells);
    expect(releaseBlocks([before, extra], { k }).hidden).toBe(1);
  });
});

describe('releasePartition (categories, weekdays, bands of one week)', () => {
  const K = 5;
  it('shows each part only from k, and never leaves a single part under k to be worked out from the total', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(12), { minLength: 2, maxLength: 9 }), (counts) => {
        const keys = counts.map((_, i) => i);
        const released = releasePartition(new Map(counts.map((n, i) => [i, n])), keys, K);
        const shown = keys.map((key) => released.get(key) ?? 0);
        // Each part: nothing, or its own count from k.
        for (const [i, n] of shown.entries()) expect(n === 0 || (n >= K && n === counts[i])).toBe(true);
        // What the total leaves once the shown parts are taken away is never one part's alone.
        const remainder = counts.reduce((a, b) => a + b, 0) - shown.reduce((a, b) => a + b, 0);
        const under = keys.filter((key) => shown[key] === 0);
        if (remainder > 0) expect(under.length).toBeGreaterThanOrEqual(2);
      }),
    );
  });

  it('withholds the smallest shown part when one part alone is under k', () => {
    // A week of Paris 17e: every category but "other" reaches k; total 42, "other" 2.
    const parts = new Map([
      ['verbal', 20],
      ['following', 8],
      ['insecurity', 12],
      ['other', 2],
    ]);
    const released = releasePartition(parts, [...parts.keys()], K);
    expect(Object.fromEntries(released)).toEqual({ verbal: 20, following: 0, insecurity: 12, other: 0 });
    // Parts under k that are empty hide nothing: nothing more is withheld.
    const quiet = releasePartition(new Map([['verbal', 20]]), ['verbal', 'other', 'following'], K);
    expect(Object.fromEntries(quiet)).toEqual({ verbal: 20, other: 0, following: 0 });
  });
});
