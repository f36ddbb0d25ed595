/**
 * The sharer's engine: reads the position (Geolocation API), encrypts each one with the
 * session key in this browser, numbers it, keeps it in the outbox (IndexedDB, ciphertext only)
 * until the server acknowledges it, and sends it over the relay. It outlives the screen that
 * started it (one engine per session, for the life of the tab).
 *
 * Delivery without loss: every position gets the next sequence number and stays in the outbox
 * until its `ack`; after a reconnection the outbox is sent again (the server ignores seqs it
 * already has). A long backlog (hours offline) goes over HTTP in batches instead of the socket.
 *
 * When the server says `degraded` (its instances cannot reach one another: Redis away), the
 * positions are still stored and acknowledged, but contacts connected elsewhere get them late:
 * the screen says so until a new connection (the server closes with 1012 when it is over).
 */
import { encryptPosition, type Position } from '../../../src/shared/envelope.ts';
import { sharingApi } from './api.ts';
import { Observable } from './observable.ts';
import { precisionChanged, watchPosition } from './position-source.ts';
import { type BatteryState, Motion, sendIntervalMs, shouldReportStill } from './rate.ts';
import { type Connection, type Frame, RelaySocket } from './relay-client.ts';
import { deleteOutbox, forgetShare, listOutbox, putOutbox, putShare, type ShareRecord } from './store.ts';

export interface SharerState {
  connection: Connection;
  geo: 'waiting' | 'ok' | 'denied' | 'unavailable';
  lastFix: Position | null;
  /** When the last position was handed to the server (socket or HTTP). */
  lastSentAt: number | null;
  lastAckAt: number | null;
  /** Positions not yet acknowledged (kept on this phone). */
  pending: number;
  question: 'overdue' | 'still' | null;
  /** Answers and new times the server told of (from any of her screens): the view is read again at each. */
  answers: number;
  status: 'active' | 'alerted' | 'ended';
  intervalMs: number;
  battery: BatteryState | null;
  wakeLock: 'on' | 'off' | 'unsupported';
  /** Stored and acknowledged as usual, but contacts on other instances receive late. */
  degraded: boolean;
}

interface BatteryManager extends EventTarget {
  level: number;
  charging: boolean;
}

const TICK_MS = 1_000;
const RESEND_AFTER_MS = 15_000;
const SOCKET_BATCH = 20; // more than this waiting: send them over HTTP
const HTTP_BATCH = 500;
const HTTP_RETRY_MS = 30_000;

export class Sharer extends Observable<SharerState> {
  private readonly relay: RelaySocket;
  private readonly motion = new Motion();
  private readonly sentAt = new Map<number, number>();
  private unwatch: (() => void) | null = null;
  /** GPS wanted: false when the battery is low (coarse network positions), except in an SOS. */
  private readonly listener = {
    precise: true,
    fix: (p: GeolocationPosition) => this.onFix(p),
    state: (geo: SharerState['geo']) => this.set({ geo }),
  };
  private ticker: ReturnType<typeof setInterval> | null = null;
  private joined = false;
  private lastQueuedAt = 0;
  private lastQueuedFixT = 0;
  private stillReported = false;
  private lastHttpTry = 0;
  private flushing = false;
  private chain: Promise<void> = Promise.resolve();
  private wakeSentinel: WakeLockSentinel | null = null;
  private running = false;
  private ticks = 0;

  constructor(private readonly record: ShareRecord) {
    super({
      connection: 'connecting',
      geo: 'waiting',
      lastFix: null,
      lastSentAt: null,
      lastAckAt: null,
      pending: 0,
      question: null,
      answers: 0,
      status: 'active',
      intervalMs: sendIntervalMs({ moving: true, urgent: record.urgent, battery: null }),
      battery: null,
      wakeLock: 'wakeLock' in navigator ? 'off' : 'unsupported',
      degraded: false,
    });
    this.relay = new RelaySocket({
      onReady: () => {
        this.joined = false;
        // A new connection is live unless the server says `degraded` right after `ready`.
        this.set({ degraded: false });
        this.relay.send({ type: 'join', share: this.shareId });
      },
      onFrame: (frame) => this.onFrame(frame),
      onConnection: (connection) => {
        // What the server said about the last connection no longer holds.
        if (connection !== 'online') this.joined = false;
        this.set(connection === 'online' ? { connection } : { connection, degraded: false });
      },
      onFinal: (code) => {
        if (code === 4410) void this.finish();
      },
    });
  }

  get shareId(): string {
    return this.record.shareId;
  }

  get urgent(): boolean {
    return this.record.urgent || this.get().status === 'alerted';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.relay.start();
    this.watch();
    void this.readBattery();
    void this.keepAwake();
    document.addEventListener('visibilitychange', this.onVisible);
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    void this.countPending();
  }

  /** Stops this tab's work (the session goes on: another tab or a reload resumes it). */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.relay.stop();
    this.unwatch?.();
    this.unwatch = null;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    document.removeEventListener('visibilitychange', this.onVisible);
    void this.wakeSentinel?.release().catch(() => {});
    this.wakeSentinel = null;
  }

  /** The session is over (arrived, ended by the server, cancelled SOS): forget its key. */
  async finish(): Promise<void> {
    this.stop();
    this.set({ status: 'ended', question: null });
    sharers.delete(this.shareId);
    await forgetShare(this.shareId);
  }

  /** SOS on this session: send as often as possible from now on. */
  async makeUrgent(): Promise<void> {
    this.record.urgent = true;
    if (!this.listener.precise) {
      this.listener.precise = true;
      precisionChanged();
    }
    await putShare(this.record);
    this.set({ intervalMs: this.interval() });
  }

  answered(): void {
    this.set({ question: null });
  }

  setStatus(status: SharerState['status'], question?: SharerState['question']): void {
    this.set({ status, ...(question !== undefined ? { question } : {}) });
  }

  // ---- position ----

  private watch() {
    this.unwatch?.();
    this.unwatch = watchPosition(this.listener);
  }

  private onFix(p: GeolocationPosition) {
    const battery = this.get().battery;
    const fix: Position = {
      lat: p.coords.latitude,
      lon: p.coords.longitude,
      accuracy: Math.round(p.coords.accuracy),
      heading: p.coords.heading !== null && Number.isFinite(p.coords.heading) ? p.coords.heading : null,
      speed: p.coords.speed !== null && Number.isFinite(p.coords.speed) ? p.coords.speed : null,
      battery: battery ? Math.round(battery.level * 100) / 100 : null,
      t: Math.round(p.timestamp || Date.now()),
    };
    if (this.motion.update(fix)) this.stillReported = false;
    this.set({ lastFix: fix, geo: 'ok', intervalMs: this.interval() });
    // A fix no newer than the last one sent is the browser's cached one, given again when the
    // watch restarts (SOS asks for precision): sent twice, contacts saw the same point twice.
    // `tick` sends it again with the current time when it is due ("still here").
    if (fix.t > this.lastQueuedFixT && Date.now() - this.lastQueuedAt >= this.interval()) this.queue(fix);
  }

  private interval(): number {
    return sendIntervalMs({
      moving: this.motion.moving(Date.now()),
      urgent: this.urgent,
      battery: this.get().battery,
    });
  }

  private tick() {
    const now = Date.now();
    const fix = this.get().lastFix;
    const interval = this.interval();
    if (interval !== this.get().intervalMs) this.set({ intervalMs: interval });
    if (fix && now - this.lastQueuedAt >= interval) {
      // A new fix, or the last one again with the current time: "still here, still sharing".
      this.queue(fix.t > this.lastQueuedFixT ? fix : { ...fix, t: now });
    }
    const minutes = this.motion.stillMinutes(now);
    if (this.joined && shouldReportStill(minutes, this.record.stillMinutes, this.stillReported)) {
      if (this.relay.send({ type: 'still', share: this.shareId, minutes })) this.stillReported = true;
    }
    this.ticks += 1;
    if (this.ticks % 5 === 0) void this.resend(now);
  }

  /** Numbers, encrypts, stores and sends one position (in order: one at a time). */
  private queue(fix: Position) {
    this.lastQueuedAt = Date.now();
    this.lastQueuedFixT = Math.max(this.lastQueuedFixT, fix.t);
    this.chain = this.chain
      .then(async () => {
        const seq = this.record.nextSeq;
        this.record.nextSeq += 1;
        await putShare(this.record);
        const c = await encryptPosition(this.record.key, this.shareId, seq, fix);
        await putOutbox({ shareId: this.shareId, seq, c, sentAt: 0 });
        this.set({ pending: this.get().pending + 1 });
        if (this.joined && this.relay.send({ type: 'pos', share: this.shareId, seq, c })) {
          this.sentAt.set(seq, Date.now());
          this.set({ lastSentAt: Date.now() });
        }
      })
      .catch(() => {
        // storage full or crypto unavailable: the next fix tries again
      });
  }

  // ---- delivery ----

  private onFrame(frame: Frame) {
    if (frame.share !== undefined && frame.share !== this.shareId) return;
    switch (frame.type) {
      case 'degraded':
        this.set({ degraded: true });
        return;
      case 'joined':
        this.joined = true;
        this.set({ status: frame.status === 'alerted' ? 'alerted' : 'active' });
        void this.flush();
        return;
      case 'ack': {
        // One commit may acknowledge several points at once (`seqs`, e.g. a backlog).
        const seqs = Array.isArray(frame.seqs) ? frame.seqs.map(Number) : [Number(frame.seq)];
        for (const seq of seqs) this.sentAt.delete(seq);
        void deleteOutbox(this.shareId, seqs).then(() => this.countPending());
        this.set({ lastAckAt: Date.now() });
        return;
      }
      case 'question':
        this.set({ question: frame.reason === 'still' ? 'still' : 'overdue' });
        navigator.vibrate?.([300, 150, 300, 150, 300]);
        return;
      case 'times':
        // Answered here or on another screen: the question goes, the next one's time comes.
        this.set({ question: null, answers: this.get().answers + 1 });
        return;
      case 'status':
        this.set({
          status: frame.status === 'alerted' ? 'alerted' : 'active',
          ...(frame.status === 'active' ? { question: null } : {}),
          intervalMs: this.interval(),
        });
        return;
      case 'ended':
        void this.finish();
        return;
      case 'error':
        if (frame.code === 'ended' || frame.code === 'not_found' || frame.code === 'forbidden')
          void this.finish();
        return;
    }
  }

  private async countPending() {
    const items = await listOutbox(this.shareId);
    this.set({ pending: items.length });
  }

  /** After (re)joining: everything not acknowledged, again. */
  private async flush() {
    if (this.flushing) return;
    this.flushing = true;
    try {
      await this.chain;
      const items = await listOutbox(this.shareId);
      if (items.length > SOCKET_BATCH) await this.sendOverHttp(items);
      else for (const item of items) this.resendOne(item.seq, item.c);
    } finally {
      this.flushing = false;
    }
  }

  private resendOne(seq: number, c: string) {
    if (this.relay.send({ type: 'pos', share: this.shareId, seq, c })) {
      this.sentAt.set(seq, Date.now());
      this.set({ lastSentAt: Date.now() });
    }
  }

  private async resend(now: number) {
    const items = await listOutbox(this.shareId);
    if (items.length === 0) return;
    if (this.joined) {
      const late = items.filter((i) => now - (this.sentAt.get(i.seq) ?? 0) > RESEND_AFTER_MS);
      if (late.length > SOCKET_BATCH) await this.sendOverHttp(late);
      else for (const item of late) this.resendOne(item.seq, item.c);
    } else if (navigator.onLine && now - this.lastHttpTry > HTTP_RETRY_MS) {
      // The socket cannot connect (a proxy that refuses WebSockets?): HTTP still delivers.
      await this.sendOverHttp(items);
    }
  }

  private async sendOverHttp(items: { seq: number; c: string }[]) {
    this.lastHttpTry = Date.now();
    try {
      for (let i = 0; i < items.length; i += HTTP_BATCH) {
        const batch = items.slice(i, i + HTTP_BATCH).map(({ seq, c }) => ({ seq, c }));
        const { acked } = await sharingApi.postPositions(this.shareId, batch);
        await deleteOutbox(this.shareId, acked);
        this.set({ lastSentAt: Date.now(), lastAckAt: Date.now() });
      }
    } catch {
      // offline again: the next round retries
    }
    await this.countPending();
  }

  // ---- phone ----

  private async readBattery() {
    const getBattery = (navigator as Navigator & { getBattery?: () => Promise<BatteryManager> }).getBattery;
    if (!getBattery) return;
    try {
      const manager = await getBattery.call(navigator);
      const update = () => {
        const battery = { level: manager.level, charging: manager.charging };
        this.set({ battery, intervalMs: this.interval() });
        // Coarse positions (network, not GPS) when the battery is low, except in an SOS.
        const precise = this.urgent || battery.charging || battery.level >= 0.2;
        if (precise !== this.listener.precise) {
          this.listener.precise = precise;
          precisionChanged();
        }
      };
      update();
      manager.addEventListener('levelchange', update);
      manager.addEventListener('chargingchange', update);
    } catch {
      // not allowed here: no battery-aware rate
    }
  }

  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') void this.keepAwake();
  };

  /** Keeps the screen on while sharing (the browser releases it when the page is hidden). */
  private async keepAwake() {
    if (!('wakeLock' in navigator) || !this.running || this.wakeSentinel) return;
    try {
      const sentinel = await navigator.wakeLock.request('screen');
      this.wakeSentinel = sentinel;
      this.set({ wakeLock: 'on' });
      sentinel.addEventListener('release', () => {
        this.wakeSentinel = null;
        this.set({ wakeLock: 'off' });
      });
    } catch {
      this.set({ wakeLock: 'off' });
    }
  }
}

const sharers = new Map<string, Sharer>();

/** The running engine of a session, started on first call (one per session in this tab). */
export function runSharer(record: ShareRecord): Sharer {
  let sharer = sharers.get(record.shareId);
  if (!sharer) {
    sharer = new Sharer(record);
    sharers.set(record.shareId, sharer);
  }
  sharer.start();
  return sharer;
}

export function runningSharer(shareId: string): Sharer | undefined {
  return sharers.get(shareId);
}
