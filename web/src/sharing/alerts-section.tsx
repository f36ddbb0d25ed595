/**
 * How I am alerted (notifications on this device) and how I cancel my own SOS (a PIN or a
 * passkey, so that someone holding my phone cannot silence an alert without it; the password
 * works too).
 */
import { type FormEvent, useEffect, useState } from 'react';
import { FormAlert, FormStatus, PasswordField, SubmitButton, TextField } from '../app/form.tsx';
import { sharingApi } from './api.ts';
import { useT } from './i18n.ts';
import { PasskeysPart } from './passkeys-part.tsx';
import { enablePush, type PushState, pushEnabled, pushSupported } from './push.ts';
import { useAction } from './use-action.ts';

function PushPart() {
  const t = useT();
  const action = useAction();
  const [state, setState] = useState<PushState | 'off' | null>(null);

  useEffect(() => {
    void pushEnabled().then((on) => setState(on ? 'enabled' : pushSupported() ? 'off' : 'unsupported'));
  }, []);

  return (
    <>
      <h3>{t('alerts.pushTitle')}</h3>
      <p>{t('alerts.pushBody')}</p>
      <FormAlert message={action.error} attempt={action.attempt} />
      <FormStatus message={state === 'enabled' ? t('alerts.pushOn') : null} />
      {state === 'denied' && <p className="notice warn">{t('alerts.pushDenied')}</p>}
      {state === 'unsupported' && <p className="notice warn">{t('alerts.pushUnsupported')}</p>}
      {state === 'failed' && <p className="notice warn">{t('alerts.pushFailed')}</p>}
      {state !== 'enabled' && state !== 'unsupported' && (
        <p>
          <button
            type="button"
            className="button secondary"
            aria-disabled={action.busy || undefined}
            onClick={() => action.run(async () => setState(await enablePush()))}
          >
            {t('alerts.pushEnable')}
          </button>
        </p>
      )}
    </>
  );
}

function PinPart() {
  const t = useT();
  const action = useAction();
  const [pin, setPin] = useState('');
  const [password, setPassword] = useState('');
  const [pinError, setPinError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const bad = !/^\d{4,8}$/.test(pin);
    setPinError(bad ? t('alerts.pinInvalid') : null);
    if (bad) return action.fail(t('alerts.pinInvalid'));
    await action.run(async () => {
      await sharingApi.setSosPin(pin, password);
      setPin('');
      setPassword('');
      setSaved(true);
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <h3>{t('alerts.pinTitle')}</h3>
      <p>{t('alerts.pinBody')}</p>
      <FormAlert message={action.error} attempt={action.attempt} />
      <FormStatus message={saved ? t('alerts.pinSaved') : null} />
      <TextField
        label={t('alerts.pin')}
        hint={t('alerts.pinHint')}
        inputMode="numeric"
        autoComplete="off"
        pattern="[0-9]*"
        maxLength={8}
        value={pin}
        error={pinError}
        onChange={(event) => setPin(event.target.value.replace(/\D/g, ''))}
      />
      <PasswordField
        label={t('alerts.pinPassword')}
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <SubmitButton busy={action.busy} label={t('alerts.pinSave')} busyLabel={t('saving')} />
    </form>
  );
}

export function AlertsSection() {
  const t = useT();
  return (
    <section aria-labelledby="alerts-title" className="card">
      <h2 id="alerts-title">{t('alerts.title')}</h2>
      <PushPart />
      <PinPart />
      <PasskeysPart />
    </section>
  );
}
