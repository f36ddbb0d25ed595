/**
 * The nearest-refuge answer written straight as JSON, for the HTTP route's hot path.
 *
 * Profiling `GET /api/places/nearest` under load showed that presenting five places cost
 * more than finding them: per place an open-now evaluation, the next opening or closing
 * instant (wall clock, holidays, a scan of the week) and its ISO string, then
 * fast-json-stringify over the objects. Yet almost all of it is the same for every request:
 *  - a place's identity (id, name, kind, position, phone, address) changes only when the
 *    places change, and then the index is rebuilt: its JSON is written once per place and
 *    index, on first use;
 *  - open now / opens at / closes at depend only on the hours and the minute (hours have
 *    minute precision), and places share hours: written once per minute and combo (same
 *    compiled week in the same zone), or per place for rules the library evaluates.
 * Only the distance, the walking time and the trained badge are written per request, and
 * the parts are copied as bytes into one buffer: a string concatenated from fragments costs
 * a flattening, a UTF-8 measure and an encoding per request (perf: 10 % of the route's CPU).
 * A temporary closure still in force is evaluated exactly, as `presentNearest` does.
 *
 * The output is the same JSON as `presentNearest` (the PWA's offline search) evaluated at the
 * start of the minute of `at` (see nearest-json.test.ts).
 */
import type { NearestHit, PlacesIndex } from './index/places-index.ts';
import { isTrained, openTimes, walkMinutes } from './present-nearest.ts';

const MINUTE = 60_000;
/** Minutes kept (requests may ask about another instant with `at`). */
const MINUTES_KEPT = 4;
/** Beyond this many entries in a minute, rules places are no longer cached (memory bound). */
const MAX_ENTRIES_PER_MINUTE = 20_000;

const json = JSON.stringify;
const ascii = (text: string) => Buffer.from(text, 'utf8');
const OPEN = ascii('{"places":[');
const CLOSE = ascii(']}');
const WALK = ascii(',"walkMinutes":');
const TRUE = ascii('true');
const FALSE = ascii('false');
const UNKNOWN_TIMES = ascii('"openNow":null');
/** Bytes a place may need beyond its cached parts: two integers, commas, a boolean. */
const DYNAMIC_MAX = 64;

/**
 * Writes a non-negative integer's decimal digits at `o`; returns the new offset. Distances
 * and walking times are whole numbers: no Number-to-string conversion per request.
 */
function writeInt(out: Buffer, o: number, n: number): number {
  if (n === 0) {
    out[o] = 48;
    return o + 1;
  }
  let digits = 0;
  for (let v = n; v > 0; v = Math.floor(v / 10)) digits++;
  for (let k = o + digits - 1, v = n; k >= o; k--, v = Math.floor(v / 10)) out[k] = 48 + (v % 10);
  return o + digits;
}

/** A place's identity as UTF-8 JSON, around what each request writes. */
interface PlaceParts {
  /** `{"id":…,"name":…,"kind":…,"lat":…,"lon":…,"distanceM":` */
  head: Buffer;
  /** `"partner":…,"trained":` */
  partner: Buffer;
  /** `,"phone":…,"address":…}` */
  tail: Buffer;
}

export class NearestJson {
  /** By place position; dense and sized once (a growing array filled at random would turn into a slow dictionary). */
  private readonly parts: (PlaceParts | null)[];
  private readonly minutes = new Map<number, Map<number, Buffer>>();

  constructor(private readonly index: PlacesIndex) {
    this.parts = new Array(index.places.length).fill(null);
  }

  /**
   * `{"places":[…]}` for these hits at instant `at`, as bytes: the cached parts are copied
   * into one buffer (no string concatenation to flatten, measure and encode per request).
   */
  answer(hits: readonly NearestHit[], at: number): Buffer {
    const parts: PlaceParts[] = new Array(hits.length);
    const times: Buffer[] = new Array(hits.length);
    let size = OPEN.length + CLOSE.length;
    for (let k = 0; k < hits.length; k++) {
      const i = hits[k].index;
      const p = this.parts[i] ?? this.describe(i);
      parts[k] = p;
      times[k] = this.times(i, at);
      size += p.head.length + times[k].length + p.partner.length + p.tail.length + DYNAMIC_MAX;
    }
    const out = Buffer.allocUnsafe(size);
    out.set(OPEN, 0);
    let o = OPEN.length;
    for (let k = 0; k < hits.length; k++) {
      const { place, distanceM } = hits[k];
      const { head, partner, tail } = parts[k];
      if (k > 0) out[o++] = 44; // ,
      out.set(head, o);
      o = writeInt(out, o + head.length, distanceM);
      out.set(WALK, o);
      o = writeInt(out, o + WALK.length, walkMinutes(distanceM));
      out[o++] = 44;
      out.set(times[k], o);
      o += times[k].length;
      out[o++] = 44;
      out.set(partner, o);
      o += partner.length;
      const trained = isTrained(place, at) ? TRUE : FALSE;
      out.set(trained, o);
      o += trained.length;
      out.set(tail, o);
      o += tail.length;
    }
    out.set(CLOSE, o);
    return out.subarray(0, o + CLOSE.length);
  }

  /** A place's identity as JSON, once per index. */
  private describe(i: number): PlaceParts {
    const p = this.index.places[i];
    const parts = {
      head: Buffer.from(
        `{"id":${json(p.id)},"name":${json(p.name)},"kind":${json(p.kind)},"lat":${json(p.lat)},"lon":${json(p.lon)},"distanceM":`,
      ),
      partner: ascii(`"partner":${p.partner},"trained":`),
      tail: Buffer.from(`,"phone":${json(p.phone)},"address":${json(p.address)}}`),
    };
    this.parts[i] = parts;
    return parts;
  }

  /** `"openNow":…` and `"opensAt"`/`"closesAt"` when known. */
  private times(i: number, at: number): Buffer {
    const place = this.index.places[i];
    if (place.closedUntil !== null && at < place.closedUntil) return ascii(fragment(openTimes(place, at)));
    const key = this.index.hoursKey(i);
    if (key === -1) return UNKNOWN_TIMES;
    const minute = Math.floor(at / MINUTE) * MINUTE;
    let cache = this.minutes.get(minute);
    if (!cache) {
      if (this.minutes.size >= MINUTES_KEPT) this.minutes.delete(this.minutes.keys().next().value as number);
      cache = new Map();
      this.minutes.set(minute, cache);
    }
    // Combos by their id, rules places by -2 - their position (never collide).
    const cacheKey = key >= 0 ? key : -2 - i;
    let bytes = cache.get(cacheKey);
    if (bytes === undefined) {
      // The hours alone: a closure that ends within this minute must not reach a shared entry.
      bytes = ascii(fragment(openTimes({ ...place, closedUntil: null }, minute)));
      if (key >= 0 || cache.size < MAX_ENTRIES_PER_MINUTE) cache.set(cacheKey, bytes);
    }
    return bytes;
  }
}

function fragment(t: ReturnType<typeof openTimes>): string {
  let out = `"openNow":${t.openNow}`;
  if (t.opensAt !== undefined) out += `,"opensAt":${json(t.opensAt)}`;
  if (t.closesAt !== undefined) out += `,"closesAt":${json(t.closesAt)}`;
  return out;
}

const writers = new WeakMap<PlacesIndex, NearestJson>();

/** The writer of an index (dropped with it when the places change). */
export function nearestJson(index: PlacesIndex): NearestJson {
  let writer = writers.get(index);
  if (!writer) {
    writer = new NearestJson(index);
    writers.set(index, writer);
  }
  return writer;
}
