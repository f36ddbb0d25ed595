/**
 * French elision in the sharing texts (web/src/sharing/elision.ts): "contact de confiance
 * d’alice@…", not "de alice@…" (QA walk), through the same i18next format the app registers.
 */
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { addElision, deName } from '../../src/shared/elision.ts';
import en from '../../web/src/sharing/i18n-en.ts';
import fr from '../../web/src/sharing/i18n-fr.ts';

const leaves = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Object.values(value as object).flatMap(leaves);

describe('"de" before a name', () => {
  it('elides before a vowel, accented ones included, and keeps "de" otherwise', () => {
    expect(deName('alice@havre.example')).toBe('d’alice@havre.example');
    expect(deName('Élodie')).toBe('d’Élodie');
    expect(deName('yann@havre.example')).toBe('d’yann@havre.example');
    expect(deName('bob@havre.example')).toBe('de bob@havre.example');
    expect(deName('hugo@havre.example')).toBe('de hugo@havre.example');
    expect(deName('votre proche')).toBe('de votre proche');
  });

  it('is what the French texts say about someone, and the English ones read naturally', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng: 'fr',
      resources: { fr: { sharing: fr }, en: { sharing: en } },
      interpolation: { escapeValue: false },
      showSupportNotice: false,
    });
    addElision(i18n);
    // Untyped here: the app's i18next typing knows only its default namespace.
    type Loose = (key: string, options?: Record<string, unknown>) => string;
    const fixed = (lng: string) =>
      (i18n.getFixedT.bind(i18n) as unknown as (lng: string, ns: string) => Loose)(lng, 'sharing');
    const t = fixed('fr');
    expect(t('accept.done', { email: 'alice@havre.example' })).toBe(
      'Vous êtes maintenant contact de confiance d’alice@havre.example.',
    );
    expect(t('watch.titleOf', { who: 'alice@havre.example' })).toBe('Trajet d’alice@havre.example');
    expect(t('watch.titleOf', { who: 'bob@havre.example' })).toBe('Trajet de bob@havre.example');
    expect(t('watch.waiting', { who: 'alice@havre.example' })).toContain(
      'la position d’alice@havre.example,',
    );
    const english = fixed('en');
    expect(english('watch.titleOf', { who: 'alice@havre.example' })).toBe(
      'Trip shared by alice@havre.example',
    );
    // No French text puts a bare "de" before a name any more.
    expect(leaves(fr).filter((text) => /\bde \{\{/.test(text))).toEqual([]);
  });
});
