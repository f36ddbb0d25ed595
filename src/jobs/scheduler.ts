/**
 * Periodic jobs (retention, reminders, timers) that run on exactly one instance at a time,
 * under a database lease. A job that throws is logged and retried at the next tick.
 */
import { randomUUID } from 'node:crypto';
import type { Services } from '../server/services.ts';
import { acquireLease, releaseLease } from './lease.ts';

export interface JobSpec {
  /** Unique name, also the lease name. */
  name: string;
  /** Time between two runs. */
  everyMs: number;
  /** The work; receives the fence token of the lease it runs under. */
  run(services: Services, fence: number): Promise<unknown>;
}

export interface Scheduler {
  /** Runs every job once now (if this instance can take its lease). For tests and the CLI. */
  runAll(): Promise<void>;
  /** The jobs whose lease this instance took at its last attempt (for /metrics). */
  held(): string[];
  stop(): Promise<void>;
}

/** An instance id for lease ownership: unique per process start. */
const INSTANCE = randomUUID();

/**
 * A job's lease lasts two periods, and at least this long; it is renewed once less than two
 * periods are left. A 5 s job so writes its lease every 10 s instead of at every run (a main
 * thread commit on SQLite: see lease.ts), and another instance takes over within 20 s of a
 * crash, plus one period (two periods for jobs slower than 10 s).
 */
export const LEASE_MIN_MS = 20_000;

/** Lease terms of a job: how long a renewal lasts, and how much must be left to skip it. */
export function leaseTerms(everyMs: number): { ttlMs: number; renewBelowMs: number } {
  return { ttlMs: Math.max(everyMs * 2, LEASE_MIN_MS), renewBelowMs: everyMs * 2 };
}

/**
 * Each job also runs once soon after start, not only at the end of its first period: an hourly
 * job (report retention, sign-up and sent-mail purges, training reminders) first ran an hour
 * after start, so an instance restarted more often than that (deployments, crashes, a host's
 * nightly reboot) never ran it. The first run comes after `delayMs` plus a random part of
 * `jitterMs`, so that instances started together (a rolling restart) do not all ask for every
 * lease in the same instant; the lease still lets one of them run it. Jobs whose period is
 * shorter than that first delay simply keep their period.
 */
export const FIRST_RUN = { delayMs: 5_000, jitterMs: 10_000 };

export function startScheduler(
  services: Services,
  jobs: JobSpec[],
  holder: string = INSTANCE,
  random: () => number = Math.random,
): Scheduler {
  const timers: NodeJS.Timeout[] = [];
  const firstRuns: NodeJS.Timeout[] = [];
  const running = new Set<Promise<void>>();
  let stopped = false;
  const held = new Set<string>();

  async function runJob(job: JobSpec) {
    if (stopped) return;
    const { db, clock, log } = services;
    held.delete(job.name); // until the lease is taken again
    try {
      // The lease outlives one period, so a slow run is not taken over mid-way.
      const { ttlMs, renewBelowMs } = leaseTerms(job.everyMs);
      const fence = await acquireLease(
        db.kysely,
        `job:${job.name}`,
        holder,
        ttlMs,
        clock.now(),
        renewBelowMs,
      );
      if (fence === null) return;
      held.add(job.name);
      await job.run(services, fence);
    } catch (error) {
      log.error({ err: error, job: job.name }, 'job failed; will retry at next tick');
    }
  }

  const track = (job: JobSpec) => {
    const p = runJob(job).finally(() => running.delete(p));
    running.add(p);
    return p;
  };

  for (const job of jobs) {
    const firstMs = FIRST_RUN.delayMs + Math.floor(random() * FIRST_RUN.jitterMs);
    if (firstMs < job.everyMs) {
      const first = setTimeout(() => void track(job), firstMs);
      first.unref();
      firstRuns.push(first);
    }
    const timer = setInterval(() => void track(job), job.everyMs);
    timer.unref();
    timers.push(timer);
  }

  return {
    async runAll() {
      await Promise.all(jobs.map(track));
    },
    held: () => [...held],
    async stop() {
      stopped = true;
      held.clear();
      for (const timer of firstRuns) clearTimeout(timer);
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running);
      await Promise.all(
        jobs.map((job) => releaseLease(services.db.kysely, `job:${job.name}`, holder).catch(() => {})),
      );
    },
  };
}
