/**
 * The report being written, kept in this page's memory (never in storage) while the person
 * visits another screen of the app: "Près de moi" and back, or a step back and forth, must not
 * lose what was chosen or typed. Forgotten once sent, or with the page.
 */
import type { ReportRole } from '../../../src/shared/reports.ts';
import type { ReportCategory } from './categories.tsx';
import type { When } from './when.ts';
import type { Where } from './where-field.tsx';

export interface Draft {
  step: 1 | 2 | 3;
  category: ReportCategory | null;
  role: ReportRole | null;
  where: Where;
  when: When;
  description: string;
  share: boolean;
}

export const emptyDraft = (): Draft => ({
  step: 1,
  category: null,
  role: null,
  where: { mode: 'here', picked: null },
  when: { mode: 'now', local: '' },
  description: '',
  share: false,
});

let kept: Draft = emptyDraft();

export const readDraft = (): Draft => kept;
export const keepDraft = (draft: Draft): void => {
  kept = draft;
};
