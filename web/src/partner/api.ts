/** Calls of the partner portal and the staff review (see src/places/routes-partner.ts). */
import type { Accessibility, PartnerStatus, PlaceKind } from '../../../src/places/kinds.ts';
import { api } from '../api/client.ts';

export interface PartnerPlace {
  id: string;
  name: string;
  kind: PlaceKind;
  lat: number;
  lon: number;
  address: string | null;
  phone: string | null;
  openingHours: string | null;
  accessibility: Accessibility | null;
  status: PartnerStatus;
  /** The reason given with the current status (a refusal's, a suspension's), without who gave it. */
  statusReason: string | null;
  territoryCode: string | null;
  trainedStaffCount: number;
  lastTrainingDate: string | null;
  trainingExpiresOn: string | null;
  /** IANA zone of the venue: its closure is typed on its clock. */
  timeZone: string;
  /** ISO 8601 in the venue's zone. */
  closedUntil: string | null;
  closedReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Application {
  name: string;
  kind: PlaceKind;
  address: string;
  lat: number;
  lon: number;
  openingHours: string | null;
  phone: string | null;
  charterAccepted: true;
}

export interface PartnerPatch {
  openingHours?: string | null;
  closedUntil?: string | null;
  closedReason?: string | null;
  phone?: string | null;
}

export type Decision = 'approve' | 'reject' | 'suspend' | 'reinstate';

export const partnerApi = {
  mine: (signal?: AbortSignal) => api<{ places: PartnerPlace[] }>('/api/partner/places', { signal }),
  apply: (body: Application) => api<PartnerPlace>('/api/partner/places', { method: 'POST', body }),
  update: (id: string, body: PartnerPatch) =>
    api<PartnerPlace>(`/api/partner/places/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  training: (id: string, body: { date: string; staffTrained: number }) =>
    api<PartnerPlace>(`/api/partner/places/${encodeURIComponent(id)}/trainings`, { method: 'POST', body }),
  withdraw: (id: string) =>
    api<PartnerPlace>(`/api/partner/places/${encodeURIComponent(id)}/withdraw`, { method: 'POST' }),
  territory: (code: string, status: PartnerStatus | null, signal?: AbortSignal) =>
    api<{ places: PartnerPlace[] }>(
      `/api/territories/${encodeURIComponent(code)}/places${status ? `?status=${status}` : ''}`,
      { signal },
    ),
  review: (id: string, decision: Decision, reason: string | null) =>
    api<{ place: PartnerPlace }>(`/api/places/${encodeURIComponent(id)}/review`, {
      method: 'POST',
      body: reason ? { decision, reason } : { decision },
    }),
};
