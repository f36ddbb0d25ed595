/**
 * Passkeys that confirm cancelling my SOS: the list, removal, and adding one on this phone
 * (with the password, so that someone holding the unlocked phone cannot enrol their own finger).
 */
import { type FormEvent, useEffect, useState } from 'react';
import { FormAlert, FormStatus, PasswordField, SubmitButton, TextField } from '../app/form.tsx';
import { type PasskeyView, sharingApi } from './api.ts';
import { formatDateTime } from './format.ts';
import { useLng, useT } from './i18n.ts';
import { addPasskey, passkeysSupported } from './passkeys.ts';
import { useAction } from './use-action.ts';

export function PasskeysPart() {
  const t = useT();
  const lng = useLng();
  const action = useAction();
  const [passkeys, setPasskeys] = useState<PasskeyView[] | null>(null);
  const [label, setLabel] = useState(() => t('alerts.passkeyDefaultLabel'));
  const [password, setPassword] = useState('');
  const [status, setStatus] = useState<string | null>(null);

  const load = async () => setPasskeys((await sharingApi.passkeys()).passkeys);
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once
  useEffect(() => {
    void action.run(load);
  }, []);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setStatus(null);
    await action.run(async () => {
      await addPasskey(label.trim() || t('alerts.passkeyDefaultLabel'), password);
      setPassword('');
      // Said once the list shows it, so what is announced and what is seen agree.
      await load().finally(() => setStatus(t('alerts.passkeyAdded')));
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-labelledby="passkey-title">
      <h3 id="passkey-title">{t('alerts.passkeyTitle')}</h3>
      <p>{t('alerts.passkeyBody')}</p>
      <FormAlert message={action.error} attempt={action.attempt} />
      <FormStatus message={status} />
      <h4>{t('alerts.passkeyList')}</h4>
      {passkeys && passkeys.length === 0 && <p className="aside">{t('alerts.passkeyNone')}</p>}
      {passkeys && passkeys.length > 0 && (
        <ul className="people">
          {passkeys.map((passkey) => (
            <li key={passkey.id} className="person">
              <p className="person-name">{passkey.label}</p>
              <p className="aside">
                {t('alerts.passkeyCreated', { date: formatDateTime(passkey.createdAt, lng) })}
              </p>
              <button
                type="button"
                className="button secondary small"
                aria-disabled={action.busy || undefined}
                onClick={() =>
                  action.run(async () => {
                    await sharingApi.removePasskey(passkey.id);
                    await load().finally(() => setStatus(t('alerts.passkeyRemoved')));
                  })
                }
              >
                {t('alerts.passkeyRemove', { label: passkey.label })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {passkeysSupported() ? (
        <>
          <TextField
            label={t('alerts.passkeyLabel')}
            autoComplete="off"
            maxLength={60}
            value={label}
            onChange={(event) => setLabel(event.target.value)}
          />
          <PasswordField
            label={t('alerts.passkeyPassword')}
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <SubmitButton busy={action.busy} label={t('alerts.passkeyAdd')} busyLabel={t('saving')} />
        </>
      ) : (
        <p className="notice warn">{t('alerts.passkeyUnsupported')}</p>
      )}
    </form>
  );
}
