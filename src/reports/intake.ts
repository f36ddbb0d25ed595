/**
 * `submitReport`: the one path from a citizen's report to the database. The exact point
 * is used once, to find the territory and the cells; the account is used once, to count
 * the daily quota under an HMAC; neither reaches the stored report.
 */
import type { CurrentUser } from '../accounts/policies.ts';
import { fail } from '../server/errors.ts';
import type { Services } from '../server/services.ts';
import { territoryAt } from '../territories/registry.ts';
import { anonymizeReport, type ReportInput, validateReportInput } from './anonymize.ts';
import { idempotencyKey } from './idempotency.ts';
import { quotaTicket } from './quota.ts';
import { reportWriter } from './writer.ts';

export async function submitReport(
  services: Services,
  user: CurrentUser,
  input: ReportInput,
  /** The `Idempotency-Key` header (idempotency.ts): a retry with it stores nothing new. */
  idempotencyHeader?: string | string[],
): Promise<{ id: string }> {
  const idempotency = idempotencyKey(services.config.secret, idempotencyHeader);
  const now = services.clock.now();
  validateReportInput(input, now);
  const territory = await territoryAt(services, input.lat, input.lon);
  if (!territory) return fail('OUT_OF_TERRITORY');
  const report = anonymizeReport(input, territory, now);
  const outcome = await reportWriter(services).submit(
    report,
    quotaTicket(services.config.secret, user.id, now),
    idempotency,
  );
  if ('quotaExceeded' in outcome) return fail('REPORT_QUOTA_EXCEEDED');
  return { id: outcome.id };
}
