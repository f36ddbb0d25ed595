import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { textFrame } from './ws-frame.ts';

// ws's frame parser (exported at run time, absent from its type definitions).
const { Receiver } = WebSocket as unknown as {
  Receiver: new (options: { isServer: boolean }) => import('node:stream').Writable;
};

/** What a `ws` client makes of the bytes. */
function receive(bytes: Buffer): Promise<{ text: string; binary: boolean }> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, binary: boolean) => resolve({ text: data.toString(), binary }));
    receiver.on('error', reject);
    receiver.write(bytes);
  });
}

describe('a text frame built once for every watcher', () => {
  it('is a complete unmasked text frame for short, medium and long payloads', async () => {
    for (const n of [1, 125, 126, 65_535, 65_536]) {
      const text = 'a'.repeat(n);
      expect(await receive(textFrame(Buffer.from(text)))).toEqual({ text, binary: false });
    }
  });
});
