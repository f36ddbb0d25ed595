/** Periodic work of notifications, on the jobs scheduler (one runner under a database lease). */
import type { JobSpec } from '../jobs/scheduler.ts';
import { purgeSentMessages } from './outbox.ts';

export function notifyJobs(): JobSpec[] {
  return [{ name: 'notify.sent-retention', everyMs: 60 * 60_000, run: purgeSentMessages }];
}
