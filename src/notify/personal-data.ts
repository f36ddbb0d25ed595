/** GDPR sections of the notification channels: browsers subscribed to push, the alert phone number. */
import { registerPersonalData } from '../accounts/personal-data.ts';

const iso = (t: number) => new Date(t).toISOString();

registerPersonalData({
  name: 'pushSubscriptions',
  async export(db, userId) {
    const rows = await db
      .selectFrom('push_subscriptions')
      .select(['id', 'endpoint', 'p256dh', 'created_at'])
      .where('user_id', '=', userId)
      .execute();
    // Not the `auth` secret: whoever holds it can forge messages her browser accepts.
    return rows.map((r) => ({
      id: r.id,
      endpoint: r.endpoint,
      publicKey: r.p256dh,
      createdAt: iso(r.created_at),
    }));
  },
  // rows reference users.id: removed by the cascade
});

registerPersonalData({
  name: 'alertPhoneNumber',
  async export(db, userId) {
    const row = await db
      .selectFrom('phone_numbers')
      .select(['phone', 'updated_at'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? { phone: row.phone, updatedAt: iso(row.updated_at) } : null;
  },
  async erase(tx, userId) {
    // Development SMS log rows may carry the number without an account link.
    const row = await tx
      .selectFrom('phone_numbers')
      .select('phone')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (row) await tx.deleteFrom('dev_sms').where('phone', '=', row.phone).execute();
  },
});
