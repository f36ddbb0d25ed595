/**
 * Acknowledgements to sharers, sent only once their points are durable (the trail writer calls
 * `durable` after the commit). A socket's first ack goes out at once; while it keeps sending,
 * its acks are grouped, at most one frame per session every ACK_EVERY_MS: a phone sending a
 * backlog, or a fast one, costs one small write per window rather than one per point. A phone
 * sending every few seconds sees no delay at all. The window is 1 s: at saturation (each sharer
 * sending every ~340 ms) a 200 ms window still wrote one ack per point, a third of the relay's
 * writes (bench/README.md). Frames:
 *   {type:'ack', share, seq}                  one point
 *   {type:'ack', share, seq, seqs:[…]}        several (`seq` is the last of them)
 */
import type { Conn } from './relay.ts';
import type { PendingPoint } from './trail-writer.ts';
import { writeText } from './ws-frame.ts';

export const ACK_EVERY_MS = 1_000;

const ackFrame = (share: string, seqs: number[]): string =>
  seqs.length === 1
    ? `{"type":"ack","share":"${share}","seq":${seqs[0]}}`
    : `{"type":"ack","share":"${share}","seq":${seqs[seqs.length - 1]},"seqs":[${seqs.join(',')}]}`;

export class Acks {
  /** Sockets with durable points not acknowledged yet, waiting for their window. */
  private readonly waiting = new Set<Conn>();
  private timer: NodeJS.Timeout | null = null;

  /** `now`: a send window, not a product time (monotonic by default). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The points of a durable batch, acknowledged to the sockets that sent them. */
  readonly durable = (batch: PendingPoint[]): void => {
    const now = this.now();
    const touched: Conn[] = [];
    for (const point of batch) {
      const conn = point.from as Conn | undefined;
      if (!conn) continue;
      if (!conn.unacked) {
        conn.unacked = new Map();
        touched.push(conn);
      }
      const seqs = conn.unacked.get(point.share);
      if (seqs) seqs.push(point.seq);
      else conn.unacked.set(point.share, [point.seq]);
    }
    for (const conn of touched) {
      if (this.waiting.has(conn)) continue;
      if (now - conn.ackedAt >= ACK_EVERY_MS) this.send(conn, now);
      else this.waiting.add(conn);
    }
    if (this.waiting.size > 0) this.timer ??= setTimeout(this.flush, ACK_EVERY_MS).unref();
  };

  /** Sends every waiting ack (also at shutdown, after the last commit). */
  readonly flush = (): void => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = this.now();
    for (const conn of this.waiting) this.send(conn, now);
    this.waiting.clear();
  };

  private send(conn: Conn, now: number): void {
    const unacked = conn.unacked;
    conn.unacked = null;
    conn.ackedAt = now;
    if (!unacked) return;
    for (const [share, seqs] of unacked) writeText(conn.ws, ackFrame(share, seqs));
  }
}
