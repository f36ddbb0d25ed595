/** Who may do what with places. Routes ask these questions by name. */
import { type CurrentUser, canViewTerritory, isAdmin } from '../accounts/policies.ts';
import type { PlaceRow } from './store.ts';

/** The partner who applied for the venue. */
export const canManagePlace = (user: CurrentUser | null, place: Pick<PlaceRow, 'owner_user_id'>): boolean =>
  !!user && place.owner_user_id === user.id;

/** Staff of the venue's territory, or an admin (venues outside every territory: admins only). */
export function canReviewPlace(user: CurrentUser | null, place: Pick<PlaceRow, 'territory_code'>): boolean {
  if (isAdmin(user)) return true;
  return !!place.territory_code && canViewTerritory(user, place.territory_code);
}

export const canListTerritoryPlaces = canViewTerritory;
