import { describe, expect, it } from 'vitest';
import { LEGACY_SCRUB_MARKERS, SCRUB_MARKERS, scrubbedParts, scrubDescription } from './scrub.ts';

const { email, url, phone } = SCRUB_MARKERS;

describe('scrubDescription removes PII from consented text', () => {
  it.each([
    ['écrivez-moi à alice.martin+test@exemple.fr merci', `écrivez-moi à ${email} merci`],
    ['contact: Bob_92@mail.example.com.', `contact: ${email}.`],
    ['alice [at] exemple [dot] fr', email],
    ['alice(at)exemple.fr', email],
    ['ÉLODIE@exemple.fr', email],
  ])('e-mail: %s', (input, expected) => {
    expect(scrubDescription(input)).toBe(expected);
  });

  it.each([
    ['appelez le 06 12 34 56 78 svp', `appelez le ${phone} svp`],
    ['06.12.34.56.78', phone],
    ['06-12-34-56-78', phone],
    ['0612345678', phone],
    ['+33 6 12 34 56 78', phone],
    ['+33612345678', phone],
    ['+33 (0)6 12 34 56 78', phone],
    ['0033 1 42 76 40 40', phone],
    ['numéro 01 42 76 40 40 (mairie)', `numéro ${phone} (mairie)`],
    ['La Réunion: 0262 90 12 34', `La Réunion: ${phone}`],
    ['UK +44 20 7946 0958', `UK ${phone}`],
    ['sans préfixe 612345678', `sans préfixe ${phone}`],
  ])('phone: %s', (input, expected) => {
    expect(scrubDescription(input)).toBe(expected);
  });

  it.each([
    ['voir https://exemple.fr/profil?id=12 pour la photo', `voir ${url} pour la photo`],
    ['http://192.168.1.1/x', url],
    ['www.instagram.com/quelquun', url],
    ['son compte: bit.ly/3abcd', `son compte: ${url}`],
    ['snap.com', url],
  ])('url: %s', (input, expected) => {
    expect(scrubDescription(input)).toBe(expected);
  });

  it('keeps ordinary text, times, dates, bus lines and street numbers', () => {
    const text = 'Vers 23h15 le 28/11/2026, bus 31, au 12 rue des Dames, un homme m’a suivie sur 200 m.';
    expect(scrubDescription(text)).toBe(text);
  });

  it('removes several kinds at once and control characters', () => {
    const out = scrubDescription('a\u0007 b@c.fr 06 12 34 56 78 https://x.fr\nfin');
    expect(out).toBe(`a ${email} ${phone} ${url}\nfin`);
  });
});

describe('scrubDescription keeps the sentence around a link', () => {
  it('does not swallow the punctuation after a URL', () => {
    expect(scrubDescription('voir www.exemple.fr/x, puis https://a.fr. Fin (bit.ly/z)')).toBe(
      `voir ${url}, puis ${url}. Fin (${url})`,
    );
  });
});

describe('what was removed is stored in no language, and read in each', () => {
  it('stores neutral markers, not French words (the English dashboard showed "[numéro retiré]")', () => {
    const out = scrubDescription('call me 06 12 34 56 78 or alice@exemple.fr https://x.fr');
    expect(out).toBe('call me [[phone]] or [[email]] [[url]]');
    expect(out).not.toMatch(/retiré/);
  });

  it('splits a text into the person’s words and what was removed, in order', () => {
    expect(scrubbedParts(scrubDescription('appelez le 06 12 34 56 78, ou bit.ly/x.'))).toEqual([
      'appelez le ',
      { removed: 'phone' },
      ', ou ',
      { removed: 'url' },
      '.',
    ]);
    expect(scrubbedParts('rien de retiré')).toEqual(['rien de retiré']);
    expect(scrubbedParts('')).toEqual([]);
  });

  it('reads the French markers of descriptions stored before as the same kinds', () => {
    const stored = `call me ${LEGACY_SCRUB_MARKERS.phone} or ${LEGACY_SCRUB_MARKERS.email} ${LEGACY_SCRUB_MARKERS.url}`;
    expect(scrubbedParts(stored)).toEqual([
      'call me ',
      { removed: 'phone' },
      ' or ',
      { removed: 'email' },
      ' ',
      { removed: 'url' },
    ]);
    expect(scrubbedParts(`${SCRUB_MARKERS.email}${LEGACY_SCRUB_MARKERS.email}`)).toEqual([
      { removed: 'email' },
      { removed: 'email' },
    ]);
  });
});
