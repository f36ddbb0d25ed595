/**
 * The partner's venues: status, and for each the three things to keep true — hours, a
 * temporary closure, staff training (with its expiry).
 */
import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';
import { isFinalStatus, PLACE_LIMITS } from '../../../src/places/kinds.ts';
import { ApiError } from '../api/client.ts';
import { FormAlert, FormStatus, focusOnMount, SubmitButton, TextField } from '../app/form.tsx';
import { PATHS } from '../app/paths.ts';
import { useSubmit } from '../app/use-submit.ts';
import { useToggleFocus } from '../app/use-toggle-focus.ts';
import { dateAndTime, longDate } from '../places/format.ts';
import { type PartnerPatch, type PartnerPlace, partnerApi } from './api.ts';
import { closureEnd, todayAt } from './closure-time.ts';
import { HoursEditor, type HoursValue } from './hours-editor.tsx';
import { partnerErrorKey, usePartnerT } from './i18n.ts';
import { PhoneField, validPhone } from './phone-field.tsx';
import { useReadableHours } from './readable-hours.ts';

const DAY = 86_400_000;

/** Runs a call; a portal error code becomes its own message, others the app's. */
function usePartnerSubmit() {
  const { t } = usePartnerT();
  const submission = useSubmit();
  const [done, setDone] = useState<string | null>(null);
  const run = (work: () => Promise<string>) => {
    setDone(null);
    void submission.run(async () => {
      try {
        setDone(await work());
      } catch (error) {
        const key = error instanceof ApiError ? partnerErrorKey(error.code) : null;
        if (!key) throw error;
        submission.fail(t(key));
      }
    });
  };
  return { ...submission, done, run };
}

function HoursSection({ place, onSaved }: { place: PartnerPlace; onSaved(p: PartnerPlace): void }) {
  const { t } = usePartnerT();
  const readable = useReadableHours();
  const [hours, setHours] = useState<HoursValue>({ value: place.openingHours, problem: null });
  const s = usePartnerSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (hours.problem) return s.fail(hours.problem);
    s.run(async () => {
      onSaved(await partnerApi.update(place.id, { openingHours: hours.value }));
      return t('manage.hoursSaved');
    });
  };
  return (
    <form className="form" noValidate onSubmit={submit}>
      <FormAlert message={s.error} attempt={s.attempt} />
      <FormStatus message={s.done} />
      <p className="aside">
        {place.openingHours
          ? t('manage.currentHours', { value: readable(place.openingHours) })
          : t('manage.noHours')}
      </p>
      <HoursEditor initial={place.openingHours} onChange={setHours} />
      <SubmitButton busy={s.busy} label={t('manage.saveHours')} busyLabel={t('submitting')} />
    </form>
  );
}

/**
 * The venue's phone: what the public card's "Appeler" button and the SOS refuges call. A venue
 * changes its number; a wrong one fails someone in danger.
 */
function PhoneSection({ place, onSaved }: { place: PartnerPlace; onSaved(p: PartnerPlace): void }) {
  const { t } = usePartnerT();
  const [phone, setPhone] = useState(place.phone ?? '');
  const [error, setError] = useState<string | undefined>();
  const s = usePartnerSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = phone.trim();
    if (value && !validPhone(value)) {
      setError(t('validation.phone'));
      return s.fail(t('validation.phone'));
    }
    setError(undefined);
    s.run(async () => {
      onSaved(await partnerApi.update(place.id, { phone: value || null }));
      return t('manage.phoneSaved');
    });
  };
  return (
    <form className="form" noValidate onSubmit={submit}>
      <FormAlert message={s.error} attempt={s.attempt} />
      <FormStatus message={s.done} />
      <PhoneField value={phone} error={error} onChange={setPhone} />
      <SubmitButton busy={s.busy} label={t('manage.savePhone')} busyLabel={t('submitting')} />
    </form>
  );
}

function ClosureSection({ place, onSaved }: { place: PartnerPlace; onSaved(p: PartnerPlace): void }) {
  const { t, i18n } = usePartnerT();
  const id = useId();
  const [date, setDate] = useState('');
  const [time, setTime] = useState('23:59');
  const [reason, setReason] = useState('');
  const s = usePartnerSubmit();
  const closed = place.closedUntil !== null && Date.parse(place.closedUntil) > Date.now();

  const save = (patch: PartnerPatch, message: string) =>
    s.run(async () => {
      onSaved(await partnerApi.update(place.id, patch));
      return message;
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // On the venue's clock, as the closure is shown back (not the browser's zone).
    const until = closureEnd(place.timeZone, date, time || '23:59');
    if (until === null || until <= Date.now()) return s.fail(t('manage.closureInPast'));
    save(
      { closedUntil: new Date(until).toISOString(), closedReason: reason.trim() || null },
      t('manage.closureSaved'),
    );
  };

  return (
    <form className="form" noValidate onSubmit={submit}>
      <FormAlert message={s.error} attempt={s.attempt} />
      <FormStatus message={s.done} />
      <p className="field-hint">{t('manage.closureHint')}</p>
      {closed && (
        <div className="closure-now">
          <p>
            {t('manage.closureNow', { date: dateAndTime(place.closedUntil!, i18n.language) })}
            {place.closedReason && ` — ${place.closedReason}`}
          </p>
          <button
            type="button"
            className="button secondary"
            onClick={() => save({ closedUntil: null }, t('manage.closureEnded'))}
          >
            {t('manage.endClosure')}
          </button>
        </div>
      )}
      <div className="latlon">
        <div className="field">
          <label htmlFor={`${id}-date`}>{t('manage.closedUntil')}</label>
          <input
            id={`${id}-date`}
            type="date"
            min={todayAt(place.timeZone, Date.now())}
            value={date}
            onChange={(e) => setDate(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-time`}>{t('manage.closedUntilTime')}</label>
          <input id={`${id}-time`} type="time" value={time} onChange={(e) => setTime(e.target.value)} />
        </div>
      </div>
      <TextField
        label={t('manage.closedReason')}
        hint={t('manage.closedReasonHint')}
        value={reason}
        maxLength={PLACE_LIMITS.closedReasonMax}
        onChange={(e) => setReason(e.target.value)}
      />
      <SubmitButton busy={s.busy} label={t('manage.saveClosure')} busyLabel={t('submitting')} />
    </form>
  );
}

function TrainingSection({ place, onSaved }: { place: PartnerPlace; onSaved(p: PartnerPlace): void }) {
  const { t, i18n } = usePartnerT();
  const id = useId();
  // The server checks the date on the venue's clock too.
  const today = todayAt(place.timeZone, Date.now());
  const [date, setDate] = useState(today);
  const [count, setCount] = useState('1');
  const s = usePartnerSubmit();
  const locale = i18n.language;
  const expires = place.trainingExpiresOn;
  const expired = expires !== null && expires <= today;
  const soon =
    expires !== null &&
    !expired &&
    Date.parse(expires) - Date.now() < PLACE_LIMITS.trainingReminderDays * DAY;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const staff = Number(count);
    if (!date || date > today) return s.fail(t('manage.trainingFuture'));
    if (!Number.isInteger(staff) || staff < 1) return s.fail(t('validation.count'));
    s.run(async () => {
      onSaved(await partnerApi.training(place.id, { date, staffTrained: staff }));
      return t('manage.trainingSaved');
    });
  };

  return (
    <form className="form" noValidate onSubmit={submit}>
      <FormAlert message={s.error} attempt={s.attempt} />
      <FormStatus message={s.done} />
      {place.lastTrainingDate && expires ? (
        <p className={expired || soon ? 'notice warn' : 'aside'}>
          {expired
            ? t('manage.trainingExpired', { until: longDate(expires, locale) })
            : t('manage.trainingLast', {
                date: longDate(place.lastTrainingDate, locale),
                count: place.trainedStaffCount,
                until: longDate(expires, locale),
              })}
          {soon && ` ${t('manage.trainingSoon')}`}
        </p>
      ) : (
        <p className="aside">{t('manage.trainingNone')}</p>
      )}
      <div className="latlon">
        <div className="field">
          <label htmlFor={`${id}-date`}>{t('manage.trainingDate')}</label>
          <input
            id={`${id}-date`}
            type="date"
            max={today}
            value={date}
            onChange={(e) => setDate(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-count`}>{t('manage.trainingCount')}</label>
          <input
            id={`${id}-count`}
            type="number"
            inputMode="numeric"
            min={1}
            max={1000}
            value={count}
            onChange={(e) => setCount(e.target.value)}
          />
        </div>
      </div>
      <SubmitButton busy={s.busy} label={t('manage.saveTraining')} busyLabel={t('submitting')} />
    </form>
  );
}

/**
 * Leaving the network: one button, then an explicit confirmation (the change is final). The
 * question takes the focus when it replaces the button, the button again on "Annuler"; once
 * withdrawn, this section leaves the card and the card's new status takes the focus (MyPlaces).
 */
function WithdrawSection({
  place,
  onWithdrawn,
}: {
  place: PartnerPlace;
  onWithdrawn(p: PartnerPlace): void;
}) {
  const { t } = usePartnerT();
  const id = useId();
  const {
    open: confirming,
    setOpen: setConfirming,
    opener,
    opened,
    closeOnEscape,
  } = useToggleFocus<HTMLButtonElement, HTMLParagraphElement>();
  const s = usePartnerSubmit();
  const confirm = () =>
    s.run(async () => {
      onWithdrawn(await partnerApi.withdraw(place.id));
      return t('manage.withdrawn');
    });
  return (
    <div className="withdraw">
      <FormAlert message={s.error} attempt={s.attempt} />
      {confirming ? (
        <div className="notice warn" role="group" aria-labelledby={`${id}-text`} onKeyDown={closeOnEscape}>
          <p id={`${id}-text`} ref={opened} tabIndex={-1}>
            {t('manage.withdrawConfirmText')}
          </p>
          <div className="withdraw-actions">
            <button
              type="button"
              className="button danger"
              aria-disabled={s.busy || undefined}
              onClick={confirm}
            >
              {s.busy ? t('submitting') : t('manage.withdrawConfirm')}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              {t('manage.withdrawCancel')}
            </button>
          </div>
        </div>
      ) : (
        <button ref={opener} type="button" className="button secondary" onClick={() => setConfirming(true)}>
          {t('manage.withdraw')}
        </button>
      )}
    </div>
  );
}

export function StatusPill({ status }: { status: PartnerPlace['status'] }) {
  const { t } = usePartnerT();
  const tone = status === 'verified' ? 'ok' : status === 'applied' ? 'warn' : 'off';
  // `rejected`: a refused application, never a member that left (`withdrawn`).
  return <span className={`pill ${tone}`}>{t(`status.${status}`)}</span>;
}

export function MyPlaces({ places, onChange }: { places: PartnerPlace[]; onChange(p: PartnerPlace): void }) {
  const { t } = usePartnerT();
  // The venue just withdrawn: its forms and the focused button leave the card, its new status takes the focus.
  const [withdrawn, setWithdrawn] = useState<string | null>(null);
  const onWithdrawn = (place: PartnerPlace) => {
    setWithdrawn(place.id);
    onChange(place);
  };
  return (
    <ul className="my-places">
      {places.map((place) => (
        <li key={place.id} className="card my-place">
          <h3>{place.name}</h3>
          <p className="my-place-status">
            <StatusPill status={place.status} /> <span className="aside">{t(`kinds.${place.kind}`)}</span>
          </p>
          {place.status === 'applied' && place.territoryCode === null ? (
            // Outside every territory: no staff can review it (said plainly, not left pending silently).
            <p className="notice warn">{t('noTerritory')}</p>
          ) : (
            <p
              className="field-hint"
              tabIndex={withdrawn === place.id ? -1 : undefined}
              ref={withdrawn === place.id ? focusOnMount : undefined}
            >
              {t(`statusHint.${place.status}`)}
            </p>
          )}
          {/* Why it was refused or suspended, in the municipality's words (also e-mailed). */}
          {(place.status === 'rejected' || place.status === 'suspended') && place.statusReason && (
            <p className="notice warn">{t('statusReason', { reason: place.statusReason })}</p>
          )}
          {place.address && <p>{place.address}</p>}
          {place.status === 'verified' && (
            <p>
              <Link to={`${PATHS.places}?lieu=${encodeURIComponent(place.id)}`}>{t('manage.openOnMap')}</Link>
            </p>
          )}
          {!isFinalStatus(place.status) && (
            <>
              <details>
                <summary>{t('manage.hoursTitle')}</summary>
                <HoursSection place={place} onSaved={onChange} />
              </details>
              <details>
                <summary>{t('manage.phoneTitle')}</summary>
                <PhoneSection place={place} onSaved={onChange} />
              </details>
              <details>
                <summary>{t('manage.closureTitle')}</summary>
                <ClosureSection place={place} onSaved={onChange} />
              </details>
              <details>
                <summary>{t('manage.trainingTitle')}</summary>
                <TrainingSection place={place} onSaved={onChange} />
              </details>
              <WithdrawSection place={place} onWithdrawn={onWithdrawn} />
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
