import type { Accessibility, PartnerStatus, PlaceKind, PlaceSource } from './kinds.ts';

export interface PlacesTables {
  places: {
    id: string;
    name: string;
    kind: PlaceKind;
    lat: number;
    lon: number;
    address: string | null;
    phone: string | null;
    /** OSM `opening_hours` syntax; null = unknown. */
    opening_hours: string | null;
    /** IANA zone the hours are read in, derived from the position (zoneAt). */
    time_zone: string;
    /** Public-holiday calendar (metropole, alsace-moselle, reunion…). */
    holiday_region: string;
    accessibility: Accessibility | null;
    source: PlaceSource;
    /** Unique with `source`: the id in the imported dataset, or the place id for partners. */
    source_id: string;
    /** INSEE code of the territory containing the place (staff review), or null. */
    territory_code: string | null;
    /** Partners only. */
    status: PartnerStatus | null;
    owner_user_id: string | null;
    charter_accepted_at: number | null;
    trained_staff_count: number;
    /** YYYY-MM-DD of the latest training session, and when its validity ends. */
    last_training_date: string | null;
    training_expires_on: string | null;
    /** The expiry date a reminder was sent for (once per expiry). */
    training_reminder_for: string | null;
    closed_until: number | null;
    closed_reason: string | null;
    created_at: number;
    updated_at: number;
  };
  /** Audit of partner status changes. */
  place_status_changes: {
    id: string;
    place_id: string;
    /** Who decided (staff, admin, the partner withdrawing); null once that account is erased. */
    actor_user_id: string | null;
    at: number;
    from_status: PartnerStatus | null;
    to_status: PartnerStatus;
    reason: string | null;
  };
  place_trainings: {
    id: string;
    place_id: string;
    date: string;
    staff_trained: number;
    recorded_by: string | null;
    created_at: number;
  };
}
