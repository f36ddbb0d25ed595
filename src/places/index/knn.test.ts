import fc from 'fast-check';
import { around, distance } from 'geokdbush';
import KDBush from 'kdbush';
import { describe, expect, it } from 'vitest';
import { KnnSearch } from './knn.ts';

function tree(points: [number, number][], nodeSize: number): KDBush {
  const kd = new KDBush(points.length, nodeSize);
  for (const [lon, lat] of points) kd.add(lon, lat);
  return kd.finish();
}

const point = fc.tuple(
  fc.double({ min: -180, max: 180, noNaN: true }),
  fc.double({ min: -90, max: 90, noNaN: true }),
);

describe('k nearest without per-candidate allocations', () => {
  it('answers exactly as geokdbush.around, with limits, radius and filters (property)', () => {
    const search = new KnnSearch(); // one instance across runs: its arrays grow and are reused
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 0, maxLength: 600 }),
        fc.integer({ min: 2, max: 16 }),
        fc.array(
          fc.record({
            at: point,
            limit: fc.oneof(fc.integer({ min: 1, max: 700 }), fc.constant(Number.POSITIVE_INFINITY)),
            km: fc.oneof(
              fc.double({ min: 0, max: 20_000, noNaN: true }),
              fc.constant(Number.POSITIVE_INFINITY),
            ),
            modulo: fc.integer({ min: 1, max: 5 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (points, nodeSize, queries) => {
          const kd = tree(points, nodeSize);
          for (const q of queries) {
            const keep = q.modulo === 1 ? undefined : (id: number) => id % q.modulo === 0;
            const ours = search.around(kd, q.at[0], q.at[1], q.limit, q.km, keep);
            const theirs = around(kd, q.at[0], q.at[1], q.limit, q.km, keep);
            expect(ours).toEqual(theirs);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('breaks ties between equidistant points in either order but returns the same distances', () => {
    const points: [number, number][] = Array.from({ length: 500 }, (_, i) => [
      2 + (i % 10) / 100,
      48 + (i % 7) / 100,
    ]);
    const kd = tree(points, 4);
    const ours = new KnnSearch().around(kd, 2.05, 48.03, 120);
    const theirs = around(kd, 2.05, 48.03, 120);
    const km = (ids: number[]) => ids.map((i) => distance(2.05, 48.03, points[i][0], points[i][1]));
    expect(km(ours)).toEqual(km(theirs));
  });
});
