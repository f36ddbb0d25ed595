export interface NotifyTables {
  /**
   * Outbox: every message is written here in the same transaction as what caused it,
   * then delivered with retries, so that nothing is lost when a channel fails.
   */
  outbox: {
    id: string;
    channel: 'email' | 'push' | 'sms';
    /** Owner, so that erasing an account erases its pending messages. */
    user_id: string | null;
    /** Address (e-mail, phone, push endpoint). Personal datum: never logged. */
    recipient: string;
    /** JSON: channel-specific message (subject, text, …). */
    payload: string;
    attempts: number;
    next_attempt_at: number;
    sent_at: number | null;
    last_error: string | null;
    created_at: number;
  };
}
