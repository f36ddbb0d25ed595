/**
 * The watcher's engine (web/src/sharing/watcher.ts) in check-in mode, against a real WebSocket
 * server speaking the relay protocol: a missed check-in grants the trail, and when the person
 * says she is OK the session is check-in only again — what the alert showed must go from the
 * contact's screen and memory too (it stayed: map, last position and recent positions).
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { encryptPosition } from '../../src/shared/envelope.ts';
import { Watcher } from '../../web/src/sharing/watcher.ts';

const SHARE = '7d0c2b8e-0000-4000-8000-000000000002';

describe('a watcher of a check-in session', () => {
  let server: WebSocketServer;
  let socket: import('ws').WebSocket | null = null;

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, path: '/api/shares/ws' });
    await new Promise((resolve) => server.once('listening', resolve));
    server.on('connection', (s) => {
      socket = s;
      s.send(JSON.stringify({ type: 'ready' }));
      s.on('message', (data) => {
        if (JSON.parse(String(data)).type === 'join')
          s.send(JSON.stringify({ type: 'joined', share: SHARE, access: 'waiting', status: 'active' }));
      });
    });
    const { port } = server.address() as AddressInfo;
    vi.stubGlobal('WebSocket', NodeWebSocket);
    vi.stubGlobal('location', { protocol: 'http:', host: `127.0.0.1:${port}` });
    vi.stubGlobal('window', new EventTarget());
    vi.stubGlobal('navigator', { onLine: true });
  });

  const send = (frame: object) => socket?.send(JSON.stringify(frame));
  const positionAt = (lat: number) => ({
    lat,
    lon: 2.32,
    accuracy: 10,
    heading: null,
    speed: null,
    battery: 0.5,
    t: Date.now(),
  });

  afterAll(async () => {
    vi.unstubAllGlobals();
    await new Promise((resolve) => server.close(resolve));
  });

  it('shows the trail while the alert lasts and forgets it when she says she is OK', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
    const watcher = new Watcher(SHARE, key);
    watcher.start();
    try {
      await expect.poll(() => watcher.get().access, { timeout: 5_000 }).toBe('waiting');
      // Missed check-in: access granted, then the whole trail.
      send({ type: 'status', share: SHARE, access: 'live', status: 'alerted' });
      for (const seq of [0, 1]) {
        const c = await encryptPosition(key, SHARE, seq, positionAt(48.88 + seq / 1000));
        send({ type: 'pos', share: SHARE, seq, c });
      }
      await expect.poll(() => watcher.get().points.length, { timeout: 5_000 }).toBe(2);
      // "Je vais bien": check-in only again.
      send({ type: 'status', share: SHARE, access: 'waiting', status: 'active' });
      await expect.poll(() => watcher.get().access, { timeout: 5_000 }).toBe('waiting');
      expect(watcher.get().points).toEqual([]);
      expect(watcher.get().receivedAt).toBeNull();
      // A second missed check-in shows the trail again, the same points included.
      send({ type: 'status', share: SHARE, access: 'live', status: 'alerted' });
      send({ type: 'pos', share: SHARE, seq: 0, c: await encryptPosition(key, SHARE, 0, positionAt(48.88)) });
      await expect.poll(() => watcher.get().points.length, { timeout: 5_000 }).toBe(1);
    } finally {
      watcher.stop();
    }
  }, 30_000);

  // QA walk: after "Je vais bien" Bob's red box only disappeared, nothing said she was OK; and
  // "+ 15 min" left the old expected arrival on his page until a reload.
  it('says she is OK when the alert is lifted, and takes a new expected arrival as it comes', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['decrypt']);
    const watcher = new Watcher(SHARE, key);
    watcher.start();
    try {
      await expect.poll(() => watcher.get().access, { timeout: 5_000 }).toBe('waiting');
      expect(watcher.get().okAt).toBeNull();
      send({ type: 'status', share: SHARE, access: 'live', status: 'alerted' });
      await expect.poll(() => watcher.get().status, { timeout: 5_000 }).toBe('alerted');
      expect(watcher.get().okAt).toBeNull();
      const before = Date.now();
      send({ type: 'status', share: SHARE, access: 'waiting', status: 'active' });
      await expect.poll(() => watcher.get().okAt, { timeout: 5_000 }).not.toBeNull();
      expect(watcher.get().okAt).toBeGreaterThanOrEqual(before);

      send({ type: 'times', share: SHARE, expectedArrival: '2026-11-29T02:05:00.000Z', until: null });
      await expect
        .poll(() => watcher.get().times, { timeout: 5_000 })
        .toEqual({ expectedArrival: '2026-11-29T02:05:00.000Z', until: null });
      // Another alert: "she is OK" no longer holds.
      send({ type: 'status', share: SHARE, access: 'live', status: 'alerted' });
      await expect.poll(() => watcher.get().okAt, { timeout: 5_000 }).toBeNull();
    } finally {
      watcher.stop();
    }
  }, 30_000);

  it('does not say she is OK when the session simply starts active', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['decrypt']);
    const watcher = new Watcher(SHARE, key);
    watcher.start();
    try {
      await expect.poll(() => watcher.get().status, { timeout: 5_000 }).toBe('active');
      send({ type: 'status', share: SHARE, access: 'waiting', status: 'active' });
      // Frames are handled in order: once this one is in, the status frame was too.
      send({ type: 'times', share: SHARE, expectedArrival: null, until: '2026-11-29T04:00:00.000Z' });
      await expect
        .poll(() => watcher.get().times?.until, { timeout: 5_000 })
        .toBe('2026-11-29T04:00:00.000Z');
      expect(watcher.get().okAt).toBeNull();
    } finally {
      watcher.stop();
    }
  }, 30_000);
});
