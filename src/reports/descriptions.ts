/**
 * Consented descriptions for a territory's staff: category, local day and the scrubbed
 * text — no cell, no hour. The window is widened to whole local days, so a narrow window
 * cannot reveal a description's hour either. Held reports are not listed.
 */
import type { Services } from '../server/services.ts';
import { type ReportCategory, territoryTimeZone } from '../shared/reports.ts';
import { HOUR_MS, localParts } from './local-time.ts';
import type { WeekWindow } from './window.ts';

export async function listDescriptions(
  services: Services,
  territoryCode: string,
  window: WeekWindow,
  options: { category?: string; limit: number; offset: number },
) {
  const zone = territoryTimeZone(territoryCode);
  const firstDay = localParts(window.from, zone).day;
  const lastDay = localParts(window.to - HOUR_MS, zone).day;
  let q = services.db.kysely
    .selectFrom('reports')
    .select(['category', 'day', 'description'])
    .where('territory_code', '=', territoryCode)
    .where('day', '>=', firstDay)
    .where('day', '<=', lastDay)
    .where('status', '=', 'accepted')
    .where('description', 'is not', null);
  if (options.category) q = q.where('category', '=', options.category as ReportCategory);
  // Random ids: within a day, the order says nothing about when or where.
  const rows = await q
    .orderBy('day', 'desc')
    .orderBy('id')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return rows.map((r) => ({ category: r.category, day: r.day, text: r.description ?? '' }));
}
