/**
 * Adaptive k folding (privacy rule 3): each cell is shown at the finest resolution where
 * its count reaches k; below k its count is folded into its parent cell; what is still
 * below k at the coarsest resolution is hidden and shows only in the total. A parent shows
 * the remainder its small children left, not the sum of its shown children. Pure.
 */
import { cellToParent, getResolution } from 'h3-js';

export interface ShownCell {
  cell: string;
  resolution: number;
  count: number;
}

export interface FoldResult {
  cells: ShownCell[];
  /** Counted in `total` but not shown in any cell. */
  hidden: number;
  total: number;
}

export interface FoldOptions {
  k: number; // minimum count of a shown cell
  finest?: number; // finest resolution shown (input cells finer than this are summed into it)
  coarsest?: number; // coarsest resolution shown; below k there, counts are hidden
  cells?: CellCache; // H3 lookups already made: share one between the folds of one answer
}

/**
 * Memo of the H3 lookups of a fold. A window's heatmap folds every week of it (release.ts):
 * the same few hundred cells come back 52 times, and h3-js parses the id on every call.
 */
export class CellCache {
  private readonly resolutions = new Map<string, number>();
  /** Per target resolution: cell → parent. */
  private readonly parents = new Map<number, Map<string, string>>();

  /** Cells looked up so far (a bound for long-lived caches). */
  get size(): number {
    return this.resolutions.size;
  }

  resolution(cell: string): number {
    let r = this.resolutions.get(cell);
    if (r === undefined) {
      r = getResolution(cell);
      this.resolutions.set(cell, r);
    }
    return r;
  }

  parent(cell: string, resolution: number): string {
    let at = this.parents.get(resolution);
    if (!at) {
      at = new Map();
      this.parents.set(resolution, at);
    }
    let p = at.get(cell);
    if (p === undefined) {
      p = cellToParent(cell, resolution);
      at.set(cell, p);
    }
    return p;
  }
}

/** Order of shown cells: finest resolution first, then by id (stable answers, stable diffs). */
export const finestFirst = (a: ShownCell, b: ShownCell): number =>
  b.resolution - a.resolution || (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0);

export function foldCells(counts: Iterable<readonly [string, number]>, options: FoldOptions): FoldResult {
  const cells: ShownCell[] = [];
  const { hidden, total } = foldInto(counts, options, (cell, resolution, count) => {
    cells.push({ cell, resolution, count });
  });
  cells.sort(finestFirst);
  return { cells, hidden, total };
}

/**
 * The fold itself: calls `show` for every shown cell, in no particular order, and returns the
 * hidden part and the total. `releaseBlocks` sums many folds without sorting each.
 */
export function foldInto(
  counts: Iterable<readonly [string, number]>,
  options: FoldOptions,
  show: (cell: string, resolution: number, count: number) => void,
): { hidden: number; total: number } {
  const { k, finest = 9, coarsest = 7, cells: h3 = new CellCache() } = options;
  if (!(k >= 1)) throw new RangeError(`k must be at least 1, got ${k}`);
  let level = new Map<string, number>();
  let total = 0;
  for (const [cell, n] of counts) {
    if (n <= 0) continue;
    const resolution = h3.resolution(cell);
    if (resolution < finest) throw new RangeError(`cell ${cell} is coarser than resolution ${finest}`);
    const key = resolution === finest ? cell : h3.parent(cell, finest);
    level.set(key, (level.get(key) ?? 0) + n);
    total += n;
  }
  let hidden = 0;
  for (let resolution = finest; resolution >= coarsest && level.size > 0; resolution--) {
    const next = new Map<string, number>();
    for (const [cell, n] of level) {
      if (n >= k) show(cell, resolution, n);
      else if (resolution > coarsest) {
        const parent = h3.parent(cell, resolution - 1);
        next.set(parent, (next.get(parent) ?? 0) + n);
      } else hidden += n;
    }
    level = next;
  }
  return { hidden, total };
}
