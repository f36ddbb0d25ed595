/**
 * Peer of the nearest-refuge HTTP benchmark: the least a Fastify server can do for this URL —
 * one route, no validation, no plugins, a constant answer of the same shape and size as
 * Havre's five nearest places.
 */
import Fastify from 'fastify';
import { serveParent } from '../lib/proc.ts';

const place = (i: number) => ({
  id: `00000000-0000-4000-8000-00000000000${i}`,
  name: `Lieu ${i}`,
  kind: 'bar',
  lat: 48.85 + i / 1000,
  lon: 2.35 + i / 1000,
  distanceM: 120 * i,
  walkMinutes: 2 * i,
  openNow: true,
  closesAt: '2026-11-29T02:00:00+01:00',
  partner: false,
  trained: false,
  phone: null,
  address: null,
});
const ANSWER = { places: [1, 2, 3, 4, 5].map(place) };

const app = Fastify({ logger: false });
app.get('/api/places/nearest', async () => ANSWER);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
serveParent({}, { port: typeof address === 'object' && address ? address.port : 0 }, () => app.close());
