/**
 * The bus over Redis pub/sub, for several Havre instances. One connection publishes, one
 * subscribes (Redis requires a dedicated subscriber connection).
 *
 * Local first: a message reaches this instance's subscribers directly, then the other
 * instances through Redis (this instance skips its own echo). So what one instance does
 * for its own sockets and feeds never depends on Redis, and `publish` never fails because
 * Redis is away: a message that cannot cross is dropped, and the instances resynchronise
 * their clients when the subscriber connection comes back (`onConnectionChange`).
 * ioredis reconnects by itself and re-subscribes; `healthy` and `ping` tell /api/ready.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Bus, BusHandler, PublishOptions } from './bus.ts';

export class RedisBus implements Bus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly topics = new Map<string, Set<BusHandler>>();
  /** Marks this instance's messages, so that their echo from Redis is skipped. */
  private readonly origin = randomUUID();
  /** Whether the subscriber connection is up; null before it first connected. */
  private up: boolean | null = null;
  private readonly listeners: ((up: boolean) => void)[] = [];
  private pubWasReady = false;
  /** Messages that could not cross to the other instances (Redis away). */
  dropped = 0;

  constructor(
    url: string,
    private readonly prefix = 'havre:',
  ) {
    const options = { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false };
    this.pub = new Redis(url, options);
    // A subscriber connection may not run INFO (the ready check) once it has subscribed,
    // which happens when a subscribe is queued while connecting.
    this.sub = new Redis(url, { ...options, enableReadyCheck: false });
    // Errors surface through `healthy` and the connection listeners, never as unhandled events.
    this.pub.on('error', () => {});
    this.pub.once('ready', () => {
      this.pubWasReady = true;
    });
    this.sub.on('error', () => {});
    this.sub.on('message', (channel: string, raw: string) => {
      const cut = raw.indexOf('|');
      if (cut < 0 || raw.slice(0, cut) === this.origin) return;
      let message: unknown;
      try {
        message = JSON.parse(raw.slice(cut + 1));
      } catch {
        return;
      }
      this.deliver(channel.slice(this.prefix.length), message);
    });
    // ioredis emits `close` at every failed reconnection attempt: listeners hear transitions only.
    this.sub.on('ready', () => this.transition(true));
    this.sub.on('close', () => this.transition(false));
  }

  get healthy(): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  /**
   * Calls `listener(false)` when the subscriber connection is lost (messages from other
   * instances stop) and `listener(true)` when it is back (what was published meanwhile is lost:
   * resynchronise).
   */
  onConnectionChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
    // Started while Redis was away, and the first attempt failed before this listener came.
    if (this.up === false) queueMicrotask(() => this.up === false && listener(false));
  }

  private transition(up: boolean): void {
    const before = this.up;
    this.up = up;
    // The first connection coming up is the normal start, not a return: nothing was lost.
    // The first attempt failing is an outage like any other (an instance started while Redis
    // was away must resynchronise from the database, and say so, exactly as one that lost it).
    if (before === up || (before === null && up)) return;
    // ioredis renews the subscriptions it had confirmed; one asked for while away was not.
    if (up && this.topics.size > 0)
      this.sub.subscribe(...[...this.topics.keys()].map((t) => this.prefix + t)).catch(() => {});
    for (const listener of this.listeners) listener(up);
  }

  private deliver(topic: string, message: unknown): void {
    for (const handler of [...(this.topics.get(topic) ?? [])]) handler(message);
  }

  async publish(topic: string, message: unknown, options: PublishOptions = {}): Promise<void> {
    const json = JSON.stringify(message);
    // Same semantics as the MemoryBus: every local subscriber gets its own copy.
    if (this.topics.has(topic) && !options.othersOnly) this.deliver(topic, JSON.parse(json));
    // Lost (not merely still connecting at start): waiting for Redis would hold the caller.
    if (this.pub.status !== 'ready' && (this.pubWasReady || this.up === false)) {
      this.dropped += 1;
      return;
    }
    try {
      await this.pub.publish(this.prefix + topic, `${this.origin}|${json}`);
    } catch {
      this.dropped += 1;
    }
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    let handlers = this.topics.get(topic);
    if (!handlers) {
      handlers = new Set();
      this.topics.set(topic, handlers);
      // Away, the subscription is renewed on reconnection (`transition`); local delivery works
      // now. Known to be away: not waiting for the retries keeps a start without Redis quick.
      const subscribed = this.sub.subscribe(this.prefix + topic).catch(() => {});
      if (this.up !== false) await subscribed;
    }
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
      if (handlers.size === 0 && this.topics.get(topic) === handlers) {
        this.topics.delete(topic);
        // As subscribe: known to be away, not waiting for the retries keeps a stop quick (a
        // server stopping without Redis waited ~5 s here).
        const unsubscribed = this.sub.unsubscribe(this.prefix + topic).catch(() => {});
        if (this.up !== false) await unsubscribed;
      }
    };
  }

  /**
   * Redis writes a published message to every subscriber connection while it executes the
   * PUBLISH; a PING sent afterwards on this instance's subscriber connection is answered after
   * that. So once the PONG is back, the other instances' connections have the message.
   */
  async settled(): Promise<void> {
    if (!this.healthy) return;
    await this.sub.ping().catch(() => {});
  }

  async ping(): Promise<boolean> {
    if (!this.healthy) return false;
    try {
      return (await this.pub.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.topics.clear();
    this.listeners.length = 0;
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
