/**
 * GET /api/shares/ws — the relay's WebSocket. Protocol (JSON text frames):
 *
 *   upgrade   Origin must be the public URL's or the request host's (else 403, no upgrade);
 *             a session cookie (or bearer header) authenticates at once, otherwise the first
 *             message must be {type:'auth', token} (session token) or {type:'auth', guest}
 *             (guest link token) within 1 s, else the socket is closed (4401).
 *   → {type:'ready'}
 *   join      {type:'join', share} → {type:'joined', share, role:'sharer'|'watcher',
 *             access:'sharer'|'live'|'waiting', status, visibility, lastSeq}
 *   sharer    {type:'pos', share, seq, c} → relayed to live watchers at once (`share` may be
 *             left out on a socket that joined one session only, here and in since/still),
 *             {type:'ack', share, seq} once durable — {type:'ack', share, seq, seqs:[…]} for
 *             several at once (`seq` is the last; acks.ts groups a busy socket's acks) —;
 *             resend unacknowledged seqs (idempotent). Send the keys in this order
 *             (JSON.stringify of {type, share, seq, c}): such a frame is forwarded to the
 *             watchers as received, without being parsed and encoded again.
 *             {type:'still', share, minutes} → may start the "are you OK?" question.
 *   watcher   {type:'since', share, seq} → the stored points after seq, as pos frames.
 *   server    {type:'status', share, status, visibility, access} when an alert, "I'm OK" or an
 *             SOS changes what watchers receive (a grant is followed by the whole trail);
 *             {type:'question', share, reason} to the sharer; {type:'times', share, expectedArrival,
             until} (ISO or null) after "I'm OK" or a new time: to the sharer always (the question
             is answered), to the watchers when the time moved; {type:'ended', share, reason?} before 4410;
 *             {type:'error', code, share?}; {type:'pong'} answers {type:'ping'}.
 *             {type:'degraded'} (after ready, or at any time) when positions and events from
 *             the other instances stop arriving (Redis away): the stored trail still comes
 *             with `since`, and acks still mean durable; `status` frames still come, within
 *             seconds, from the database (an SOS or a missed check-in on another instance).
 *   close     4401 not authenticated · 4403 access revoked · 4410 session ended ·
 *             1008 malformed or too many messages · 1012 the link between instances is
 *             back: reconnect, join and catch up with `since`.
 *
 * Frames are text, 16 KiB at most. A watcher deduplicates by seq (a point may come live and
 * again in a backlog).
 */
import { resolveSession } from '../accounts/store.ts';
import { hashToken } from '../accounts/tokens.ts';
import type { App } from '../server/app.ts';
import { problem } from '../server/errors.ts';
import type { Services } from '../server/services.ts';
import { isPositionCiphertext } from '../shared/envelope.ts';
import { readPositionFrame } from './position-frame.ts';
import { CLOSE, type Conn, frame, type Relay } from './relay.ts';
import { Problem } from './schemas.ts';
import { findGuestLink, getSession, isRecipient } from './sessions-store.ts';
import { reportStillness } from './timers.ts';
import type { TrailWriter } from './trail-writer.ts';

const AUTH_TIMEOUT_MS = 1_000;
const MAX_MESSAGES_PER_SECOND = 200;
const MAX_ROOMS = 32;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TEXT = { binary: false } as const;

/** Browsers always send Origin on a WebSocket upgrade; it must be ours. Non-browser clients send none. */
export function originAllowed(
  origin: string | undefined,
  publicUrl: string,
  host: string | undefined,
): boolean {
  if (origin === undefined) return true;
  if (origin === new URL(publicUrl).origin) return true;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

interface Message {
  type?: unknown;
  share?: unknown;
  seq?: unknown;
  c?: unknown;
  token?: unknown;
  guest?: unknown;
  minutes?: unknown;
}

export interface SocketDeps {
  services: Services;
  relay: Relay;
  writer: TrailWriter;
  /** Tells other instances about a position (only with a shared bus). */
  forward: ((share: string, seq: number, c: string) => void) | null;
}

export function sharingSocket(app: App, deps: SocketDeps) {
  const { services, relay, writer, forward } = deps;
  const { db, clock, config, log } = services;

  const send = (conn: Conn, value: unknown) => conn.ws.send(frame(value), TEXT);
  const error = (conn: Conn, code: string, share?: unknown) =>
    send(conn, { type: 'error', code, ...(typeof share === 'string' && UUID.test(share) ? { share } : {}) });

  /** Runs an asynchronous step; messages arriving meanwhile wait for it, in order. */
  function step(conn: Conn, work: () => Promise<void>) {
    conn.queue = [];
    work()
      .catch((err) => {
        log.warn({ err }, 'sharing socket step failed');
        error(conn, 'internal');
      })
      .finally(() => {
        const queued = conn.queue ?? [];
        conn.queue = null;
        for (const data of queued) {
          if (conn.queue) (conn.queue as Buffer[]).push(data);
          else handle(conn, data);
        }
      });
  }

  async function authenticate(conn: Conn, msg: Message) {
    const now = clock.now();
    if (typeof msg.token === 'string' && msg.token.length <= 200) {
      const userId = await resolveSession(db.kysely, msg.token, now);
      if (userId) relay.identify(conn, { userId, session: hashToken(msg.token) });
    } else if (typeof msg.guest === 'string' && msg.guest.length <= 200) {
      const link = await findGuestLink(db.kysely, msg.guest, now);
      if (link)
        relay.identify(conn, {
          guest: { linkId: link.id, share: link.share_id, expiresAt: link.expires_at },
        });
      else if (conn.userId) return relay.close(conn, CLOSE.unauthenticated, 'invalid guest link');
    }
    if (!relay.conns.has(conn)) return;
    if (!conn.userId && !conn.guest) return relay.close(conn, CLOSE.unauthenticated, 'not authenticated');
    ready(conn);
  }

  function ready(conn: Conn) {
    if (conn.closeTimer) clearTimeout(conn.closeTimer);
    conn.closeTimer = null;
    if (conn.guest) {
      // The link's expiry ends the socket, even if nobody revokes it.
      const left = conn.guest.expiresAt - clock.now();
      conn.closeTimer = setTimeout(() => relay.close(conn, CLOSE.revoked, 'link expired'), Math.max(0, left));
      conn.closeTimer.unref();
    }
    send(conn, { type: 'ready' });
    if (relay.degraded) send(conn, { type: 'degraded' });
  }

  async function join(conn: Conn, share: string) {
    const session = await getSession(db.kysely, share);
    if (!session) return error(conn, 'not_found', share);
    let role: 'sharer' | 'watcher' | null = null;
    if (conn.guest) role = conn.guest.share === share ? 'watcher' : null;
    else if (session.owner_id === conn.userId) role = 'sharer';
    else if (conn.userId && (await isRecipient(db.kysely, session, conn.userId))) role = 'watcher';
    if (!role) return error(conn, 'forbidden', share);
    if (session.status === 'ended' || session.ends_at <= clock.now()) return error(conn, 'ended', share);
    if (!relay.conns.has(conn)) return;
    const state = relay.roomState(share) ?? {
      id: session.id,
      ownerId: session.owner_id,
      status: session.status,
      visibility: session.visibility,
    };
    const access = relay.join(conn, state, role);
    if (role === 'sharer') writer.prepare();
    send(conn, {
      type: 'joined',
      share,
      role,
      access,
      status: state.status,
      visibility: state.visibility,
      lastSeq: session.last_seq,
    });
  }

  async function since(conn: Conn, share: string, seq: number) {
    const frames = await relay.backlogFrames(share, seq);
    for (const f of frames) conn.ws.send(f, TEXT);
  }

  function position(conn: Conn, msg: Message) {
    const share = msg.share as string;
    const seq = msg.seq;
    const c = msg.c;
    if (conn.rooms.get(share) !== 'sharer') return error(conn, 'not_sharer', share);
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)
      return error(conn, 'bad_seq', share);
    if (typeof c !== 'string' || !isPositionCiphertext(c)) return error(conn, 'bad_ciphertext', share);
    accept(conn, share, seq, c);
  }

  /** A valid position from a sharer: to the watchers at once, to the trail, acked once durable. */
  function accept(conn: Conn, share: string, seq: number, c: string, received?: Buffer) {
    relay.broadcast(share, seq, c, received);
    forward?.(share, seq, c);
    writer.push({ share, seq, c, from: conn });
  }

  function handle(conn: Conn, data: Buffer) {
    if (conn.userId || conn.guest) {
      // Hot path: a canonical position frame is checked in place and forwarded as received.
      const p = readPositionFrame(data);
      if (p) {
        if (conn.rooms.get(p.share) !== 'sharer') return error(conn, 'not_sharer', p.share);
        return accept(conn, p.share, p.seq, p.c, data);
      }
    }
    let msg: Message;
    try {
      msg = JSON.parse(data.toString('utf8')) as Message;
    } catch {
      return relay.close(conn, CLOSE.policy, 'malformed');
    }
    if (typeof msg !== 'object' || msg === null) return relay.close(conn, CLOSE.policy, 'malformed');
    if (!conn.userId && !conn.guest) {
      if (msg.type !== 'auth') return relay.close(conn, CLOSE.unauthenticated, 'authenticate first');
      return step(conn, () => authenticate(conn, msg));
    }
    // A browser signed in (cookie) may open a guest link it was given: the socket becomes that
    // link's guest socket, before it joins anything.
    if (msg.type === 'auth' && typeof msg.guest === 'string' && !conn.guest && conn.rooms.size === 0)
      return step(conn, () => authenticate(conn, { guest: msg.guest }));
    if (msg.type === 'ping') return send(conn, { type: 'pong' });
    // `share` may be left out by a socket that joined one room only.
    const share = msg.share ?? (conn.rooms.size === 1 ? conn.rooms.keys().next().value : undefined);
    if (typeof share !== 'string' || !UUID.test(share)) return error(conn, 'bad_share');
    msg.share = share;
    switch (msg.type) {
      case 'pos':
        return position(conn, msg);
      case 'join':
        if (conn.rooms.has(share)) return error(conn, 'already_joined', share);
        if (conn.rooms.size >= MAX_ROOMS) return error(conn, 'too_many_rooms', share);
        return step(conn, () => join(conn, share));
      case 'leave':
        return relay.leave(conn, share);
      case 'since': {
        const role = conn.rooms.get(share);
        const seq = typeof msg.seq === 'number' && Number.isSafeInteger(msg.seq) ? msg.seq : -1;
        if (!role) return error(conn, 'not_joined', share);
        if (role === 'watcher' && !relay.receivesNow(conn, share)) return error(conn, 'waiting', share);
        return step(conn, () => since(conn, share, seq));
      }
      case 'still': {
        if (conn.rooms.get(share) !== 'sharer') return error(conn, 'not_sharer', share);
        const minutes = typeof msg.minutes === 'number' && msg.minutes >= 0 ? msg.minutes : 0;
        return step(conn, async () => void (await reportStillness(services, share, minutes)));
      }
      default:
        return error(conn, 'unknown_type', share);
    }
  }

  function onMessage(conn: Conn, data: Buffer) {
    const now = Date.now(); // wall time on purpose: a rate limit, not a product time
    if (now - conn.windowStart >= 1_000) {
      conn.windowStart = now;
      conn.windowCount = 0;
    }
    if (++conn.windowCount > MAX_MESSAGES_PER_SECOND)
      return relay.close(conn, CLOSE.policy, 'too many messages');
    if (conn.queue) conn.queue.push(data);
    else handle(conn, data);
  }

  // `handler` and `wsHandler` rather than `websocket: true`: with the latter, @fastify/websocket
  // hides the route from the OpenAPI document and answers a plain GET with an empty 404.
  app.route({
    method: 'GET',
    url: '/api/shares/ws',
    schema: {
      tags: ['sharing'],
      summary: 'Live relay of encrypted positions (WebSocket)',
      description:
        'Open with a WebSocket upgrade (Upgrade: websocket); the protocol of its JSON text frames ' +
        'is described in src/sharing/socket.ts. A plain GET answers 426.',
      response: {
        101: { description: 'Switching Protocols: the relay socket is open', type: 'null' },
        403: Problem,
        426: Problem,
      },
    },
    onRequest: async (request, reply) => {
      if (!originAllowed(request.headers.origin, config.publicUrl, request.headers.host)) {
        return reply
          .status(403)
          .type('application/problem+json')
          .send(problem('FORBIDDEN', 'Origin refused'));
      }
    },
    // Without an upgrade: say what the route is (RFC 9110 §15.5.22: 426 names the protocol).
    handler: async (_request, reply) =>
      reply
        .status(426)
        .header('upgrade', 'websocket')
        .type('application/problem+json')
        .send(
          problem(
            'UPGRADE_REQUIRED',
            'This is the WebSocket of the live relay: open it with an Upgrade: websocket request',
          ),
        ),
    wsHandler: (socket, request) => {
      const conn = relay.add(socket);
      socket.on('message', (data: Buffer) => onMessage(conn, data));
      socket.on('close', () => relay.remove(conn));
      // Memory per socket (issue 7): the upgrade's HTTP objects (Request, Reply, the raw
      // request and response, ~3 KB) would live as long as the socket through
      // @fastify/websocket's error listener and the response still attached to the TCP socket.
      socket.removeAllListeners('error');
      socket.on('error', () => socket.terminate());
      const tcp = request.raw.socket as import('node:net').Socket & {
        _httpMessage?: import('node:http').ServerResponse;
      };
      tcp._httpMessage?.detachSocket(tcp);
      socket.on('pong', () => {
        conn.alive = true;
      });
      if (request.user) {
        relay.identify(conn, { userId: request.user.id, session: hashToken(request.sessionToken ?? '') });
        ready(conn);
      } else {
        conn.closeTimer = setTimeout(() => {
          if (!conn.userId && !conn.guest) relay.close(conn, CLOSE.unauthenticated, 'authentication timeout');
        }, AUTH_TIMEOUT_MS);
        conn.closeTimer.unref();
      }
    },
  });
}
