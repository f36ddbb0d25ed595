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

export async function collectGarbage(url: string): Promise<void> {
  const socket = new WebSocket(url);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        const reply = JSON.parse(String(data)) as { id?: number; error?: { message: string } };
        if (reply.id !== 1) return;
        if (reply.error) reject(new Error(`collectGarbage: ${reply.error.message}`));
        else resolve();
      });
      socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    });
  } finally {
    socket.close();
  }
}
