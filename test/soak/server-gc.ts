/**
 * A full garbage collection in the server under test, through its inspector (the server runs
 * with `--inspect=127.0.0.1:0`; Chrome DevTools protocol, `HeapProfiler.collectGarbage`).
 *
 * Why: the used heap sampled without it depends on when V8 last ran a major collection — in a
 * short run there may be none after the warm-up, and an idle server does not collect by itself,
 * so "memory back to normal" compared garbage, not what the server keeps.
 */
import WebSocket from 'ws';

/** The inspector's WebSocket URL from the server's stderr lines, once it printed it. */
export function inspectorUrl(lines: readonly string[]): string | null {
  for (const line of lines) {
    const found = /Debugger listening on (ws:\/\/\S+)/.exec(line);
    if (found) return found[1];
  }
  return null;
}

/** A connection to the inspector; `send` runs one DevTools-protocol command and returns its result. */
async function session(url: string) {
  const socket = new WebSocket(url, { maxPayload: 1 << 30 });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let next = 0;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; method: string }>();
  socket.on('message', (data) => {
    const reply = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    const call = reply.id === undefined ? undefined : waiting.get(reply.id);
    if (!call) return;
    waiting.delete(reply.id as number);
    if (reply.error) call.reject(new Error(`${call.method}: ${reply.error.message}`));
    else call.resolve(reply.result);
  });
  return {
    send: (method: string, params: object = {}) =>
      new Promise<unknown>((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve, reject, method });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

export async function collectGarbage(url: string): Promise<void> {
  const inspector = await session(url);
  try {
    await inspector.send('HeapProfiler.collectGarbage');
  } finally {
    inspector.close();
  }
}

/**
 * A CPU profile of the server from now until the returned `stop` (HAVRE_SOAK_PROFILE). The
 * connection stays open meanwhile: the profiler stops with the session that started it.
 */
export async function startProfile(url: string): Promise<() => Promise<unknown>> {
  const inspector = await session(url);
  await inspector.send('Profiler.enable');
  await inspector.send('Profiler.setSamplingInterval', { interval: 1000 });
  await inspector.send('Profiler.start');
  return async () => {
    try {
      return ((await inspector.send('Profiler.stop')) as { profile: unknown }).profile;
    } finally {
      inspector.close();
    }
  };
}
