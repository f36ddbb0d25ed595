import { describe, expect, it } from 'vitest';
import { type SharingNotice, sharingNotice } from './notices.ts';

const URL = 'https://x/suivre/1';

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

  it('elides "de" before a vowel in the French SOS subject, which is also the push title', () => {
    const subject = (who: string) => sharingNotice('alert-sos', who, URL, 't')('fr').subject;
    expect(subject('alice@havre.example')).toBe('Havre : SOS d’alice@havre.example');
    expect(subject('bob@havre.example')).toBe('Havre : SOS de bob@havre.example');
    expect(subject('Émile@havre.example')).toBe('Havre : SOS d’Émile@havre.example');
    expect(sharingNotice('alert-sos', 'alice@havre.example', URL, 't')('en').subject).toBe(
      'Havre: SOS from alice@havre.example',
    );
  });

  it('names the same emergency numbers, 17 and 112, in the SOS e-mail and push of both languages', () => {
    for (const locale of ['fr', 'en'] as const) {
      const notice = sharingNotice('alert-sos', 'alice@havre.example', URL, 't')(locale);
      for (const text of [notice.text, notice.short]) {
        expect(text).toMatch(/\b17\b/);
        expect(text).toMatch(/\b112\b/);
      }
    }
    expect(sharingNotice('alert-sos', 'alice@havre.example', URL, 't')('en').text).toContain(
      'In danger, call 17 or 112.',
    );
  });

  it('fills every name of every notice, leaving no placeholder', () => {
    const kinds = [
      'question-overdue',
      'question-still',
      'alert-overdue',
      'alert-still',
      'alert-sos',
      'sos-cancelled',
      'resolved',
      'arrived',
      'started',
    ] as const satisfies readonly SharingNotice[];
    for (const kind of kinds)
      for (const locale of ['fr', 'en'] as const) {
        const notice = sharingNotice(kind, 'alice@havre.example', URL, 't')(locale);
        expect(`${notice.subject} ${notice.text} ${notice.short}`).not.toMatch(/[{}]/);
      }
  });
});
