import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACK_EVERY_MS, Acks } from './acks.ts';
import type { Conn } from './relay.ts';

/** A socket that records what it is sent. */
function socket() {
  const sent: unknown[] = [];
  const conn = {
    ws: { OPEN: 1, readyState: 1, send: (data: string) => sent.push(JSON.parse(data)) },
    unacked: null,
    ackedAt: Number.NEGATIVE_INFINITY,
  } as unknown as Conn;
  return { conn, sent };
}

describe('acknowledgements of durable points', () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('acks at once a socket that was not acked lately, one frame per session listing the batch', () => {
    const acks = new Acks(() => clock);
    const a = socket();
    const b = socket();
    acks.durable([
      { share: 's1', seq: 1, c: 'x', from: a.conn },
      { share: 's1', seq: 2, c: 'x', from: a.conn },
      { share: 's2', seq: 9, c: 'x', from: a.conn },
      { share: 's3', seq: 5, c: 'x', from: b.conn },
      { share: 's3', seq: 6, c: 'x' }, // HTTP fallback: acknowledged by its request
    ]);
    expect(a.sent).toEqual([
      { type: 'ack', share: 's1', seq: 2, seqs: [1, 2] },
      { type: 'ack', share: 's2', seq: 9 },
    ]);
    expect(b.sent).toEqual([{ type: 'ack', share: 's3', seq: 5 }]);
  });

  it('groups the acks of a busy socket until its window ends, and loses none', () => {
    const acks = new Acks(() => clock);
    const a = socket();
    acks.durable([{ share: 's', seq: 1, c: 'x', from: a.conn }]);
    clock += 10;
    acks.durable([{ share: 's', seq: 2, c: 'x', from: a.conn }]);
    clock += 10;
    acks.durable([{ share: 's', seq: 3, c: 'x', from: a.conn }]);
    expect(a.sent).toEqual([{ type: 'ack', share: 's', seq: 1 }]);
    clock += ACK_EVERY_MS;
    vi.advanceTimersByTime(ACK_EVERY_MS);
    expect(a.sent).toEqual([
      { type: 'ack', share: 's', seq: 1 },
      { type: 'ack', share: 's', seq: 3, seqs: [2, 3] },
    ]);
  });

  it('sends what waits at shutdown, and nothing to a closed socket', () => {
    const acks = new Acks(() => clock);
    const a = socket();
    const gone = socket();
    acks.durable([{ share: 's', seq: 1, c: 'x', from: a.conn }]);
    acks.durable([{ share: 's', seq: 2, c: 'x', from: a.conn }]);
    (gone.conn.ws as { readyState: number }).readyState = 3;
    acks.durable([{ share: 's', seq: 7, c: 'x', from: gone.conn }]);
    acks.flush();
    expect(a.sent).toEqual([
      { type: 'ack', share: 's', seq: 1 },
      { type: 'ack', share: 's', seq: 2 },
    ]);
    expect(gone.sent).toEqual([]);
  });
});
