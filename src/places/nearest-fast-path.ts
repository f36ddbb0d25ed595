/**
 * `GET /api/places/nearest` on the server's front door (src/server/front-door.ts): the route
 * the PWA calls when someone looks for a refuge, answered without Fastify's routing, query
 * parsing, schema validation and hook chain (measured: bench/README.md, docs/ARCHITECTURE.md).
 *
 * It takes only queries it reads exactly as the route's schema would: known fields, each once,
 * plain characters (no percent-encoding, no `+`), numbers in decimal notation, booleans as
 * `true`/`false`, coordinates and a `limit` within bounds, an `at` and `kinds` the route
 * accepts, and only once the index is built. Anything else — every invalid query included —
 * goes to the Fastify route, so errors keep their problem+json answers from one place.
 */

import type { FastRoute } from '../server/front-door.ts';
import type { Services } from '../server/services.ts';
import { PLACE_LIMITS } from './kinds.ts';
import { readyIndex } from './live-index.ts';
import { answerNearest, NEAREST_CONTENT_TYPE, type NearestFields, nearestParams } from './nearest-answer.ts';
import { COORDINATE_BOUNDS } from './schemas.ts';

/** Characters a value may hold here: anything else (`%`, `+`, …) is decoded by Fastify's parser. */
const PLAIN = /^[A-Za-z0-9.,:-]*$/;
/** A decimal number as JSON writes coordinates; ajv's coercion reads it as `Number` does. */
const DECIMAL = /^-?\d{1,3}(?:\.\d{1,20})?$/;
const LIMIT = /^\d{1,2}$/;
/** The schema's bounds on `at` and `kinds` (schemas.ts). */
const AT_MAX = 40;
const KINDS_MAX = 300;
const KINDS = /^[a-z,]*$/;

/** The fields of a query string the route's schema would accept as they are, or null. */
export function plainNearestFields(search: string): NearestFields | null {
  const q: Partial<Record<keyof NearestFields, unknown>> = {};
  for (const pair of search.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return null;
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (!PLAIN.test(value) || Object.hasOwn(q, key)) return null;
    switch (key) {
      case 'lat':
      case 'lon': {
        const n = DECIMAL.test(value) ? Number(value) : Number.NaN;
        // Out of range (lat=200): the route's 400, never an answer clamped to the index's edge.
        const { minimum, maximum } = COORDINATE_BOUNDS[key];
        if (!(n >= minimum && n <= maximum)) return null;
        q[key] = n;
        break;
      }
      case 'limit': {
        const n = LIMIT.test(value) ? Number(value) : 0;
        if (n < 1 || n > PLACE_LIMITS.maxNearest) return null;
        q.limit = n;
        break;
      }
      case 'at':
        if (value.length > AT_MAX) return null;
        q.at = value;
        break;
      case 'kinds':
        if (value.length > KINDS_MAX || !KINDS.test(value)) return null;
        q.kinds = value;
        break;
      case 'partnerOnly':
      case 'openOnly':
        if (value !== 'true' && value !== 'false') return null;
        q[key] = value === 'true';
        break;
      default:
        return null;
    }
  }
  if (q.lat === undefined || q.lon === undefined) return null;
  return q as NearestFields;
}

export function nearestFastPath(services: Services): FastRoute {
  return (search) => {
    const index = readyIndex(services);
    if (!index) return null;
    const fields = plainNearestFields(search);
    if (!fields) return null;
    let params: ReturnType<typeof nearestParams>;
    try {
      params = nearestParams(fields, services.clock.now());
    } catch {
      return null; // a bad `at` or kind: the route answers its 400
    }
    return () => ({ contentType: NEAREST_CONTENT_TYPE, body: answerNearest(index, params) });
  };
}
