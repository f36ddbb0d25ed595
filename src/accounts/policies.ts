/**
 * Authorization as named policies. Routes ask these questions; they never inspect roles
 * themselves.
 */
import type { Role } from './tables.ts';

export interface CurrentUser {
  id: string;
  email: string;
  roles: Role[];
  /** INSEE codes of the territories a municipal staff member may see. */
  territories: string[];
  emailVerified: boolean;
}

export const isAdmin = (user: CurrentUser | null): boolean => !!user?.roles.includes('admin');

export const hasRole = (user: CurrentUser | null, role: Role): boolean => !!user?.roles.includes(role);

/** Staff of the territory, or an admin. Staff of another territory: no. */
export function canViewTerritory(user: CurrentUser | null, territoryCode: string): boolean {
  if (!user) return false;
  if (isAdmin(user)) return true;
  return user.roles.includes('staff') && user.territories.includes(territoryCode);
}

export const canManageTerritories = isAdmin;
