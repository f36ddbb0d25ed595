/**
 * The SOS once sent (or while it is being sent): what happened, the 114 text message with the
 * position, a text message to trusted contacts when the server cannot be reached, the nearest
 * open refuges, and cancelling (with the SOS PIN, the password or a passkey). Loaded during the countdown
 * (sos-active-mount.tsx); the SOS page is its own document (sos.html), so links leave it.
 */
import '../sharing/sharing.css';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Position } from '../../../src/shared/envelope.ts';
import { ApiError } from '../api/client.ts';
import { FormAlert, PasswordField, SubmitButton, TextField } from '../app/form.tsx';
import { PATHS } from '../app/paths.ts';
import { useToggleFocus } from '../app/use-toggle-focus.ts';
import { type CancelProof, sharingApi } from '../sharing/api.ts';
import { formatCoords, mapLink, smsLink } from '../sharing/format.ts';
import { sharingError, useT } from '../sharing/i18n.ts';
import { passkeyProof, passkeysSupported } from '../sharing/passkeys.ts';
import { readPhones } from '../sharing/phones.ts';
import { type GeoState, watchPosition } from '../sharing/position-source.ts';
import { Refuges } from '../sharing/refuges.tsx';
import { runningSharer } from '../sharing/sharer.ts';
import { readCache } from '../sharing/store.ts';
import { useMaybeObservable, useObservable } from '../sharing/use-observable.ts';
import { useSosT } from './i18n.ts';
import { type SosRun, sosRun } from './sos-run.ts';

function useMyPosition(enabled: boolean): { position: Position | null; geo: GeoState } {
  const [position, setPosition] = useState<Position | null>(null);
  const [geo, setGeo] = useState<GeoState>('waiting');
  useEffect(() => {
    if (!enabled) return;
    return watchPosition({
      precise: true,
      fix: (p) =>
        setPosition({
          lat: p.coords.latitude,
          lon: p.coords.longitude,
          accuracy: Math.round(p.coords.accuracy),
          heading: null,
          speed: null,
          battery: null,
          t: p.timestamp,
        }),
      state: setGeo,
    });
  }, [enabled]);
  return { position, geo };
}

function Sms114({ position }: { position: Position | null }) {
  const t = useSosT();
  const where = position
    ? t('smsWhere', { coords: formatCoords(position), accuracy: position.accuracy, link: mapLink(position) })
    : '';
  return (
    <a className="button secondary sos-sms" href={smsLink(['114'], `${t('sms114Body')} ${where}`.trim())}>
      {t('sms114')}
    </a>
  );
}

/** When the server cannot be reached: a text message to my trusted contacts, from this phone. */
function SmsContacts({ userId, position }: { userId: string; position: Position | null }) {
  const t = useSosT();
  const [numbers, setNumbers] = useState<string[]>([]);
  useEffect(() => {
    void (async () => {
      const phones = await readPhones(userId);
      const contacts = await readCache<{ followers: { id: string }[] }>(`contacts:${userId}`);
      const ids = contacts ? contacts.followers.map((f) => f.id) : Object.keys(phones);
      setNumbers(ids.map((id) => phones[id]).filter((n): n is string => Boolean(n)));
    })();
  }, [userId]);
  const where = position
    ? t('smsWhere', { coords: formatCoords(position), accuracy: position.accuracy, link: mapLink(position) })
    : t('smsNoPosition');
  return (
    <div className="sos-degraded">
      <p>{numbers.length > 0 ? t('degradedBody', { count: numbers.length }) : t('degradedNoNumbers')}</p>
      <a className="button danger wide" href={smsLink(numbers, `${t('smsContactsBody')} ${where}`)}>
        {t('smsContacts')}
      </a>
    </div>
  );
}

/** A lost connection is said once it has lasted this long (a reconnection takes about a second). */
const LOST_AFTER_MS = 3_000;

/** `value`, once it has held for `ms`. */
function useLasting(value: boolean, ms: number): boolean {
  const [lasting, setLasting] = useState(false);
  useEffect(() => {
    setLasting(false);
    if (!value) return;
    const timer = setTimeout(() => setLasting(true), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return value && lasting;
}

/**
 * After the alert, whether the server still hears this phone, said plainly: server unreachable
 * (positions kept here, sent when it answers; the relay reconnects by itself) or live delivery
 * degraded (Redis away: stored, but contacts may receive them late). Either way the text message
 * to the trusted contacts, with the position and a map link, is offered.
 */
function Delivery({
  shareId,
  userId,
  position,
}: {
  shareId: string;
  userId: string;
  position: Position | null;
}) {
  const t = useSosT();
  const state = useMaybeObservable(runningSharer(shareId) ?? null);
  const lost = useLasting(
    state !== null && state.connection !== 'online' && state.connection !== 'closed',
    LOST_AFTER_MS,
  );
  const late = !lost && state?.connection === 'online' && state.degraded;
  return (
    <>
      {/* Always in the page, so that what appears in it is announced at once. */}
      <div role="alert" className="sos-delivery" data-testid="sos-delivery-notice">
        {lost && (
          <p className="notice warn">
            <strong>{t('lostTitle')}</strong> {t('lostBody')}
          </p>
        )}
        {late && (
          <p className="notice warn">
            <strong>{t('lateTitle')}</strong> {t('lateBody')}
          </p>
        )}
      </div>
      {(lost || late) && <SmsContacts userId={userId} position={position} />}
    </>
  );
}

type CancelMethod = 'password' | 'pin' | 'passkey';

function CancelSos({ run }: { run: SosRun }) {
  const t = useSosT();
  const ts = useT();
  // Focus follows what the person did: to the form's title when it opens, back to the button
  // that opened it when she keeps the alert (a removed button leaves focus nowhere).
  const { open, setOpen, opener, opened: title } = useToggleFocus<HTMLButtonElement, HTMLHeadingElement>();
  const [method, setMethod] = useState<CancelMethod>('password');
  // Offered when this browser can use passkeys and she registered one (account page).
  const [hasPasskey, setHasPasskey] = useState(false);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open || !passkeysSupported()) return;
    let live = true;
    sharingApi.passkeys().then(
      ({ passkeys }) => {
        if (!live || passkeys.length === 0) return;
        setHasPasskey(true);
        setMethod('passkey');
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [open]);

  async function proof(): Promise<CancelProof> {
    if (method === 'passkey') return passkeyProof(run.get().sosId ?? '');
    return method === 'pin' ? { pin: secret } : { password: secret };
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (method !== 'passkey' && !secret) {
      setError(t(method === 'pin' ? 'pinMissing' : 'passwordMissing'));
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await run.cancel(await proof());
    } catch (caught) {
      setError(sharingError(ts, caught));
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  if (!open)
    return (
      <p>
        <button ref={opener} type="button" className="button secondary wide" onClick={() => setOpen(true)}>
          {t('cancelSos')}
        </button>
      </p>
    );
  return (
    <form className="form card" noValidate onSubmit={onSubmit} aria-labelledby="cancel-title">
      <h2 id="cancel-title" ref={title} tabIndex={-1}>
        {t('cancelTitle')}
      </h2>
      <p>{t('cancelBody')}</p>
      <FormAlert message={error} attempt={attempt} />
      <fieldset className="choices">
        <legend className="visually-hidden">{t('cancelMethod')}</legend>
        {hasPasskey && (
          <label className="check">
            <input
              type="radio"
              name="sos-cancel-method"
              checked={method === 'passkey'}
              onChange={() => setMethod('passkey')}
            />
            <span>{t('withPasskey')}</span>
          </label>
        )}
        <label className="check">
          <input
            type="radio"
            name="sos-cancel-method"
            checked={method === 'password'}
            onChange={() => setMethod('password')}
          />
          <span>{t('withPassword')}</span>
        </label>
        <label className="check">
          <input
            type="radio"
            name="sos-cancel-method"
            checked={method === 'pin'}
            onChange={() => setMethod('pin')}
          />
          <span>{t('withPin')}</span>
        </label>
      </fieldset>
      {method === 'passkey' ? (
        <p className="aside">{t('passkeyHint')}</p>
      ) : method === 'password' ? (
        <PasswordField
          label={t('password')}
          autoComplete="current-password"
          value={secret}
          onChange={(event) => setSecret(event.target.value)}
        />
      ) : (
        <TextField
          label={t('pin')}
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          value={secret}
          onChange={(event) => setSecret(event.target.value.replace(/\D/g, ''))}
        />
      )}
      <SubmitButton busy={busy} label={t('confirmCancel')} busyLabel={t('cancelling')} variant="danger" />
      <button type="button" className="button secondary wide keep-sos" onClick={() => setOpen(false)}>
        {t('keepSos')}
      </button>
    </form>
  );
}

/** `userId`: whose SOS this tab runs (sos-entry.ts triggers it); null: nobody to alert, the refuges only. */
export default function SosActive({ userId }: { userId: string | null }) {
  const ts = useT();
  const run = userId ? sosRun(userId) : null;
  const anonymous = useMyPosition(!run);

  if (!run)
    return (
      <Refuges position={anonymous.position} geo={anonymous.geo} who="me" title={ts('refuges.titleMe')} />
    );
  return <Running run={run} userId={userId!} />;
}

function Running({ run, userId }: { run: SosRun; userId: string }) {
  const t = useSosT();
  const ts = useT();
  const state = useObservable(run);
  const { phase, position } = state;
  // One live region, in the page (empty) before anything is said in it, whose role never
  // changes: screen readers announce what changes inside a region they already know, not a
  // region inserted with its text or whose role flips. Focus moves to it at each outcome, so
  // that nobody is left on a removed button (the countdown's, the cancel form's).
  const region = useRef<HTMLDivElement>(null);
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves at each new phase
  useEffect(() => {
    if (mounted) region.current?.focus();
  }, [phase, mounted]);
  const said = mounted ? phase : null;

  return (
    <>
      <div ref={region} className={`sos-state ${said ?? ''}`} role="alert" tabIndex={-1}>
        {said === 'sending' && <p>{t('sending')}</p>}
        {said === 'sent' && (
          <>
            <p className="sos-state-title">{state.contacts > 0 ? t('sent') : t('sentAlone')}</p>
            <p>{state.contacts > 0 ? t('sentBody', { count: state.contacts }) : t('sentNobody')}</p>
          </>
        )}
        {said === 'retrying' && (
          <>
            <p className="sos-state-title">{t('unreachable')}</p>
            <p>{t('retrying', { attempts: state.attempts })}</p>
          </>
        )}
        {said === 'failed' && <p>{sharingError(ts, new ApiError(state.error ?? '', 400))}</p>}
        {said === 'cancelled' && (
          <p className="form-status">
            {state.continues
              ? t('cancelledContinues')
              : state.contacts > 0
                ? t('cancelled')
                : t('cancelledAlone')}
          </p>
        )}
        {said === 'stopped' && <p className="form-status">{t('stoppedTrying')}</p>}
      </div>
      {phase === 'sent' && state.shareId && (
        <Delivery shareId={state.shareId} userId={userId} position={position} />
      )}
      {phase === 'retrying' && <SmsContacts userId={userId} position={position} />}
      {phase !== 'cancelled' && phase !== 'stopped' && <Sms114 position={position} />}
      <section className="card sos-position" aria-labelledby="sos-position-title">
        <h2 id="sos-position-title">{t('positionTitle')}</h2>
        {position ? (
          <p>
            <span className="coords">{formatCoords(position)}</span> · ±{position.accuracy} m
          </p>
        ) : (
          <p className="aside">{state.geo === 'denied' ? t('geoDenied') : t('geoWaiting')}</p>
        )}
      </section>
      {phase !== 'cancelled' && (
        <Refuges position={position} geo={state.geo} who="me" title={ts('refuges.titleMe')} />
      )}
      {phase === 'sent' && <CancelSos run={run} />}
      {phase === 'retrying' && (
        <p>
          <button type="button" className="button secondary wide" onClick={() => run.stopTrying()}>
            {t('stopTrying')}
          </button>
        </p>
      )}
      {(phase === 'cancelled' || phase === 'stopped') && (
        <p>
          <a className="button secondary" href={PATHS.home}>
            {t('home')}
          </a>
        </p>
      )}
    </>
  );
}
