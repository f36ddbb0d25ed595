/**
 * The watcher's engine (web/src/sharing/watcher.ts) against a real WebSocket server speaking
 * the relay protocol (src/sharing/socket.ts): when the server says `degraded` (Redis away,
 * live delivery between instances interrupted), the watcher says so and keeps asking for the
 * stored trail; after the server closes with 1012 and the new connection is not degraded, it
 * is live again and stops polling.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { Watcher } from '../../web/src/sharing/watcher.ts';

const SHARE = '7d0c2b8e-0000-4000-8000-000000000001';

describe('a watcher told that live delivery is degraded', () => {
  let server: WebSocketServer;
  const connections: { since: number; socket: import('ws').WebSocket }[] = [];

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, path: '/api/shares/ws' });
    await new Promise((resolve) => server.once('listening', resolve));
    server.on('connection', (socket) => {
      const conn = { since: 0, socket };
      connections.push(conn);
      socket.send(JSON.stringify({ type: 'ready' }));
      // Only the first connection happens while Redis is away.
      if (connections.length === 1) socket.send(JSON.stringify({ type: 'degraded' }));
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame.type === 'join')
          socket.send(JSON.stringify({ type: 'joined', share: SHARE, access: 'live', status: 'active' }));
        if (frame.type === 'since') conn.since += 1;
      });
    });
    const { port } = server.address() as AddressInfo;
    // The browser globals the engine uses.
    vi.stubGlobal('WebSocket', NodeWebSocket);
    vi.stubGlobal('location', { protocol: 'http:', host: `127.0.0.1:${port}` });
    vi.stubGlobal('window', new EventTarget());
    vi.stubGlobal('navigator', { onLine: true });
  });

  afterAll(async () => {
    vi.unstubAllGlobals();
    await new Promise((resolve) => server.close(resolve));
  });

  it('shows it, polls the stored trail meanwhile, and is live again after the reconnection', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['decrypt']);
    const watcher = new Watcher(SHARE, key);
    watcher.start();
    try {
      await expect.poll(() => watcher.get().degraded, { timeout: 5_000 }).toBe(true);
      expect(watcher.get().connection).toBe('online');
      // One `since` at join, then one every poll period while degraded.
      await expect
        .poll(() => connections[0].since, { timeout: 12_000, interval: 100 })
        .toBeGreaterThanOrEqual(2);

      connections[0].socket.close(1012, 'redis back');
      await expect.poll(() => connections.length, { timeout: 15_000, interval: 100 }).toBe(2);
      await expect.poll(() => watcher.get().degraded, { timeout: 5_000 }).toBe(false);
      await expect.poll(() => connections[1].since, { timeout: 5_000 }).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(connections[1].since).toBe(1); // no polling once live again
    } finally {
      watcher.stop();
    }
  }, 45_000);
});
