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
 * Only the distance, the walking time and the trained badge are written per request.
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

export class NearestJson {
  /** Per place: `{"id":…,"lon":…,"distanceM":` and `,"phone":…,"address":…}`. */
  private readonly heads: (string | undefined)[] = [];
  private readonly tails: (string | undefined)[] = [];
  private readonly partner: (string | undefined)[] = [];
  private readonly minutes = new Map<number, Map<number, string>>();

  constructor(private readonly index: PlacesIndex) {}

  /** `{"places":[…]}` for these hits at instant `at`. */
  answer(hits: readonly NearestHit[], at: number): string {
    let out = '{"places":[';
    for (let k = 0; k < hits.length; k++) {
      if (k > 0) out += ',';
      out += this.place(hits[k], at);
    }
    return `${out}]}`;
  }

  private place(hit: NearestHit, at: number): string {
    const i = hit.index;
    const p = hit.place;
    let head = this.heads[i];
    if (head === undefined) {
      head = `{"id":${json(p.id)},"name":${json(p.name)},"kind":${json(p.kind)},"lat":${json(p.lat)},"lon":${json(p.lon)},"distanceM":`;
      this.heads[i] = head;
      this.partner[i] = `"partner":${p.partner},"trained":`;
      this.tails[i] = `,"phone":${json(p.phone)},"address":${json(p.address)}}`;
    }
    return `${head}${hit.distanceM},"walkMinutes":${walkMinutes(hit.distanceM)},${this.times(i, at)},${this.partner[i]}${isTrained(p, at)}${this.tails[i]}`;
  }

  /** `"openNow":…` and `"opensAt"`/`"closesAt"` when known. */
  private times(i: number, at: number): string {
    const place = this.index.places[i];
    if (place.closedUntil !== null && at < place.closedUntil) return fragment(openTimes(place, at));
    const key = this.index.hoursKey(i);
    if (key === -1) return '"openNow":null';
    const minute = Math.floor(at / MINUTE) * MINUTE;
    let cache = this.minutes.get(minute);
    if (!cache) {
      if (this.minutes.size >= MINUTES_KEPT) this.minutes.delete(this.minutes.keys().next().value as number);
      cache = new Map();
      this.minutes.set(minute, cache);
    }
    // Combos by their id, rules places by -2 - their position (never collide).
    const cacheKey = key >= 0 ? key : -2 - i;
    let text = cache.get(cacheKey);
    if (text === undefined) {
      // The hours alone: a closure that ends within this minute must not reach a shared entry.
      text = fragment(openTimes({ ...place, closedUntil: null }, minute));
      if (key >= 0 || cache.size < MAX_ENTRIES_PER_MINUTE) cache.set(cacheKey, text);
    }
    return text;
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
