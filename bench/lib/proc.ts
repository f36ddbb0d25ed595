/**
 * Child processes of a benchmark (servers, load generators): started with tsx and an IPC
 * channel, asked things by RPC, and always killed — on stop, and when the runner exits or is
 * interrupted — so a run leaves nothing behind.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const live = new Set<ChildProcess>();
const cleanups = new Set<() => void>();
let hooked = false;

/** A synchronous clean-up run if the runner exits or is interrupted first; call the result to drop it. */
export function atExit(fn: () => void): () => void {
  hookExit();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

function hookExit() {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const child of live) child.kill('SIGKILL');
    for (const fn of cleanups) {
      try {
        fn();
      } catch {}
    }
    cleanups.clear();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
}

export interface Rpc {
  child: ChildProcess;
  pid: number;
  /** What the child said when ready (port …). */
  ready: Record<string, unknown>;
  call<T = unknown>(cmd: string, args?: unknown): Promise<T>;
  /** Messages the child sends on its own (progress). */
  onEvent(fn: (msg: Record<string, unknown>) => void): void;
  stop(): Promise<void>;
}

/** Starts `bench/<path>` or an absolute path (TypeScript) as a child with IPC and waits for its `ready` message. */
export function startChild(
  path: string,
  options: { args?: string[]; env?: Record<string, string>; execArgv?: string[]; timeoutMs?: number } = {},
): Promise<Rpc> {
  hookExit();
  // Relative to bench/, or absolute (a server from another checkout, for A/B runs).
  const file = path.startsWith('/') ? path : fileURLToPath(new URL(`../${path}`, import.meta.url));
  const child = fork(file, options.args ?? [], {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners: ((msg: Record<string, unknown>) => void)[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    live.delete(child);
    for (const p of pending.values()) p.reject(new Error(`${path} exited (${code ?? signal})`));
    pending.clear();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path}: not ready in time`));
    }, options.timeoutMs ?? 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${path} exited before ready (${code})`));
    });
    child.on('message', (raw) => {
      const msg = raw as Record<string, unknown>;
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve({
          child,
          pid: child.pid as number,
          ready: msg,
          call<T>(cmd: string, args?: unknown) {
            const id = nextId++;
            return new Promise<T>((res, rej) => {
              pending.set(id, { resolve: res as (v: unknown) => void, reject: rej });
              child.send({ type: 'call', id, cmd, args });
            });
          },
          onEvent(fn) {
            listeners.push(fn);
          },
          async stop() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
            await exited;
            clearTimeout(t);
          },
        });
      } else if (msg.type === 'result') {
        const p = pending.get(msg.id as number);
        pending.delete(msg.id as number);
        if (msg.error) p?.reject(new Error(String(msg.error)));
        else p?.resolve(msg.value);
      } else for (const fn of listeners) fn(msg);
    });
  });
}

/** In a child: answers the parent's calls with `handlers`, then says ready. */
export function serveParent(
  handlers: Record<string, (args: never) => unknown>,
  ready: Record<string, unknown> = {},
  onStop: () => Promise<void> = async () => {},
): void {
  process.on('message', async (raw) => {
    const msg = raw as { type: string; id: number; cmd: string; args: unknown };
    if (msg.type !== 'call') return;
    try {
      const fn = handlers[msg.cmd];
      if (!fn) throw new Error(`unknown command ${msg.cmd}`);
      const value = await fn(msg.args as never);
      process.send?.({ type: 'result', id: msg.id, value: value ?? null });
    } catch (error) {
      process.send?.({ type: 'result', id: msg.id, error: (error as Error).stack ?? String(error) });
    }
  });
  const stop = () =>
    onStop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  process.send?.({ type: 'ready', ...ready });
}

/** A plain external program (mosquitto), killed with the others. */
export function startProgram(command: string, args: string[]): ChildProcess {
  hookExit();
  const child = spawn(command, args, { stdio: 'ignore' }); // a full, unread pipe would block it
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export async function stopProgram(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(t);
}

/** Resident memory of a process in bytes (Linux /proc). */
export async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

/** CPU time (user + system) of a process in ms, from /proc/PID/stat. */
export async function cpuMsOf(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks, USER_HZ = 100
}

/**
 * CPU time (ms) of each thread of a process (`/proc/PID/task`), keyed `main` (the thread whose id
 * is the process's) or by thread id: the main thread's share against a worker's, V8's GC helpers'.
 * (Node leaves its threads unnamed: all are `node`.)
 */
export async function threadCpuMsOf(pid: number): Promise<Record<string, number>> {
  const { readFile, readdir } = await import('node:fs/promises');
  const out: Record<string, number> = {};
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [])) {
    try {
      const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[Number(tid) === pid ? 'main' : tid] = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}
