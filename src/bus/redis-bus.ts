/**
 * The bus over Redis pub/sub, for several Havre instances. One connection publishes, one
 * subscribes (Redis requires a dedicated subscriber connection). When Redis goes away,
 * ioredis reconnects by itself and re-subscribes; `healthy` tells /api/ready.
 */
import { Redis } from 'ioredis';
import type { Bus, BusHandler } from './bus.ts';

export class RedisBus implements Bus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly topics = new Map<string, Set<BusHandler>>();

  constructor(
    url: string,
    private readonly prefix = 'havre:',
  ) {
    const options = { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false };
    this.pub = new Redis(url, options);
    // A subscriber connection may not run INFO (the ready check) once it has subscribed,
    // which happens when a subscribe is queued while connecting.
    this.sub = new Redis(url, { ...options, enableReadyCheck: false });
    // Errors surface through `healthy` and failed publishes, never as unhandled events.
    this.pub.on('error', () => {});
    this.sub.on('error', () => {});
    this.sub.on('message', (channel: string, raw: string) => {
      const handlers = this.topics.get(channel.slice(this.prefix.length));
      if (!handlers) return;
      let message: unknown;
      try {
        message = JSON.parse(raw);
      } catch {
        return;
      }
      for (const handler of [...handlers]) handler(message);
    });
  }

  get healthy(): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  /** Calls `listener` when the subscriber connection is lost or restored (clients are told). */
  onConnectionChange(listener: (up: boolean) => void): void {
    this.sub.on('ready', () => listener(true));
    this.sub.on('close', () => listener(false));
  }

  async publish(topic: string, message: unknown): Promise<void> {
    await this.pub.publish(this.prefix + topic, JSON.stringify(message));
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    let handlers = this.topics.get(topic);
    if (!handlers) {
      handlers = new Set();
      this.topics.set(topic, handlers);
      await this.sub.subscribe(this.prefix + topic);
    }
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
      if (handlers.size === 0 && this.topics.get(topic) === handlers) {
        this.topics.delete(topic);
        await this.sub.unsubscribe(this.prefix + topic).catch(() => {});
      }
    };
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.pub.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.topics.clear();
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
