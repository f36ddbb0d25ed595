/** Presenters: what leaves the server about a session, decided by audience. */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { type Audience, positionAccess } from './access.ts';
import { guestLinksOf, recipientsOf, type SessionRow, wrappedKeysFor } from './sessions-store.ts';

const iso = (t: number) => new Date(t).toISOString();
const isoOrNull = (t: number | null) => (t === null ? null : iso(t));

export async function presentShare(db: Kysely<Schema>, session: SessionRow, audience: Audience) {
  const base = {
    id: session.id,
    audience: audience.kind,
    mode: session.mode,
    visibility: session.visibility,
    status: session.status,
    access: positionAccess(audience, session),
    meta: session.meta,
    expectedArrival: isoOrNull(session.expected_arrival),
    until: isoOrNull(session.until),
    createdAt: iso(session.created_at),
    endsAt: iso(session.ends_at),
    endedAt: isoOrNull(session.ended_at),
    alertReason: session.alert_reason,
    lastSeq: session.last_seq,
    lastPositionAt: isoOrNull(session.last_position_at),
  };
  if (audience.kind === 'guest') return base;
  if (audience.kind === 'contact') {
    const owner = await db
      .selectFrom('users')
      .select('email')
      .where('id', '=', session.owner_id)
      .executeTakeFirst();
    const keys = await wrappedKeysFor(db, session.id, audience.userId);
    return {
      ...base,
      owner: { email: owner?.email ?? '' },
      wrappedKeys: keys.map((k) => ({ deviceId: k.device_id, wrappedKey: k.wrapped_key })),
    };
  }
  const [recipients, links, timer, sos] = await Promise.all([
    recipientsOf(db, session.id),
    guestLinksOf(db, session.id),
    db.selectFrom('checkin_timers').selectAll().where('share_id', '=', session.id).executeTakeFirst(),
    db
      .selectFrom('sos_events')
      .select(['id', 'created_at'])
      .where('share_id', '=', session.id)
      .where('cancelled_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst(),
  ]);
  return {
    ...base,
    recipients: recipients.map((r) => ({ deviceId: r.device_id, contactId: r.relationshipId })),
    guestLinks: links.map((l) => ({
      id: l.id,
      createdAt: iso(l.created_at),
      expiresAt: iso(l.expires_at),
      revokedAt: isoOrNull(l.revoked_at),
    })),
    checkin: timer ? { state: timer.state, dueAt: isoOrNull(timer.due_at), reason: timer.reason } : undefined,
    sos: sos ? { id: sos.id, createdAt: iso(sos.created_at) } : null,
  };
}
