/**
 * GDPR sections of live sharing: devices, trusted contacts (both sides), sessions'
 * metadata (never positions: the server has none in clear), SOS events and PIN.
 * Every row references users.id with ON DELETE CASCADE, so erasure is the cascade; the
 * trail and wrapped keys of the user's sessions go with the sessions. The messages sent about
 * the sessions (alerts to contacts link to them) are deleted from the outbox.
 */
import { registerPersonalData } from '../accounts/personal-data.ts';
import { forgetMessagesMentioning } from '../notify/outbox.ts';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

registerPersonalData({
  name: 'sharingDevices',
  async export(db, userId) {
    const rows = await db.selectFrom('devices').selectAll().where('user_id', '=', userId).execute();
    return rows.map((d) => ({
      id: d.id,
      label: d.label,
      publicKey: d.public_key,
      createdAt: iso(d.created_at),
      lastSeenAt: iso(d.last_seen_at),
      revokedAt: iso(d.revoked_at),
    }));
  },
});

registerPersonalData({
  name: 'trustedContacts',
  async export(db, userId) {
    const rows = await db
      .selectFrom('contacts')
      .innerJoin('users as owner', 'owner.id', 'contacts.owner_id')
      .innerJoin('users as contact', 'contact.id', 'contacts.contact_id')
      .select([
        'contacts.id',
        'contacts.owner_id',
        'owner.email as ownerEmail',
        'contact.email as contactEmail',
        'contacts.created_at',
        'contacts.ended_at',
      ])
      .where((eb) => eb.or([eb('contacts.owner_id', '=', userId), eb('contacts.contact_id', '=', userId)]))
      .execute();
    const invites = await db
      .selectFrom('contact_invites')
      .select(['created_at', 'expires_at', 'used_at'])
      .where('owner_id', '=', userId)
      .execute();
    return {
      relationships: rows.map((r) => ({
        id: r.id,
        direction: r.owner_id === userId ? 'follows me' : 'I follow',
        other: r.owner_id === userId ? r.contactEmail : r.ownerEmail,
        createdAt: iso(r.created_at),
        endedAt: iso(r.ended_at),
      })),
      invitations: invites.map((i) => ({
        createdAt: iso(i.created_at),
        expiresAt: iso(i.expires_at),
        usedAt: iso(i.used_at),
      })),
    };
  },
});

registerPersonalData({
  name: 'shareSessions',
  async export(db, userId) {
    const rows = await db.selectFrom('share_sessions').selectAll().where('owner_id', '=', userId).execute();
    const sos = await db.selectFrom('sos_events').selectAll().where('user_id', '=', userId).execute();
    const pin = await db
      .selectFrom('sos_pins')
      .select('updated_at')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return {
      sessions: rows.map((s) => ({
        id: s.id,
        mode: s.mode,
        visibility: s.chosen_visibility,
        status: s.status,
        createdAt: iso(s.created_at),
        expectedArrival: iso(s.expected_arrival),
        until: iso(s.until),
        endedAt: iso(s.ended_at),
        endReason: s.end_reason,
        alertReason: s.alert_reason,
        note: 'positions and the destination are end-to-end encrypted: the server cannot read them',
      })),
      sos: sos.map((e) => ({
        id: e.id,
        shareId: e.share_id,
        createdAt: iso(e.created_at),
        cancelledAt: iso(e.cancelled_at),
      })),
      sosPinSetAt: pin ? iso(pin.updated_at) : null,
    };
  },
  async erase(tx, userId) {
    const sessions = await tx
      .selectFrom('share_sessions')
      .select('id')
      .where('owner_id', '=', userId)
      .execute();
    await forgetMessagesMentioning(
      tx,
      sessions.map((s) => s.id),
    );
  },
});
