/**
 * The subset of a WebSocket client (RFC 6455) the relay benchmark needs, over node:net, as
 * lean as its MQTT client (`mqtt.ts`): the generator must spend the same effort per message on
 * every system it drives, or it measures its own clients rather than the relays (with the `ws`
 * package the generators spent 1.4× the CPU per delivery on WebSocket relays that they spent on
 * Mosquitto). Client frames are masked with a fresh random key each, as the protocol requires;
 * pings are answered; text and binary messages go to `onMessage`. No extensions.
 */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { connect, type Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** Random masking keys, drawn in bulk. */
const keys = Buffer.alloc(64 * 1024);
let keyAt = keys.length;
function maskKey(): number {
  if (keyAt + 4 > keys.length) {
    randomFillSync(keys);
    keyAt = 0;
  }
  keyAt += 4;
  return keys.readUInt32BE(keyAt - 4);
}

/** A masked client frame. */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + 4 + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = 0x80 | n;
  else if (n < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(n), 2);
  }
  const key = maskKey();
  out.writeUInt32BE(key, head);
  const m = [key >>> 24, (key >>> 16) & 0xff, (key >>> 8) & 0xff, key & 0xff];
  const at = head + 4;
  for (let i = 0; i < n; i++) out[at + i] = payload[i] ^ m[i & 3];
  return out;
}

export class WsClient {
  readonly socket: Socket;
  private buf: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private upgraded = false;
  private closed = false;
  onMessage: (data: Buffer) => void = () => {};
  onClose: (code: number) => void = () => {};

  private constructor(socket: Socket) {
    this.socket = socket;
  }

  /** Connects and upgrades (`ws://host:port/path`); resolves once the server said 101. */
  static open(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
    const u = new URL(url);
    const socket = connect(Number(u.port), u.hostname);
    socket.setNoDelay(true);
    const client = new WsClient(socket);
    const key = randomBytes(16).toString('base64');
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    return new Promise((resolve, reject) => {
      let head = '';
      const failed = (error: Error) => {
        socket.destroy();
        reject(error);
      };
      socket.once('error', failed);
      socket.on('connect', () => {
        const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
        socket.write(
          `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra.join('')}\r\n`,
        );
      });
      socket.on('data', (chunk: Buffer) => {
        if (client.upgraded) return client.onData(chunk);
        head += chunk.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = head.slice(0, end).split('\r\n');
        if (!lines[0].startsWith('HTTP/1.1 101')) return failed(new Error(`upgrade refused: ${lines[0]}`));
        const sent = lines.find((l) => l.toLowerCase().startsWith('sec-websocket-accept:'));
        if (sent?.slice(sent.indexOf(':') + 1).trim() !== accept)
          return failed(new Error('bad Sec-WebSocket-Accept'));
        client.upgraded = true;
        socket.off('error', failed);
        socket.on('error', () => {});
        socket.on('close', () => client.closedWith(1006));
        resolve(client);
        const rest = Buffer.from(head.slice(end + 4), 'latin1');
        if (rest.length) client.onData(rest);
      });
    });
  }

  send(text: string): void {
    this.socket.write(clientFrame(OP.text, Buffer.from(text)));
  }

  terminate(): void {
    this.socket.destroy();
  }

  private closedWith(code: number) {
    if (this.closed) return;
    this.closed = true;
    this.onClose(code);
  }

  private onData(chunk: Buffer) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let off = 0;
    for (;;) {
      const avail = this.buf.length - off;
      if (avail < 2) break;
      const b0 = this.buf[off];
      let n = this.buf[off + 1] & 0x7f; // server frames are not masked
      let at = off + 2;
      if (n === 126) {
        if (avail < 4) break;
        n = this.buf.readUInt16BE(off + 2);
        at = off + 4;
      } else if (n === 127) {
        if (avail < 10) break;
        n = Number(this.buf.readBigUInt64BE(off + 2));
        at = off + 10;
      }
      if (this.buf.length < at + n) break;
      this.frame(b0 & 0x80, b0 & 0x0f, this.buf.subarray(at, at + n));
      off = at + n;
    }
    this.buf = off >= this.buf.length ? Buffer.alloc(0) : this.buf.subarray(off);
  }

  private frame(fin: number, opcode: number, payload: Buffer) {
    if (opcode === OP.ping) {
      this.socket.write(clientFrame(OP.pong, payload));
    } else if (opcode === OP.close) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      this.socket.end(clientFrame(OP.close, payload.subarray(0, 2)));
      this.closedWith(code);
    } else if (opcode === OP.text || opcode === OP.binary || opcode === OP.continuation) {
      if (!fin) {
        this.fragments.push(Buffer.from(payload));
        return;
      }
      if (this.fragments.length) {
        this.fragments.push(payload);
        payload = Buffer.concat(this.fragments);
        this.fragments = [];
      }
      this.onMessage(payload);
    }
  }
}
