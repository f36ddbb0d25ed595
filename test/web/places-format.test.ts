/** How the places screens word opening times: the place's own clock, French first, unknown never open. */
import { describe, expect, it } from 'vitest';
import {
  age,
  daysFromToday,
  formatDistance,
  offsetLabel,
  openLabel,
  phoneClockDiffers,
  walkDuration,
  zoneLabel,
  zoneOffsetMinutes,
} from '../../web/src/places/format.ts';

const FR: Record<string, string> = {
  'status.open': 'Ouvert',
  'status.open247': 'Ouvert 24 h/24',
  'status.closed': 'Fermé',
  'status.unknown': 'Horaires inconnus',
  'status.closesAt': 'ferme à {{time}}',
  'status.closesTomorrow': 'ferme demain à {{time}}',
  'status.closesOn': 'ferme {{day}} à {{time}}',
  'status.opensAt': 'ouvre à {{time}}',
  'status.opensTomorrow': 'ouvre demain à {{time}}',
  'status.opensOn': 'ouvre {{day}} à {{time}}',
  'status.midnight': 'minuit',
  'status.placeTime': '{{detail}} (heure du lieu)',
};
const t = (key: string, options: Record<string, unknown> = {}) =>
  (FR[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name]));

// Saturday 28 November 2026, 22:00 in Paris (21:00 UTC).
const NOW = Date.parse('2026-11-28T21:00:00Z');

describe('open labels', () => {
  it('says when an open bar closes after midnight, in the place’s clock', () => {
    expect(openLabel(t, 'fr', { openNow: true, closesAt: '2026-11-29T02:00:00+01:00' }, NOW)).toEqual({
      tone: 'open',
      label: 'Ouvert',
      detail: 'ferme demain à 02:00',
    });
  });

  it('reads a closing at 00:00 as midnight of the day before', () => {
    expect(openLabel(t, 'fr', { openNow: true, closesAt: '2026-11-29T00:00:00+01:00' }, NOW).detail).toBe(
      'ferme à minuit',
    );
    expect(openLabel(t, 'fr', { openNow: true, closesAt: '2026-12-01T00:00:00+01:00' }, NOW).detail).toBe(
      'ferme lundi à minuit',
    );
  });

  it('reads an opening at 00:00 as the start of its own day', () => {
    // Closed on Sunday, open from Monday 00:00: "lundi", not "demain à minuit" (that is Sunday's end).
    expect(openLabel(t, 'fr', { openNow: false, opensAt: '2026-11-30T00:00:00+01:00' }, NOW).detail).toBe(
      'ouvre lundi à 00:00',
    );
    expect(openLabel(t, 'fr', { openNow: false, opensAt: '2026-11-29T00:00:00+01:00' }, NOW).detail).toBe(
      'ouvre demain à 00:00',
    );
  });

  it('names the weekday of an opening beyond tomorrow', () => {
    expect(openLabel(t, 'fr', { openNow: false, opensAt: '2026-11-30T10:00:00+01:00' }, NOW).detail).toBe(
      'ouvre lundi à 10:00',
    );
    expect(openLabel(t, 'en', { openNow: false, opensAt: '2026-11-30T10:00:00+01:00' }, NOW).detail).toBe(
      'ouvre Monday à 10:00',
    );
  });

  it('uses the place’s day, not the phone’s: La Réunion is already on Sunday', () => {
    // 21:00 UTC is 01:00 on Sunday in La Réunion (UTC+4): a 09:00 opening there is "today".
    expect(daysFromToday('2026-11-29T09:00:00+04:00', NOW)).toBe(0);
    expect(openLabel(t, 'fr', { openNow: false, opensAt: '2026-11-29T09:00:00+04:00' }, NOW).detail).toBe(
      'ouvre à 09:00',
    );
  });

  it('shows unknown hours as unknown, never as open, and 24/7 without a closing time', () => {
    expect(openLabel(t, 'fr', { openNow: null }, NOW)).toEqual({
      tone: 'unknown',
      label: 'Horaires inconnus',
      detail: null,
    });
    expect(openLabel(t, 'fr', { openNow: true }, NOW).label).toBe('Ouvert 24 h/24');
  });

  it('formats distances and ages for people in a hurry', () => {
    expect(formatDistance(92, 'fr')).toBe('90 m');
    expect(formatDistance(3, 'fr')).toBe('10 m');
    expect(formatDistance(1240, 'fr')).toBe('1,2 km');
    expect(age(NOW - 20_000, NOW, 'fr', 'à l’instant')).toBe('à l’instant');
    expect(age(NOW - 3 * 3_600_000, NOW, 'fr', 'à l’instant')).toBe('il y a 3 heures');
  });
});

describe('walking times', () => {
  it('reads minutes under an hour, hours and minutes beyond', () => {
    expect(walkDuration(4, 'fr')).toBe('4 min');
    expect(walkDuration(59, 'fr')).toBe('59 min');
    expect(walkDuration(65, 'fr')).toBe('1 h 05');
    expect(walkDuration(1304, 'fr')).toBe('21 h 44');
  });

  it('writes hours the English way in English ("2 h 09 walk" was French style)', () => {
    expect(walkDuration(4, 'en')).toBe('4 min');
    expect(walkDuration(129, 'en')).toBe('2 hr 9 min');
    expect(walkDuration(120, 'en')).toBe('2 hr');
    expect(walkDuration(129, 'fr')).toBe('2 h 09');
  });
});

describe('the place’s time zone, said when the phone’s clock differs', () => {
  it('names the zone with its offset in the interface’s language, not its IANA code', () => {
    expect(zoneLabel('Indian/Reunion', 'fr', NOW)).toEqual({ name: 'heure de La Réunion', offset: 'UTC+4' });
    expect(zoneLabel('Indian/Reunion', 'en', NOW)).toEqual({ name: 'Réunion Time', offset: 'UTC+4' });
    expect(zoneLabel('America/Cayenne', 'fr', NOW)).toEqual({
      name: 'heure de la Guyane française',
      offset: 'UTC−3',
    });
    // Paris on summer time: the offset of the day.
    expect(zoneLabel('Europe/Paris', 'fr', Date.parse('2026-07-01T12:00:00Z')).offset).toBe('UTC+2');
  });

  it('falls back to the offset alone for a zone without a name, and to the code for an unknown one', () => {
    expect(zoneLabel('Etc/GMT+3', 'fr', NOW)).toEqual({ name: null, offset: 'UTC−3' });
    expect(zoneLabel('Etc/UTC', 'en', NOW)).toEqual({ name: null, offset: 'UTC' });
    expect(zoneLabel('Mars/Olympus', 'fr', NOW)).toEqual({ name: null, offset: 'Mars/Olympus' });
  });

  it('reads offsets as people do, half hours and a true minus sign included', () => {
    expect(offsetLabel(240)).toBe('UTC+4');
    expect(offsetLabel(330)).toBe('UTC+5:30');
    expect(offsetLabel(-180)).toBe('UTC−3');
    expect(offsetLabel(0)).toBe('UTC');
    expect(zoneOffsetMinutes('Asia/Kolkata', NOW)).toBe(330);
    expect(zoneOffsetMinutes('America/Montreal', NOW)).toBe(-300);
    expect(zoneOffsetMinutes('Mars/Olympus', NOW)).toBeNull();
  });

  it('compares the phone’s clock with the place’s at the time said, summer time included', () => {
    expect(phoneClockDiffers('2026-11-29T02:00:00+01:00', 'Europe/Paris')).toBe(false);
    expect(phoneClockDiffers('2026-11-29T02:00:00+01:00', 'Europe/Brussels')).toBe(false);
    expect(phoneClockDiffers('2026-11-29T02:00:00+01:00', 'America/Montreal')).toBe(true);
    expect(phoneClockDiffers('2026-11-29T12:00:00+04:00', 'Europe/Paris')).toBe(true);
    // Paris on summer time is UTC+2: "+02:00" is its clock then.
    expect(phoneClockDiffers('2026-07-01T23:00:00+02:00', 'Europe/Paris')).toBe(false);
  });

  it('says a time is the place’s only when the phone’s clock reads another', () => {
    const open = { openNow: true, closesAt: '2026-11-29T12:00:00+04:00' };
    expect(openLabel(t, 'fr', open, NOW, 'Europe/Paris').detail).toBe('ferme à 12:00 (heure du lieu)');
    expect(openLabel(t, 'fr', open, NOW, 'Indian/Reunion').detail).toBe('ferme à 12:00');
    expect(openLabel(t, 'fr', open, NOW).detail).toBe('ferme à 12:00');
    const closed = { openNow: false, opensAt: '2026-11-29T17:00:00+01:00' };
    expect(openLabel(t, 'fr', closed, NOW, 'Indian/Reunion').detail).toBe(
      'ouvre demain à 17:00 (heure du lieu)',
    );
    expect(openLabel(t, 'fr', closed, NOW, 'Europe/Paris').detail).toBe('ouvre demain à 17:00');
  });
});
