import { describe, expect, it } from 'vitest';
import { type Decision, decisionMessage, partnerPortalLink, trainingReminderMessage } from './messages.ts';

const LINK = partnerPortalLink('https://havre.example/');
const DECISIONS: Decision[] = ['approve', 'reject', 'suspend', 'reinstate'];

describe('e-mails to partner venues', () => {
  it('leads to the partner portal’s French path', () => {
    expect(LINK).toBe('https://havre.example/partenaire');
  });

  it('writes decision subjects as sentences around the quoted name, in French and English', () => {
    const subjects = (locale: 'fr' | 'en') =>
      DECISIONS.map((d) => decisionMessage(locale, 'Le Noctambule QA', d, 'Motif', LINK).subject);
    expect(subjects('fr')).toEqual([
      'Havre : « Le Noctambule QA » est désormais un lieu sûr',
      'Havre : votre candidature pour « Le Noctambule QA » n’a pas été retenue',
      'Havre : « Le Noctambule QA » n’apparaît plus sur la carte des lieux sûrs',
      'Havre : « Le Noctambule QA » apparaît de nouveau sur la carte des lieux sûrs',
    ]);
    expect(subjects('en')).toEqual([
      'Havre: “Le Noctambule QA” is now a safe place',
      'Havre: your application for “Le Noctambule QA” was not accepted',
      'Havre: “Le Noctambule QA” no longer appears on the map of safe places',
      'Havre: “Le Noctambule QA” is back on the map of safe places',
    ]);
  });

  it('greets, gives the reason when there is one, and links to the portal', () => {
    for (const decision of DECISIONS) {
      const fr = decisionMessage('fr', 'Chez Sam', decision, 'Adresse introuvable', LINK).text;
      expect(fr.startsWith('Bonjour,\n\n')).toBe(true);
      expect(fr).toContain('\n\nMotif : Adresse introuvable\n\n');
      expect(fr).toContain(`\n${LINK}`);
      const en = decisionMessage('en', 'Chez Sam', decision, null, LINK).text;
      expect(en.startsWith('Hello,\n\n')).toBe(true);
      expect(en).not.toContain('Reason');
      expect(en).toContain(`\n${LINK}`);
    }
  });

  it('uses typographic apostrophes and quotes, as the app does', () => {
    const texts = [
      ...DECISIONS.flatMap((d) =>
        (['fr', 'en'] as const).map((l) => decisionMessage(l, 'Chez Sam', d, 'Motif', LINK)),
      ),
      trainingReminderMessage('fr', 'Chez Sam', '2027-01-15', LINK),
      trainingReminderMessage('en', 'Chez Sam', '2027-01-15', LINK),
    ];
    for (const { subject, text } of texts) {
      expect(subject + text).not.toMatch(/['"]/);
    }
  });
});
