/** Which refuges the SOS and watch screens show (web/src/sharing/refuge-list.ts), pure. */
import { describe, expect, it } from 'vitest';
import type { NearestPlace } from '../../web/src/sharing/api.ts';
import { refugeList } from '../../web/src/sharing/refuge-list.ts';

const place = (id: string, kind: string, distanceM: number, openNow: boolean | null): NearestPlace => ({
  id,
  name: id,
  kind,
  lat: 48.88,
  lon: 2.32,
  distanceM,
  walkMinutes: Math.ceil(distanceM / 80),
  openNow,
  partner: kind === 'bar',
  phone: null,
  address: null,
});

const open = [
  place('bar', 'bar', 900, true),
  place('pharmacy', 'pharmacy', 1200, true),
  place('hotel', 'hotel', 1500, true),
];

describe('refuges shown in danger', () => {
  it('adds the nearest police station of unknown hours to the open places, in order of distance', () => {
    const stations = [place('commissariat', 'police', 140, null), place('brigade', 'gendarmerie', 800, null)];
    expect(refugeList(open, stations).map((p) => p.id)).toEqual(['commissariat', 'bar', 'pharmacy', 'hotel']);
  });

  it('skips a station known to be closed for the next one not known to be', () => {
    const stations = [place('closed', 'police', 100, false), place('brigade', 'gendarmerie', 2000, null)];
    expect(refugeList(open, stations).map((p) => p.id)).toEqual(['bar', 'pharmacy', 'hotel', 'brigade']);
  });

  it('does not show an open station twice, nor anything when every station is closed', () => {
    const station = place('commissariat', 'police', 300, true);
    const withStation = [station, ...open.slice(0, 2)];
    expect(refugeList(withStation, [station])).toEqual(withStation);
    expect(refugeList(open, [place('closed', 'police', 100, false)])).toEqual(open);
    expect(refugeList([], [])).toEqual([]);
  });

  it('leaves out what is beyond walking reach, open or not', () => {
    const far = [place('bar-in-rouen', 'bar', 109_000, true)];
    expect(refugeList([...open, ...far], [place('brigade', 'gendarmerie', 12_000, null)])).toEqual(open);
    expect(refugeList(far, [])).toEqual([]);
  });

  it('shows the station alone when nothing is open nearby', () => {
    expect(refugeList([], [place('brigade', 'gendarmerie', 4000, null)]).map((p) => p.id)).toEqual([
      'brigade',
    ]);
  });
});
