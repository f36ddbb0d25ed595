/**
 * Scale-out, for real: three `havre serve` processes (A, B, C) on one PostgreSQL database and
 * one Redis, driven over HTTP, WebSocket and Server-Sent Events like browsers would.
 *
 * - a sharer on A and a contact on B follow each other live (both directions);
 * - a report posted to A appears on a dashboard open on C;
 * - A is killed (SIGKILL) mid-session: the sharer resumes on B, and every position an
 *   instance had acknowledged is there;
 * - a missed check-in alerts the contact exactly once across the instances (the timers run
 *   under a database lease), and again exactly once after the lease holder is killed.
 *
 * Time cannot be advanced inside real processes: the test moves a timer's due time into the
 * past in the database, as if the hour had come.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptPosition } from '../../src/shared/envelope.ts';
import { POSTGRES_URL, REDIS_URL } from '../helpers/backends.ts';
import {
  clusterEnv,
  freePort,
  havre,
  type Instance,
  sleep,
  spawnHavre,
  until,
} from '../helpers/instances.ts';
import { freshPostgresDatabase } from '../helpers/postgres-database.ts';
import {
  acks,
  befriend,
  call,
  type Person,
  positions,
  share,
  signup,
  socket,
  unfold,
} from '../helpers/remote-people.ts';
import { type Client, POSITION, type StartedShare, seal } from '../helpers/sharing.ts';
import { type Received, startSmtp } from '../helpers/smtp.ts';
import { openSse, type Sse } from '../helpers/sse.ts';

const CHECKIN_JOB = 'sharing.checkin-timers';
/** Two scheduler periods (5 s): long enough for any second runner to have fired too. */
const SETTLE_MS = 11_000;

describe.runIf(POSTGRES_URL && REDIS_URL)('three instances on one PostgreSQL and Redis', () => {
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let sql: pg.Client;
  let dir: string;
  let smtp: SMTPServer;
  const mails: Received[] = [];
  const instances: Record<'A' | 'B' | 'C', Instance> = {} as never;
  let alice: Person;
  let bob: Person;
  let env: Record<string, string>;

  const sockets: Client[] = [];
  const open = (on: Instance, who: Person) => socket(on, who, sockets);

  /** E-mails to `email` that carry the follow link of `shareId` (only alerts do). */
  const alertMails = (email: string, shareId: string) =>
    mails.filter((m) => m.to.includes(email) && unfold(m.data).includes(`/suivre/${shareId}`));

  /** Which running instances report holding the check-in timers' lease (exactly one, eventually). */
  async function leaseHolder(candidates: Instance[]): Promise<Instance> {
    return until(async () => {
      const holding: Instance[] = [];
      for (const instance of candidates) {
        const metrics = await (await fetch(`${instance.base}/metrics`)).text();
        if (metrics.includes(`havre_job_lease_held{job="${CHECKIN_JOB}"} 1`)) holding.push(instance);
      }
      return holding.length === 1 ? holding[0] : null;
    }, 'one instance holding the check-in lease');
  }

  /** Makes the check-in hour of `shareId` come: the sharer is asked, then (grace over) contacts alerted. */
  async function missCheckIn(shareId: string, sharer: Client, waitMs = 30_000) {
    const now = Date.now();
    await sql.query('update checkin_timers set due_at = $1 where share_id = $2', [now - 1_000, shareId]);
    await sharer.next((m) => m.type === 'question' && m.share === shareId, waitMs);
    await sql.query(`update checkin_timers set due_at = $1 where share_id = $2 and state = 'asking'`, [
      Date.now() - 1_000,
      shareId,
    ]);
  }

  beforeAll(async () => {
    database = await freshPostgresDatabase('havre_three');
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    dir = mkdtempSync(join(tmpdir(), 'havre-three-'));
    const smtpPort = await freePort();
    smtp = await startSmtp(smtpPort, mails);
    env = clusterEnv({ databaseUrl: database.url, redisUrl: REDIS_URL!, smtpPort, dir });
    for (const name of ['A', 'B', 'C'] as const)
      instances[name] = await spawnHavre(name, { ...env, HAVRE_DATA_DIR: join(dir, name) });
    alice = await signup(instances.A.base, 'alice@three.example', mails);
    bob = await signup(instances.B.base, 'bob@three.example', mails);
    await befriend(alice, instances.A, bob, instances.B); // Bob follows Alice
    await befriend(bob, instances.B, alice, instances.C); // Alice follows Bob
  }, 300_000);

  afterAll(async () => {
    for (const client of sockets) client.ws.terminate();
    for (const instance of Object.values(instances)) await instance?.kill();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await sql?.end();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let aliceShare: StartedShare;
  let bobOnB: Client;

  it('relays a sharer on A to a contact on B, and the contact’s own share back to A', async () => {
    const { A, B } = instances;
    aliceShare = await share(alice, A, bob, B);
    const bobShare = await share(bob, B, alice, A);
    const aliceOnA = await open(A, alice);
    bobOnB = await open(B, bob);
    expect(await aliceOnA.join(aliceShare.id)).toMatchObject({ role: 'sharer' });
    expect(await aliceOnA.join(bobShare.id)).toMatchObject({ role: 'watcher', access: 'live' });
    expect(await bobOnB.join(bobShare.id)).toMatchObject({ role: 'sharer' });
    expect(await bobOnB.join(aliceShare.id)).toMatchObject({ role: 'watcher', access: 'live' });

    for (let seq = 1; seq <= 3; seq++) {
      aliceOnA.send({ type: 'pos', share: aliceShare.id, seq, c: await seal(aliceShare, seq) });
      bobOnB.send({ type: 'pos', share: bobShare.id, seq, c: await seal(bobShare, seq) });
    }
    await until(() => positions(bobOnB, aliceShare.id).length === 3, 'Alice’s positions on B');
    await until(() => positions(aliceOnA, bobShare.id).length === 3, 'Bob’s positions on A');
    expect(positions(bobOnB, aliceShare.id)).toEqual([1, 2, 3]);
    expect(positions(aliceOnA, bobShare.id)).toEqual([1, 2, 3]);
    // The contact decrypts with the key unwrapped by his own device: the ciphertext crossed intact.
    const frame = bobOnB.messages.find((m) => m.type === 'pos' && m.share === aliceShare.id && m.seq === 2)!;
    expect(await decryptPosition(aliceShare.key, aliceShare.id, 2, frame.c as string)).toEqual(POSITION);
    aliceOnA.close();
  });

  it('shows a report posted to A on a dashboard open on C, live', async () => {
    const staff = await signup(instances.C.base, 'staff@three.example', mails);
    havre(['staff', 'grant', '--email', staff.email, '--territory', '75117'], env);
    const feed: Sse = await openSse(`${instances.C.base}/api/territories/75117/live`, staff.auth);
    try {
      const snapshot = await feed.next('snapshot');
      const report = await call(instances.A.base, '/api/reports', alice, {
        category: 'following',
        role: 'victim',
        lat: 48.8838,
        lon: 2.3203,
        occurredAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      });
      expect(report.status).toBe(201);
      const cells = await feed.next('cells');
      expect(cells.total).toBe((snapshot.total as number) + 1);
    } finally {
      feed.close();
    }
  });

  it('lets the sharer resume on B after A is killed, with every acknowledged position kept', async () => {
    const { A, B, C } = instances;
    const acked = new Set<number>();
    const onA = await open(A, alice);
    await onA.join(aliceShare.id);
    // The sharer streams positions from seq 4 on; A dies while some are still unacknowledged.
    const sealed = new Map<number, string>();
    for (let seq = 4; seq <= 400; seq++) sealed.set(seq, await seal(aliceShare, seq));
    let sent = 3;
    const streaming = (async () => {
      while (sent < 400 && onA.ws.readyState === onA.ws.OPEN) {
        sent += 1;
        onA.send({ type: 'pos', share: aliceShare.id, seq: sent, c: sealed.get(sent) });
        // ~150 a second, under the relay's 200 messages/s per socket: faster, A closes the
        // socket for policy before its grouped acks (one frame a second) leave.
        await sleep(6);
      }
    })();
    await until(() => acks(onA).includes(20), 'acks from A');
    await A.kill('SIGKILL');
    await onA.closed;
    await streaming;
    for (const seq of acks(onA)) acked.add(seq);
    expect(acked.size).toBeGreaterThanOrEqual(17);
    const ackedByA = acked.size;

    // The sharer's app reconnects elsewhere and resends what was not acknowledged, then goes on.
    const onB = await open(B, alice);
    expect(await onB.join(aliceShare.id)).toMatchObject({ role: 'sharer' });
    const last = sent + 2;
    const resend = Array.from({ length: last - 3 }, (_, i) => i + 4).filter((seq) => !acked.has(seq));
    for (const seq of resend)
      onB.send({
        type: 'pos',
        share: aliceShare.id,
        seq,
        c: sealed.get(seq) ?? (await seal(aliceShare, seq)),
      });
    await until(() => acks(onB).includes(last), 'acks from B');
    for (const seq of acks(onB)) acked.add(seq);
    expect(await until(() => positions(bobOnB, aliceShare.id).includes(last), 'the last position on B')).toBe(
      true,
    );

    // A contact opening the session on C gets the whole trail: nothing acknowledged was lost.
    const bobOnC = await open(C, bob);
    await bobOnC.join(aliceShare.id);
    bobOnC.send({ type: 'since', share: aliceShare.id, seq: 0 });
    await until(() => positions(bobOnC, aliceShare.id).includes(last), 'the trail on C');
    const trail = new Set(positions(bobOnC, aliceShare.id));
    expect([...acked].filter((seq) => !trail.has(seq))).toEqual([]);
    expect([...trail].sort((a, b) => a - b)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    console.info(
      `three instances: A acknowledged ${ackedByA} of the ${sent - 3} positions sent to it before SIGKILL; B the rest, up to ${last}`,
    );
    expect(B.alive() && C.alive()).toBe(true);
  });

  it('alerts the contact exactly once for a missed check-in, also after the lease holder is killed', async () => {
    const { B, C } = instances;
    const expectedArrival = () => new Date(Date.now() + 30 * 60_000).toISOString();

    // Two instances run the timers; one alert.
    const first = await share(alice, B, bob, C, {
      visibility: 'checkin',
      expectedArrival: expectedArrival(),
    });
    const sharer = await open(B, alice);
    await sharer.join(first.id);
    const watcher = await open(C, bob);
    expect(await watcher.join(first.id)).toMatchObject({ access: 'waiting' });
    await missCheckIn(first.id, sharer);
    await watcher.next((m) => m.type === 'status' && m.share === first.id && m.status === 'alerted', 30_000);
    await until(() => alertMails(bob.email, first.id).length > 0, 'the alert e-mail');
    await sleep(SETTLE_MS);
    expect(watcher.messages.filter((m) => m.type === 'status' && m.share === first.id)).toHaveLength(1);
    expect(alertMails(bob.email, first.id)).toHaveLength(1);

    // The instance holding the timers' lease dies; the survivor takes over and alerts once.
    const second = await share(alice, C, bob, C, {
      visibility: 'checkin',
      expectedArrival: expectedArrival(),
    });
    const holder = await leaseHolder([B, C]);
    const survivor = holder === B ? C : B;
    const sharer2 = await open(survivor, alice);
    await sharer2.join(second.id);
    const watcher2 = await open(survivor, bob);
    expect(await watcher2.join(second.id)).toMatchObject({ access: 'waiting' });
    await holder.kill('SIGKILL');
    // The survivor takes the lease once the dead holder's expires: up to 20 s (LEASE_MIN_MS) and a 5 s tick.
    await missCheckIn(second.id, sharer2, 45_000);
    await watcher2.next(
      (m) => m.type === 'status' && m.share === second.id && m.status === 'alerted',
      30_000,
    );
    await until(() => alertMails(bob.email, second.id).length > 0, 'the second alert e-mail');
    await sleep(SETTLE_MS);
    expect(watcher2.messages.filter((m) => m.type === 'status' && m.share === second.id)).toHaveLength(1);
    expect(alertMails(bob.email, second.id)).toHaveLength(1);
    expect(survivor.alive()).toBe(true);
  }, 120_000);
});
