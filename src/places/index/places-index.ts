/**
 * The in-memory index of visible places: kdbush over positions, flat typed arrays for
 * filters, and every place's hours compiled into one shared segment buffer, so the
 * "open now" filter is a table look-up inside geokdbush's search. Runs in the browser too
 * (offline nearest refuge): no I/O, no Node imports.
 */
import { distance } from 'geokdbush';
import KDBush from 'kdbush';
import { isHoliday } from '../hours/holidays.ts';
import type { CompiledHours, HoursState, Segments, WeekHours } from '../hours/types.ts';
import { CLOSED, OPEN } from '../hours/types.ts';
import { wallClock } from '../hours/tz.ts';
import { kindBit, PLACE_LIMITS, type PlaceKind } from '../kinds.ts';
import { KnnSearch } from './knn.ts';

export interface IndexedPlace {
  id: string;
  name: string;
  kind: PlaceKind;
  lat: number;
  lon: number;
  address: string | null;
  phone: string | null;
  /** A verified partner venue. */
  partner: boolean;
  /** End of the staff training's validity (epoch ms), for the "trained" badge. */
  trainingExpiresAt: number | null;
  /** Temporary closure until this instant (epoch ms). */
  closedUntil: number | null;
  hours: CompiledHours;
}

export interface NearestOptions {
  limit?: number; // results, 1–50 (default 5)
  at: number; // the instant "open now" refers to (epoch ms)
  kinds?: readonly PlaceKind[]; // only these kinds (default: all)
  partnerOnly?: boolean; // only verified partner venues
  openOnly?: boolean; // only places known to be open at `at` (unknown hours excluded)
  maxDistanceKm?: number; // search radius (default: unbounded)
}

export interface NearestHit {
  place: IndexedPlace;
  /** Position of the place in `places` (keys per-place caches built on the index). */
  index: number;
  distanceM: number;
}

const NO_HOURS = -1;
const NO_PROFILE = -1;
const MINUTE = 60_000;
/**
 * When fewer places than this share are open (deep night), a filtered search would walk
 * much of the tree to find a few open ones: a kd-tree of the open places only, built once
 * per minute, answers faster.
 */
const SPARSE_OPEN_SHARE = 0.25;

interface OpenSubset {
  kd: KDBush;
  /** Index in `places` of each point of `kd`. */
  ids: Uint32Array;
  /** Some point's temporary closure ends within the minute: check those exactly. */
  needsCheck: boolean;
}

/** Normalises out-of-range but meaningful input: longitudes wrapped, latitudes clamped. */
export function normalisePosition(lat: number, lon: number): [number, number] {
  const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
  return [Math.max(-90, Math.min(90, lat)), wrapped];
}

export class PlacesIndex {
  readonly places: readonly IndexedPlace[];
  /** The kd-tree over [lon, lat] (exposed for benchmarks against raw geokdbush). */
  readonly kd: KDBush;
  private readonly byId = new Map<string, number>();
  /** geokdbush's search without its per-candidate allocations (knn.ts). */
  private readonly search = new KnnSearch();
  /** [lon, lat] of each place by its index (the kd-tree reorders its own copy). */
  private readonly lonLat: Float64Array;
  private readonly kindBits: Uint16Array;
  private readonly partner: Uint8Array;
  private readonly closedUntil: Float64Array;
  private readonly zoneOf: Uint8Array;
  /** Per place: a combo id (≥ 0), NO_HOURS, or -2 - index of its rules. */
  private readonly hoursRef: Int32Array;
  /**
   * A combo is one compiled week in one zone. Its state at the query instant is computed
   * once per query and combo, so the filter costs a typed-array read per candidate.
   */
  private readonly comboEntry: Int32Array;
  private readonly comboZone: Uint8Array;
  private readonly comboStamp: Float64Array;
  private readonly comboState: Uint8Array;
  private readonly bitsByMinute = new Map<number, Uint8Array>();
  private readonly subsetByMinute = new Map<number, OpenSubset | null>();
  // Week tables and holiday profiles share one buffer of [start, end, state] triples.
  private readonly seg: Uint16Array;
  private readonly tableFrom: Uint32Array;
  private readonly tableTo: Uint32Array;
  /** Distinct compiled hours ("entries"): their week table and holiday profile tables. */
  private readonly entryWeek: Int32Array;
  /** Per entry, 21 table ids: holiday[7], afterHoliday[7], secondHoliday[7]; -1: as the week. */
  private readonly entryProfiles: Int32Array;
  private readonly entryHasHolidays: Uint8Array;
  private readonly rules: CompiledHours[] = [];
  private readonly zones: { timeZone: string; region: WeekHours['region'] }[] = [];
  // Per-query context of each zone: local day, minute, weekday, holiday flags.
  private readonly zStamp: Float64Array;
  private readonly zMinute: Int32Array;
  private readonly zWeekday: Int32Array;
  private readonly zHoliday: Uint8Array;

  constructor(places: readonly IndexedPlace[], nodeSize = 64) {
    this.places = places;
    const n = places.length;
    this.kd = new KDBush(n, nodeSize);
    this.lonLat = new Float64Array(2 * n);
    this.kindBits = new Uint16Array(n);
    this.partner = new Uint8Array(n);
    this.closedUntil = new Float64Array(n);
    this.zoneOf = new Uint8Array(n);
    this.hoursRef = new Int32Array(n);

    const zoneIds = new Map<string, number>();
    const tableIds = new Map<string, number>();
    const tables: Segments[] = [];
    const addTable = (segments: Segments): number => {
      const key = segments.join(',');
      let id = tableIds.get(key);
      if (id === undefined) {
        id = tables.length;
        tables.push(segments);
        tableIds.set(key, id);
      }
      return id;
    };
    const entryIds = new Map<string, number>();
    const entries: { week: number; profiles: number[] | null }[] = [];
    const comboIds = new Map<number, number>();
    const combos: number[] = [];
    places.forEach((p, i) => {
      this.kd.add(p.lon, p.lat);
      this.lonLat[2 * i] = p.lon;
      this.lonLat[2 * i + 1] = p.lat;
      this.byId.set(p.id, i);
      this.kindBits[i] = kindBit(p.kind);
      this.partner[i] = p.partner ? 1 : 0;
      this.closedUntil[i] = p.closedUntil ?? 0;
      const zoneKey = `${p.hours.timeZone}|${p.hours.region}`;
      let z = zoneIds.get(zoneKey);
      if (z === undefined) {
        if (this.zones.length === 255) throw new Error('More than 255 time zones in one index.');
        z = this.zones.length;
        this.zones.push({ timeZone: p.hours.timeZone, region: p.hours.region });
        zoneIds.set(zoneKey, z);
      }
      this.zoneOf[i] = z;
      const h = p.hours;
      if (h.kind === 'unknown') this.hoursRef[i] = NO_HOURS;
      else if (h.kind === 'rules') {
        this.hoursRef[i] = -2 - this.rules.length;
        this.rules.push(h);
      } else {
        const key = JSON.stringify([h.week, h.holidays]);
        let e = entryIds.get(key);
        if (e === undefined) {
          e = entries.length;
          const hol = h.holidays;
          const profiles = hol
            ? [...hol.holiday, ...hol.afterHoliday, ...hol.secondHoliday].map((s) =>
                s ? addTable(s) : NO_PROFILE,
              )
            : null;
          entries.push({ week: addTable(h.week), profiles });
          entryIds.set(key, e);
        }
        const comboKey = e * 256 + z;
        let c = comboIds.get(comboKey);
        if (c === undefined) {
          c = combos.length;
          combos.push(comboKey);
          comboIds.set(comboKey, c);
        }
        this.hoursRef[i] = c;
      }
    });
    this.kd.finish();

    const total = tables.reduce((sum, s) => sum + s.length, 0);
    this.seg = new Uint16Array(total);
    this.tableFrom = new Uint32Array(tables.length);
    this.tableTo = new Uint32Array(tables.length);
    let offset = 0;
    tables.forEach((s, t) => {
      this.seg.set(s, offset);
      this.tableFrom[t] = offset / 3;
      offset += s.length;
      this.tableTo[t] = offset / 3;
    });
    this.entryWeek = new Int32Array(entries.length);
    this.entryProfiles = new Int32Array(entries.length * 21).fill(NO_PROFILE);
    this.entryHasHolidays = new Uint8Array(entries.length);
    entries.forEach((entry, e) => {
      this.entryWeek[e] = entry.week;
      if (entry.profiles) {
        this.entryHasHolidays[e] = 1;
        this.entryProfiles.set(entry.profiles, e * 21);
      }
    });
    this.comboEntry = Int32Array.from(combos, (k) => Math.floor(k / 256));
    this.comboZone = Uint8Array.from(combos, (k) => k % 256);
    this.comboStamp = new Float64Array(combos.length).fill(Number.NaN);
    this.comboState = new Uint8Array(combos.length);
    const zn = this.zones.length;
    this.zStamp = new Float64Array(zn).fill(Number.NaN);
    this.zMinute = new Int32Array(zn);
    this.zWeekday = new Int32Array(zn);
    this.zHoliday = new Uint8Array(zn);
  }

  get size(): number {
    return this.places.length;
  }

  get(id: string): IndexedPlace | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.places[i];
  }

  /** Computes a zone's local clock for the query instant, once per query and zone. */
  private prepareZone(z: number, at: number): void {
    const { timeZone, region } = this.zones[z];
    const clock = wallClock(timeZone, at);
    this.zMinute[z] = clock.minute;
    this.zWeekday[z] = clock.weekday;
    this.zHoliday[z] = (isHoliday(region, clock.day) ? 1 : 0) | (isHoliday(region, clock.day - 1) ? 2 : 0);
    this.zStamp[z] = at;
  }

  /** State of place i at `at` from the compiled tables; null when unknown. */
  stateOf(i: number, at: number): HoursState | null {
    const ref = this.hoursRef[i];
    if (ref >= 0) {
      if (this.comboStamp[ref] !== at) this.fillCombo(ref, at);
      return this.comboState[ref] as HoursState;
    }
    if (ref === NO_HOURS) return null;
    const rules = this.rules[-2 - ref];
    return rules.kind === 'rules' && rules.evaluator ? rules.evaluator.stateAt(at) : null;
  }

  private fillCombo(c: number, at: number): void {
    this.comboState[c] = this.entryState(this.comboEntry[c], this.comboZone[c], at);
    this.comboStamp[c] = at;
  }

  /** State of a compiled week in a zone at `at`: holiday profile or week table, binary search. */
  private entryState(ref: number, z: number, at: number): HoursState {
    if (this.zStamp[z] !== at) this.prepareZone(z, at);
    let table = this.entryWeek[ref];
    let m = this.zWeekday[z] * 1440 + this.zMinute[z];
    const flags = this.zHoliday[z];
    if (flags !== 0 && this.entryHasHolidays[ref] === 1) {
      // bit 1: today is a holiday; bit 2: yesterday was.
      const group = flags === 1 ? 0 : flags === 2 ? 7 : 14;
      const profile = this.entryProfiles[ref * 21 + group + this.zWeekday[z]];
      if (profile !== NO_PROFILE) {
        table = profile;
        m = this.zMinute[z];
      }
    }
    const seg = this.seg;
    let lo = this.tableFrom[table];
    let hi = this.tableTo[table] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (m < seg[mid * 3]) hi = mid - 1;
      else if (m >= seg[mid * 3 + 1]) lo = mid + 1;
      else return seg[mid * 3 + 2] as HoursState;
    }
    return CLOSED;
  }

  /** Open at `at` (temporary closures included): true / false / null (unknown). */
  openAt(i: number, at: number): boolean | null {
    if (this.closedUntil[i] > at) return false;
    const state = this.stateOf(i, at);
    return state === null || state > OPEN ? null : state === OPEN;
  }

  /**
   * Open-now of every place for the minute of `at` (hours have minute precision): 0 closed
   * or unknown, 1 open, 2 open but a temporary closure ends within this minute (compare
   * exactly). Built once per minute from the compiled tables (combos make it a few ms for
   * 100,000 places), so the filter inside geokdbush is one byte read per candidate.
   */
  private openBits(at: number): Uint8Array {
    const minute = Math.floor(at / MINUTE) * MINUTE;
    let bits = this.bitsByMinute.get(minute);
    if (bits) return bits;
    bits = new Uint8Array(this.places.length);
    const closedUntil = this.closedUntil;
    for (let i = 0; i < bits.length; i++) {
      if (closedUntil[i] >= minute + MINUTE) continue;
      if (this.stateOf(i, minute) !== OPEN) continue;
      bits[i] = closedUntil[i] > minute ? 2 : 1;
    }
    if (this.bitsByMinute.size >= 4) this.bitsByMinute.delete(this.bitsByMinute.keys().next().value!);
    this.bitsByMinute.set(minute, bits);
    return bits;
  }

  /** The kd-tree of places open in the minute of `at`, or null when many are open. */
  private openSubset(at: number): OpenSubset | null {
    const minute = Math.floor(at / MINUTE) * MINUTE;
    const cached = this.subsetByMinute.get(minute);
    if (cached !== undefined) return cached;
    const bits = this.openBits(at);
    let count = 0;
    for (let i = 0; i < bits.length; i++) if (bits[i] !== 0) count++;
    let subset: OpenSubset | null = null;
    if (count < bits.length * SPARSE_OPEN_SHARE) {
      const ids = new Uint32Array(count);
      const kd = new KDBush(count, this.kd.nodeSize);
      const coords = this.lonLat;
      let needsCheck = false;
      for (let i = 0, k = 0; i < bits.length; i++) {
        if (bits[i] === 0) continue;
        if (bits[i] === 2) needsCheck = true;
        ids[k++] = i;
        kd.add(coords[2 * i], coords[2 * i + 1]);
      }
      subset = { kd: kd.finish(), ids, needsCheck };
    }
    if (this.subsetByMinute.size >= 4) this.subsetByMinute.delete(this.subsetByMinute.keys().next().value!);
    this.subsetByMinute.set(minute, subset);
    return subset;
  }

  /** The filter geokdbush calls on each candidate; undefined when there is nothing to filter. */
  predicate(options: NearestOptions): ((i: number) => boolean) | undefined {
    const { at, partnerOnly = false, openOnly = false } = options;
    const mask = options.kinds?.length ? options.kinds.reduce((m, k) => m | kindBit(k), 0) : 0;
    if (!mask && !partnerOnly && !openOnly) return undefined;
    const kindBits = this.kindBits;
    const partner = this.partner;
    const closedUntil = this.closedUntil;
    const bits = openOnly ? this.openBits(at) : null;
    if (bits && !mask && !partnerOnly) {
      return (i: number) => {
        const b = bits[i];
        return b === 1 || (b === 2 && closedUntil[i] <= at);
      };
    }
    return (i: number) =>
      (mask === 0 || (kindBits[i] & mask) !== 0) &&
      (!partnerOnly || partner[i] === 1) &&
      (bits === null || bits[i] === 1 || (bits[i] === 2 && closedUntil[i] <= at));
  }

  /** The nearest places matching the filters, by great-circle distance. */
  nearest(lat: number, lon: number, options: NearestOptions): NearestHit[] {
    const limit = Math.max(
      1,
      Math.min(options.limit ?? PLACE_LIMITS.defaultNearest, PLACE_LIMITS.maxNearest),
    );
    const [qLat, qLon] = normalisePosition(lat, lon);
    const maxKm = options.maxDistanceKm ?? Number.POSITIVE_INFINITY;
    const subset = options.openOnly ? this.openSubset(options.at) : null;
    let ids: number[];
    if (subset) {
      // Same filters, read through the subset's ids (open-now is exact there too).
      const map = subset.ids;
      const filtered = subset.needsCheck || options.partnerOnly || !!options.kinds?.length;
      const predicate = filtered ? this.predicate(options)! : null;
      ids = this.search.around(
        subset.kd,
        qLon,
        qLat,
        limit,
        maxKm,
        predicate ? (j) => predicate(map[j]) : undefined,
      );
      for (let k = 0; k < ids.length; k++) ids[k] = map[ids[k]];
    } else {
      ids = this.search.around(this.kd, qLon, qLat, limit, maxKm, this.predicate(options));
    }
    const coords = this.lonLat;
    const hits: NearestHit[] = new Array(ids.length);
    for (let k = 0; k < ids.length; k++) {
      const i = ids[k];
      const km = distance(qLon, qLat, coords[2 * i], coords[2 * i + 1]);
      hits[k] = { place: this.places[i], index: i, distanceM: Math.round(km * 1000) };
    }
    return hits;
  }

  /**
   * Is some place open by its hours at `at` within `km` of the point? Temporary closures
   * are ignored: this asks where refuges are missing, not whether one is closed today.
   */
  hasOpenWithin(lat: number, lon: number, km: number, at: number): boolean {
    const [qLat, qLon] = normalisePosition(lat, lon);
    return this.search.around(this.kd, qLon, qLat, 1, km, (i) => this.stateOf(i, at) === OPEN).length > 0;
  }

  /** Places inside a box (for the map), at most `limit`, and whether some were left out. */
  inBbox(
    bbox: readonly [number, number, number, number],
    options: { kinds?: readonly PlaceKind[]; limit: number },
  ): { places: IndexedPlace[]; truncated: boolean } {
    const mask = options.kinds?.length ? options.kinds.reduce((m, k) => m | kindBit(k), 0) : 0;
    const ids = this.kd
      .range(bbox[0], bbox[1], bbox[2], bbox[3])
      .filter((i) => mask === 0 || (this.kindBits[i] & mask) !== 0)
      .sort((a, b) => a - b);
    return {
      places: ids.slice(0, options.limit).map((i) => this.places[i]),
      truncated: ids.length > options.limit,
    };
  }

  /**
   * What place i's open-now status depends on besides the instant: a combo id (≥ 0, shared
   * by every place with the same compiled week in the same zone), -1 (unknown hours), or
   * ≤ -2 (rules evaluated by the library, specific to the place). Temporary closures aside.
   */
  hoursKey(i: number): number {
    return this.hoursRef[i];
  }

  /** Index of a place in the arrays (for `openAt`). */
  indexOf(id: string): number | undefined {
    return this.byId.get(id);
  }
}
