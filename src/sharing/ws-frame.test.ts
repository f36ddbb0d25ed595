import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { textFrame, writePing, writeText } from './ws-frame.ts';

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

/** A real server socket and the client connected to it. */
async function pair(): Promise<{ server: WebSocket; client: WebSocket; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const port = (wss.address() as { port: number }).port;
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  await new Promise((resolve) => client.once('open', resolve));
  const server = await accepted;
  return {
    server,
    client,
    close: () =>
      new Promise((resolve) => {
        client.terminate();
        wss.close(() => resolve());
      }),
  };
}

describe('acks and pings written straight to the socket', () => {
  it('an ack is one text message to a real client, in order with what ws sends', async () => {
    const { server, client, close } = await pair();
    const got: { text: string; binary: boolean }[] = [];
    const three = new Promise((resolve) =>
      client.on('message', (data: Buffer, binary: boolean) => {
        got.push({ text: data.toString(), binary });
        if (got.length === 3) resolve(null);
      }),
    );
    server.send('{"type":"ready"}');
    writeText(server, '{"type":"ack","share":"s","seq":1}');
    writeText(server, `{"type":"ack","seqs":[${'1,'.repeat(100)}2],"é":1}`); // > 125 bytes, UTF-8
    await three;
    expect(got).toEqual([
      { text: '{"type":"ready"}', binary: false },
      { text: '{"type":"ack","share":"s","seq":1}', binary: false },
      { text: `{"type":"ack","seqs":[${'1,'.repeat(100)}2],"é":1}`, binary: false },
    ]);
    await close();
  });

  it('a ping reaches a real client, whose pong comes back', async () => {
    const { server, client, close } = await pair();
    const pinged = new Promise((resolve) => client.once('ping', resolve));
    const ponged = new Promise((resolve) => server.once('pong', resolve));
    writePing(server);
    await Promise.all([pinged, ponged]);
    await close();
  });

  it('nothing is written to a socket that is closing', async () => {
    const { server, client, close } = await pair();
    const received: string[] = [];
    client.on('message', (data: Buffer) => received.push(data.toString()));
    const pings: unknown[] = [];
    client.on('ping', (data) => pings.push(data));
    const closed = new Promise((resolve) => client.once('close', (code) => resolve(code)));
    server.close(4410, 'ended');
    writeText(server, '{"type":"ack"}');
    writePing(server);
    expect(await closed).toBe(4410);
    expect(received).toEqual([]);
    expect(pings).toEqual([]);
    await close();
  });
});
