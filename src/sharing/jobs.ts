/**
 * The periodic work of live sharing, on the jobs scheduler (one runner per job under a
 * database lease). The check-in claims are atomic by themselves, so even two runners that
 * overlap (a lease taken over mid-run) cannot alert twice.
 */
import { type JobSpec, type Scheduler, startScheduler } from '../jobs/scheduler.ts';
import type { Services } from '../server/services.ts';
import { endExpiredSessions, purgeEndedTrails } from './lifecycle.ts';
import { fireDueTimers } from './timers.ts';

export function sharingJobs(options: { timersEveryMs?: number } = {}): JobSpec[] {
  return [
    { name: 'sharing.checkin-timers', everyMs: options.timersEveryMs ?? 5_000, run: fireDueTimers },
    { name: 'sharing.session-limits', everyMs: 30_000, run: endExpiredSessions },
    { name: 'sharing.trail-retention', everyMs: 10 * 60_000, run: purgeEndedTrails },
  ];
}

export function startSharingJobs(services: Services, options: { timersEveryMs?: number } = {}): Scheduler {
  return startScheduler(services, sharingJobs(options));
}
