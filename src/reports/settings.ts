/**
 * Server-side settings of the reports capability (abuse control, group commit, live feed).
 * Constants with a comment each; tests and benchmarks may override them per Services.
 */
import type { Services } from '../server/services.ts';

export interface ReportSettings {
  dailyQuota: number; // reports one account may send per UTC day
  burstThreshold: number; // more reports than this in one resolution-9 cell and hour are held
  maxBatch: number; // group commit: at most this many reports in one transaction
  postgresInFlight: number; // group commit on PostgreSQL: batches committing at once (see writer.ts)
  liveKeepAliveMs: number; // SSE comment line interval, so proxies keep the stream open
  liveSlideMs: number; // the live week is recomputed this often even without reports (new week, revoked viewers)
  retentionIntervalMs: number; // how often the retention job runs
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  dailyQuota: 20,
  burstThreshold: 10,
  maxBatch: 500,
  // Measured (bench/README.md): concurrent batches all upsert the same hot aggregate rows and
  // serialise on their locks; 4 in flight cost twice the CPU per report for no more reports/s.
  postgresInFlight: 1,
  liveKeepAliveMs: 15_000,
  liveSlideMs: 60_000,
  retentionIntervalMs: 3_600_000,
};

const overrides = new WeakMap<Services, Partial<ReportSettings>>();

export function reportSettings(services: Services): ReportSettings {
  return { ...DEFAULT_REPORT_SETTINGS, ...overrides.get(services) };
}

/** Tests and benchmarks: change settings of one Havre instance. */
export function configureReports(services: Services, settings: Partial<ReportSettings>): void {
  overrides.set(services, { ...overrides.get(services), ...settings });
}

/** k of every aggregate shown to a municipality or a citizen: configured, never below 3. */
export const kOf = (services: Services): number => Math.max(3, services.config.kAnonymity);
