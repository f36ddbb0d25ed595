/**
 * Peer of the nearest-refuge HTTP benchmark: a Fastify endpoint backed by PostGIS, the way one
 * would write it without Havre's in-memory index. KNN on a GiST index over geography
 * (`ORDER BY geog <-> point LIMIT n`) with the same open-now rule: the week's open intervals
 * as an int4multirange of local minutes since Monday 00:00, and temporary closures.
 *
 *   env: BENCH_PG_URL, BENCH_PG_POOL (default 4)
 */
import Fastify from 'fastify';
import pg from 'pg';
import { serveParent } from '../lib/proc.ts';
import { minuteOfWeek, NEAREST_SQL } from './postgis-sql.ts';

const pool = new pg.Pool({
  connectionString: process.env.BENCH_PG_URL,
  max: Number(process.env.BENCH_PG_POOL ?? 4),
});
const app = Fastify({ logger: false });
app.get('/nearest', async (request) => {
  const q = request.query as { lat: string; lon: string; at: string; limit?: string };
  const at = Number(q.at);
  const res = await pool.query({
    name: 'nearest',
    text: NEAREST_SQL,
    values: [Number(q.lon), Number(q.lat), minuteOfWeek(at), at, Number(q.limit ?? 5)],
  });
  return { places: res.rows };
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
serveParent({}, { port: typeof address === 'object' && address ? address.port : 0 }, async () => {
  await app.close();
  await pool.end();
});
