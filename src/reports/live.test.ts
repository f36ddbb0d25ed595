import { type IncomingMessage, request } from 'node:http';
import { latLngToCell } from 'h3-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { addTerritories, PLACES, postReport, reportBody } from '../../test/helpers/reports.ts';
import { sessionsChanged } from '../accounts/session-cache.ts';
import { revokeStaff } from '../accounts/store.ts';
import { configureReports } from './settings.ts';

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** A real HTTP client reading a Server-Sent Events stream. */
class SseClient {
  events: SseEvent[] = [];
  private buffer = '';
  private waiters: (() => void)[] = [];
  constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end = this.buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const event: SseEvent = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) event.comment = line.slice(1).trim();
          const m = /^(id|event|data): ?(.*)$/.exec(line);
          if (m) event[m[1] as 'id' | 'event' | 'data'] = m[2];
        }
        this.events.push(event);
        end = this.buffer.indexOf('\n\n');
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }
  async next(match: (e: SseEvent) => boolean, from = 0): Promise<SseEvent> {
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching event in ${JSON.stringify(this.events)}`)),
          5000,
        );
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
  close() {
    this.response.destroy();
  }
}

function connect(url: string, headers: Record<string, string>): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      resolve(new SseClient(res));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(backends())('live feed (SSE) on %s', (backend) => {
  let t: TestApp;
  let base: string;
  let staff: Awaited<ReturnType<typeof userWith>>;
  let citizen: Awaited<ReturnType<typeof userWith>>;
  const clients: SseClient[] = [];
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await addTerritories(t);
    configureReports(t.services, { dailyQuota: 1000, liveKeepAliveMs: 100 });
    staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    citizen = await userWith(t);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await t.close();
  });

  const open = async (headers: Record<string, string> = staff.auth) => {
    const client = await connect(`${base}/api/territories/75117/live`, headers);
    clients.push(client);
    return client;
  };
  const submit = async (i: number) => {
    const occurredAt = new Date(t.clock.now() - (i + 1) * 3_600_000 + 60_000).toISOString();
    expect((await postReport(t, citizen.auth, reportBody(t, { occurredAt }))).statusCode).toBe(201);
  };

  it('sends a snapshot, then the new cell only once it reaches k, and keep-alive comments', async () => {
    const live = await open();
    expect(live.response.statusCode).toBe(200);
    expect(live.response.headers['content-type']).toContain('text/event-stream');
    const snapshot = await live.next((e) => e.event === 'snapshot');
    expect(JSON.parse(snapshot.data!)).toMatchObject({
      type: 'FeatureCollection',
      features: [],
      total: 0,
      k: 5,
    });

    const cell = latLngToCell(PLACES.batignolles.lat, PLACES.batignolles.lon, 9);
    for (let i = 0; i < 4; i++) {
      await submit(i);
      const diff = JSON.parse((await live.next((e) => e.event === 'cells' && e.id === String(i + 1))).data!);
      expect(diff).toMatchObject({ total: i + 1, hidden: i + 1, changed: [], removed: [] });
    }
    await submit(4);
    const fifth = JSON.parse((await live.next((e) => e.event === 'cells' && e.id === '5')).data!);
    expect(fifth).toMatchObject({ total: 5, hidden: 0, removed: [] });
    expect(fifth.changed).toHaveLength(1);
    expect(fifth.changed[0].properties).toEqual({ cell, resolution: 9, count: 5 });
    expect(fifth.changed[0].geometry.type).toBe('Polygon');
    await live.next((e) => e.comment === 'keep-alive');
  });

  it('shows the current UTC week: earlier days of it, not a late report of last week; a new week starts empty', async () => {
    configureReports(t.services, { liveSlideMs: 50 });
    const cell = latLngToCell(PLACES.batignolles.lat, PLACES.batignolles.lon, 9);
    const post = async (occurredAt: string) =>
      expect((await postReport(t, citizen.auth, reportBody(t, { occurredAt }))).statusCode).toBe(201);
    // Tuesday of this week, four days before now (Saturday 21:00 UTC): beyond any 24 h view.
    for (let i = 0; i < 4; i++)
      await post(new Date(Date.parse('2026-11-24T10:10:00Z') + i * 3_600_000).toISOString());
    const live = await open();
    const snapshot = JSON.parse((await live.next((e) => e.event === 'snapshot')).data!);
    expect(snapshot).toMatchObject({
      from: '2026-11-23T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
      weeks: 1,
      total: 4,
      hidden: 4,
      features: [],
    });

    await post('2026-11-20T12:10:00Z'); // late, dated into last week: not this view
    await post('2026-11-25T10:10:00Z'); // the fifth of this week
    const first = JSON.parse((await live.next((e) => e.event === 'cells')).data!);
    expect(first).toMatchObject({ total: 5, hidden: 0, removed: [] });
    expect(first.changed.map((f: { properties: object }) => f.properties)).toEqual([
      { cell, resolution: 9, count: 5 },
    ]);
    const lastWeek = await t.app.inject({
      url: '/api/territories/75117/heatmap?from=2026-11-16T00:00:00Z&to=2026-11-23T00:00:00Z',
      headers: staff.auth,
    });
    expect(lastWeek.json()).toMatchObject({ total: 1, weeks: 1 });

    // Monday 00:00 UTC: the live view starts the new week.
    t.clock.t = Date.parse('2026-11-30T00:00:30Z');
    const fresh = await live.next(
      (e) => e.event === 'cells' && JSON.parse(e.data!).from === '2026-11-30T00:00:00.000Z',
    );
    expect(JSON.parse(fresh.data!)).toMatchObject({ total: 0, hidden: 0, changed: [], removed: [cell] });
  });

  it('catches up a dashboard that reconnects with Last-Event-ID: the snapshot has the current cells', async () => {
    for (let i = 0; i < 6; i++) await submit(i);
    const live = await open({ ...staff.auth, 'last-event-id': '2' });
    const snapshot = JSON.parse((await live.next((e) => e.event === 'snapshot')).data!);
    expect(snapshot.total).toBe(6);
    expect(snapshot.features.map((f: { properties: { count: number } }) => f.properties.count)).toEqual([6]);
  });

  it('tells a connected dashboard at once when a burst report is held', async () => {
    configureReports(t.services, { burstThreshold: 5 });
    const live = await open();
    await live.next((e) => e.event === 'snapshot');
    const occurredAt = new Date(t.clock.now() - 60_000).toISOString();
    for (let i = 0; i < 6; i++) await postReport(t, citizen.auth, reportBody(t, { occurredAt }));
    // Without an announcement of held reports, only the periodic slide would show it.
    const diff = await live.next((e) => e.event === 'cells' && JSON.parse(e.data!).held === 1);
    expect(JSON.parse(diff.data!)).toMatchObject({ held: 1 });
  });

  it('delivers a report accepted by moderation to every connected dashboard', async () => {
    configureReports(t.services, { burstThreshold: 5 });
    const admin = await userWith(t, { roles: ['admin'] });
    const occurredAt = new Date(t.clock.now() - 60_000).toISOString();
    for (let i = 0; i < 6; i++) await postReport(t, citizen.auth, reportBody(t, { occurredAt }));
    const [a, b] = [await open(), await open(admin.auth)];
    for (const live of [a, b]) {
      expect(JSON.parse((await live.next((e) => e.event === 'snapshot')).data!)).toMatchObject({
        total: 6,
        held: 1,
      });
    }
    const held = (await t.app.inject({ url: '/api/admin/reports/held', headers: admin.auth })).json().reports;
    await t.app.inject({
      method: 'POST',
      url: `/api/admin/reports/${held[0].id}/accept`,
      headers: admin.auth,
    });
    for (const live of [a, b]) {
      const diff = JSON.parse((await live.next((e) => e.event === 'cells')).data!);
      expect(diff).toMatchObject({ total: 6, held: 0 });
      expect(diff.changed[0].properties.count).toBe(6);
    }
  });

  it('ends open streams when the server shuts down, so shutdown does not hang', async () => {
    const live = await open();
    await live.next((e) => e.event === 'snapshot');
    const ended = new Promise<void>((resolve) => live.response.on('end', resolve));
    await t.app.close();
    await ended;
  });

  it('ends the stream of a staff member whose access was revoked', async () => {
    configureReports(t.services, { liveSlideMs: 50 });
    const live = await open();
    await live.next((e) => e.event === 'snapshot');
    const ended = new Promise<void>((resolve) => live.response.on('end', resolve));
    // What the admin route and the CLI do: revoke, then tell every instance's session cache.
    await revokeStaff(t.services.db.kysely, staff.id, '75117');
    await sessionsChanged(t.services, { userId: staff.id });
    await ended;
  });

  it('never streams to a citizen: 403 problem, no event', async () => {
    const live = await open(citizen.auth);
    expect(live.response.statusCode).toBe(403);
    expect(live.response.headers['content-type']).toContain('application/problem+json');
  });
});
