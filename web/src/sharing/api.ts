/**
 * Calls of the sharing, SOS and push APIs (see src/sharing/*-routes.ts,
 * src/notify/routes.ts, src/places/routes-public.ts). Guests (a link, no account) carry
 * their link's token in the `x-havre-guest` header, never in the URL.
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { ApiError, api, CLIENT_ERRORS } from '../api/client.ts';

/** What confirms cancelling an SOS: the SOS PIN, the password, or a passkey (passkeys.ts). */
export interface CancelProof {
  pin?: string;
  password?: string;
  passkey?: AuthenticationResponseJSON;
}
export interface PasskeyView {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export type ShareMode = 'trip' | 'night_out' | 'journey';
export type Visibility = 'live' | 'checkin';

export interface Person {
  /** id of the relationship */
  id: string;
  email: string;
  since: string;
}
export interface Contacts {
  following: Person[];
  followers: Person[];
}
export interface Invite {
  token: string;
  url: string;
  expiresAt: string;
}
export interface Device {
  id: string;
  publicKey: string;
  label: string;
  createdAt: string;
  lastSeenAt: string;
}
export interface ContactDevice {
  id: string;
  publicKey: string;
  /** relationship id */
  contactId: string;
}
export interface RecipientKey {
  deviceId: string;
  wrappedKey: string;
}

export interface ShareView {
  id: string;
  audience: 'owner' | 'contact' | 'guest';
  mode: string;
  visibility: Visibility;
  status: 'active' | 'alerted' | 'ended';
  access: 'owner' | 'live' | 'waiting';
  meta: string | null;
  expectedArrival: string | null;
  until: string | null;
  createdAt: string;
  endsAt: string;
  endedAt: string | null;
  alertReason: string | null;
  lastSeq: number | null;
  lastPositionAt: string | null;
  owner?: { email: string };
  wrappedKeys?: { deviceId: string; wrappedKey: string }[];
  recipients?: { deviceId: string; contactId: string }[];
  guestLinks?: { id: string; createdAt: string; expiresAt: string; revokedAt: string | null }[];
  checkin?: { state: string; dueAt: string | null; reason: string | null };
  sos?: { id: string; createdAt: string } | null;
}

export interface ShareCreate {
  id: string;
  mode: ShareMode;
  visibility: Visibility;
  expectedArrival?: string;
  until?: string;
  recipients: RecipientKey[];
  meta?: string;
  stillMinutes?: number;
}

export interface GuestLink {
  id: string;
  token: string;
  url: string;
  expiresAt: string;
}

export interface NearestPlace {
  id: string;
  name: string;
  kind: string;
  lat: number;
  lon: number;
  distanceM: number;
  walkMinutes: number;
  openNow: boolean | null;
  closesAt?: string;
  partner: boolean;
  phone: string | null;
  address: string | null;
}

export interface SosResult {
  id: string;
  /** The SOS was already running (from another phone): nobody was alerted again. */
  alreadyRunning: boolean;
  share: ShareView;
  devicesWithoutKey: ContactDevice[];
}

const post = <T>(path: string, body?: unknown) => api<T>(path, { method: 'POST', body: body ?? {} });

export const sharingApi = {
  contacts: () => api<Contacts>('/api/contacts'),
  invite: () => api<Invite>('/api/contacts/invites', { method: 'POST' }),
  /** Who made the invitation (the link stays usable); refused for a used or expired link. */
  previewInvite: (token: string) => post<{ email: string }>('/api/contacts/invites/preview', { token }),
  accept: (token: string) => post<{ id: string; email: string }>('/api/contacts/invites/accept', { token }),
  endRelationship: (id: string) => api<void>(`/api/contacts/${id}`, { method: 'DELETE' }),
  followerDevices: () => api<{ devices: ContactDevice[] }>('/api/contacts/devices'),

  devices: () => api<{ devices: Device[] }>('/api/devices'),
  registerDevice: (publicKey: string, label: string) => post<Device>('/api/devices', { publicKey, label }),
  revokeDevice: (id: string) => api<void>(`/api/devices/${id}`, { method: 'DELETE' }),

  shares: () => api<{ mine: ShareView[]; following: ShareView[] }>('/api/shares'),
  share: (id: string) => api<ShareView>(`/api/shares/${id}`),
  start: (body: ShareCreate) => post<ShareView>('/api/shares', body),
  addKeys: (id: string, recipients: RecipientKey[]) => post<void>(`/api/shares/${id}/keys`, { recipients }),
  postPositions: (id: string, positions: { seq: number; c: string }[]) =>
    post<{ acked: number[] }>(`/api/shares/${id}/positions`, { positions }),
  arrived: (id: string) => post<ShareView>(`/api/shares/${id}/arrived`),
  ok: (id: string, due?: string) => post<ShareView>(`/api/shares/${id}/ok`, due ? { due } : {}),
  checkin: (id: string, due: string) => post<ShareView>(`/api/shares/${id}/checkin`, { due }),
  createGuestLink: (id: string, expiresAt: string) =>
    post<GuestLink>(`/api/shares/${id}/guest-links`, { expiresAt }),
  revokeGuestLink: (id: string, linkId: string) =>
    api<void>(`/api/shares/${id}/guest-links/${linkId}`, { method: 'DELETE' }),

  sos: (body: { shareId?: string; recipients?: RecipientKey[] }) => post<SosResult>('/api/sos', body),
  cancelSos: (id: string, proof: CancelProof) =>
    post<{ shareId: string; ended: boolean }>(`/api/sos/${id}/cancel`, proof),
  sosCancelOptions: (id: string) =>
    post<PublicKeyCredentialRequestOptionsJSON>(`/api/sos/${id}/cancel/options`),
  passkeys: () => api<{ passkeys: PasskeyView[] }>('/api/sos/passkeys'),
  passkeyOptions: () => post<PublicKeyCredentialCreationOptionsJSON>('/api/sos/passkeys/options'),
  addPasskey: (credential: RegistrationResponseJSON, label: string, password: string) =>
    post<PasskeyView>('/api/sos/passkeys', { credential, label, password }),
  removePasskey: (id: string) => api<void>(`/api/sos/passkeys/${id}`, { method: 'DELETE' }),
  setSosPin: (pin: string, password: string) =>
    api<void>('/api/sos/pin', { method: 'PUT', body: { pin, password } }),

  pushKey: () => api<{ publicKey: string }>('/api/push/key'),
  subscribePush: (subscription: PushSubscriptionJSON) =>
    post<{ id: string }>('/api/push/subscriptions', subscription),
};

/** A guest's GET with its link token in a header (never in the URL, so never in a log). */
export async function guestGet<T>(path: string, token: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      headers: { accept: 'application/json', 'x-havre-guest': token },
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(CLIENT_ERRORS.network, 0);
  }
  if (response.ok) return (await response.json()) as T;
  let code: string = CLIENT_ERRORS.unexpected;
  let problem: Record<string, unknown> = {};
  try {
    const body = (await response.json()) as unknown;
    if (body && typeof body === 'object') problem = body as Record<string, unknown>;
    if (typeof problem.code === 'string') code = problem.code;
  } catch {
    // keep the generic code
  }
  throw new ApiError(code, response.status, undefined, undefined, problem);
}

/** Whether an error means "the server could not be reached" (not a refusal). */
export const isUnreachable = (error: unknown): boolean =>
  error instanceof ApiError && (error.status === 0 || error.status >= 500);
