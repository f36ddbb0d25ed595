/**
 * Who may see and act on a territory's reports: its staff and admins (`canViewTerritory`).
 * Order of answers: 401 without a session, 404 for an unknown territory, 403 otherwise.
 */
import type { FastifyRequest } from 'fastify';
import { requireUser } from '../accounts/authenticate.ts';
import { type CurrentUser, canViewTerritory, isAdmin } from '../accounts/policies.ts';
import { fail } from '../server/errors.ts';
import type { Services } from '../server/services.ts';

/** Staff of the territory (or an admin) publish and edit its city actions. */
export const canPublishActions = canViewTerritory;

/** Only admins moderate held reports: a burst may span territories and hides a single report's cell. */
export const canModerateReports = isAdmin;

export async function territoryExists(services: Services, code: string): Promise<boolean> {
  const row = await services.db.kysely
    .selectFrom('territories')
    .select('code')
    .where('code', '=', code)
    .executeTakeFirst();
  return row !== undefined;
}

export async function requireTerritoryViewer(
  services: Services,
  request: FastifyRequest,
  code: string,
  policy: (user: CurrentUser | null, code: string) => boolean = canViewTerritory,
): Promise<CurrentUser> {
  const user = requireUser(request);
  if (!(await territoryExists(services, code))) fail('NOT_FOUND', 'Unknown territory');
  if (!policy(user, code)) fail('FORBIDDEN', 'Only the staff of this territory may see this');
  return user;
}

export function requireModerator(request: FastifyRequest): CurrentUser {
  const user = requireUser(request);
  if (!canModerateReports(user)) fail('FORBIDDEN', 'Moderation is for admins');
  return user;
}
