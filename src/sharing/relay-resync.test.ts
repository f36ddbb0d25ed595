/**
 * Relay.resync: what the database says of a room replaces the events lost while the shared bus
 * was away (an SOS or a missed check-in handled by another instance).
 */

import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { CLOSE, Relay } from './relay.ts';

const SHARE = '11111111-2222-4333-8444-555555555555';
const OTHER = '66666666-7777-4888-8999-aaaaaaaaaaaa';

/** A socket that records what the relay writes to it. */
function fakeSocket() {
  const sent: Record<string, unknown>[] = [];
  const ws = {
    readyState: 1,
    bufferedAmount: 0,
    closedWith: null as number | null,
    send(data: Buffer | string) {
      sent.push(JSON.parse(String(data)));
    },
    close(code: number) {
      ws.closedWith = code;
    },
  };
  return { ws, sent };
}

/** What the database says: `sessions`, Bob follows every one of them, no revoked link. */
const stored = (
  sessions: { id: string; status: 'active' | 'alerted' | 'ended'; visibility: 'live' | 'checkin' }[],
  followers = sessions.map((row) => ({ share: row.id, user: 'bob' })),
  revokedLinks: string[] = [],
) => ({ sessions, followers, revokedLinks });

function relayWithTrail() {
  const relay = new Relay({
    backlog: async (share) => [Buffer.from(JSON.stringify({ type: 'pos', share, seq: 0, c: 'x' }))],
    onError: (error) => {
      throw error;
    },
  });
  const watcher = fakeSocket();
  const conn = relay.add(watcher.ws as unknown as WebSocket);
  relay.identify(conn, { userId: 'bob', session: 'h' });
  return { relay, conn, watcher };
}

describe('Relay.resync', () => {
  it('gives a waiting watcher live access when the stored session is alerted, with the trail', async () => {
    const { relay, conn, watcher } = relayWithTrail();
    const state = { id: SHARE, ownerId: 'alice', status: 'active', visibility: 'checkin' } as const;
    expect(relay.join(conn, state, 'watcher')).toBe('waiting');

    relay.resync([SHARE], stored([{ id: SHARE, status: 'alerted', visibility: 'live' }]));

    expect(relay.receivesNow(conn, SHARE)).toBe(true);
    expect(watcher.sent[0]).toEqual({
      type: 'status',
      share: SHARE,
      status: 'alerted',
      visibility: 'live',
      access: 'live',
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(watcher.sent.some((m) => m.type === 'pos' && m.seq === 0)).toBe(true);
  });

  it('withdraws access when the stored alert was resolved, and says nothing when nothing changed', () => {
    const { relay, conn, watcher } = relayWithTrail();
    relay.join(conn, { id: SHARE, ownerId: 'alice', status: 'alerted', visibility: 'checkin' }, 'watcher');
    relay.resync([SHARE], stored([{ id: SHARE, status: 'alerted', visibility: 'checkin' }]));
    expect(watcher.sent).toEqual([]);
    relay.resync([SHARE], stored([{ id: SHARE, status: 'active', visibility: 'checkin' }]));
    expect(relay.receivesNow(conn, SHARE)).toBe(false);
    expect(watcher.sent.at(-1)).toMatchObject({ type: 'status', access: 'waiting' });
  });

  it('keeps an alert applied here while a read begun before it was under way (stale read), and applies a later read', () => {
    const { relay, conn, watcher } = relayWithTrail();
    relay.join(conn, { id: SHARE, ownerId: 'alice', status: 'active', visibility: 'checkin' }, 'watcher');
    const readAt = relay.changes; // the resync's read begins: the session is still active
    relay.apply({ t: 'session', share: SHARE, status: 'alerted', visibility: 'checkin' }); // committed, applied here
    expect(relay.receivesNow(conn, SHARE)).toBe(true);

    relay.resync([SHARE], stored([{ id: SHARE, status: 'active', visibility: 'checkin' }]), readAt);
    expect(relay.receivesNow(conn, SHARE)).toBe(true);
    expect(watcher.sent.filter((m) => m.type === 'status').map((m) => m.access)).toEqual(['live']);

    // A read begun after it ("I'm OK" answered on another instance) is newer: it applies.
    relay.resync([SHARE], stored([{ id: SHARE, status: 'active', visibility: 'checkin' }]), relay.changes);
    expect(relay.receivesNow(conn, SHARE)).toBe(false);
  });

  it('closes the room of a session that ended or is gone (4410), leaving other rooms alone', () => {
    const { relay, conn, watcher } = relayWithTrail();
    relay.join(conn, { id: SHARE, ownerId: 'alice', status: 'alerted', visibility: 'live' }, 'watcher');
    const other = fakeSocket();
    const otherConn = relay.add(other.ws as unknown as WebSocket);
    relay.identify(otherConn, { userId: 'carol', session: 'h2' });
    relay.join(otherConn, { id: OTHER, ownerId: 'dan', status: 'active', visibility: 'live' }, 'watcher');

    relay.resync([SHARE], stored([{ id: SHARE, status: 'ended', visibility: 'live' }]));
    expect(watcher.ws.closedWith).toBe(CLOSE.ended);
    expect(watcher.sent.at(-1)).toEqual({ type: 'ended', share: SHARE });
    expect(relay.roomIds()).toEqual([OTHER]);

    relay.resync([OTHER], stored([]));
    expect(other.ws.closedWith).toBe(CLOSE.ended);
    expect(relay.roomIds()).toEqual([]);
  });

  it('closes (4403) a contact who may no longer follow and a guest whose link was revoked; others stay', () => {
    const { relay, conn, watcher } = relayWithTrail();
    const live = { id: SHARE, ownerId: 'alice', status: 'active', visibility: 'live' } as const;
    relay.join(conn, live, 'watcher');
    const carol = fakeSocket();
    const carolConn = relay.add(carol.ws as unknown as WebSocket);
    relay.identify(carolConn, { userId: 'carol', session: 'h2' });
    relay.join(carolConn, live, 'watcher');
    const guest = fakeSocket();
    const guestConn = relay.add(guest.ws as unknown as WebSocket);
    relay.identify(guestConn, { guest: { linkId: 'link-1', share: SHARE, expiresAt: Date.now() + 60_000 } });
    relay.join(guestConn, live, 'watcher');
    const sharer = fakeSocket();
    const sharerConn = relay.add(sharer.ws as unknown as WebSocket);
    relay.identify(sharerConn, { userId: 'alice', session: 'h3' });
    relay.join(sharerConn, live, 'sharer');

    const sessions = [{ id: SHARE, status: 'active', visibility: 'live' } as const];
    relay.resync([SHARE], stored(sessions, [{ share: SHARE, user: 'carol' }], []));
    expect(watcher.ws.closedWith).toBe(CLOSE.revoked);
    expect(carol.ws.closedWith).toBeNull();
    expect(guest.ws.closedWith).toBeNull();

    relay.resync([SHARE], stored(sessions, [{ share: SHARE, user: 'carol' }], ['link-1']));
    expect(guest.ws.closedWith).toBe(CLOSE.revoked);
    expect(carol.ws.closedWith).toBeNull();
    expect(sharer.ws.closedWith).toBeNull();
    expect(relay.receivesNow(carolConn, SHARE)).toBe(true);
  });
});
