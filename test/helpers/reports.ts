/**
 * Factories for reports tests: real territories (bundled boundaries), report bodies, and an
 * independent recomputation of the aggregates from the reports table to check they agree.
 */

import { loadBundledTerritories } from '../../src/territories/bundled.ts';
import { territoriesChanged } from '../../src/territories/registry.ts';
import { upsertTerritory } from '../../src/territories/store.ts';
import type { TestApp } from './app.ts';

const BUNDLED = loadBundledTerritories();

/** Paris 17e, Rouen and Saint-Denis de La Réunion by default. */
export async function addTerritories(t: TestApp, codes = ['75117', '76540', '97411']): Promise<void> {
  for (const code of codes) {
    const territory = BUNDLED.find((x) => x.code === code);
    if (!territory) throw new Error(`no bundled territory ${code}`);
    await upsertTerritory(t.services.db.kysely, territory, t.clock.now());
  }
  await territoriesChanged(t.services);
}

export const PLACES = {
  batignolles: { lat: 48.8838, lon: 2.3203 }, // Paris 17e
  ternes: { lat: 48.879, lon: 2.296 }, // Paris 17e, ~2 km away
  gros_horloge: { lat: 49.44039, lon: 1.09023 }, // Rouen
  barachois: { lat: -20.8769, lon: 55.4481 }, // Saint-Denis de La Réunion
  lyon: { lat: 45.764, lon: 4.8357 }, // outside every territory
} as const;

/** A small triangle in the Batignolles (Paris 17e), e.g. the area of a city action. */
export const POLYGON = {
  type: 'Polygon',
  coordinates: [
    [
      [2.3195, 48.8835],
      [2.3205, 48.8835],
      [2.3205, 48.8845],
      [2.3195, 48.8835],
    ],
  ],
};

export function reportBody(t: TestApp, overrides: Record<string, unknown> = {}) {
  return {
    category: 'following',
    role: 'victim',
    ...PLACES.batignolles,
    occurredAt: new Date(t.clock.now() - 10 * 60_000).toISOString(),
    ...overrides,
  };
}

export function postReport(t: TestApp, auth: Record<string, string>, body: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/reports', headers: auth, payload: body });
}

/** What report_counts and report_hour_counts must hold, recomputed from accepted reports. */
export async function expectedAggregates(t: TestApp) {
  const rows = await t.services.db.kysely
    .selectFrom('reports')
    .select(['territory_code', 'category', 'cell9', 'hour_bucket'])
    .where('status', '=', 'accepted')
    .execute();
  const counts = new Map<string, number>();
  const hours = new Map<string, number>();
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const r of rows) {
    for (const category of [r.category, '*']) {
      // One level: the UTC week (4), written independently of aggregates.ts on purpose.
      const monday = Date.UTC(1970, 0, 5);
      const week = 7 * 86_400_000;
      const bucket = Math.floor((Number(r.hour_bucket) - monday) / week) * week + monday;
      for (const cell of [r.cell9, '']) add(counts, `${r.territory_code}|4|${category}|${bucket}|${cell}`);
      add(hours, `${r.territory_code}|${category}|${Number(r.hour_bucket)}`);
    }
  }
  return { counts, hours };
}

export async function actualAggregates(t: TestApp) {
  const k = t.services.db.kysely;
  const counts = new Map<string, number>();
  for (const r of await k.selectFrom('report_counts').selectAll().execute()) {
    if (Number(r.n) !== 0) {
      counts.set(`${r.territory_code}|${r.level}|${r.category}|${Number(r.bucket)}|${r.cell}`, Number(r.n));
    }
  }
  const hours = new Map<string, number>();
  for (const r of await k.selectFrom('report_hour_counts').selectAll().execute()) {
    if (Number(r.n) !== 0)
      hours.set(`${r.territory_code}|${r.category}|${Number(r.hour_bucket)}`, Number(r.n));
  }
  return { counts, hours };
}

/** Every table of the current database (schema) with all its rows, for privacy scans. */
export async function dumpDatabase(t: TestApp): Promise<Record<string, unknown[]>> {
  const db = t.services.db;
  const out: Record<string, unknown[]> = {};
  if (db.dialect === 'sqlite' && db.sqlite) {
    const tables = db.sqlite
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .all() as { name: string }[];
    for (const { name } of tables) out[name] = db.sqlite.prepare(`select * from "${name}"`).all();
  } else if (db.pool) {
    const tables = await db.pool.query(
      "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
    );
    for (const { table_name } of tables.rows) {
      out[table_name] = (await db.pool.query(`select * from "${table_name}"`)).rows;
    }
  }
  return out;
}
