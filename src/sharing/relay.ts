/**
 * The live relay: one room per share session, the sharer's sockets and the watchers'.
 * Everything here is in memory and synchronous; access decisions were taken when a socket
 * joined (from the database) and are kept current by sharing events from the bus, and from
 * the database again while the bus is away (`resync`).
 *
 * Hot path: a position arrives once; its outgoing frame is the sharer's own Buffer when that
 * is already in the canonical layout (`position-frame.ts`), else built once by string
 * concatenation of validated parts; it is framed once (`ws-frame.ts`) and the same bytes are
 * written to every live watcher.
 */
import type { WebSocket } from 'ws';
import type { SharingEvent } from './events.ts';
import { positionFrame } from './position-frame.ts';
import { deliversNow } from './rules.ts';
import type { EndReason, ShareStatus, ShareVisibility } from './tables.ts';
import { textFrame, writeFrame } from './ws-frame.ts';

export type Role = 'sharer' | 'watcher';

export interface Conn {
  ws: WebSocket;
  userId: string | null;
  /** SHA-256 of the session token that signed the socket in (logout closes its sockets). */
  session: string | null;
  /** A guest socket follows one session through one link. */
  guest: { linkId: string; share: string; expiresAt: number } | null;
  rooms: Map<string, Role>;
  /** Heartbeat: set on pong, cleared on ping. */
  alive: boolean;
  /** Heartbeat slice this socket is pinged in (pings are spread over the interval). */
  beat: number;
  closeTimer: NodeJS.Timeout | null;
  /** Messages received while an asynchronous step (auth, join) runs: handled after it, in order. */
  queue: Buffer[] | null;
  /** Durable points not acknowledged yet, per session (acks.ts). */
  unacked: Map<string, number[]> | null;
  /** When this socket was last sent acks (performance.now()). */
  ackedAt: number;
  /** Rate limit: messages in the current one-second window. */
  windowStart: number;
  windowCount: number;
}

/** Access to some sessions as stored in the database (`Relay.resync`). */
export interface StoredAccess {
  sessions: { id: string; status: ShareStatus; visibility: ShareVisibility }[];
  /** The contacts who may follow each session now (chosen, relationship not ended). */
  followers: { share: string; user: string }[];
  /** Revoked guest links of these sessions. */
  revokedLinks: string[];
}

export interface RoomState {
  id: string;
  ownerId: string;
  status: ShareStatus;
  visibility: ShareVisibility;
}

interface Room extends RoomState {
  /** `Relay.changes` when its status or visibility last changed here (a stale resync must not undo it). */
  changedAt: number;
  sharers: Set<Conn>;
  /** Watchers who receive positions now. */
  live: Set<Conn>;
  /** Watchers who wait (check-in mode before an alert). */
  waiting: Set<Conn>;
}

export const CLOSE = {
  unauthenticated: 4401,
  revoked: 4403,
  ended: 4410,
  policy: 1008,
  /** Service restart: reconnect (and catch up with `since`), as after any network loss. */
  restart: 1012,
} as const;

/**
 * Sockets are pinged in this many slices of the heartbeat interval, one slice per tick (every
 * 100 ms): 15,000 sockets make 50 pings a tick. With 30 slices (500 pings once a second) each
 * tick held the event loop for milliseconds, and every position arriving meanwhile waited.
 */
export const HEARTBEAT_SLICES = 300;

/** A watcher who cannot keep up (bytes queued) is dropped rather than buffered without bound. */
const MAX_BUFFERED = 1 << 20;
const TEXT = { binary: false } as const;
const OPEN = 1; // WebSocket.OPEN

export const frame = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

export interface RelayDeps {
  /** Backlog of a session after `seq`, already as frames (trail + points not yet written). */
  backlog(share: string, seq: number): Promise<Buffer[]>;
  onError(error: unknown): void;
}

export class Relay {
  private readonly rooms = new Map<string, Room>();
  private readonly byUser = new Map<string, Set<Conn>>();
  private readonly byGuestLink = new Map<string, Set<Conn>>();
  readonly conns = new Set<Conn>();
  private added = 0;
  private changeCount = 0;
  /** Counters for /metrics and the benchmark. */
  readonly stats = { positionsIn: 0, framesOut: 0, dropped: 0 };
  /** Positions and events from other instances do not arrive (shared bus away). */
  degraded = false;

  constructor(private readonly deps: RelayDeps) {}

  /** Counts changes of rooms' access (events, resyncs): see `resync`'s `readAt`. */
  get changes(): number {
    return this.changeCount;
  }

  add(ws: WebSocket): Conn {
    const conn: Conn = {
      ws,
      userId: null,
      session: null,
      guest: null,
      rooms: new Map(),
      alive: true,
      beat: this.added++ % HEARTBEAT_SLICES,
      closeTimer: null,
      queue: null,
      unacked: null,
      ackedAt: Number.NEGATIVE_INFINITY,
      windowStart: 0,
      windowCount: 0,
    };
    this.conns.add(conn);
    return conn;
  }

  identify(
    conn: Conn,
    who: { userId: string; session: string } | { guest: NonNullable<Conn['guest']> },
  ): void {
    if ('userId' in who) {
      conn.userId = who.userId;
      conn.session = who.session;
      index(this.byUser, who.userId, conn);
    } else {
      conn.guest = who.guest;
      index(this.byGuestLink, who.guest.linkId, conn);
    }
  }

  remove(conn: Conn): void {
    if (!this.conns.delete(conn)) return;
    if (conn.closeTimer) clearTimeout(conn.closeTimer);
    for (const share of conn.rooms.keys()) this.leave(conn, share);
    if (conn.userId) unindex(this.byUser, conn.userId, conn);
    if (conn.guest) unindex(this.byGuestLink, conn.guest.linkId, conn);
  }

  roomState(share: string): RoomState | undefined {
    return this.rooms.get(share);
  }

  /** Adds the socket to the room (created from `state` if this instance had none). */
  join(conn: Conn, state: RoomState, role: Role): 'sharer' | 'live' | 'waiting' {
    let room = this.rooms.get(state.id);
    if (!room) {
      room = { ...state, changedAt: this.changes, sharers: new Set(), live: new Set(), waiting: new Set() };
      this.rooms.set(state.id, room);
    }
    conn.rooms.set(state.id, role);
    if (role === 'sharer') {
      room.sharers.add(conn);
      return 'sharer';
    }
    const now = deliversNow(room.status, room.visibility);
    (now ? room.live : room.waiting).add(conn);
    return now ? 'live' : 'waiting';
  }

  leave(conn: Conn, share: string): void {
    conn.rooms.delete(share);
    const room = this.rooms.get(share);
    if (!room) return;
    room.sharers.delete(conn);
    room.live.delete(conn);
    room.waiting.delete(conn);
    if (room.sharers.size + room.live.size + room.waiting.size === 0) this.rooms.delete(share);
  }

  /**
   * Relays one position to the live watchers of its room. Returns how many received it.
   * `received` is the sharer's own frame when it is already in the canonical layout.
   */
  broadcast(share: string, seq: number, c: string, received?: Buffer): number {
    this.stats.positionsIn += 1;
    const room = this.rooms.get(share);
    if (!room || room.live.size === 0) return 0;
    const data = received ?? positionFrame(share, seq, c);
    const wire = textFrame(data);
    let sent = 0;
    for (const watcher of room.live) {
      const ws = watcher.ws;
      if (ws.readyState !== OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        this.stats.dropped += 1;
        ws.terminate();
        continue;
      }
      writeFrame(ws, wire, data);
      sent += 1;
    }
    this.stats.framesOut += sent;
    return sent;
  }

  /** Whether this watcher receives positions of `share` now. */
  receivesNow(conn: Conn, share: string): boolean {
    return this.rooms.get(share)?.live.has(conn) ?? false;
  }

  /** The stored points after `seq` as frames (what a resuming watcher missed). */
  backlogFrames(share: string, seq: number): Promise<Buffer[]> {
    return this.deps.backlog(share, seq);
  }

  /** Sends to the sharer sockets of a session. */
  toSharers(share: string, data: Buffer): void {
    for (const sharer of this.rooms.get(share)?.sharers ?? []) sharer.ws.send(data, TEXT);
  }

  /** Applies a change of access announced on the bus. */
  apply(event: SharingEvent): void {
    switch (event.t) {
      case 'session':
        this.applySession(event.share, event.status, event.visibility);
        return;
      case 'ended':
        this.endRoom(event.share, event.reason);
        return;
      case 'revoke-contact':
        for (const conn of [...(this.byUser.get(event.contact) ?? [])]) {
          const watchesOwner = [...conn.rooms].some(
            ([share, role]) => role === 'watcher' && this.rooms.get(share)?.ownerId === event.owner,
          );
          if (watchesOwner) this.close(conn, CLOSE.revoked, 'access revoked');
        }
        return;
      case 'revoke-guest':
        for (const conn of [...(this.byGuestLink.get(event.link) ?? [])])
          this.close(conn, CLOSE.revoked, 'link revoked');
        return;
      case 'question':
        this.toSharers(event.share, frame({ type: 'question', share: event.share, reason: event.reason }));
        return;
      case 'times': {
        const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
        const times = frame({
          type: 'times',
          share: event.share,
          expectedArrival: iso(event.expectedArrival),
          until: iso(event.until),
        });
        const room = this.rooms.get(event.share);
        // Watchers see the expected arrival anyway (the session's view): only a move is news to
        // them, not that the sharer answered a question they were not told about.
        const to = room ? [...room.sharers, ...(event.moved ? [...room.live, ...room.waiting] : [])] : [];
        for (const conn of to) conn.ws.send(times, TEXT);
        return;
      }
    }
  }

  /** The user signed out (one session, or every one when `session` is null): their sockets close. */
  signOut(user: string, session: string | null): void {
    for (const conn of [...(this.byUser.get(user) ?? [])]) {
      if (session === null || conn.session === session) this.close(conn, CLOSE.unauthenticated, 'signed out');
    }
  }

  /** The account was erased: its sockets close, and so does every room of its sessions. */
  erase(user: string): void {
    this.signOut(user, null);
    for (const room of [...this.rooms.values()]) if (room.ownerId === user) this.endRoom(room.id);
  }

  /** `reason`, when known, tells the watchers whether the person arrived (shown to them). */
  private endRoom(share: string, reason?: EndReason): void {
    const room = this.rooms.get(share);
    if (!room) return;
    const bye = frame(reason ? { type: 'ended', share, reason } : { type: 'ended', share });
    for (const conn of [...room.sharers, ...room.live, ...room.waiting]) {
      conn.ws.send(bye, TEXT);
      conn.ws.close(CLOSE.ended, 'session ended');
      this.remove(conn);
    }
  }

  /**
   * The shared bus is away: sockets here keep working with each other, but what the other
   * instances relay does not arrive. Every socket is told; stored positions still come with
   * `since`, and nothing acknowledged is lost (acks follow the database, not the bus).
   */
  degrade(): void {
    this.degraded = true;
    const notice = frame({ type: 'degraded' });
    for (const conn of this.conns) if (conn.userId || conn.guest) conn.ws.send(notice, TEXT);
  }

  /** Sessions with a room (sockets) on this instance. */
  roomIds(): string[] {
    return [...this.rooms.keys()];
  }

  /**
   * What the database says of this instance's rooms `ids` now. While the shared bus is away
   * the events of the other instances are lost: an SOS or a missed check-in there would leave
   * check-in-only watchers here waiting until Redis is back, and a revocation there would leave
   * a watcher here receiving. This does what the lost events would have done: access granted
   * (with the whole trail) or withdrawn, watchers no longer allowed closed (4403), rooms of
   * ended or erased sessions closed (4410).
   *
   * `readAt`: `changes` when the database read began. A room whose access changed here since
   * (an SOS or a missed check-in handled on this instance, applied once committed) is newer
   * than the read: its status is left alone, or a slow read would take live access back from
   * the contacts until the next pass.
   */
  resync(ids: string[], stored: StoredAccess, readAt = this.changes): void {
    const sessions = new Map(stored.sessions.map((row) => [row.id, row]));
    const followers = new Set(stored.followers.map((f) => `${f.share} ${f.user}`));
    const revoked = new Set(stored.revokedLinks);
    for (const id of ids) {
      const room = this.rooms.get(id);
      if (!room) continue;
      const row = sessions.get(id);
      if (!row || row.status === 'ended') {
        this.endRoom(id);
        continue;
      }
      for (const conn of [...room.live, ...room.waiting]) {
        if (conn.guest ? revoked.has(conn.guest.linkId) : !followers.has(`${id} ${conn.userId}`))
          this.close(conn, CLOSE.revoked, 'access revoked');
      }
      if (room.changedAt > readAt) continue;
      if (row.status !== room.status || row.visibility !== room.visibility)
        this.applySession(id, row.status, row.visibility);
    }
  }

  /**
   * The shared bus is back, but what crossed meanwhile was lost (positions, access changes):
   * every socket is closed with 1012 so that its client reconnects, joins again with the
   * access the database gives now, and catches up with `since`.
   */
  restore(): void {
    this.degraded = false;
    for (const conn of [...this.conns]) this.close(conn, CLOSE.restart, 'live relay restored');
  }

  close(conn: Conn, code: number, reason: string): void {
    conn.ws.close(code, reason);
    this.remove(conn);
  }

  private applySession(share: string, status: ShareStatus, visibility: ShareVisibility): void {
    const room = this.rooms.get(share);
    if (!room) return;
    const before = deliversNow(room.status, room.visibility);
    room.changedAt = ++this.changeCount;
    room.status = status;
    room.visibility = visibility;
    const after = deliversNow(status, visibility);
    const notice = frame({ type: 'status', share, status, visibility, access: after ? 'live' : 'waiting' });
    for (const conn of [...room.sharers, ...room.live, ...room.waiting]) conn.ws.send(notice, TEXT);
    if (after && !before) {
      // Access granted (missed check-in, SOS): the waiting watchers receive the whole trail.
      const granted = [...room.waiting];
      room.waiting.clear();
      for (const conn of granted) room.live.add(conn);
      this.deps.backlog(share, -1).then((frames) => {
        for (const conn of granted) if (room.live.has(conn)) for (const f of frames) conn.ws.send(f, TEXT);
      }, this.deps.onError);
    } else if (before && !after) {
      for (const conn of room.live) room.waiting.add(conn);
      room.live.clear();
    }
  }
}

function index<K>(map: Map<K, Set<Conn>>, key: K, conn: Conn) {
  const set = map.get(key);
  if (set) set.add(conn);
  else map.set(key, new Set([conn]));
}

function unindex<K>(map: Map<K, Set<Conn>>, key: K, conn: Conn) {
  const set = map.get(key);
  if (!set) return;
  set.delete(conn);
  if (set.size === 0) map.delete(key);
}
