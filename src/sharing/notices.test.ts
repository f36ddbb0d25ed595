import { describe, expect, it } from 'vitest';
import { sharingNotice } from './notices.ts';

describe('sharing notices', () => {
  it('says the time left to answer with its plural, in both languages', () => {
    const notice = (minutes: number, locale: 'fr' | 'en') =>
      sharingNotice('question-overdue', 'alice@havre.example', 'https://x/partage/1', 't', minutes)(locale)
        .text;
    expect(notice(1, 'fr')).toContain('seront alertés dans 1 minute.');
    expect(notice(5, 'fr')).toContain('seront alertés dans 5 minutes.');
    expect(notice(1, 'en')).toContain('will be alerted in 1 minute.');
    expect(notice(2, 'en')).toContain('will be alerted in 2 minutes.');
  });
});
