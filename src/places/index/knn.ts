/**
 * The k nearest points of a kdbush index by great-circle distance: geokdbush's `around`
 * (same tree walk, same haversine bounds and arithmetic — geokdbush, ISC licence, Vladimir
 * Agafonkin) with its priority queue kept in typed arrays reused from query to query.
 *
 * Why: geokdbush allocates one object per candidate point (every point of every leaf it
 * opens, 64 per leaf) and per tree node. In the server, between HTTP requests, that garbage
 * and the cold caches made the search ~10 % of the nearest route's CPU (perf, see
 * bench/README.md). Runs in the browser too: no I/O, no Node imports. One search at a time per
 * instance (JavaScript is single-threaded; the predicate must not search the same instance).
 */
import type KDBush from 'kdbush';

const RAD = Math.PI / 180;
const EARTH_RADIUS_KM = 6371;

const haverSin = (theta: number) => {
  const s = Math.sin(theta / 2);
  return s * s;
};

const haverSinDistPartial = (haverSinDLng: number, cosLat1: number, lat1: number, lat2: number) =>
  cosLat1 * Math.cos(lat2 * RAD) * haverSinDLng + haverSin((lat1 - lat2) * RAD);

const haverSinDist = (lng1: number, lat1: number, lng2: number, lat2: number, cosLat1: number) =>
  haverSinDistPartial(haverSin((lng1 - lng2) * RAD), cosLat1, lat1, lat2);

function vertexLat(lat: number, haverSinDLng: number): number {
  const cosDLng = 1 - 2 * haverSinDLng;
  if (cosDLng <= 0) return lat > 0 ? 90 : -90;
  return Math.atan(Math.tan(lat * RAD) / cosDLng) / RAD;
}

/** Lower bound of the haversine of the distance from the point to anything in the box. */
function boxDist(
  lng: number,
  lat: number,
  cosLat: number,
  minLng: number,
  minLat: number,
  maxLng: number,
  maxLat: number,
): number {
  if (lng >= minLng && lng <= maxLng) {
    if (lat < minLat) return haverSin((lat - minLat) * RAD);
    if (lat > maxLat) return haverSin((lat - maxLat) * RAD);
    return 0;
  }
  const haverSinDLng = Math.min(haverSin((lng - minLng) * RAD), haverSin((lng - maxLng) * RAD));
  const extremumLat = vertexLat(lat, haverSinDLng);
  if (extremumLat > minLat && extremumLat < maxLat) {
    return haverSinDistPartial(haverSinDLng, cosLat, lat, extremumLat);
  }
  return Math.min(
    haverSinDistPartial(haverSinDLng, cosLat, lat, minLat),
    haverSinDistPartial(haverSinDLng, cosLat, lat, maxLat),
  );
}

export class KnnSearch {
  // Min-heap of candidates by haversine: ref ≥ 0 is a point id, ref < 0 the node ~ref.
  private key = new Float64Array(1024);
  private ref = new Int32Array(1024);
  private size = 0;
  // Tree nodes opened by the current search: index range, split axis, bounding box.
  private range = new Int32Array(2 * 256);
  private axis = new Uint8Array(256);
  private box = new Float64Array(4 * 256);
  private nodes = 0;

  /** Ids of the nearest points (nearest first) that pass the predicate, within maxDistanceKm. */
  around(
    index: KDBush,
    lng: number,
    lat: number,
    maxResults: number,
    maxDistanceKm = Number.POSITIVE_INFINITY,
    predicate?: (id: number) => boolean,
  ): number[] {
    const maxHaverSin = Number.isFinite(maxDistanceKm)
      ? haverSin(maxDistanceKm / EARTH_RADIUS_KM)
      : Number.POSITIVE_INFINITY;
    const result: number[] = [];
    const ids = index.ids;
    const coords = index.coords;
    const nodeSize = index.nodeSize;
    const cosLat = Math.cos(lat * RAD);
    this.size = 0;
    this.nodes = 0;
    let node = this.openNode(0, ids.length - 1, 0, -180, -90, 180, 90);
    while (node >= 0) {
      const left = this.range[2 * node];
      const right = this.range[2 * node + 1];
      if (right - left <= nodeSize) {
        for (let i = left; i <= right; i++) {
          const id = ids[i];
          if (!predicate || predicate(id)) {
            this.push(haverSinDist(lng, lat, coords[2 * i], coords[2 * i + 1], cosLat), id);
          }
        }
      } else {
        const m = (left + right) >> 1;
        const midLng = coords[2 * m];
        const midLat = coords[2 * m + 1];
        const id = ids[m];
        if (!predicate || predicate(id)) this.push(haverSinDist(lng, lat, midLng, midLat, cosLat), id);
        const axis = this.axis[node];
        const b = 4 * node;
        const minLng = this.box[b];
        const minLat = this.box[b + 1];
        const maxLng = this.box[b + 2];
        const maxLat = this.box[b + 3];
        const next = 1 - axis;
        const lo = this.openNode(
          left,
          m - 1,
          next,
          minLng,
          minLat,
          axis === 0 ? midLng : maxLng,
          axis === 1 ? midLat : maxLat,
        );
        const hi = this.openNode(
          m + 1,
          right,
          next,
          axis === 0 ? midLng : minLng,
          axis === 1 ? midLat : minLat,
          maxLng,
          maxLat,
        );
        this.pushNode(lo, lng, lat, cosLat);
        this.pushNode(hi, lng, lat, cosLat);
      }
      // Points closer than every remaining node are final; stop at the next node.
      node = -1;
      while (this.size > 0) {
        const ref = this.ref[0];
        const dist = this.key[0];
        this.pop();
        if (ref < 0) {
          node = ~ref;
          break;
        }
        if (dist > maxHaverSin) return result;
        result.push(ref);
        if (result.length === maxResults) return result;
      }
    }
    return result;
  }

  private openNode(
    left: number,
    right: number,
    axis: number,
    minLng: number,
    minLat: number,
    maxLng: number,
    maxLat: number,
  ): number {
    const n = this.nodes++;
    if (n === this.axis.length) {
      this.range = grow(new Int32Array(4 * n), this.range);
      this.axis = grow(new Uint8Array(2 * n), this.axis);
      this.box = grow(new Float64Array(8 * n), this.box);
    }
    this.range[2 * n] = left;
    this.range[2 * n + 1] = right;
    this.axis[n] = axis;
    const b = 4 * n;
    this.box[b] = minLng;
    this.box[b + 1] = minLat;
    this.box[b + 2] = maxLng;
    this.box[b + 3] = maxLat;
    return n;
  }

  private pushNode(n: number, lng: number, lat: number, cosLat: number): void {
    const b = 4 * n;
    const box = this.box;
    this.push(boxDist(lng, lat, cosLat, box[b], box[b + 1], box[b + 2], box[b + 3]), ~n);
  }

  private push(dist: number, ref: number): void {
    if (this.size === this.key.length) {
      this.key = grow(new Float64Array(2 * this.size), this.key);
      this.ref = grow(new Int32Array(2 * this.size), this.ref);
    }
    const key = this.key;
    const refs = this.ref;
    let pos = this.size++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (dist >= key[parent]) break;
      key[pos] = key[parent];
      refs[pos] = refs[parent];
      pos = parent;
    }
    key[pos] = dist;
    refs[pos] = ref;
  }

  private pop(): void {
    const key = this.key;
    const refs = this.ref;
    const last = --this.size;
    if (last === 0) return;
    const dist = key[last];
    const ref = refs[last];
    const half = last >> 1;
    let pos = 0;
    while (pos < half) {
      let child = 2 * pos + 1;
      if (child + 1 < last && key[child + 1] < key[child]) child++;
      if (key[child] >= dist) break;
      key[pos] = key[child];
      refs[pos] = refs[child];
      pos = child;
    }
    key[pos] = dist;
    refs[pos] = ref;
  }
}

/** `bigger`, holding `array` at its start (the capacity doubles: amortised, never per query once warm). */
function grow<T extends Float64Array | Int32Array | Uint8Array>(bigger: T, array: T): T {
  bigger.set(array);
  return bigger;
}
