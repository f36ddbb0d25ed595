import type { ReportCategory, ReportRole } from '../shared/reports.ts';

export type ReportStatus = 'accepted' | 'held';

export interface ReportsTables {
  /**
   * Anonymous reports: exactly what `anonymizeReport` outputs (see anonymize.ts). No account,
   * IP, device, exact point or exact time, by construction.
   */
  reports: {
    /** Random UUID: reveals nothing, not even the order of arrival. */
    id: string;
    territory_code: string;
    category: ReportCategory;
    role: ReportRole;
    cell10: string;
    cell9: string;
    cell8: string;
    cell7: string;
    /** Epoch ms, start of the hour it happened in. */
    hour_bucket: number;
    /** Local day (YYYY-MM-DD), ISO week, hour 0..23, ISO weekday 1..7 in the territory's zone. */
    day: string;
    iso_week: string;
    hour_of_day: number;
    weekday: number;
    /** Consented, scrubbed text. Never exported. */
    description: string | null;
    /** Held reports (burst) are counted in totals but in no aggregate until accepted. */
    status: ReportStatus;
    /** 1 for demo data (clearly labelled synthetic), 0 for real reports. */
    synthetic: number;
  };
  /**
   * Pre-aggregates of accepted reports, kept up to date in the transaction that writes them.
   * One row per (territory, level, category, bucket, cell) — the key order, so a window is one range: `level` 0..3 = buckets of 1 h,
   * 1 d, 8 d, 64 d (see window.ts); `category` '*' = all categories; `cell` a resolution-9
   * cell, or '' for the whole territory. Parents (8, 7) are derived from resolution 9.
   */
  report_counts: {
    territory_code: string;
    level: number;
    bucket: number;
    category: string;
    cell: string;
    n: number;
  };
  /**
   * SQLite only (empty on PostgreSQL): a random stamp per (territory, UTC week), replaced by
   * triggers whenever the week's territory row of `report_counts` ('*', '') is written or
   * deleted, whichever connection or process commits it (migration 0013). Heatmaps keep the
   * folds of weeks whose stamp has not changed (released-weeks.ts); PostgreSQL gives the
   * same for free with the row's `xmin`.
   */
  report_week_stamps: {
    territory_code: string;
    bucket: number;
    stamp: number;
  };
  /** Per-hour totals of a territory with their local calendar parts, for weekly and hour × weekday charts. */
  report_hour_counts: {
    territory_code: string;
    category: string;
    hour_bucket: number;
    iso_week: string;
    hour_of_day: number;
    weekday: number;
    n: number;
  };
  /** Daily report quota per account, keyed by HMAC(secret, account, day): not reversible, purged daily. */
  report_quota: {
    key: string;
    day: string;
    n: number;
  };
  /**
   * How many reports are stored for each H3 cell (resolution 9) and hour of occurrence, for
   * the hours a new report can still fall into (bursts.ts): the burst check reads one row
   * instead of counting the reports. Held reports count; rejected ones are subtracted.
   */
  report_bursts: {
    cell9: string;
    hour_bucket: number;
    n: number;
  };
  /**
   * Idempotency keys of recent reports: HMAC(secret, key sent by the device) → the report it
   * made, so that a retry after a lost answer does not store the report twice. Purged after
   * two days (`purgeIdempotencyKeys`); the device forgets its key once acknowledged.
   */
  report_idempotency: {
    key: string;
    report_id: string;
    day: string;
  };
  /** What a municipality did on an area (lighting, patrols, a partner venue…), shown on the citizen map. */
  city_actions: {
    id: string;
    territory_code: string;
    title: string;
    text: string;
    /** YYYY-MM-DD */
    date: string;
    area_kind: 'polygon' | 'cells';
    /** JSON: the GeoJSON Polygon, or the array of H3 cells, as submitted. */
    area: string;
    /** JSON: GeoJSON Polygon or MultiPolygon drawn on the map. */
    geometry: string;
    min_lon: number;
    min_lat: number;
    max_lon: number;
    max_lat: number;
    /** Staff member who published it (audit); set to null when that account is erased. */
    author_id: string | null;
    created_at: number;
    updated_at: number;
  };
}
