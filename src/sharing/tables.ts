/**
 * Live sharing tables. The server keeps who may see what and when, and ciphertext: no
 * position, no session key, no destination label is ever stored in clear.
 */
export type ShareMode = 'trip' | 'night_out' | 'journey' | 'sos';
export type ShareVisibility = 'live' | 'checkin';
export type ShareStatus = 'active' | 'alerted' | 'ended';
/** Why a session ended: "I have arrived", its time limit, or its SOS cancelled. */
export type EndReason = 'arrived' | 'limit' | 'sos_cancelled';
/** idle: no due time (only immobility can ask) · pending: due_at set · asking: the sharer was asked · alerted: contacts were alerted */
export type TimerState = 'idle' | 'pending' | 'asking' | 'alerted' | 'done';

export interface SharingTables {
  /** A browser's ECDH P-256 public key (raw, base64url). Revoked devices get no new keys. */
  devices: {
    id: string;
    user_id: string;
    public_key: string;
    label: string;
    created_at: number;
    last_seen_at: number;
    revoked_at: number | null;
  };
  /** One-time invitation links. Only the SHA-256 of the token is kept. */
  contact_invites: {
    token_hash: string;
    owner_id: string;
    created_at: number;
    expires_at: number;
    used_at: number | null;
  };
  /** owner shares with contact (contact follows owner). Ended by either side, never reopened. */
  contacts: {
    id: string;
    owner_id: string;
    contact_id: string;
    created_at: number;
    ended_at: number | null;
  };
  share_sessions: {
    id: string;
    owner_id: string;
    mode: ShareMode;
    /** Effective visibility (SOS switches to live). */
    visibility: ShareVisibility;
    /** What the sharer chose, restored when an SOS is cancelled. */
    chosen_visibility: ShareVisibility;
    status: ShareStatus;
    /** Client-side sealed JSON (destination label …), opaque here. */
    meta: string | null;
    expected_arrival: number | null;
    until: number | null;
    /** Minutes without movement (reported by the sharer's browser) before asking; 0 = off. */
    still_minutes: number;
    created_at: number;
    ends_at: number;
    ended_at: number | null;
    end_reason: EndReason | null;
    alert_reason: 'overdue' | 'still' | 'sos' | null;
    /** Highest sequence number stored, for the sharer's resume. */
    last_seq: number | null;
    last_position_at: number | null;
  };
  /** A session key wrapped for one device of one chosen contact. */
  share_recipients: {
    share_id: string;
    device_id: string;
    user_id: string;
    wrapped_key: string;
    created_at: number;
  };
  guest_links: {
    id: string;
    share_id: string;
    token_hash: string;
    created_at: number;
    expires_at: number;
    revoked_at: number | null;
  };
  /** Ciphertext only, unique per (share, seq): resending is idempotent. */
  trail_points: {
    share_id: string;
    seq: number;
    ciphertext: string;
    received_at: number;
  };
  /** SQLite: points durable but not yet moved into trail_points (trail-store.ts); same columns. */
  trail_log: {
    share_id: string;
    seq: number;
    ciphertext: string;
    received_at: number;
  };
  /** One timer per session: the check-in question and the alert, claimed atomically. */
  checkin_timers: {
    share_id: string;
    state: TimerState;
    due_at: number | null;
    reason: 'overdue' | 'still' | null;
    asked_at: number | null;
    fired_at: number | null;
    /** Set in the transaction that wrote the consequences of the last transition. */
    handled_at: number | null;
  };
  sos_events: {
    id: string;
    user_id: string;
    share_id: string;
    created_at: number;
    cancelled_at: number | null;
    cancel_method: 'pin' | 'password' | 'passkey' | null;
  };
  /** Optional PIN to cancel an SOS (argon2id). */
  sos_pins: { user_id: string; pin_hash: string; updated_at: number };
  /** Passkeys that confirm cancelling an SOS (passkeys.ts). */
  sos_passkeys: {
    id: string;
    user_id: string;
    public_key: string;
    counter: number;
    /** JSON array of transport hints, as the browser gave them. */
    transports: string | null;
    label: string;
    created_at: number;
    last_used_at: number | null;
  };
  /** Single-use WebAuthn challenges, five minutes each. */
  webauthn_challenges: {
    challenge: string;
    user_id: string;
    purpose: 'register' | 'sos-cancel';
    expires_at: number;
  };
}
