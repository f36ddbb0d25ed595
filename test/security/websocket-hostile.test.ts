/**
 * Hostile WebSocket clients on the relay (/api/shares/ws): a client that never authenticates,
 * garbage and oversized frames, binary frames, a frame flood. The socket is closed with the
 * documented code and the server keeps serving everyone else; no unhandled rejection.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeTestApp, type TestApp, userWith } from '../helpers/app.ts';
import { Client, listen } from '../helpers/sharing.ts';

describe('hostile WebSocket clients', () => {
  let t: TestApp;
  let url: string;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    t = await makeTestApp('sqlite');
    url = await listen(t);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await t?.close();
  });

  const healthy = async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
  };

  it('closes a client that never sends auth with 4401', async () => {
    const slow = await Client.open(url);
    const closed = await slow.closed;
    expect(closed.code).toBe(4401);
    await healthy();
  });

  it('closes a client whose auth token is forged with 4401', async () => {
    const client = await Client.open(url);
    client.send({ type: 'auth', token: 'forged'.repeat(10) });
    expect((await client.closed).code).toBe(4401);
  });

  it('answers garbage frames with an error or a 1008 close, never a crash', async () => {
    const user = await userWith(t);
    const frames = [
      'not json',
      '',
      '[]',
      'null',
      '42',
      '"\ud800"',
      '{"type": "\u0000"}',
      '{"type": "join", "share": "../../etc/passwd"}',
      '{"type": "pos", "share": "00000000-0000-4000-8000-000000000000", "seq": 1e309, "c": "x"}',
      '{"type": "since", "seq": -1}',
      '{"type": "still", "minutes": "NaN"}',
      `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
      JSON.stringify({ __proto__: { admin: true }, type: 'join' }),
    ];
    const client = await Client.open(url, user.auth);
    for (const frame of frames) {
      if (client.ws.readyState !== WebSocket.OPEN) break;
      client.ws.send(frame);
    }
    client.send({ type: 'ping' });
    const outcome = await Promise.race([
      client.type('pong').then(() => 'pong'),
      client.closed.then((c) => `closed ${c.code}`),
    ]);
    expect(['pong', 'closed 1008']).toContain(outcome);
    for (const m of client.messages.filter((m) => m.type === 'error')) expect(typeof m.code).toBe('string');
    client.close();
    await healthy();
  });

  it('closes a frame larger than 16 KiB with 1009 and a binary frame with a close', async () => {
    const user = await userWith(t);
    const big = await Client.open(url, user.auth);
    big.ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(20 * 1024) }));
    expect((await big.closed).code).toBe(1009);

    const binary = await Client.open(url, user.auth);
    binary.ws.send(Buffer.from([0, 1, 2, 255]));
    const closed = await Promise.race([
      binary.closed,
      binary.type('error').then(() => ({ code: 0, reason: 'error frame' })),
    ]);
    expect(closed.code === 0 || closed.code === 1003 || closed.code === 1008).toBe(true);
    binary.close();
    await healthy();
  });

  it('closes a client that floods messages with 1008', async () => {
    const user = await userWith(t);
    const flood = await Client.open(url, user.auth);
    for (let i = 0; i < 2_000 && flood.ws.readyState === WebSocket.OPEN; i++) flood.send({ type: 'ping' });
    expect((await flood.closed).code).toBe(1008);
    await healthy();
  });

  it('left no unhandled rejection behind', () => {
    expect(rejections).toEqual([]);
  });
});
