/**
 * GDPR sections of live sharing: devices, trusted contacts (both sides), sessions with their
 * recipients, guest links, check-in timer and trail (positions as the ciphertext the server
 * holds: it has none in clear), keys wrapped for her devices, SOS events, PIN and passkeys.
 * Every row references users.id with ON DELETE CASCADE, so erasure is the cascade; the
 * trail and wrapped keys of the user's sessions go with the sessions. The messages sent about
 * the sessions (alerts to contacts link to them) are deleted from the outbox.
 */
import { registerPersonalData } from '../accounts/personal-data.ts';
import { forgetMessagesMentioning } from '../notify/outbox.ts';
import { storedTrail } from './trail-store.ts';

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
    const hers = db.selectFrom('share_sessions').select('id').where('owner_id', '=', userId);
    /** Rows of her sessions' tables, looked up by session. */
    const ofSessions = <T extends { share_id: string }>(list: T[]) => {
      const by = new Map<string, T[]>();
      for (const item of list) {
        const same = by.get(item.share_id);
        if (same) same.push(item);
        else by.set(item.share_id, [item]);
      }
      return (id: string) => by.get(id) ?? [];
    };
    const recipients = ofSessions(
      await db
        .selectFrom('share_recipients')
        .innerJoin('users', 'users.id', 'share_recipients.user_id')
        .select([
          'share_recipients.share_id',
          'share_recipients.device_id',
          'users.email',
          'share_recipients.wrapped_key',
          'share_recipients.created_at',
        ])
        .where('share_recipients.share_id', 'in', hers)
        .execute(),
    );
    const links = ofSessions(
      await db
        .selectFrom('guest_links')
        .select(['id', 'share_id', 'created_at', 'expires_at', 'revoked_at'])
        .where('share_id', 'in', hers)
        .execute(),
    );
    const trail = ofSessions(await storedTrail(db, hers));
    const timers = ofSessions(
      await db.selectFrom('checkin_timers').selectAll().where('share_id', 'in', hers).execute(),
    );
    const sos = await db.selectFrom('sos_events').selectAll().where('user_id', '=', userId).execute();
    const pin = await db
      .selectFrom('sos_pins')
      .select('updated_at')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    // Keys of other people's sessions, wrapped for her devices (ciphertext: only her device opens them).
    const keysForMe = await db
      .selectFrom('share_recipients')
      .select(['share_id', 'device_id', 'wrapped_key', 'created_at'])
      .where('user_id', '=', userId)
      .execute();
    return {
      note: 'positions, destinations and session keys are end-to-end encrypted: exported as the ciphertext the server holds, which only your devices can open',
      sessions: rows.map((s) => ({
        id: s.id,
        mode: s.mode,
        visibility: s.chosen_visibility,
        effectiveVisibility: s.visibility,
        status: s.status,
        sealedDetails: s.meta,
        createdAt: iso(s.created_at),
        expectedArrival: iso(s.expected_arrival),
        until: iso(s.until),
        endsAt: iso(s.ends_at),
        stillMinutes: s.still_minutes,
        endedAt: iso(s.ended_at),
        endReason: s.end_reason,
        alertReason: s.alert_reason,
        lastSeq: s.last_seq,
        lastPositionAt: iso(s.last_position_at),
        recipients: recipients(s.id).map((r) => ({
          contact: r.email,
          deviceId: r.device_id,
          wrappedKey: r.wrapped_key,
          createdAt: iso(r.created_at),
        })),
        guestLinks: links(s.id).map((l) => ({
          id: l.id,
          createdAt: iso(l.created_at),
          expiresAt: iso(l.expires_at),
          revokedAt: iso(l.revoked_at),
        })),
        checkin:
          timers(s.id).map((c) => ({
            state: c.state,
            dueAt: iso(c.due_at),
            reason: c.reason,
            askedAt: iso(c.asked_at),
            firedAt: iso(c.fired_at),
            handledAt: iso(c.handled_at),
          }))[0] ?? null,
        trail: trail(s.id).map((p) => ({
          seq: p.seq,
          ciphertext: p.ciphertext,
          receivedAt: iso(p.received_at),
        })),
      })),
      keysForMyDevices: keysForMe.map((k) => ({
        shareId: k.share_id,
        deviceId: k.device_id,
        wrappedKey: k.wrapped_key,
        createdAt: iso(k.created_at),
      })),
      sos: sos.map((e) => ({
        id: e.id,
        shareId: e.share_id,
        createdAt: iso(e.created_at),
        cancelledAt: iso(e.cancelled_at),
        cancelMethod: e.cancel_method,
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

registerPersonalData({
  name: 'sosPasskeys',
  async export(db, userId) {
    const passkeys = await db.selectFrom('sos_passkeys').selectAll().where('user_id', '=', userId).execute();
    const challenges = await db
      .selectFrom('webauthn_challenges')
      .select(['purpose', 'expires_at'])
      .where('user_id', '=', userId)
      .execute();
    return {
      note: 'passkeys that confirm cancelling an SOS: the server holds their public keys only; the private keys stay in your devices',
      passkeys: passkeys.map((p) => ({
        id: p.id,
        label: p.label,
        publicKey: p.public_key,
        signatureCounter: p.counter,
        transports: p.transports, // as the browser named them (JSON)
        createdAt: iso(p.created_at),
        lastUsedAt: iso(p.last_used_at),
      })),
      pendingChallenges: challenges.map((c) => ({ purpose: c.purpose, expiresAt: iso(c.expires_at) })),
    };
  },
});
