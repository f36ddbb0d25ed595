/**
 * Release blocks: privacy rule 3 made safe against differencing (docs/ARCHITECTURE.md,
 * "release blocks"; docs/SECURITY.md, malicious municipal employee). Pure.
 *
 * The threat: if any window could be asked for, the heatmap of [T−30 d, T+1 h) minus that of
 * [T−30 d, T) would give the cells and counts of the single hour [T, T+1 h) — a count of 1
 * as easily as 5, exactly what k forbids.
 *
 * The rule: counts are *released* per block (the UTC week for the dashboard, window.ts; the
 * hour for "near me now", nearby.ts). Each block's cell counts are folded under k on their
 * own (`foldCells`), so every value a block releases for a (cell, resolution) is 0 or ≥ k.
 * A window is a set of whole blocks, and its answer is, per (cell, resolution), the sum of
 * the values its blocks released; `hidden` is the rest of the total.
 *
 * Why it holds: every answer is a function of the released per-block values only (and of
 * the territory totals, which rule 3 allows). Whatever windows are combined — subtracted,
 * intersected, compared — the result is a combination of released values, each of them 0 or
 * ≥ k and each already visible as the one-block window of its block. No count below k of
 * any block at any resolution can be derived. Property-tested in release.test.ts: a window's
 * answer equals the sum of its one-block answers, and one-block answers only hold counts ≥ k.
 */
import {
  CellCache,
  type FoldOptions,
  type FoldResult,
  finestFirst,
  foldInto,
  type ShownCell,
} from './fold.ts';

/**
 * What one block releases: its fold under k, shown cells in no particular order. Values only
 * (0 or ≥ k per (cell, resolution)), so it may be kept and summed into any window later
 * (released-weeks.ts keeps those of past weeks). Never mutated once made.
 */
export interface ReleasedBlock {
  readonly cells: readonly ShownCell[];
  readonly hidden: number;
  readonly total: number;
}

/** Folds one block under k on its own. */
export function releaseBlock(
  block: Iterable<readonly [string, number]>,
  options: FoldOptions,
): ReleasedBlock {
  const cells: ShownCell[] = [];
  const { hidden, total } = foldInto(block, options, (cell, resolution, count) => {
    cells.push({ cell, resolution, count });
  });
  return { cells, hidden, total };
}

/** A window's answer: per (cell, resolution), the sum of what its blocks released. */
export function sumReleased(blocks: Iterable<ReleasedBlock>): FoldResult {
  const shown = new Map<string, ShownCell>(); // an H3 id names one resolution: the id is the key
  let hidden = 0;
  let total = 0;
  for (const block of blocks) {
    for (const c of block.cells) {
      const sum = shown.get(c.cell);
      if (sum) sum.count += c.count;
      else shown.set(c.cell, { cell: c.cell, resolution: c.resolution, count: c.count }); // a copy: blocks stay as released
    }
    hidden += block.hidden;
    total += block.total;
  }
  return { cells: [...shown.values()].sort(finestFirst), hidden, total };
}

/** Folds each block under k on its own, then sums the shown counts per (cell, resolution). */
export function releaseBlocks(
  blocks: Iterable<Iterable<readonly [string, number]>>,
  options: FoldOptions,
): FoldResult {
  const fold = { ...options, cells: options.cells ?? new CellCache() };
  const released: ReleasedBlock[] = [];
  for (const block of blocks) released.push(releaseBlock(block, fold));
  return sumReleased(released);
}

/** A band's count in one block as released: itself when it reaches k, else nothing. */
export const releasedCount = (n: number, k: number): number => (n >= k ? n : 0);

/**
 * What one block releases of a *partition* of its total (categories, weekdays, bands of the
 * day): each part 0 or ≥ k, as for cells. One more rule, because the block's total is known
 * (rule 3 allows territory totals, and windows differ by whole weeks): when exactly one part
 * is under k and not empty, the total minus the shown parts would give it exactly — so the
 * smallest shown part is withheld too, and what is missing is spread over at least two parts
 * (empty parts read "fewer than k" like any other, so they hide nothing themselves).
 */
export function releasePartition<Key>(parts: ReadonlyMap<Key, number>, keys: readonly Key[], k: number) {
  const released = new Map<Key, number>(keys.map((key) => [key, releasedCount(parts.get(key) ?? 0, k)]));
  const under = keys.filter((key) => released.get(key) === 0);
  if (under.length === 1 && (parts.get(under[0]) ?? 0) > 0) {
    let smallest: Key | undefined;
    for (const key of keys) {
      const n = released.get(key) ?? 0;
      if (n > 0 && (smallest === undefined || n < (released.get(smallest) ?? 0))) smallest = key;
    }
    if (smallest !== undefined) released.set(smallest, 0);
  }
  return released;
}
