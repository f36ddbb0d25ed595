/**
 * A small HTTP/1.1 load generator over raw keep-alive TCP connections (no autocannon here):
 * requests are pre-encoded buffers, responses are framed by Content-Length (or a chunked
 * terminator). Closed loop (N connections, each sends its next request when answered) for
 * throughput; open loop (a fixed rate, latency measured from the scheduled instant, so a
 * stalled server is not hidden by coordinated omission) for latency at a given load.
 */
import { connect, type Socket } from 'node:net';
import { type LatencySummary, Samples, summarize } from './stats.ts';

export interface Target {
  host: string;
  port: number;
}

export function encodeRequest(
  target: Target,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Buffer {
  const lines = [
    `${method} ${path} HTTP/1.1`,
    `host: ${target.host}:${target.port}`,
    'connection: keep-alive',
  ];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body !== undefined) {
    lines.push(`content-length: ${Buffer.byteLength(body)}`);
    if (!headers['content-type']) lines.push('content-type: application/json');
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
}

const CRLF2 = Buffer.from('\r\n\r\n');
const CHUNK_END = Buffer.from('0\r\n\r\n');

/** One keep-alive connection; `send` resolves with the status code when the response is complete. */
class Conn {
  private socket: Socket;
  private buf: Buffer = Buffer.alloc(0);
  private waiting: ((status: number) => void) | null = null;
  private failed: ((e: Error) => void) | null = null;
  /** The socket is gone (the server closed it, e.g. after its keep-alive timeout while idle). */
  closed = false;
  readonly open: Promise<void>;

  constructor(target: Target) {
    this.socket = connect(target.port, target.host);
    this.socket.setNoDelay(true);
    this.open = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (e) => this.failed?.(e));
    this.socket.on('close', () => {
      this.closed = true;
      this.failed?.(new Error('connection closed'));
    });
  }

  send(request: Buffer): Promise<number> {
    // Writing to a destroyed socket emits no 'error' and no 'close': it would never settle.
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
      this.socket.write(request);
    });
  }

  private onData(chunk: Buffer) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const headerEnd = this.buf.indexOf(CRLF2);
    if (headerEnd < 0) return;
    const head = this.buf.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let end: number;
    if (m) {
      end = headerEnd + 4 + Number(m[1]);
      if (this.buf.length < end) return;
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const t = this.buf.indexOf(CHUNK_END, headerEnd + 4);
      if (t < 0) return;
      end = t + CHUNK_END.length;
    } else end = headerEnd + 4;
    this.buf = this.buf.length > end ? this.buf.subarray(end) : Buffer.alloc(0);
    const done = this.waiting;
    this.waiting = null;
    this.failed = null;
    done?.(status);
  }

  close() {
    this.socket.destroy();
  }
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  durationMs: number;
  rps: number;
  latency: LatencySummary;
}

async function openConns(target: Target, n: number): Promise<Conn[]> {
  const conns = Array.from({ length: n }, () => new Conn(target));
  await Promise.all(conns.map((c) => c.open));
  return conns;
}

/** `connections` loops, each sending its next request as soon as the previous is answered. */
export async function closedLoop(options: {
  target: Target;
  connections: number;
  durationMs: number;
  request: (i: number) => Buffer;
}): Promise<LoadResult> {
  const conns = await openConns(options.target, options.connections);
  const lat = new Samples();
  const statuses: Record<string, number> = {};
  let errors = 0;
  let i = 0;
  const start = performance.now();
  const deadline = start + options.durationMs;
  await Promise.all(
    conns.map(async (c) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const status = await c.send(options.request(i++));
          lat.push(performance.now() - t0);
          statuses[status] = (statuses[status] ?? 0) + 1;
        } catch {
          errors++;
          return;
        }
      }
    }),
  );
  const durationMs = performance.now() - start;
  for (const c of conns) c.close();
  return {
    requests: lat.length,
    errors,
    statuses,
    durationMs,
    rps: (lat.length / durationMs) * 1000,
    latency: summarize(lat.values()),
  };
}

/** A fixed request rate; latency counts from the instant each request was due. */
export async function openLoop(options: {
  target: Target;
  rate: number;
  durationMs: number;
  connections: number;
  request: (i: number) => Buffer;
}): Promise<LoadResult> {
  const conns = await openConns(options.target, options.connections);
  const free = [...conns];
  const backlog: number[] = [];
  const lat = new Samples();
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let inFlight = 0;
  const interval = 1000 / options.rate;
  const total = Math.floor((options.durationMs / 1000) * options.rate);
  const start = performance.now();

  const release = (c: Conn) => {
    inFlight--;
    const next = backlog.shift();
    if (next !== undefined) fire(next, c);
    else free.push(c);
  };
  const fire = (due: number, idle: Conn) => {
    inFlight++;
    // Requests go to the most recently freed connection, so at a steady rate most connections
    // stay idle and the server closes them after its keep-alive timeout (Havre: 10 s); a burst
    // then reaches for one of them. A client reconnects: so does this one, in the latency.
    let c = idle;
    if (c.closed) {
      c = new Conn(options.target);
      conns.push(c);
    }
    c.send(options.request(sent)).then(
      (status) => {
        lat.push(performance.now() - due);
        statuses[status] = (statuses[status] ?? 0) + 1;
        release(c);
      },
      () => {
        errors++;
        release(c); // counted as an error; the next request takes a new connection
      },
    );
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        const due = start + sent * interval;
        sent++;
        const c = free.pop();
        if (c) fire(due, c);
        else backlog.push(due);
      }
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, start + sent * interval - now)));
      else {
        const wait = () => (inFlight === 0 && backlog.length === 0 ? resolve() : setTimeout(wait, 2));
        wait();
      }
    };
    tick();
  });
  const durationMs = performance.now() - start;
  for (const c of conns) c.close();
  return {
    requests: lat.length,
    errors,
    statuses,
    durationMs,
    rps: (lat.length / durationMs) * 1000,
    latency: summarize(lat.values()),
  };
}
