/**
 * The language of a device (web/src/i18n/locale.ts). QA walk: a visitor whose browser is set to
 * English got the whole app, and the SOS page, in French: the browser's languages were never read.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deviceLocale, LOCALE_STORAGE_KEY, pickLocale } from '../../web/src/i18n/locale.ts';

describe('the language of a device', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('takes the first browser language that Havre speaks', () => {
    expect(pickLocale(null, ['en-US', 'en'])).toBe('en');
    expect(pickLocale(null, ['en-GB'])).toBe('en');
    expect(pickLocale(null, ['fr-FR', 'en-US'])).toBe('fr');
    expect(pickLocale(null, ['de-DE', 'en-GB', 'fr'])).toBe('en');
    expect(pickLocale(null, ['es', 'fr-CA', 'en'])).toBe('fr');
    expect(pickLocale(null, ['EN_au'])).toBe('en');
  });

  it('falls back to French when the browser speaks none of them, or says nothing', () => {
    expect(pickLocale(null, ['de-DE', 'it'])).toBe('fr');
    expect(pickLocale(null, [])).toBe('fr');
    expect(pickLocale(null, ['', 'english'])).toBe('fr');
  });

  it('keeps the choice made on this device over the browser’s languages', () => {
    expect(pickLocale('fr', ['en-US'])).toBe('fr');
    expect(pickLocale('en', ['fr-FR'])).toBe('en');
    expect(pickLocale('klingon', ['en-US'])).toBe('en'); // not a choice of ours: ignored
  });

  it('reads the stored choice and navigator.languages (the app and the SOS page start with it)', () => {
    const items = new Map<string, string>();
    vi.stubGlobal('localStorage', { getItem: (key: string) => items.get(key) ?? null });
    vi.stubGlobal('navigator', { languages: ['nl-BE', 'en-GB'], language: 'nl-BE' });
    expect(deviceLocale()).toBe('en');
    items.set(LOCALE_STORAGE_KEY, 'fr');
    expect(deviceLocale()).toBe('fr');
    vi.stubGlobal('navigator', { languages: [], language: 'en-US' }); // older browsers: one language
    items.clear();
    expect(deviceLocale()).toBe('en');
  });

  it('lets the browser decide when storage is refused (private mode)', () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('SecurityError');
      },
    });
    vi.stubGlobal('navigator', { languages: ['en-US'], language: 'en-US' });
    expect(deviceLocale()).toBe('en');
  });
});
