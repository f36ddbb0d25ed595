export type Role = 'citizen' | 'partner' | 'staff' | 'admin';
export const ROLES: readonly Role[] = ['citizen', 'partner', 'staff', 'admin'];

export interface AccountsTables {
  users: {
    id: string;
    /** Lower-cased. Personal datum: never logged. */
    email: string;
    password_hash: string;
    email_verified_at: number | null;
    locale: string;
    created_at: number;
  };
  user_roles: { user_id: string; role: Role };
  /** Municipal staff ↔ territories they may see. */
  staff_territories: { user_id: string; territory_code: string };
  /** Sign-in sessions. Only the SHA-256 of the token is stored. */
  sessions: {
    token_hash: string;
    user_id: string;
    created_at: number;
    expires_at: number;
    last_seen_at: number;
  };
  /**
   * SQLite: the last change per account bucket (first characters of the id), written by
   * triggers (changes-migration.ts) and read by the session cache. No account id.
   */
  account_changes: { bucket: string; seq: number };
  /** One-time e-mail links (verification, password reset). Hashed like sessions. */
  email_tokens: {
    token_hash: string;
    user_id: string;
    purpose: 'verify' | 'reset';
    expires_at: number;
    used_at: number | null;
  };
  /**
   * Sign-ups waiting for the link of their e-mail (verify-first: no account exists before).
   * Personal data (address, password hash): erased with the account, purged at expiry.
   */
  pending_signups: {
    token_hash: string;
    email: string;
    password_hash: string;
    locale: string;
    expires_at: number;
  };
}
