/** When the places list is asked for again (web/src/places/use-nearest.ts): a shown place opens or closes. */
import { describe, expect, it } from 'vitest';
import type { NearestPlace } from '../../web/src/places/api.ts';
import { nextChange } from '../../web/src/places/use-nearest.ts';

const NOW = Date.parse('2026-11-29T22:25:00Z'); // 23:25 in Paris
const place = (fields: Partial<NearestPlace>) =>
  ({ id: 'p', name: 'p', openNow: null, ...fields }) as NearestPlace;

describe('next change of a places list', () => {
  it('is the first closing of an open place or opening of a closed one', () => {
    const places = [
      place({ openNow: true, closesAt: '2026-11-30T02:00:00+01:00' }),
      place({ openNow: true, closesAt: '2026-11-29T23:30:00+01:00' }), // the café
      place({ openNow: false, opensAt: '2026-11-30T07:30:00+01:00' }),
    ];
    expect(nextChange(places, NOW)).toBe(Date.parse('2026-11-29T22:30:00Z'));
  });

  it('is none for places open round the clock, of unknown hours, or whose change is past', () => {
    const places = [
      place({ openNow: true }),
      place({ openNow: null }),
      place({ openNow: true, closesAt: '2026-11-29T23:00:00+01:00' }),
    ];
    expect(nextChange(places, NOW)).toBeNull();
  });
});
