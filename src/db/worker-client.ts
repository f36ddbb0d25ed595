/**
 * The main thread's side of a worker thread that owns its own SQLite connection and commits
 * (src/sharing/trail-worker.mjs, src/reports/batch-thread.ts): better-sqlite3's commit is
 * synchronous, fsync included (milliseconds on a busy disk), and on the main thread it would
 * stop the event loop that parses requests.
 *
 * Protocol: `{id, ...}` in, `{id, result}` or `{id, error, code}` out once the transaction is
 * durable or rolled back; `{close: true}` closes the connection and ends the thread. A worker
 * that dies fails what it was given (nothing acknowledged) and is started again by the next call.
 */
import { Worker } from 'node:worker_threads';

/** The error of a failed call: the worker's message, with its code (SQLITE_FULL, SQLITE_BUSY…). */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** The thread ended with calls in flight: they may succeed if sent again. */
export const WORKER_EXITED = 'HAVRE_WORKER_EXITED';

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
  code?: string;
}

export class WorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();

  constructor(
    private readonly url: URL,
    private readonly workerData: unknown,
  ) {}

  private start(): Worker {
    // None of the parent's flags: a `--import tsx` would load the TypeScript loader a second
    // time (ts-worker.mjs registers it itself), slowing every start of the thread.
    const w = new Worker(this.url, { workerData: this.workerData, execArgv: [] });
    w.unref(); // referenced only while a call is in flight
    w.on('message', (msg: Reply) => {
      const pending = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (this.waiting.size === 0) w.unref();
      if (msg.error !== undefined) pending?.reject(new WorkerError(msg.error, msg.code));
      else pending?.resolve(msg.result);
    });
    const gone = (error: Error) => {
      if (this.worker === w) this.worker = null;
      for (const p of this.waiting.values()) p.reject(error);
      this.waiting.clear();
    };
    w.on('error', gone);
    w.on('exit', (code) => gone(new WorkerError(`worker exited (${code})`, WORKER_EXITED)));
    return w;
  }

  /** Sends `message` (plus its id); resolves with the worker's result once it committed. */
  call<T>(message: Record<string, unknown>): Promise<T> {
    this.worker ??= this.start();
    const w = this.worker;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      w.ref();
      w.postMessage({ ...message, id });
    });
  }

  /** Ends the thread once it has answered what it was given (messages are handled in order). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    const exited = new Promise((resolve) => w.once('exit', resolve));
    w.postMessage({ close: true });
    await exited;
  }
}
