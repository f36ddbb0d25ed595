/**
 * Publish/subscribe between the parts of Havre and, at scale, between instances.
 * In-process by default; Redis when HAVRE_REDIS_URL is set (same interface).
 * Messages are JSON-serialisable values.
 */
export type BusHandler = (message: unknown) => void;

export interface PublishOptions {
  /** Only to the other instances: the caller already did the local work (relay hot path). */
  othersOnly?: boolean;
}

export interface Bus {
  publish(topic: string, message: unknown, options?: PublishOptions): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>>;
  /**
   * A bus shared between instances tells when messages from the others stop (`false`) and
   * start again (`true`; what was published meanwhile is lost). The in-process bus never changes.
   */
  onConnectionChange?(listener: (up: boolean) => void): void;
  /**
   * A bus shared between instances: resolves once what this instance published so far was
   * handed to every other instance's connection (session revocations wait for it).
   */
  settled?(): Promise<void>;
  close(): Promise<void>;
}

export class MemoryBus implements Bus {
  private readonly topics = new Map<string, Set<BusHandler>>();

  async publish(topic: string, message: unknown, options: PublishOptions = {}): Promise<void> {
    const handlers = this.topics.get(topic);
    if (!handlers || options.othersOnly) return;
    // Same semantics as Redis: every subscriber gets its own copy.
    const copy = JSON.stringify(message);
    for (const handler of [...handlers]) handler(JSON.parse(copy));
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    let handlers = this.topics.get(topic);
    if (!handlers) {
      handlers = new Set();
      this.topics.set(topic, handlers);
    }
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
      if (handlers.size === 0) this.topics.delete(topic);
    };
  }

  async close(): Promise<void> {
    this.topics.clear();
  }
}
