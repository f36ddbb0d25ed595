/** Periodic work of accounts, on the jobs scheduler (one runner under a database lease). */
import type { JobSpec } from '../jobs/scheduler.ts';
import { purgeExpiredSignups } from './signup.ts';

export function accountsJobs(): JobSpec[] {
  return [{ name: 'accounts.expired-signups', everyMs: 60 * 60_000, run: purgeExpiredSignups }];
}
