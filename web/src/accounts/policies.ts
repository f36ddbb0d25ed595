/**
 * Which entry points a user sees, by role. The server enforces access on every API call;
 * these only decide what the interface offers (home entries and page guards use the same ones).
 */
import type { Me } from './api.ts';

export type Space = 'dashboard' | 'partner' | 'admin';

const has = (me: Me | null, role: Me['roles'][number]) => !!me?.roles.includes(role);

export const SPACE_POLICIES: Record<Space, (me: Me | null) => boolean> = {
  dashboard: (me) => has(me, 'staff') || has(me, 'admin'),
  partner: (me) => has(me, 'partner'),
  admin: (me) => has(me, 'admin'),
};

export const canOpen = (space: Space, me: Me | null): boolean => SPACE_POLICIES[space](me);
