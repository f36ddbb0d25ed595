/**
 * The watcher's engine (a trusted contact, or a guest with a link): joins the session's room,
 * decrypts each position with the session key in this browser, deduplicates by sequence
 * number (a point may arrive live and again in a backlog), and after any reconnection asks
 * for what it missed (`since` the last seq it holds). When the server says live delivery
 * between its instances is interrupted (`degraded`: Redis away), it asks for the stored trail
 * every few seconds until a reconnection restores live delivery.
 */
import { decryptPosition, type Position } from '../../../src/shared/envelope.ts';
import { Observable } from './observable.ts';
import { type Connection, type Frame, RelaySocket } from './relay-client.ts';

export interface WatchedPoint extends Position {
  seq: number;
}

export interface WatcherState {
  connection: Connection;
  access: 'live' | 'waiting' | null;
  status: 'active' | 'alerted' | 'ended' | null;
  /** Decrypted trail, oldest first. */
  points: WatchedPoint[];
  /** When the last point arrived in this browser. */
  receivedAt: number | null;
  /** Why watching stopped: ended session, revoked access, unknown or refused session. */
  final: 'ended' | 'revoked' | 'refused' | null;
  /** Why the session ended, when the relay said (the person arrived: shown as such). */
  endReason: 'arrived' | 'limit' | 'sos_cancelled' | null;
  /** Points that could not be opened (wrong key or altered): never shown. */
  unreadable: number;
  /** Live delivery between the server's instances is interrupted: points come late. */
  degraded: boolean;
  /** When the person said she is OK after an alert seen here (shown to the contact until another alert). */
  okAt: number | null;
  /** The expected arrival or end as the person moved it while this page was open (ISO; the view's otherwise). */
  times: { expectedArrival: string | null; until: string | null } | null;
}

/** While degraded, the stored trail is asked for this often. */
const DEGRADED_POLL_MS = 5_000;

const MAX_POINTS = 5_000;

export class Watcher extends Observable<WatcherState> {
  private readonly relay: RelaySocket;
  private readonly seen = new Set<number>();
  /** Every seq up to this one is held: what a resumption asks after (gaps are filled again). */
  private contiguous = -1;
  private poll: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly shareId: string,
    private readonly key: CryptoKey,
    guest?: string,
    /** Called when the server says what the watcher receives changed (refetch the session). */
    private readonly onChange: () => void = () => {},
  ) {
    super({
      connection: 'connecting',
      access: null,
      status: null,
      points: [],
      receivedAt: null,
      final: null,
      endReason: null,
      unreadable: 0,
      degraded: false,
      okAt: null,
      times: null,
    });
    this.relay = new RelaySocket({
      guest,
      onReady: () => {
        // A new connection is live unless the server says `degraded` right after `ready`.
        this.setDegraded(false);
        this.relay.send({ type: 'join', share: shareId });
      },
      onFrame: (frame) => void this.onFrame(frame),
      onConnection: (connection) => this.set({ connection }),
      onFinal: (code) => (code === 4410 ? this.set({ final: 'ended' }) : this.forget('revoked')),
    });
  }

  start(): void {
    this.relay.start();
  }

  stop(): void {
    this.setDegraded(false);
    this.relay.stop();
  }

  private askSince() {
    this.relay.send({ type: 'since', share: this.shareId, seq: this.contiguous });
  }

  private setDegraded(degraded: boolean) {
    if (this.poll) clearInterval(this.poll);
    this.poll = degraded ? setInterval(() => this.askSince(), DEGRADED_POLL_MS) : null;
    if (this.get().degraded !== degraded) this.set({ degraded });
  }

  private async onFrame(frame: Frame) {
    if (frame.share !== undefined && frame.share !== this.shareId) return;
    switch (frame.type) {
      case 'joined': {
        const access = frame.access === 'live' ? 'live' : 'waiting';
        // Joined again after a lost connection: the alert may have been lifted meanwhile.
        this.set({ access, ...this.statusChange((frame.status as WatcherState['status']) ?? 'active') });
        // Resume: whatever was stored after the last point this browser holds.
        if (access === 'live') this.askSince();
        return;
      }
      case 'degraded':
        this.setDegraded(true);
        return;
      case 'pos':
        await this.add(Number(frame.seq), String(frame.c));
        return;
      case 'status': {
        // A grant (missed check-in, SOS) is followed by the whole trail, sent by the server.
        const access = frame.access === 'live' ? 'live' : 'waiting';
        // Back to check-in only ("I am OK" after an alert): what the alert showed goes too.
        if (access === 'waiting' && this.get().access === 'live') this.clearPoints();
        this.set({ access, ...this.statusChange((frame.status as WatcherState['status']) ?? null) });
        this.onChange();
        return;
      }
      case 'times': {
        // "+ 15 min" or a new time: the expected arrival (or end) the contact sees, at once.
        const iso = (value: unknown) => (typeof value === 'string' ? value : null);
        this.set({ times: { expectedArrival: iso(frame.expectedArrival), until: iso(frame.until) } });
        return;
      }
      case 'ended': {
        const reason = frame.reason;
        const endReason =
          reason === 'arrived' || reason === 'limit' || reason === 'sos_cancelled' ? reason : null;
        this.set({ final: 'ended', status: 'ended', endReason });
        this.onChange();
        return;
      }
      case 'error':
        if (frame.code === 'ended') this.set({ final: 'ended', status: 'ended' });
        else if (frame.code === 'forbidden' || frame.code === 'not_found') this.forget('refused');
        if (this.get().final) this.relay.stop();
        return;
    }
  }

  /**
   * The new status, and whether the person just said she is OK: an alert seen here ends only
   * by her answer ("I'm OK", a cancelled SOS), which the contact must be told, not just see the
   * alert box go.
   */
  private statusChange(status: WatcherState['status']): Pick<WatcherState, 'status' | 'okAt'> {
    const before = this.get();
    if (before.status === 'alerted' && status === 'active') return { status, okAt: Date.now() };
    return { status, okAt: status === 'alerted' ? null : before.okAt };
  }

  /**
   * Access withdrawn (a revoked guest link, a contact removed) or refused: what this browser
   * decrypted goes too, from the screen and from memory. The person chose that this watcher
   * should no longer see where they are, not only where they go next.
   */
  private forget(final: 'revoked' | 'refused') {
    this.clearPoints();
    this.set({ final });
  }

  private clearPoints() {
    this.seen.clear();
    this.contiguous = -1;
    this.set({ points: [], receivedAt: null });
  }

  private async add(seq: number, c: string) {
    if (!Number.isSafeInteger(seq) || this.seen.has(seq)) return;
    this.seen.add(seq);
    while (this.seen.has(this.contiguous + 1)) this.contiguous += 1;
    let position: Position;
    try {
      position = await decryptPosition(this.key, this.shareId, seq, c);
    } catch {
      this.set({ unreadable: this.get().unreadable + 1 });
      return;
    }
    const points = [...this.get().points, { ...position, seq }].sort((a, b) => a.seq - b.seq);
    this.set({ points: points.slice(-MAX_POINTS), receivedAt: Date.now() });
  }
}
