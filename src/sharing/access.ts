/**
 * Who is asking about a share session, and what they may see: the named policies of the
 * sharing API. The owner sees everything about the session (never a position in clear: there
 * is none). A contact sees it while the relationship is live, the session is not over and
 * they were chosen. A guest sees it through an unrevoked, unexpired link. Positions flow to
 * contacts and guests only when `deliversNow` (live mode, or after an alert).
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { CurrentUser } from '../accounts/policies.ts';
import type { Schema } from '../db/schema.ts';
import { fail } from '../server/errors.ts';
import { deliversNow } from './rules.ts';
import { findGuestLink, getSession, isRecipient, type SessionRow } from './sessions-store.ts';

export type Audience =
  | { kind: 'owner' }
  | { kind: 'contact'; userId: string }
  | { kind: 'guest'; linkId: string };

/** Header that carries a guest link's token on HTTP requests (never in the URL). */
export const GUEST_HEADER = 'x-havre-guest';

export async function audienceOf(
  db: Kysely<Schema>,
  session: SessionRow,
  user: CurrentUser | null,
  guestToken: string | undefined,
  now: number,
): Promise<Audience | null> {
  if (user && session.owner_id === user.id) return { kind: 'owner' };
  if (user && (await isRecipient(db, session, user.id))) return { kind: 'contact', userId: user.id };
  if (guestToken && guestToken.length <= 200) {
    const link = await findGuestLink(db, guestToken, now);
    if (link && link.share_id === session.id) return { kind: 'guest', linkId: link.id };
  }
  return null;
}

export const isOwner = (audience: Audience | null): boolean => audience?.kind === 'owner';

/** What the audience may receive of the positions now. */
export function positionAccess(audience: Audience, session: SessionRow): 'owner' | 'live' | 'waiting' {
  if (audience.kind === 'owner') return 'owner';
  return deliversNow(session.status, session.visibility) ? 'live' : 'waiting';
}

/**
 * What a viewer is told of a session that ended (an allow-list, as in present.ts): why, as the
 * relay's `ended` frame told the open pages — so that a reload still says she arrived — and,
 * to a contact, whose it was (their own contact: the view said it). A guest learns no e-mail.
 */
async function endedProblem(db: Kysely<Schema>, session: SessionRow, audience: Audience) {
  const reason = session.status === 'ended' ? session.end_reason : null;
  if (audience.kind !== 'contact') return reason ? { endReason: reason } : {};
  const owner = await db
    .selectFrom('users')
    .select('email')
    .where('id', '=', session.owner_id)
    .executeTakeFirst();
  return { ...(reason ? { endReason: reason } : {}), owner: { email: owner?.email ?? '' } };
}

/**
 * Loads a session for a request. 404 when the caller has no access (existence is not
 * revealed); 410 when the caller was a viewer but the session has ended (with `endReason`).
 */
export async function loadForRequest(
  db: Kysely<Schema>,
  request: FastifyRequest,
  id: string,
  now: number,
): Promise<{ session: SessionRow; audience: Audience }> {
  const session = await getSession(db, id);
  const guest = request.headers[GUEST_HEADER];
  const audience = session
    ? await audienceOf(db, session, request.user, typeof guest === 'string' ? guest : undefined, now)
    : null;
  if (!session || !audience) return fail('NOT_FOUND', 'no such session');
  if (audience.kind !== 'owner' && (session.status === 'ended' || session.ends_at <= now))
    return fail('SHARE_ENDED', undefined, await endedProblem(db, session, audience));
  return { session, audience };
}

/** Owner-only actions: others get the same 404 as for a session that does not exist. */
export async function loadOwned(db: Kysely<Schema>, user: CurrentUser, id: string): Promise<SessionRow> {
  const session = await getSession(db, id);
  if (!session || session.owner_id !== user.id) return fail('NOT_FOUND', 'no such session');
  return session;
}

export function requireActive(session: SessionRow): void {
  if (session.status === 'ended') fail('SHARE_ENDED');
}
