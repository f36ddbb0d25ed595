/**
 * Words of the municipal dashboard that come from elsewhere: what the server removed from a
 * citizen's text (stored as neutral markers, QA: "[numéro retiré]" on the English dashboard),
 * the territory's clock of the weekday and hour charts, and the name of the map.
 */
import { describe, expect, it } from 'vitest';
import {
  LEGACY_SCRUB_MARKERS,
  SCRUB_MARKERS,
  type ScrubbedKind,
  scrubbedParts,
  scrubDescription,
} from '../../src/reports/scrub.ts';
import { territoryTimeZone } from '../../src/shared/reports.ts';
import en from '../../web/src/dashboard/i18n-en.ts';
import fr from '../../web/src/dashboard/i18n-fr.ts';
import { mapLocale } from '../../web/src/reports/map/maplibre.ts';

/** A scrubbed text as a dashboard in `messages`' language writes it (ScrubbedText, as plain text). */
const read = (text: string, messages: typeof fr) =>
  scrubbedParts(text)
    .map((part) => (typeof part === 'string' ? part : messages.descriptions.removed[part.removed]))
    .join('');

describe('what the server removed from a text, in the reader’s language', () => {
  const text = scrubDescription('call me 06 12 34 56 78 or alice@exemple.fr www.exemple.fr/x');

  it('reads "[phone removed]" on the English dashboard and "[numéro retiré]" on the French one', () => {
    expect(read(text, en)).toBe('call me [phone removed] or [e-mail removed] [link removed]');
    expect(read(text, fr)).toBe('call me [numéro retiré] or [e-mail retiré] [lien retiré]');
  });

  it('reads descriptions stored with the French markers the same way', () => {
    const stored = 'call me [numéro retiré] or [e-mail retiré] [lien retiré]';
    expect(read(stored, en)).toBe(read(text, en));
    expect(read(stored, fr)).toBe(stored);
  });

  it('has words for every kind of marker, the French ones those stored before', () => {
    for (const kind of Object.keys(SCRUB_MARKERS) as ScrubbedKind[]) {
      expect(fr.descriptions.removed[kind]).toBe(LEGACY_SCRUB_MARKERS[kind]);
      expect(en.descriptions.removed[kind]).toMatch(/^\[.+ removed\]$/);
    }
  });
});

describe('the clock of the weekday and hour charts', () => {
  it.each([
    ['75117', 'Paris', 'Paris'],
    ['76540', 'Paris', 'Paris'],
    ['97411', 'La Réunion', 'Réunion'],
    ['97101', 'Guadeloupe', 'Guadeloupe'],
    ['97209', 'Martinique', 'Martinique'],
    ['97302', 'Guyane', 'French Guiana'],
    ['97611', 'Mayotte', 'Mayotte'],
  ])('names the zone of %s', (code, french, english) => {
    const key = territoryTimeZone(code).replace('/', '_') as keyof typeof fr.charts.zones;
    expect(fr.charts.zones[key]).toBe(french);
    expect(en.charts.zones[key]).toBe(english);
  });
});

describe('the name of the dashboard map', () => {
  it('gives MapLibre’s canvas the map’s own name, not a second "Carte"', () => {
    expect(mapLocale('fr', 'Carte des signalements : Paris 17e')['Map.Title']).toBe(
      'Carte des signalements : Paris 17e',
    );
    expect(mapLocale('en', 'Map of reports: Paris 17e')['Map.Title']).toBe('Map of reports: Paris 17e');
    // Other maps keep MapLibre's word, in French too.
    expect(mapLocale('fr')['Map.Title']).toBe('Carte');
    expect(mapLocale('en')).toEqual({});
  });
});
