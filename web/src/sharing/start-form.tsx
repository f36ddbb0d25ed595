/**
 * Start sharing in two taps: choose trip, night out or journey (sensible times are already
 * filled in), then "Start". Details (destination, time, live or check-in only, who follows,
 * immobility question) stay folded away for those who want them.
 */
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { FormAlert, TextField } from '../app/form.tsx';
import { PATHS } from '../app/paths.ts';
import type { Person, ShareMode, Visibility } from './api.ts';
import { toLocalInput } from './format.ts';
import { useT } from './i18n.ts';
import { startSharing } from './start-share.ts';
import { useAction } from './use-action.ts';

const MINUTE = 60_000;
/** Default time to check in, per mode, from now. */
const DEFAULT_DUE_MS: Record<ShareMode, number> = {
  trip: 30 * MINUTE,
  night_out: 4 * 60 * MINUTE,
  journey: 2 * 24 * 60 * MINUTE,
};
const MAX_DUE_MS: Record<ShareMode, number> = {
  trip: 24 * 60 * MINUTE,
  night_out: 24 * 60 * MINUTE,
  journey: 7 * 24 * 60 * MINUTE,
};
const STILL_CHOICES = [0, 10, 15, 30, 60];

/** Asks for the position once, so the permission prompt comes with the user's tap. */
function askPosition(): Promise<'ok' | 'denied' | 'unavailable'> {
  if (!('geolocation' in navigator)) return Promise.resolve('unavailable');
  return new Promise((resolve) =>
    navigator.geolocation.getCurrentPosition(
      () => resolve('ok'),
      (error) => resolve(error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable'),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    ),
  );
}

export function StartForm({
  userId,
  followers,
  withDevice,
}: {
  userId: string;
  followers: Person[];
  withDevice: Set<string>;
}) {
  const t = useT();
  const navigate = useNavigate();
  const action = useAction();
  const [mode, setMode] = useState<ShareMode>('trip');
  const [due, setDue] = useState(() => toLocalInput(new Date(Date.now() + DEFAULT_DUE_MS.trip)));
  const [dueError, setDueError] = useState<string | null>(null);
  const [destination, setDestination] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('live');
  const [stillMinutes, setStillMinutes] = useState(15);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(followers.map((f) => f.id)));

  useEffect(() => setChosen(new Set(followers.map((f) => f.id))), [followers]);
  const modes = useMemo(
    () =>
      [
        { value: 'trip', title: t('start.trip'), hint: t('start.tripHint') },
        { value: 'night_out', title: t('start.nightOut'), hint: t('start.nightOutHint') },
        { value: 'journey', title: t('start.journey'), hint: t('start.journeyHint') },
      ] as const,
    [t],
  );

  function pickMode(next: ShareMode) {
    setMode(next);
    setDue(toLocalInput(new Date(Date.now() + DEFAULT_DUE_MS[next])));
    setStillMinutes(next === 'trip' ? 15 : 0);
    setDueError(null);
  }

  function addMinutes(minutes: number) {
    setDue(toLocalInput(new Date(Date.now() + minutes * MINUTE)));
    setDueError(null);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const dueDate = new Date(due);
    const left = dueDate.getTime() - Date.now();
    const problem = Number.isNaN(left)
      ? t('start.dueMissing')
      : left <= 0
        ? t('start.duePast')
        : left > MAX_DUE_MS[mode]
          ? t(mode === 'journey' ? 'start.dueTooFarJourney' : 'start.dueTooFar')
          : null;
    setDueError(problem);
    if (problem) return action.fail(problem);
    await action.run(async () => {
      const geo = await askPosition();
      if (geo === 'denied') return action.fail(t('start.geoDenied'));
      const started = await startSharing(userId, {
        mode,
        visibility,
        due: dueDate,
        destination,
        contactIds: [...chosen],
        stillMinutes: mode === 'trip' ? stillMinutes : 0,
      });
      navigate(`${PATHS.sharing}/${started.record.shareId}`, {
        state: { withoutDevice: started.withoutDevice.length },
      });
    });
  }

  const dueLabel = mode === 'trip' ? t('start.arrival') : t('start.until');

  return (
    <form className="form start-form" noValidate onSubmit={onSubmit}>
      <fieldset className="modes">
        <legend>{t('start.modeLegend')}</legend>
        {modes.map((m) => (
          <label key={m.value} className={`mode${mode === m.value ? ' chosen' : ''}`}>
            <input
              type="radio"
              name="mode"
              value={m.value}
              checked={mode === m.value}
              onChange={() => pickMode(m.value)}
            />
            <span className="mode-title">{m.title}</span>
            <span className="mode-hint">{m.hint}</span>
          </label>
        ))}
      </fieldset>

      <TextField
        label={dueLabel}
        hint={t('start.dueHint')}
        type="datetime-local"
        value={due}
        error={dueError}
        onChange={(event) => setDue(event.target.value)}
        required
      />
      {mode === 'trip' && (
        <div className="chips" role="group" aria-label={t('start.quickTimes')}>
          {[15, 30, 60].map((minutes) => (
            <button key={minutes} type="button" className="chip" onClick={() => addMinutes(minutes)}>
              {t('start.inMinutes', { minutes })}
            </button>
          ))}
        </div>
      )}

      <details className="details">
        <summary>{t('start.more')}</summary>
        <TextField
          label={t('start.destination')}
          hint={t('start.destinationHint')}
          maxLength={120}
          autoComplete="off"
          value={destination}
          onChange={(event) => setDestination(event.target.value)}
        />
        <fieldset className="choices">
          <legend>{t('start.visibility')}</legend>
          <label className="check">
            <input
              type="radio"
              name="visibility"
              checked={visibility === 'live'}
              onChange={() => setVisibility('live')}
            />
            <span>{t('start.live')}</span>
          </label>
          <label className="check">
            <input
              type="radio"
              name="visibility"
              checked={visibility === 'checkin'}
              onChange={() => setVisibility('checkin')}
            />
            <span>{t('start.checkin')}</span>
          </label>
          {visibility === 'checkin' && <p className="field-hint">{t('start.checkinHint')}</p>}
        </fieldset>
        {mode === 'trip' && (
          <div className="field">
            <label htmlFor="still">{t('start.still')}</label>
            <select
              id="still"
              value={stillMinutes}
              onChange={(event) => setStillMinutes(Number(event.target.value))}
            >
              {STILL_CHOICES.map((m) => (
                <option key={m} value={m}>
                  {m === 0 ? t('start.stillNever') : t('start.stillMinutes', { minutes: m })}
                </option>
              ))}
            </select>
          </div>
        )}
        {followers.length > 0 && (
          <fieldset className="choices">
            <legend>{t('start.who')}</legend>
            {followers.map((f) => (
              <label key={f.id} className="check">
                <input
                  type="checkbox"
                  checked={chosen.has(f.id)}
                  onChange={(event) => {
                    const next = new Set(chosen);
                    if (event.target.checked) next.add(f.id);
                    else next.delete(f.id);
                    setChosen(next);
                  }}
                />
                <span>
                  {f.email}
                  {!withDevice.has(f.id) && <span className="aside"> · {t('people.noDevice')}</span>}
                </span>
              </label>
            ))}
          </fieldset>
        )}
      </details>

      <p className="aside">
        {followers.length === 0 ? (
          <>
            {t('start.nobody')} <Link to={PATHS.contacts}>{t('start.inviteLink')}</Link>
          </>
        ) : chosen.size === 0 ? (
          <span className="notice warn">{t('start.nobodyChosen')}</span>
        ) : (
          t(visibility === 'live' ? 'start.summaryLive' : 'start.summaryCheckin', { count: chosen.size })
        )}
      </p>
      <FormAlert message={action.error} attempt={action.attempt} />
      <button type="submit" className="button primary start-button" aria-disabled={action.busy || undefined}>
        {action.busy ? t('start.starting') : t('start.start')}
      </button>
    </form>
  );
}
