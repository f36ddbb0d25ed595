/**
 * Step 3 of a report: when and where (both with defaults, so sending is the only tap left),
 * an optional description shared only with explicit consent, the plain-words privacy box,
 * and the send button.
 */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REPORT_LIMITS, type ReportRole } from '../../../src/shared/reports.ts';
import { errorCode } from '../api/client.ts';
import { FormAlert, SubmitButton } from '../app/form.tsx';
import { useSubmit } from '../app/use-submit.ts';
import { type ReportBody, reportErrorMessage } from './api.ts';
import type { ReportCategory } from './categories.tsx';
import type { Draft } from './draft.ts';
import { HelpLinks } from './help-links.tsx';
import { useReportsT } from './i18n.ts';
import { PrivacyBox } from './privacy-box.tsx';
import { type SendOutcome, sendReport } from './send.ts';
import type { useGeolocation } from './use-geolocation.ts';
import { resolveWhen, type When } from './when.ts';
import { WhenField } from './when-field.tsx';
import { type Where, WhereField } from './where-field.tsx';

const REFUSED_FOR_GOOD = ['HAVRE_ERR_OUT_OF_TERRITORY', 'HAVRE_ERR_REPORT_TOO_OLD'];

export function DetailsForm({
  category,
  role,
  geo,
  where,
  onWhere,
  draft,
  onDraft,
  onDone,
}: {
  category: ReportCategory;
  role: ReportRole;
  geo: ReturnType<typeof useGeolocation>;
  where: Where;
  onWhere(where: Where): void;
  /** When, the text and its consent live in the report's draft (draft.ts), not here. */
  draft: Pick<Draft, 'when' | 'description' | 'share'>;
  onDraft(fields: Partial<Draft>): void;
  onDone(outcome: SendOutcome): void;
}) {
  const { t } = useReportsT();
  const { t: appT } = useTranslation();
  const id = useId();
  const submission = useSubmit();
  const { when, description, share } = draft;
  const setWhen = (next: When) => onDraft({ when: next });
  const setDescription = (next: string) => onDraft({ description: next });
  const setShare = (next: boolean) => onDraft({ share: next });
  const [errors, setErrors] = useState<{ when?: string; where?: string }>({});
  const [refusedCode, setRefusedCode] = useState<string | null>(null);
  const max = REPORT_LIMITS.descriptionMax;

  function point(): { lat: number; lon: number } | null {
    if (where.mode === 'map') return where.picked;
    return geo.status === 'found' && geo.position ? geo.position : null;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const at = resolveWhen(when, Date.now());
    const place = point();
    const found = {
      when: 'error' in at ? t(`when.${at.error}`) : undefined,
      where: place ? undefined : t(geo.status === 'locating' ? 'where.locating' : 'where.missing'),
    };
    setErrors(found);
    if ('error' in at || !place) {
      submission.fail(found.when ?? found.where ?? '');
      return;
    }
    const text = description.trim();
    const body: ReportBody = {
      category,
      role,
      lat: place.lat,
      lon: place.lon,
      occurredAt: at.at,
      // Without consent the text never leaves the phone.
      ...(share && text ? { description: text, shareDescription: true } : {}),
    };
    await submission.run(async () => {
      try {
        setRefusedCode(null);
        onDone(await sendReport(body));
      } catch (error) {
        const code = errorCode(error);
        if (REFUSED_FOR_GOOD.includes(code)) setRefusedCode(code);
        submission.fail(reportErrorMessage(t, appT, error));
      }
    });
  }

  return (
    <form className="form report-form" noValidate onSubmit={submit}>
      <WhenField value={when} onChange={setWhen} error={errors.when ?? null} />
      <WhereField geo={geo} value={where} onChange={onWhere} error={errors.where ?? null} />

      <div className="field">
        <label htmlFor={`${id}-text`}>{t('description.label')}</label>
        <p id={`${id}-hint`} className="field-hint">
          {t('description.hint', { max })}
        </p>
        <textarea
          id={`${id}-text`}
          rows={4}
          maxLength={max}
          value={description}
          aria-describedby={`${id}-hint ${id}-count`}
          onChange={(event) => setDescription(event.target.value)}
        />
        <p id={`${id}-count`} className="field-hint report-counter">
          {t('description.counter', { n: description.length, max })}
        </p>
        <div className="check">
          <input
            id={`${id}-consent`}
            type="checkbox"
            checked={share}
            aria-describedby={`${id}-consent-hint`}
            onChange={(event) => setShare(event.target.checked)}
          />
          <label htmlFor={`${id}-consent`}>{t('description.consent')}</label>
        </div>
        <p id={`${id}-consent-hint`} className="field-hint">
          {t('description.consentHint')}
        </p>
      </div>

      <PrivacyBox categoryLabel={t(`categories.${category}`)} withText={share && description.trim() !== ''} />

      {/* Said next to the button: someone who wrote a text and forgot the box would lose it unaware. */}
      <div role="status">
        {description.trim() !== '' && !share && <p className="notice warn">{t('description.notShared')}</p>}
      </div>
      <FormAlert message={submission.error} attempt={submission.attempt} />
      <SubmitButton busy={submission.busy} label={t('send')} busyLabel={t('sending')} />
      {refusedCode && <HelpLinks />}
    </form>
  );
}
