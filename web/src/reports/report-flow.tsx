/**
 * A report in three taps: what happened, victim or witness, then send (when = now and
 * where = here are already filled in). Steps live in the component, not in the URL, so
 * a step change keeps what was chosen and moves the focus to the step's heading. What was
 * chosen and typed is the draft (draft.ts): kept while the person looks at another screen.
 */
import { useEffect, useRef, useState } from 'react';
import { Confirmation } from './confirmation.tsx';
import { DetailsForm } from './details-form.tsx';
import { type Draft, emptyDraft, keepDraft, readDraft } from './draft.ts';
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
  const [draft, setDraft] = useState<Draft>(readDraft);
  const { step, category, role, where } = draft;
  const change = (fields: Partial<Draft>) => setDraft((d) => ({ ...d, ...fields }));
  const setWhere = (next: Where | ((current: Where) => Where)) =>
    setDraft((d) => ({ ...d, where: typeof next === 'function' ? next(d.where) : next }));
  const [outcome, setOutcome] = useState<SendOutcome | null>(null);

  useEffect(() => keepDraft(draft), [draft]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, for a draft picked up again
  useEffect(() => {
    // Back to a draft past its first step: its position is asked again, as the first tap did.
    if (draft.step > 1 && geo.status === 'idle') geo.locate();
  }, []);
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
      setDraft((d) => (d.where.mode === 'here' ? { ...d, where: { ...d.where, mode: 'map' } } : d));
    }
  }, [geo.status]);

  const go = (next: Step, fields: Partial<Draft> = {}) => {
    moved.current = true;
    change({ ...fields, step: next });
  };

  if (outcome) {
    return (
      <Confirmation
        outcome={outcome}
        onAnother={() => {
          setOutcome(null);
          moved.current = true;
          setDraft(emptyDraft());
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
          <span className="visually-hidden">{t('steps.chosen')} </span>
          <span className="chip">{t(`categories.${category}`)}</span>
          {step > 2 && role && <span className="chip">{t(`roles.${role}`)}</span>}
        </p>
      )}
      {step === 1 && (
        <CategoryStep
          value={category}
          onChoose={(chosen) => {
            // Asked now, so the position is ready when the last step shows.
            if (geo.status === 'idle') geo.locate();
            go(2, { category: chosen });
          }}
        />
      )}
      {step === 2 && <RoleStep value={role} onChoose={(chosen) => go(3, { role: chosen })} />}
      {step === 3 && category && role && (
        <DetailsForm
          category={category}
          role={role}
          geo={geo}
          where={where}
          onWhere={setWhere}
          draft={draft}
          onDraft={change}
          onDone={(sent) => {
            // Sent (or kept to send): the next report starts afresh.
            keepDraft(emptyDraft());
            setDraft(emptyDraft());
            setOutcome(sent);
          }}
        />
      )}
    </section>
  );
}
