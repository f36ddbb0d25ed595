/**
 * One position, many watchers: the WebSocket frame (header + payload) is built once and the
 * same bytes are written to every watcher's TCP socket. A server's frames are not masked, so
 * the bytes are the same for everyone; `ws.send` would frame the payload again for each socket
 * and write header and payload as two buffers (cork, writev). What a relay like Mosquitto does
 * with its packets.
 *
 * Safe because the relay never compresses (no permessage-deflate: ws then writes each frame
 * straight to the socket, keeping no queue of its own), and only an OPEN socket is written to,
 * so nothing can follow a close frame.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

const FIN_TEXT = 0x81;
const OPEN = 1; // WebSocket.OPEN
/** A ping with no payload, the same two bytes for every socket. */
const PING = Buffer.from([0x89, 0x00]);

/** A final text frame's header for `n` payload bytes, written at the start of `out`; returns its length. */
function header(out: Buffer, n: number): number {
  out[0] = FIN_TEXT;
  if (n < 126) {
    out[1] = n;
    return 2;
  }
  if (n < 65536) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
    return 4;
  }
  out[1] = 127;
  out.writeBigUInt64BE(BigInt(n), 2);
  return 10;
}

const headLength = (n: number) => (n < 126 ? 2 : n < 65536 ? 4 : 10);

/** A complete, unmasked, final text frame carrying `payload`. */
export function textFrame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(headLength(payload.length) + payload.length);
  payload.copy(out, header(out, payload.length));
  return out;
}

/** The socket's TCP stream when frames may be written to it directly (no compression), else null. */
function rawSocket(ws: WebSocket): Socket | null {
  return ws.extensions === '' ? (ws as unknown as { _socket: Socket })._socket : null;
}

/** Writes a frame made by `textFrame` to an open socket (falls back to `ws.send` if it compresses). */
export function writeFrame(ws: WebSocket, frame: Buffer, payload: Buffer): void {
  const socket = rawSocket(ws);
  if (socket) socket.write(frame);
  else ws.send(payload, { binary: false });
}

/**
 * Sends a short text (acks) as one frame in one buffer and one write: `ws.send` frames it
 * in two buffers and corks the socket around them, which cost the relay's event loop about as
 * much per ack as a position relayed to a watcher. Nothing is written to a socket not OPEN.
 */
export function writeText(ws: WebSocket, text: string): void {
  if (ws.readyState !== OPEN) return;
  const socket = rawSocket(ws);
  if (!socket) {
    ws.send(text, { binary: false });
    return;
  }
  const n = Buffer.byteLength(text);
  const out = Buffer.allocUnsafe(headLength(n) + n);
  out.write(text, header(out, n), n, 'utf8');
  socket.write(out);
}

/** Pings an open socket with one shared two-byte frame (the heartbeat: thousands per interval). */
export function writePing(ws: WebSocket): void {
  if (ws.readyState !== OPEN) return;
  const socket = rawSocket(ws);
  if (socket) socket.write(PING);
  else ws.ping();
}
