/** How sharing words numbers and people: percentages in each language, sentences without a name. */
import { describe, expect, it } from 'vitest';
import { formatPercent } from '../../web/src/sharing/format.ts';
import en from '../../web/src/sharing/i18n-en.ts';
import fr from '../../web/src/sharing/i18n-fr.ts';

describe('battery level', () => {
  it('is a percentage written as each language writes it', () => {
    expect(formatPercent(1, 'en')).toBe('100%');
    expect(formatPercent(0.456, 'en')).toBe('46%');
    // French: a no-break space before the sign (plain or narrow, as the browser's data has it).
    expect(formatPercent(1, 'fr')).toMatch(/^100[\u00a0\u202f]%$/);
  });
});

describe('a sharer whose name is not known (a guest’s view)', () => {
  const unnamed = [
    'arrivedNowUnnamed',
    'sosCancelledNowUnnamed',
    'movedArrivalUnnamed',
    'movedUntilUnnamed',
  ] as const;

  it('has sentences of its own, starting with a capital letter, in both languages', () => {
    for (const key of unnamed) {
      for (const text of [fr.watch[key], en.watch[key]]) {
        expect(text).toMatch(/^\p{Lu}/u);
        expect(text).not.toContain('{{who}}');
      }
    }
    expect(en.watch.arrivedNowUnnamed).toBe('Your contact has arrived safely: sharing has ended.');
    expect(fr.watch.arrivedNowUnnamed).toBe('Votre proche est bien arrivé·e : le partage est terminé.');
  });
});

describe('the refuges’ heading', () => {
  it('does not promise open places: the nearest police station is listed even with unknown hours', () => {
    for (const text of [fr.refuges.titleMe, fr.refuges.titleThem, en.refuges.titleMe, en.refuges.titleThem])
      expect(text).not.toMatch(/ouvert|open/i);
  });
});
