/**
 * The closure's end is read on the venue's clock: with the browser in UTC−4, "3 December 18:00"
 * for a Paris venue was stored as 23:00 Paris time (QA).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isoInZone } from '../../src/places/hours/tz.ts';
import { closureEnd, todayAt } from '../../web/src/partner/closure-time.ts';

const browserZone = process.env.TZ;
afterEach(() => {
  if (browserZone === undefined) delete process.env.TZ;
  else process.env.TZ = browserZone;
});

describe('end of a temporary closure', () => {
  it('reads the date and time in the venue’s zone, whatever the browser’s', () => {
    for (const zone of ['America/New_York', 'Pacific/Auckland', 'UTC']) {
      process.env.TZ = zone;
      const end = closureEnd('Europe/Paris', '2026-12-03', '18:00');
      expect(isoInZone('Europe/Paris', end!)).toBe('2026-12-03T18:00:00+01:00');
    }
  });

  it('follows the venue’s daylight saving and its zone overseas', () => {
    expect(isoInZone('Europe/Paris', closureEnd('Europe/Paris', '2026-07-14', '23:59')!)).toBe(
      '2026-07-14T23:59:00+02:00',
    );
    expect(isoInZone('Indian/Reunion', closureEnd('Indian/Reunion', '2026-12-03', '18:00')!)).toBe(
      '2026-12-03T18:00:00+04:00',
    );
  });

  it('refuses what the pickers cannot have typed', () => {
    for (const [date, time] of [
      ['', '18:00'],
      ['2026-02-30', '18:00'],
      ['2026-12-03', ''],
      ['2026-12-03', '24:00'],
    ]) {
      expect(closureEnd('Europe/Paris', date, time)).toBeNull();
    }
  });

  it('gives today on the venue’s clock', () => {
    // 1 December 2026, 22:30 UTC: already the 2nd in La Réunion, still the 1st in Paris.
    const now = Date.UTC(2026, 11, 1, 22, 30);
    expect(todayAt('Europe/Paris', now)).toBe('2026-12-01');
    expect(todayAt('Indian/Reunion', now)).toBe('2026-12-02');
  });
});
