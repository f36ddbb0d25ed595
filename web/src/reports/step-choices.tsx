/** Steps 1 and 2 of a report: one tap each, on large labelled buttons. */
import type { ReactNode } from 'react';
import { REPORT_ROLES, type ReportRole } from '../../../src/shared/reports.ts';
import { CATEGORY_ICONS, REPORT_CATEGORIES, type ReportCategory } from './categories.tsx';
import { useReportsT } from './i18n.ts';

function Choice({
  icon,
  label,
  hint,
  selected,
  onChoose,
}: {
  icon?: ReactNode;
  label: string;
  hint: string;
  selected: boolean;
  onChoose(): void;
}) {
  return (
    <li>
      <button type="button" className="report-choice" aria-pressed={selected} onClick={onChoose}>
        {icon && <span className="report-choice-icon">{icon}</span>}
        <span className="report-choice-text">
          <span className="report-choice-label">{label}</span>
          <span className="report-choice-hint">{hint}</span>
        </span>
      </button>
    </li>
  );
}

export function CategoryStep({
  value,
  onChoose,
}: {
  value: ReportCategory | null;
  onChoose(category: ReportCategory): void;
}) {
  const { t } = useReportsT();
  return (
    <ul className="report-choices report-categories">
      {REPORT_CATEGORIES.map((category) => (
        <Choice
          key={category}
          icon={CATEGORY_ICONS[category]}
          label={t(`categories.${category}`)}
          hint={t(`categoryHints.${category}`)}
          selected={value === category}
          onChoose={() => onChoose(category)}
        />
      ))}
    </ul>
  );
}

export function RoleStep({
  value,
  onChoose,
}: {
  value: ReportRole | null;
  onChoose(role: ReportRole): void;
}) {
  const { t } = useReportsT();
  return (
    <ul className="report-choices report-roles">
      {REPORT_ROLES.map((role) => (
        <Choice
          key={role}
          label={t(`roles.${role}`)}
          hint={t(`roles.${role}Hint`)}
          selected={value === role}
          onChoose={() => onChoose(role)}
        />
      ))}
    </ul>
  );
}
