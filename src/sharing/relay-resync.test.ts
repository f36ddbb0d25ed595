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

    relay.resync([{ id: SHARE, status: 'alerted', visibility: 'live' }], [SHARE]);

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
    relay.resync([{ id: SHARE, status: 'alerted', visibility: 'checkin' }], [SHARE]);
    expect(watcher.sent).toEqual([]);
    relay.resync([{ id: SHARE, status: 'active', visibility: 'checkin' }], [SHARE]);
    expect(relay.receivesNow(conn, SHARE)).toBe(false);
    expect(watcher.sent.at(-1)).toMatchObject({ type: 'status', access: 'waiting' });
  });

  it('closes the room of a session that ended or is gone (4410), leaving other rooms alone', () => {
    const { relay, conn, watcher } = relayWithTrail();
    relay.join(conn, { id: SHARE, ownerId: 'alice', status: 'alerted', visibility: 'live' }, 'watcher');
    const other = fakeSocket();
    const otherConn = relay.add(other.ws as unknown as WebSocket);
    relay.identify(otherConn, { userId: 'carol', session: 'h2' });
    relay.join(otherConn, { id: OTHER, ownerId: 'dan', status: 'active', visibility: 'live' }, 'watcher');

    relay.resync([{ id: SHARE, status: 'ended', visibility: 'live' }], [SHARE]);
    expect(watcher.ws.closedWith).toBe(CLOSE.ended);
    expect(watcher.sent.at(-1)).toEqual({ type: 'ended', share: SHARE });
    expect(relay.roomIds()).toEqual([OTHER]);

    relay.resync([], [OTHER]);
    expect(other.ws.closedWith).toBe(CLOSE.ended);
    expect(relay.roomIds()).toEqual([]);
  });
});
