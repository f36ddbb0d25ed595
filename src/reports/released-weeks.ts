/**
 * The released weeks of a heatmap, kept in memory per Havre instance.
 *
 * Why: a 12-month heatmap sums 52 weekly folds (release.ts), and past weeks seldom change
 * (late reports, moderation, retention). Reading and folding all 52 weeks on every request
 * cost most of a heatmap (issue 7). Each week's fold is kept with the *stamp* of the week's
 * counts and made again only when the stamp has changed, so a heatmap reads the stamps of
 * its weeks (one short index read) and the cells of the weeks that changed — usually only
 * the current one.
 *
 * Why it is never stale: every change of a week's rows in `report_counts` also writes the
 * week's territory row ('*', ''), in the same transaction (`Deltas`, `isWeekStampRow`), and
 * writing that row changes the stamp, whoever commits it — this instance, its intake worker
 * thread, another instance, the `havre` CLI: on PostgreSQL the stamp is the row's `xmin` (the
 * transaction that wrote its current version), on SQLite a random value drawn by triggers
 * (migration 0013). Stamps are read before cells (for a single week on PostgreSQL, the live
 * feed's read, with them in one statement: one snapshot): a commit between the two reads leaves a
 * fold newer than its stamp, replaced at the next request since the stamp has moved on; an
 * older fold is never kept under a newer stamp. A week without a stamp is read every time.
 * An entry is trusted for MAX_AGE_MS at most, so even a transaction id that came round again
 * (PostgreSQL's 32-bit xmin) cannot make one last.
 *
 * Privacy: what is kept is what each week releases — counts of 0 or ≥ k per (cell,
 * resolution), the answer the one-week heatmap gives that week's staff — never a raw count.
 * A window's answer is still the sum of its weeks' released values (release.ts), unchanged.
 */
import type { Services } from '../server/services.ts';
import { ALL, readWeekCells, readWeekStampAndCells, readWeekStamps } from './aggregates.ts';
import { CellCache } from './fold.ts';
import { type ReleasedBlock, releaseBlock } from './release.ts';
import { type WeekWindow, weekStarts } from './window.ts';

/** Weeks kept at most, least recently used first out: 52 weeks × ~80 territory-category pairs. */
const MAX_ENTRIES = 4096;
/** How long a kept week is trusted without its stamp changing (real time, not the app clock). */
export const MAX_AGE_MS = 10 * 60_000;
/** H3 lookups kept at most (cells of the served territories; their parents). */
const MAX_H3_CELLS = 200_000;

interface Entry {
  stamp: string;
  k: number;
  block: ReleasedBlock;
  at: number;
}

class ReleasedWeeks {
  private readonly entries = new Map<string, Entry>();
  h3 = new CellCache();

  get(key: string, stamp: string, k: number, now: number): ReleasedBlock | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.stamp !== stamp || entry.k !== k || now - entry.at > MAX_AGE_MS) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key); // most recently used last
    this.entries.set(key, entry);
    return entry.block;
  }

  set(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    if (this.h3.size > MAX_H3_CELLS) this.h3 = new CellCache();
  }

  clear(): void {
    this.entries.clear();
  }
}

const instances = new WeakMap<Services, ReleasedWeeks>();

function of(services: Services): ReleasedWeeks {
  let weeks = instances.get(services);
  if (!weeks) {
    weeks = new ReleasedWeeks();
    instances.set(services, weeks);
  }
  return weeks;
}

/**
 * What each week of the window releases (all categories, or one), in no particular order:
 * kept folds of unchanged weeks, fresh folds of the others.
 */
export async function releasedWeeks(
  services: Services,
  territoryCode: string,
  window: WeekWindow,
  k: number,
  category?: string,
): Promise<ReleasedBlock[]> {
  const kept = of(services);
  const db = services.db.kysely;
  const weeks = weekStarts(window);
  // One week on PostgreSQL (the live feed): its stamp and cells in one round trip.
  const both =
    weeks.length === 1 && services.db.dialect === 'postgres'
      ? await readWeekStampAndCells(db, territoryCode, weeks[0], category)
      : null;
  const stamps = both?.stamps ?? (await readWeekStamps(db, services.db.dialect, territoryCode, weeks));
  const now = performance.now();
  const key = (week: number) => `${territoryCode}|${category ?? ALL}|${week}`;
  const blocks: ReleasedBlock[] = [];
  const changed: number[] = [];
  for (const week of weeks) {
    const stamp = stamps.get(week);
    const block = stamp === undefined ? undefined : kept.get(key(week), stamp, k, now);
    if (block) blocks.push(block);
    else changed.push(week);
  }
  if (changed.length === 0) return blocks;
  const cells = both?.cells ?? (await readWeekCells(db, territoryCode, changed, category));
  for (const week of changed) {
    const block = releaseBlock(cells.get(week) ?? [], { k, cells: kept.h3 });
    const stamp = stamps.get(week);
    if (stamp !== undefined) kept.set(key(week), { stamp, k, block, at: now });
    blocks.push(block);
  }
  return blocks;
}

/** Forgets every kept week of an instance (benchmarks: the cost of a first request). */
export function forgetReleasedWeeks(services: Services): void {
  of(services).clear();
}
