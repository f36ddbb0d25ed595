/** Municipal teams' access: an existing account's e-mail and a territory, granted or revoked. */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormAlert, FormStatus, TextField } from '../app/form.tsx';
import { useSubmit } from '../app/use-submit.ts';
import { adminApi, type TerritorySummary } from './api.ts';
import { adminErrorMessage, useAdminT } from './i18n.ts';

export function StaffSection({ territories }: { territories: TerritorySummary[] }) {
  const { t } = useAdminT();
  const { t: appT } = useTranslation();
  const id = useId();
  const form = useSubmit((caught) => adminErrorMessage(t, appT, caught));
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const territory = territories.find((x) => x.code === code) ?? territories[0];

  const send = (grant: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    setStatus(null);
    if (!territory) return;
    return form.run(async () => {
      const address = email.trim();
      await adminApi.staff(grant, address, territory.code);
      setStatus(t(grant ? 'staff.granted' : 'staff.revoked', { email: address, name: territory.name }));
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('staff.title')}</h2>
      <p className="aside">{t('staff.hint')}</p>
      {territories.length === 0 ? (
        <p>{t('staff.noTerritory')}</p>
      ) : (
        <form className="form" noValidate onSubmit={send(true)}>
          <FormAlert message={form.error} attempt={form.attempt} />
          <FormStatus message={status} />
          <TextField
            label={t('staff.email')}
            type="email"
            name="email"
            autoComplete="off"
            inputMode="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            required
          />
          <div className="field">
            <label htmlFor={`${id}-territory`}>{t('staff.territory')}</label>
            <select id={`${id}-territory`} value={territory?.code} onChange={(e) => setCode(e.target.value)}>
              {territories.map((x) => (
                <option key={x.code} value={x.code}>
                  {x.name} ({x.code})
                </option>
              ))}
            </select>
          </div>
          <p className="actions">
            <button type="submit" className="button primary" aria-disabled={form.busy || undefined}>
              {form.busy ? t('staff.busy') : t('staff.grant')}
            </button>
            <button
              type="button"
              className="button secondary"
              aria-disabled={form.busy || undefined}
              onClick={() => send(false)()}
            >
              {t('staff.revoke')}
            </button>
          </p>
        </form>
      )}
    </section>
  );
}
