/**
 * The browser side of the relay's WebSocket (protocol in src/sharing/socket.ts). A signed-in
 * browser is authenticated by its session cookie on the upgrade; a guest sends its link's
 * token first. The socket reconnects by itself (exponential backoff with jitter, at once when
 * the network comes back) and notices a dead connection (no message for a minute).
 */

export interface Frame {
  type: string;
  share?: string;
  [key: string]: unknown;
}

export type Connection = 'connecting' | 'online' | 'offline' | 'closed';

export interface RelayOptions {
  /** Guest link token (no account). */
  guest?: string;
  /** The server said `ready`: join rooms here. */
  onReady(): void;
  onFrame(frame: Frame): void;
  onConnection(state: Connection): void;
  /** The server closed for good (4401 not authenticated, 4403 revoked, 4410 ended). */
  onFinal(code: number): void;
}

const FINAL = new Set([4401, 4403, 4410]);
const PING_MS = 25_000;
const DEAD_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;

export function relayUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/shares/ws`;
}

export class RelaySocket {
  private ws: WebSocket | null = null;
  private ready = false;
  private stopped = true;
  private attempts = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private ping: ReturnType<typeof setInterval> | null = null;
  private lastMessageAt = 0;

  constructor(private readonly options: RelayOptions) {}

  get isReady(): boolean {
    return this.ready && this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.drop();
    this.options.onConnection('closed');
  }

  /** Sends a frame if the socket is ready; returns whether it was sent. */
  send(value: Frame): boolean {
    if (!this.isReady) return false;
    this.ws!.send(JSON.stringify(value));
    return true;
  }

  private readonly onOnline = () => {
    if (this.stopped) return;
    this.attempts = 0;
    if (!this.ws) this.connect();
  };

  private readonly onOffline = () => {
    // The socket may stay half-open for minutes; start again when the network is back.
    this.drop();
    this.options.onConnection('offline');
  };

  private drop() {
    if (this.ping) clearInterval(this.ping);
    this.ping = null;
    this.ready = false;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
    }
  }

  private connect() {
    if (this.stopped) return;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    if (!navigator.onLine) {
      this.options.onConnection('offline');
      return; // `online` will call back
    }
    this.options.onConnection('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(relayUrl());
    } catch {
      this.schedule();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.lastMessageAt = Date.now();
      if (this.options.guest) ws.send(JSON.stringify({ type: 'auth', guest: this.options.guest }));
      this.ping = setInterval(() => {
        if (Date.now() - this.lastMessageAt > DEAD_MS) {
          this.drop();
          this.schedule();
          return;
        }
        if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"ping"}');
      }, PING_MS);
    };
    ws.onmessage = (event) => {
      this.lastMessageAt = Date.now();
      let frame: Frame;
      try {
        frame = JSON.parse(String(event.data)) as Frame;
      } catch {
        return;
      }
      if (frame.type === 'ready') {
        this.ready = true;
        this.attempts = 0;
        this.options.onConnection('online');
        this.options.onReady();
        return;
      }
      if (frame.type === 'pong') return;
      this.options.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.drop();
      if (FINAL.has(event.code)) {
        this.stopped = true;
        this.options.onConnection('closed');
        this.options.onFinal(event.code);
        return;
      }
      this.schedule();
    };
    ws.onerror = () => {
      // onclose follows and reconnects
    };
  }

  private schedule() {
    if (this.stopped) return;
    this.options.onConnection(navigator.onLine ? 'connecting' : 'offline');
    const base = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** this.attempts);
    this.attempts += 1;
    this.retry = setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2));
  }
}
