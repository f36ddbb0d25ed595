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

/** A complete, unmasked, final text frame carrying `payload`. */
export function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + n);
  out[0] = FIN_TEXT;
  if (n < 126) out[1] = n;
  else if (n < 65536) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(out, head);
  return out;
}

/** Writes a frame made by `textFrame` to an open socket (falls back to `ws.send` if it compresses). */
export function writeFrame(ws: WebSocket, frame: Buffer, payload: Buffer): void {
  if (ws.extensions !== '') ws.send(payload, { binary: false });
  else (ws as unknown as { _socket: Socket })._socket.write(frame);
}
