/**
 * Peer of the relay benchmark: a minimal `ws` relay with no logic — rooms from the URL
 * (`/?room=ID&role=sharer|watcher`), every sharer message forwarded as is to the room's
 * watchers. No authentication, no validation, no persistence.
 */
import { type WebSocket, WebSocketServer } from 'ws';
import { loopWatch } from '../lib/loop-watch.ts';
import { serveParent } from '../lib/proc.ts';

const rooms = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 16 * 1024 });
wss.on('connection', (ws, req) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const room = url.searchParams.get('room') ?? '';
  if (url.searchParams.get('role') === 'watcher') {
    const set = rooms.get(room) ?? new Set<WebSocket>();
    rooms.set(room, set);
    set.add(ws);
    ws.on('close', () => set.delete(ws));
  } else {
    ws.on('message', (data, isBinary) => {
      for (const w of rooms.get(room) ?? []) w.send(data, { binary: isBinary });
    });
  }
});
await new Promise((r) => wss.once('listening', r));
const address = wss.address();
const watch = loopWatch();
serveParent(
  {
    loopReset: watch.reset,
    loopRead: watch.read,
    memory() {
      if (global.gc) global.gc();
      return process.memoryUsage();
    },
  },
  { port: typeof address === 'object' && address ? address.port : 0 },
  async () => void wss.close(),
);
