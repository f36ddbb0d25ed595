/**
 * A report in three taps: what happened, victim or witness, then send (when = now and
 * where = here are already filled in). Steps live in the component, not in the URL, so
 * a step change keeps what was chosen and moves the focus to the step's heading.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReportRole } from '../../../src/shared/reports.ts';
import type { ReportCategory } from './categories.tsx';
import { Confirmation } from './confirmation.tsx';
import { DetailsForm } from './details-form.tsx';
import { useReportsT } from './i18n.ts';
import type { SendOutcome } from './send.ts';
import { CategoryStep, RoleStep } from './step-choices.tsx';
import { useGeolocation } from './use-geolocation.ts';
import type { Where } from './where-field.tsx';

type Step = 1 | 2 | 3;
const TITLES = { 1: 'steps.what', 2: 'steps.who', 3: 'steps.details' } as const;

export function ReportFlow() {
  const { t } = useReportsT();
  const geo = useGeolocation();
  const [step, setStep] = useState<Step>(1);
  const [category, setCategory] = useState<ReportCategory | null>(null);
  const [role, setRole] = useState<ReportRole | null>(null);
  const [where, setWhere] = useState<Where>({ mode: 'here', picked: null });
  const [outcome, setOutcome] = useState<SendOutcome | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each step change
  useEffect(() => {
    // Not on arrival (the page heading has the focus then), on every later step change.
    if (moved.current) heading.current?.focus();
  }, [step]);

  // Location refused or impossible: the map is the way to say where.
  useEffect(() => {
    if (geo.status === 'denied' || geo.status === 'unsupported') {
      setWhere((current) => (current.mode === 'here' ? { ...current, mode: 'map' } : current));
    }
  }, [geo.status]);

  const go = (next: Step) => {
    moved.current = true;
    setStep(next);
  };

  if (outcome) {
    return (
      <Confirmation
        outcome={outcome}
        onAnother={() => {
          setOutcome(null);
          setCategory(null);
          setRole(null);
          go(1);
        }}
      />
    );
  }

  return (
    <section className="report-step" aria-labelledby="report-step-title">
      <div className="report-step-top">
        <p className="report-progress">{t('steps.progress', { n: step })}</p>
        {step > 1 && (
          <button type="button" className="link-button" onClick={() => go((step - 1) as Step)}>
            {t('steps.back')}
          </button>
        )}
      </div>
      <div className="report-progress-bar" aria-hidden="true">
        <span style={{ width: `${(step / 3) * 100}%` }} />
      </div>
      <h2 id="report-step-title" ref={heading} tabIndex={-1}>
        {t(TITLES[step])}
      </h2>
      {step > 1 && category && (
        <p className="report-summary">
          <span className="visually-hidden">{t('steps.chosen')} : </span>
          <span className="chip">{t(`categories.${category}`)}</span>
          {step > 2 && role && <span className="chip">{t(`roles.${role}`)}</span>}
        </p>
      )}
      {step === 1 && (
        <CategoryStep
          value={category}
          onChoose={(chosen) => {
            setCategory(chosen);
            // Asked now, so the position is ready when the last step shows.
            if (geo.status === 'idle') geo.locate();
            go(2);
          }}
        />
      )}
      {step === 2 && (
        <RoleStep
          value={role}
          onChoose={(chosen) => {
            setRole(chosen);
            go(3);
          }}
        />
      )}
      {step === 3 && category && role && (
        <DetailsForm
          category={category}
          role={role}
          geo={geo}
          where={where}
          onWhere={setWhere}
          onDone={setOutcome}
        />
      )}
    </section>
  );
}
