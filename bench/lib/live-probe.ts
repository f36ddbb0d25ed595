/**
 * Delay from `POST /api/reports` to the dashboard's live feed (SSE): a staff member's
 * `GET /api/territories/:code/live` stays open; one probe report at a time is posted in that
 * territory (away from the main load) and timed until the `cells` event whose total + held
 * includes it. Sequential, so each delay belongs to one report.
 */
import http from 'node:http';
import { lcg } from './places-data.ts';
import { Samples } from './stats.ts';

interface Feed {
  /** Resolves when total + held reaches `n`. */
  reach(n: number): Promise<void>;
  count: number;
  close(): void;
}

function openFeed(port: number, code: string, token: string): Promise<Feed> {
  return new Promise((resolve, reject) => {
    const waiters: { n: number; done: () => void }[] = [];
    const feed: Feed = {
      count: 0,
      reach(n) {
        if (feed.count >= n) return Promise.resolve();
        return new Promise((done) => waiters.push({ n, done }));
      },
      close: () => request.destroy(),
    };
    const request = http.get(
      {
        host: '127.0.0.1',
        port,
        path: `/api/territories/${code}/live`,
        headers: { authorization: `Bearer ${token}` },
      },
      (response) => {
        if (response.statusCode !== 200) return reject(new Error(`live feed: ${response.statusCode}`));
        let buffer = '';
        let first = true;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (data) {
              const body = JSON.parse(data.slice(6)) as { total?: number; held?: number };
              if (typeof body.total === 'number') feed.count = body.total + (body.held ?? 0);
              for (const w of waiters.filter((x) => feed.count >= x.n)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.done();
              }
              if (first) {
                first = false;
                resolve(feed);
              }
            }
            end = buffer.indexOf('\n\n');
          }
        });
      },
    );
    request.on('error', reject);
  });
}

/** Probes until `stop()`; returns the delays (ms). */
export async function liveProbe(options: {
  port: number;
  code: string;
  staffToken: string;
  citizenToken: string;
  /** A point inside the territory, from a seeded generator. */
  point: (rand: () => number) => { lat: number; lon: number };
  pauseMs: number;
}) {
  const feed = await openFeed(options.port, options.code, options.staffToken);
  const delays = new Samples();
  const rand = lcg(7);
  let running = true;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: options.port,
          path: '/api/reports',
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${options.citizenToken}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const loop = (async () => {
    while (running) {
      const expected = feed.count + 1;
      const body = JSON.stringify({
        category: 'insecurity',
        role: 'witness',
        ...options.point(rand),
        occurredAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      });
      const t0 = performance.now();
      const status = await post(body);
      if (status !== 201) throw new Error(`probe report: ${status}`);
      await feed.reach(expected);
      delays.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      feed.close();
      agent.destroy();
      return delays;
    },
  };
}
