/**
 * Counts in the partner portal's strings agree with their number: "(1 personnes formées)" /
 * "(1 people trained)" was shown after a training of one person (QA).
 */
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import en from '../../web/src/partner/i18n-en.ts';
import fr from '../../web/src/partner/i18n-fr.ts';

async function translator(lng: 'fr' | 'en') {
  const instance = i18next.createInstance();
  await instance.init({
    lng,
    resources: { fr: { partner: fr }, en: { partner: en } },
    ns: ['partner'],
    defaultNS: 'partner',
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return instance.t.bind(instance) as (key: string, options?: Record<string, unknown>) => string;
}

/** Every [key, text] of a namespace, nested keys joined by dots. */
function entries(node: unknown, prefix = ''): [string, string][] {
  if (typeof node === 'string') return [[prefix, node]];
  if (Array.isArray(node) || node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => entries(v, prefix ? `${prefix}.${k}` : k));
}

describe('partner strings', () => {
  it('say one person trained, in French and English', async () => {
    const values = { date: '3 décembre 2026', until: '3 décembre 2027' };
    expect((await translator('fr'))('manage.trainingLast', { ...values, count: 1 })).toBe(
      'Dernière formation le 3 décembre 2026 (1 personne formée) : valable jusqu’au 3 décembre 2027.',
    );
    expect((await translator('fr'))('manage.trainingLast', { ...values, count: 4 })).toContain(
      '(4 personnes formées)',
    );
    expect((await translator('en'))('manage.trainingLast', { ...values, count: 1 })).toContain(
      '(1 person trained)',
    );
    expect((await translator('en'))('manage.trainingLast', { ...values, count: 4 })).toContain(
      '(4 people trained)',
    );
  });

  it('give a singular and a plural form to every text that counts', () => {
    for (const messages of [fr, en]) {
      const all = new Map(entries(messages));
      for (const [key, text] of all) {
        if (!text.includes('{{count}}')) continue;
        const base = key.replace(/_(one|other)$/, '');
        expect({ key, one: all.has(`${base}_one`), other: all.has(`${base}_other`) }).toEqual({
          key,
          one: true,
          other: true,
        });
      }
    }
  });

  it('say one report of the coverage summary in the singular', async () => {
    const values = { count: 1, total: 12, walk: 400, hidden: 0 };
    expect((await translator('fr'))('coverage.summary', values)).toMatch(/^1 signalement sur 12 /);
    expect((await translator('en'))('coverage.summary', values)).toMatch(/^1 report out of 12 /);
  });
});
