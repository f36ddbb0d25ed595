/**
 * Crash safety: a real server (`havre serve`) takes a stream of reports from several citizens;
 * it is killed with SIGKILL mid-stream and restarted. Every report it had acknowledged (201)
 * must be in the database after the restart, and SQLite must pass `PRAGMA integrity_check`
 * (read-only connection). Same on PostgreSQL (a fresh database) when HAVRE_TEST_DATABASE_URL is set.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encryptPosition, generateSessionKey } from '../../src/shared/envelope.ts';
import { POSTGRES_URL } from '../helpers/backends.ts';
import { freshPostgresDatabase } from '../helpers/postgres-database.ts';
import { BIN, exited, freePort, ROOT, waitHealthy } from '../helpers/process.ts';
import { signUpByMail } from '../helpers/signup-by-mail.ts';

/** A session's stored seqs: the trail and SQLite's append log (points not moved yet; empty on PostgreSQL). */
const TRAIL_SEQS =
  'select seq from trail_points where share_id = ? union select seq from trail_log where share_id = ?';

/**
 * A sharer over the WebSocket relay that follows the browser's resume protocol
 * (web/src/sharing/sharer.ts): every position keeps its seq in an outbox until its `ack`; the
 * socket reconnects by itself; after `joined`, the outbox is sent again — over the socket when
 * short, over HTTP in batches when longer than 20 (the relay's message rate limit).
 */
class ResumingSharer {
  readonly outbox = new Map<number, string>();
  /** Seqs the server acknowledged over the socket or HTTP, in order of acknowledgement. */
  readonly acked: number[] = [];
  reconnections = 0;
  private ws: WebSocket | null = null;
  private joined = false;
  private stopped = false;

  constructor(
    private readonly base: string,
    private readonly token: string,
    readonly shareId: string,
  ) {}

  start() {
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.ws?.terminate();
  }

  /** A new position: into the outbox first, then on the socket if it is up. */
  add(seq: number, c: string) {
    this.outbox.set(seq, c);
    if (this.joined) this.ws?.send(JSON.stringify({ type: 'pos', share: this.shareId, seq, c }));
  }

  private connect() {
    if (this.stopped) return;
    const ws = new WebSocket(`${this.base.replace('http', 'ws')}/api/shares/ws`);
    this.ws = ws;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token: this.token })));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.type === 'ready') ws.send(JSON.stringify({ type: 'join', share: this.shareId }));
      else if (frame.type === 'joined') {
        this.joined = true;
        void this.flush(ws);
      } else if (frame.type === 'ack') this.acknowledge(Array.isArray(frame.seqs) ? frame.seqs : [frame.seq]);
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.joined = false;
      this.ws = null;
      if (this.stopped) return;
      this.reconnections += 1;
      setTimeout(() => this.connect(), 200);
    });
  }

  private acknowledge(seqs: number[]) {
    for (const seq of seqs) {
      if (this.outbox.delete(seq)) this.acked.push(seq);
    }
  }

  private async flush(ws: WebSocket) {
    const items = [...this.outbox].sort((a, b) => a[0] - b[0]);
    if (items.length <= 20) {
      for (const [seq, c] of items) ws.send(JSON.stringify({ type: 'pos', share: this.shareId, seq, c }));
      return;
    }
    for (let i = 0; i < items.length; i += 500) {
      const batch = items.slice(i, i + 500).map(([seq, c]) => ({ seq, c }));
      const res = await fetch(`${this.base}/api/shares/${this.shareId}/positions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ positions: batch }),
      }).catch(() => null);
      if (res?.status !== 200) return; // down again: the next `joined` retries
      this.acknowledge((await res.json()).acked);
    }
  }
}

describe.each(POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'])('crash safety on %s', (backend) => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('keeps every acknowledged report and share position after SIGKILL mid-stream, and the database is intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'havre-crash-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    let databaseUrl = `sqlite:${join(dir, 'havre.sqlite')}`;
    if (backend === 'postgres') {
      const fresh = await freshPostgresDatabase('havre_crash');
      cleanup.push(() => fresh.drop());
      databaseUrl = fresh.url;
    }
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      HAVRE_DATA_DIR: dir,
      HAVRE_DATABASE_URL: databaseUrl,
      HAVRE_SECRET: 'crash-secret-crash-secret-crash-secret-01',
      HAVRE_PORT: String(port),
      HAVRE_LOG_LEVEL: 'warn',
      HAVRE_RATE_LIMIT: '1000000',
      HAVRE_WEB_DIR: join(dir, 'no-web'),
    };
    // As an installation starts: the database first (other commands refuse a missing one).
    execFileSync(process.execPath, [BIN, 'migrate'], { env, stdio: 'pipe' });
    execFileSync(
      process.execPath,
      [BIN, 'territory', 'import', join(ROOT, 'data/territories/paris-arrondissements.geojson')],
      { env, stdio: 'pipe' },
    );
    const serve = () => {
      const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      cleanup.push(async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited(child);
        }
      });
      return child;
    };

    let server = serve();
    await waitHealthy(base, server);
    // 20 reports per account per day: enough citizens for the stream.
    const tokens: string[] = [];
    for (let i = 0; i < 12; i++) {
      tokens.push(await signUpByMail(base, dir, `crash-${i}@test.example`, 'correct-horse-battery'));
    }

    // One live share whose owner streams encrypted positions over the HTTP fallback meanwhile.
    const owner = { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` };
    const started = await fetch(`${base}/api/shares`, {
      method: 'POST',
      headers: owner,
      body: JSON.stringify({ mode: 'trip', visibility: 'live', recipients: [] }),
    });
    expect(started.status).toBe(201);
    const shareId: string = (await started.json()).id;
    const key = await generateSessionKey();
    const ackedSeqs: number[] = [];

    // A second share, streamed over the WebSocket relay by a client that resumes by itself.
    const wsShare = await fetch(`${base}/api/shares`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[1]}` },
      body: JSON.stringify({ mode: 'trip', visibility: 'live', recipients: [] }),
    });
    expect(wsShare.status).toBe(201);
    const sharer = new ResumingSharer(base, tokens[1], (await wsShare.json()).id);
    cleanup.push(() => sharer.stop());
    sharer.start();
    const seal = (shareId: string, seq: number) =>
      encryptPosition(key, shareId, seq, {
        lat: 48.88,
        lon: 2.32,
        accuracy: 10,
        heading: null,
        speed: null,
        battery: null,
        t: Date.now(),
      });
    let wsSeq = 0;
    let producing = true;
    const produce = (async () => {
      while (producing) {
        sharer.add(wsSeq, await seal(sharer.shareId, wsSeq));
        wsSeq += 1;
        await new Promise((r) => setTimeout(r, 25)); // 40 positions/s, under the relay's rate limit
      }
    })();

    const acknowledged: string[] = [];
    let sent = 0;
    let killed = false;
    const worker = async (w: number) => {
      for (;;) {
        const n = sent++;
        if (n >= tokens.length * 20) return;
        try {
          const res = await fetch(`${base}/api/reports`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${tokens[n % tokens.length]}`,
            },
            body: JSON.stringify({
              category: 'following',
              role: 'victim',
              lat: 48.8838 + ((n % 17) - 8) * 0.0005,
              lon: 2.3203 + ((w % 7) - 3) * 0.0005,
              occurredAt: new Date(Date.now() - 10 * 60_000).toISOString(),
            }),
          });
          if (res.status === 201) acknowledged.push((await res.json()).id);
          else if (!killed) throw new Error(`unexpected ${res.status} ${await res.text()}`);
        } catch (error) {
          if (!killed) throw error;
          return; // the server is gone: connection refused or reset
        }
      }
    };
    const positions = async () => {
      for (let seq = 1; seq < 100_000; seq++) {
        const c = await encryptPosition(key, shareId, seq, {
          lat: 48.88,
          lon: 2.32,
          accuracy: 10,
          heading: null,
          speed: null,
          battery: null,
          t: Date.now(),
        });
        try {
          const res = await fetch(`${base}/api/shares/${shareId}/positions`, {
            method: 'POST',
            headers: owner,
            body: JSON.stringify({ positions: [{ seq, c }] }),
          });
          if (res.status === 200) ackedSeqs.push(...(await res.json()).acked);
          else if (!killed) throw new Error(`positions: ${res.status} ${await res.text()}`);
        } catch (error) {
          if (!killed) throw error;
          return;
        }
        if (killed) return;
      }
    };
    const workers = [...Array.from({ length: 8 }, (_, w) => worker(w)), positions()];
    // Kill once a good part of the stream was acknowledged, while requests are in flight.
    while (acknowledged.length < 80 || sharer.acked.length < 20) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    server.kill('SIGKILL');
    const wsAckedBeforeKill = [...sharer.acked];
    await exited(server);
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(80);

    server = serve();
    await waitHealthy(base, server);
    let stored: Set<string>;
    let trail: Set<number>;
    let wsTrail: Set<number>;
    if (backend === 'sqlite') {
      const db = new Database(join(dir, 'havre.sqlite'), { readonly: true, fileMustExist: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        stored = new Set((db.prepare('select id from reports').all() as { id: string }[]).map((r) => r.id));
        const seqs = (id: string) =>
          new Set((db.prepare(TRAIL_SEQS).all(id, id) as { seq: number }[]).map((r) => Number(r.seq)));
        trail = seqs(shareId);
        wsTrail = seqs(sharer.shareId);
      } finally {
        db.close();
      }
    } else {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        stored = new Set((await client.query('select id from reports')).rows.map((r) => r.id));
        const seqs = async (id: string) =>
          new Set(
            (await client.query(TRAIL_SEQS.replaceAll('?', '$1'), [id])).rows.map((r) => Number(r.seq)),
          );
        trail = await seqs(shareId);
        wsTrail = await seqs(sharer.shareId);
      } finally {
        await client.end();
      }
    }
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    expect(ackedSeqs.length).toBeGreaterThan(0);
    expect(ackedSeqs.filter((seq) => !trail.has(seq))).toEqual([]);
    // Every position acknowledged over the WebSocket before the kill survived it. (The sharer
    // never sends an acknowledged seq again, so a later resend cannot hide a loss.)
    expect(wsAckedBeforeKill.length).toBeGreaterThanOrEqual(20);
    expect(wsAckedBeforeKill.filter((seq) => !wsTrail.has(seq))).toEqual([]);

    // The sharer resumes by itself: it reconnected, and what it kept while the server was down
    // (and what it could not get acknowledged) arrives; the trail ends up without a gap.
    await new Promise((r) => setTimeout(r, 500));
    producing = false;
    await produce;
    const drained = Date.now() + 30_000;
    while (sharer.outbox.size > 0 && Date.now() < drained) await new Promise((r) => setTimeout(r, 50));
    expect(sharer.outbox.size).toBe(0);
    expect(sharer.reconnections).toBeGreaterThanOrEqual(1);
    const after = await fetch(`${base}/api/shares/${sharer.shareId}/positions?since=-1&limit=5000`, {
      headers: { authorization: `Bearer ${tokens[1]}` },
    });
    expect(after.status).toBe(200);
    const seqsAfter = ((await after.json()).positions as { seq: number }[]).map((p) => p.seq);
    expect(seqsAfter).toEqual(Array.from({ length: wsSeq }, (_, i) => i));
    console.info(
      `crash safety (${backend}): reports ${acknowledged.length} acknowledged, ${stored.size} stored; positions ${ackedSeqs.length} acknowledged, ${trail.size} stored; WebSocket ${wsAckedBeforeKill.length} acknowledged before the kill, all ${wsSeq} stored after the sharer resumed (${sharer.reconnections} connection attempts after the drop)`,
    );
    // The restarted server takes reports again.
    const again = await fetch(`${base}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
      body: JSON.stringify({
        category: 'following',
        role: 'witness',
        lat: 48.8838,
        lon: 2.3203,
        occurredAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      }),
    });
    expect([201, 429]).toContain(again.status);
  }, 120_000);
});
