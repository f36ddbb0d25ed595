/**
 * The tiny subset of MQTT 3.1.1 the relay benchmark needs, over node:net: CONNECT (clean
 * session), SUBSCRIBE (QoS 0), PUBLISH (QoS 0) both ways, PINGREQ. No `mqtt` package here.
 */
import { connect, type Socket } from 'node:net';

function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

const str = (s: string) => {
  const b = Buffer.from(s);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
};

export function connectPacket(clientId: string, keepAliveS = 0): Buffer {
  // protocol name "MQTT", level 4, flags: clean session (0x02), keep-alive.
  const variable = Buffer.concat([str('MQTT'), Buffer.from([4, 0x02, keepAliveS >> 8, keepAliveS & 0xff])]);
  const payload = str(clientId);
  return Buffer.concat([
    Buffer.from([0x10]),
    remainingLength(variable.length + payload.length),
    variable,
    payload,
  ]);
}

export function subscribePacket(packetId: number, topic: string): Buffer {
  const body = Buffer.concat([Buffer.from([packetId >> 8, packetId & 0xff]), str(topic), Buffer.from([0])]);
  return Buffer.concat([Buffer.from([0x82]), remainingLength(body.length), body]);
}

/** PUBLISH QoS 0: the topic header is built once per sharer, the payload per message. */
export function publishHeader(topic: string, payloadBytes: number): Buffer {
  const t = str(topic);
  return Buffer.concat([Buffer.from([0x30]), remainingLength(t.length + payloadBytes), t]);
}

export const PINGREQ = Buffer.from([0xc0, 0]);

/** A client connection; `onPublish` gets each PUBLISH payload. */
export class MqttClient {
  readonly socket: Socket;
  private buf: Buffer = Buffer.alloc(0);
  private waiters: ((type: number) => void)[] = [];
  onPublish: (payload: Buffer) => void = () => {};

  constructor(port: number, host = '127.0.0.1') {
    this.socket = connect(port, host);
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', () => {});
  }

  /** Resolves on the next packet of this type (CONNACK 2, SUBACK 9). */
  private expect(type: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`MQTT: no packet ${type}`)), 30_000);
      this.waiters.push((got) => {
        if (got === type) {
          clearTimeout(t);
          resolve();
        }
      });
    });
  }

  async open(clientId: string): Promise<void> {
    const ack = this.expect(2);
    this.socket.write(connectPacket(clientId));
    await ack;
  }

  async subscribe(topic: string): Promise<void> {
    const ack = this.expect(9);
    this.socket.write(subscribePacket(1, topic));
    await ack;
  }

  private onData(chunk: Buffer) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let off = 0;
    while (this.buf.length - off >= 2) {
      let len = 0;
      let mul = 1;
      let i = off + 1;
      let byte: number;
      do {
        if (i >= this.buf.length) {
          this.buf = this.buf.subarray(off);
          return;
        }
        byte = this.buf[i++];
        len += (byte & 127) * mul;
        mul *= 128;
      } while (byte & 128);
      if (this.buf.length < i + len) break;
      const type = this.buf[off] >> 4;
      if (type === 3) {
        const topicLen = this.buf.readUInt16BE(i);
        this.onPublish(this.buf.subarray(i + 2 + topicLen, i + len));
      } else for (const w of this.waiters.splice(0)) w(type);
      off = i + len;
    }
    this.buf = off >= this.buf.length ? Buffer.alloc(0) : this.buf.subarray(off);
  }
}
