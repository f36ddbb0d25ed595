/**
 * Live sharing, composed: the relay and its trail writer, the bus subscription that keeps
 * sockets' access current, the WebSocket, and the HTTP routes (contacts, devices, sessions,
 * SOS). Needs @fastify/websocket registered on the app.
 */
import { randomUUID } from 'node:crypto';
import { Counter, Gauge } from 'prom-client';
import { ACCOUNTS_TOPIC, type AccountEvent } from '../accounts/events.ts';
import type { App } from '../server/app.ts';
import { Acks } from './acks.ts';
import contactsRoutes from './contacts-routes.ts';
import { type RemotePosition, SHARING_POSITIONS_TOPIC, SHARING_TOPIC, type SharingEvent } from './events.ts';
import './personal-data.ts';
import passkeyRoutes from './passkeys-routes.ts';
import { positionFrame } from './position-frame.ts';
import { HEARTBEAT_SLICES, Relay } from './relay.ts';
import { storedAccess } from './sessions-store.ts';
import sharesRoutes from './shares-routes.ts';
import { sharingSocket } from './socket.ts';
import sosRoutes from './sos-routes.ts';
import { trailAppender, trailSince } from './trail-store.ts';
import { TrailWriter } from './trail-writer.ts';
import { writePing } from './ws-frame.ts';

const HEARTBEAT_MS = 30_000;
/** While the shared bus is away, how often rooms re-read their session's access from the database. */
const RESYNC_MS = 2_000;
/** Sessions per query (bound parameters; SQLite and PostgreSQL both take this many at once). */
const RESYNC_CHUNK = 500;
/** Points of a backlog read from the database at most (a day of one update every 17 s). */
const BACKLOG_LIMIT = 5_000;

export default async function sharingRoutes(app: App) {
  const services = app.services;
  const { bus, clock, config, db, log } = services;

  const trail = trailAppender(db);
  const acks = new Acks();
  const writer = new TrailWriter({
    append: (points, now) => trail.append(points, now),
    prepare: () => trail.prepare(),
    durable: acks.durable,
    now: () => clock.now(),
    onError: (err, count) => log.warn({ err, count }, 'trail batch not stored; sharers will resend'),
  });

  /**
   * Durable points after `seq`: trail_points and, on SQLite, those of the append log (from
   * memory). Memory first, then the database: a point leaves memory only once trail_points has
   * it, so the later read cannot miss it.
   */
  const stored = async (share: string, seq: number, limit: number, alsoPending = false) => {
    const inMemory = [...(alsoPending ? writer.pendingFor(share, seq) : []), ...trail.recent(share, seq)];
    const bySeq = new Map<number, string>();
    for (const r of await trailSince(db, share, seq, limit)) bySeq.set(r.seq, r.ciphertext);
    for (const p of inMemory) bySeq.set(p.seq, p.c);
    return [...bySeq]
      .sort((a, b) => a[0] - b[0])
      .slice(0, limit)
      .map(([s, c]) => ({ share, seq: s, c }));
  };

  const relay = new Relay({
    // What a watcher missed: also the points received but not durable yet.
    backlog: async (share, seq) =>
      (await stored(share, seq, BACKLOG_LIMIT, true)).map((p) => positionFrame(share, p.seq, p.c)),
    onError: (err) => log.warn({ err }, 'sharing backlog failed'),
  });
  const registers = [app.metrics];
  new Gauge({
    name: 'havre_relay_sockets',
    help: 'Open sharing WebSockets on this instance',
    registers,
    collect() {
      this.set(relay.conns.size);
    },
  });
  const counted = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  counted(
    'havre_relay_positions_total',
    'Encrypted positions received by this instance',
    () => relay.stats.positionsIn,
  );
  counted('havre_relay_frames_out_total', 'Position frames sent to watchers', () => relay.stats.framesOut);
  counted(
    'havre_relay_slow_watchers_total',
    'Watchers dropped for not keeping up',
    () => relay.stats.dropped,
  );

  bus.onConnectionChange?.((up) => (up ? relay.restore() : relay.degrade()));
  const unsubscribe = await bus.subscribe(SHARING_TOPIC, (event) => relay.apply(event as SharingEvent));
  const unsubscribeAccounts = await bus.subscribe(ACCOUNTS_TOPIC, (message) => {
    const event = message as AccountEvent;
    if (event.t === 'signed-out') relay.signOut(event.user, event.session);
    else if (event.t === 'erased') relay.erase(event.user);
  });

  // Several instances: positions reach the watchers connected to the other instances too.
  let forward: ((share: string, seq: number, c: string) => void) | null = null;
  let unsubscribePositions: (() => Promise<void>) | null = null;
  if (config.redisUrl) {
    const origin = randomUUID();
    forward = (share, seq, c) =>
      void bus
        .publish(SHARING_POSITIONS_TOPIC, { origin, share, seq, c } satisfies RemotePosition, {
          othersOnly: true,
        })
        .catch((err) => log.warn({ err }, 'position not forwarded'));
    unsubscribePositions = await bus.subscribe(SHARING_POSITIONS_TOPIC, (message) => {
      const p = message as RemotePosition;
      if (p.origin !== origin) relay.broadcast(p.share, p.seq, p.c);
    });
  }

  // Heartbeat: a socket that did not answer the last ping is gone (phone asleep, network lost).
  // Each tick pings one slice of the sockets: 15,000 pings at once would stall the relay for
  // a good fraction of a second, every interval (HEARTBEAT_SLICES).
  let tick = 0;
  const heartbeat = setInterval(() => {
    const slice = tick++ % HEARTBEAT_SLICES;
    for (const conn of relay.conns) {
      if (conn.beat !== slice) continue;
      if (!conn.alive) {
        conn.ws.terminate();
        relay.remove(conn);
        continue;
      }
      conn.alive = false;
      writePing(conn.ws);
    }
  }, HEARTBEAT_MS / HEARTBEAT_SLICES);
  heartbeat.unref();

  // Without Redis, an SOS, a missed check-in, an "I'm OK" or a revocation handled by another
  // instance reaches this one's sockets through the database, within RESYNC_MS (relay.resync). Only while
  // degraded: with the bus up the events arrive, and the relay's hot path reads nothing.
  let resyncing = false;
  const resync = setInterval(() => {
    if (!relay.degraded || resyncing) return;
    resyncing = true;
    void (async () => {
      const ids = relay.roomIds();
      for (let i = 0; i < ids.length; i += RESYNC_CHUNK) {
        const chunk = ids.slice(i, i + RESYNC_CHUNK);
        const readAt = relay.changes;
        const stored = await storedAccess(db.kysely, chunk);
        if (relay.degraded) relay.resync(chunk, stored, readAt);
      }
    })()
      .catch((err) => log.warn({ err }, 'sharing rooms not resynchronised'))
      .finally(() => {
        resyncing = false;
      });
  }, RESYNC_MS);
  resync.unref();

  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    clearInterval(resync);
    await unsubscribe();
    await unsubscribeAccounts();
    await unsubscribePositions?.();
    await writer.close();
    acks.flush();
    await trail.close();
  });

  sharingSocket(app, { services, relay, writer, forward });
  await contactsRoutes(app);
  sharesRoutes(app, {
    since: (share, seq, limit) => stored(share, seq, limit),
    async accept(share, points) {
      const acked: number[] = [];
      for (const { seq, c } of points) {
        relay.broadcast(share, seq, c);
        forward?.(share, seq, c);
        writer.push({ share, seq, c, done: () => acked.push(seq) });
      }
      await writer.flush();
      return acked;
    },
  });
  await sosRoutes(app);
  await passkeyRoutes(app);
}
