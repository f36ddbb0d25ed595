/**
 * Who may open what in the dashboard. The server decides on every call (403 otherwise);
 * these mirror `canViewTerritory` and `canModerateReports` so the screen says "restricted"
 * instead of failing, and never asks for a territory the account cannot see.
 */
import type { Me } from '../accounts/api.ts';
import { useSession } from '../accounts/session.tsx';

export const useMe = (): Me | null => useSession().me;

export const isAdminUser = (me: Me | null) => !!me?.roles.includes('admin');

export const canSeeTerritory = (me: Me | null, code: string) =>
  isAdminUser(me) || (!!me?.roles.includes('staff') && me.territories.includes(code));
