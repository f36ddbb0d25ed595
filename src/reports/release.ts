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

/** Folds each block under k on its own, then sums the shown counts per (cell, resolution). */
export function releaseBlocks(
  blocks: Iterable<Iterable<readonly [string, number]>>,
  options: FoldOptions,
): FoldResult {
  const fold = { ...options, cells: options.cells ?? new CellCache() };
  const shown = new Map<string, ShownCell>(); // an H3 id names one resolution: the id is the key
  const add = (cell: string, resolution: number, count: number) => {
    const sum = shown.get(cell);
    if (sum) sum.count += count;
    else shown.set(cell, { cell, resolution, count });
  };
  let hidden = 0;
  let total = 0;
  for (const block of blocks) {
    const folded = foldInto(block, fold, add);
    hidden += folded.hidden;
    total += folded.total;
  }
  return { cells: [...shown.values()].sort(finestFirst), hidden, total };
}

/** A band's count in one block as released: itself when it reaches k, else nothing. */
export const releasedCount = (n: number, k: number): number => (n >= k ? n : 0);
