/**
 * Live feed of a territory's heatmap for its dashboards, over Server-Sent Events: the
 * current UTC week so far, one release block (release.ts). One feed per territory and
 * instance, shared by every dashboard watching it: on each `reports.accepted.<code>` message
 * (from any instance, through the bus) the feed recomputes the week's heatmap from the
 * pre-aggregates, folded under the k rule, and sends what changed. A cell only appears once
 * it reaches k in the current week, exactly as in the heatmap of that week. A late report
 * dated into a past week changes that week in the heatmap, not the live view; on Monday
 * 00:00 UTC the view starts a new week (the cells of the last one are removed).
 * A dashboard that (re)connects first gets a snapshot, so it always catches up.
 * When the shared bus is away, reports accepted by other instances do not show live: every
 * dashboard gets a `degraded` event; when it is back, the streams end and browsers reconnect
 * to a fresh snapshot.
 */
import type { Services } from '../server/services.ts';
import type { ShownCell } from './fold.ts';
import { cellFeature, type Heatmap, presentHeatmap, territoryHeatmap, windowFields } from './heatmap.ts';
import { reportSettings } from './settings.ts';
import { currentWeek, type WeekWindow } from './window.ts';
import { acceptedTopic } from './writer.ts';

export interface LiveClient {
  event(name: string, id: string, data: unknown): void;
  comment(text: string): void;
  /** Ends the stream (server shutdown, access lost): the browser's EventSource reconnects. */
  end(): void;
  /** Is the viewer still allowed (session alive, still staff of the territory)? */
  allowed(): Promise<boolean>;
}

const sameCell = (a: ShownCell, b: ShownCell) => a.count === b.count && a.resolution === b.resolution;

class TerritoryFeed {
  readonly clients = new Set<LiveClient>();
  /** Clients between connect and their snapshot: the feed must not stop under them. */
  joining = 0;
  private cells = new Map<string, ShownCell>();
  private heatmap: Heatmap | null = null;
  private window: WeekWindow | null = null;
  private version = 0;
  private refreshing: Promise<void> | null = null;
  private dirty = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly services: Services,
    readonly code: string,
  ) {}

  async start(): Promise<void> {
    const settings = reportSettings(this.services);
    this.unsubscribe = await this.services.bus.subscribe(acceptedTopic(this.code), () => {
      this.refresh().catch((err) =>
        this.services.log.warn({ err, territory: this.code }, 'live refresh failed'),
      );
    });
    const keepAlive = setInterval(() => {
      for (const client of this.clients) client.comment('keep-alive');
    }, settings.liveKeepAliveMs);
    // The week ends: its cells leave the view on Monday 00:00 UTC, even when nothing is reported. And a
    // viewer whose session ended or whose staff role was revoked stops receiving.
    const slide = setInterval(() => {
      this.refresh().catch(() => {});
      this.recheck().catch(() => {});
    }, settings.liveSlideMs);
    keepAlive.unref();
    slide.unref();
    this.timers = [keepAlive, slide];
  }

  /** Recomputes; concurrent calls coalesce into one more run after the current one. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.dirty = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.dirty = false;
        await this.recompute();
      } while (this.dirty);
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async recompute(): Promise<void> {
    const window = currentWeek(this.services.clock.now());
    const heatmap = await territoryHeatmap(this.services, this.code, window);
    const next = new Map(heatmap.cells.map((c) => [c.cell, c]));
    const changed = heatmap.cells.filter((c) => {
      const before = this.cells.get(c.cell);
      return !before || !sameCell(before, c);
    });
    const removed = [...this.cells.keys()].filter((cell) => !next.has(cell));
    const previous = this.heatmap;
    const previousWeek = this.window?.from;
    const first = previous === null;
    this.cells = next;
    this.heatmap = heatmap;
    this.window = window;
    if (first) return;
    const totalsChanged =
      previousWeek !== window.from ||
      previous.total !== heatmap.total ||
      previous.hidden !== heatmap.hidden ||
      previous.held !== heatmap.held;
    if (changed.length === 0 && removed.length === 0 && !totalsChanged) return;
    this.version += 1;
    const diff = {
      changed: changed.map(cellFeature),
      removed,
      ...windowFields(window),
      total: heatmap.total,
      hidden: heatmap.hidden,
      held: heatmap.held,
      k: heatmap.k,
    };
    for (const client of this.clients) client.event('cells', String(this.version), diff);
  }

  private async recheck(): Promise<void> {
    for (const client of [...this.clients]) {
      if (await client.allowed()) continue;
      this.clients.delete(client);
      client.end();
    }
  }

  /** Brings the feed up to date, then sends the full state to the newcomer and enrols it. */
  async join(client: LiveClient): Promise<void> {
    await this.refresh();
    if (!this.heatmap || !this.window) return;
    client.event('snapshot', String(this.version), presentHeatmap(this.heatmap, this.window, this.code));
    this.clients.add(client);
  }

  /** An event without content for every dashboard of this feed (`degraded`). */
  tell(name: string): void {
    for (const client of this.clients) client.event(name, String(this.version), {});
  }

  async stop(): Promise<void> {
    for (const client of this.clients) client.end();
    this.clients.clear();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

/** Live feeds of one app instance. */
export class LiveFeeds {
  private readonly feeds = new Map<string, Promise<TerritoryFeed>>();
  /** Reports from other instances do not arrive (shared bus away). */
  private degraded = false;

  constructor(private readonly services: Services) {
    services.bus.onConnectionChange?.((up) => {
      this.degraded = !up;
      if (up) this.close().catch(() => {});
      else
        for (const pending of this.feeds.values())
          pending.then(
            (feed) => feed.tell('degraded'),
            () => {},
          );
    });
  }

  /** Returns the function that removes the client. */
  async join(code: string, client: LiveClient): Promise<() => void> {
    let pending = this.feeds.get(code);
    if (!pending) {
      const feed = new TerritoryFeed(this.services, code);
      pending = feed.start().then(() => feed);
      this.feeds.set(code, pending);
    }
    const feed = await pending;
    const leave = () => {
      feed.clients.delete(client);
      if (feed.clients.size === 0 && feed.joining === 0 && this.feeds.get(code) === pending) {
        this.feeds.delete(code);
        feed.stop().catch(() => {});
      }
    };
    feed.joining += 1;
    try {
      await feed.join(client);
      if (this.degraded) client.event('degraded', '0', {});
    } catch (error) {
      leave(); // a feed nobody watches must not keep its timers and subscription
      throw error;
    } finally {
      feed.joining -= 1;
    }
    return leave;
  }

  async close(): Promise<void> {
    const feeds = await Promise.all(this.feeds.values());
    this.feeds.clear();
    await Promise.all(feeds.map((f) => f.stop()));
  }
}
