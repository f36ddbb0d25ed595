/**
 * Municipal teams' access to a territory: who has it (each revocable), and a grant by an existing
 * account's e-mail.
 */
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormAlert, FormStatus, SubmitButton, TextField } from '../app/form.tsx';
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
  const [members, setMembers] = useState<string[] | null>(null);
  const territory = territories.find((x) => x.code === code) ?? territories[0];
  const current = territory?.code;

  const load = useCallback(async () => {
    if (!current) return;
    setMembers((await adminApi.staffOf(current)).staff.map((s) => s.email));
  }, [current]);
  useEffect(() => {
    setMembers(null);
    load().catch((caught: unknown) => form.fail(adminErrorMessage(t, appT, caught)));
  }, [load, form.fail, t, appT]);

  const change = (grant: boolean, address: string) =>
    form.run(async () => {
      if (!territory) return;
      setStatus(null);
      await adminApi.staff(grant, address, territory.code);
      if (grant) setEmail('');
      // Said once the list shows it, so what is announced and what is seen agree.
      await load().finally(() =>
        setStatus(t(grant ? 'staff.granted' : 'staff.revoked', { email: address, name: territory.name })),
      );
    });

  const onGrant = (event: FormEvent) => {
    event.preventDefault();
    return change(true, email.trim());
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('staff.title')}</h2>
      <p className="aside">{t('staff.hint')}</p>
      {!territory ? (
        <p>{t('staff.noTerritory')}</p>
      ) : (
        <>
          <FormAlert message={form.error} attempt={form.attempt} />
          <FormStatus message={status} />
          <div className="field">
            <label htmlFor={`${id}-territory`}>{t('staff.territory')}</label>
            <select
              id={`${id}-territory`}
              value={territory.code}
              onChange={(e) => {
                // What was said of the territory left behind no longer applies.
                setStatus(null);
                setCode(e.target.value);
              }}
            >
              {territories.map((x) => (
                <option key={x.code} value={x.code}>
                  {x.name} ({x.code})
                </option>
              ))}
            </select>
          </div>
          <h3>{t('staff.current', { name: territory.name })}</h3>
          {members?.length === 0 && <p>{t('staff.nobody')}</p>}
          {members && members.length > 0 && (
            <ul className="admin-list">
              {members.map((member) => (
                <li key={member}>
                  <span>{member}</span>
                  <button
                    type="button"
                    className="button secondary small"
                    aria-label={t('staff.revokeOne', { email: member })}
                    onClick={() => change(false, member)}
                  >
                    {t('staff.revoke')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form className="form" noValidate onSubmit={onGrant}>
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
            <SubmitButton busy={form.busy} label={t('staff.grant')} busyLabel={t('staff.busy')} />
          </form>
        </>
      )}
    </section>
  );
}
