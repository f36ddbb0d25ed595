/** Tables of the push and SMS channels (the outbox itself is in tables.ts). */
export interface NotifyChannelTables {
  /** A browser's Web Push subscription (RFC 8030 endpoint + RFC 8291 keys). Personal data. */
  push_subscriptions: {
    id: string;
    user_id: string;
    endpoint: string;
    p256dh: string;
    auth: string;
    created_at: number;
  };
  /** Server-wide settings of the channels; holds the VAPID key pair, generated once. */
  notify_settings: { name: string; value: string; created_at: number };
  /** Number that receives alert SMS (E.164). Personal data. */
  phone_numbers: { user_id: string; phone: string; updated_at: number };
  /** What the development SMS gateway "sent" (no real carrier). */
  dev_sms: { id: string; user_id: string | null; phone: string; text: string; created_at: number };
}
