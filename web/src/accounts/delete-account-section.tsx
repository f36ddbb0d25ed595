/** "Delete my account" (GDPR art. 17): says what is erased, asks for the password, then erases. */
import { type FormEvent, startTransition, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { FormAlert, PasswordField, SubmitButton } from '../app/form.tsx';
import type { FlashKey } from '../app/layout.tsx';
import { PATHS } from '../app/paths.ts';
import { useSubmit } from '../app/use-submit.ts';
import { accountsApi } from './api.ts';
import { useSession } from './session.tsx';
import { checkPassword, LIMITS } from './validate.ts';

export function DeleteAccountSection() {
  const { t } = useTranslation();
  const { signedOut } = useSession();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const form = useSubmit();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const problem = checkPassword(password, false);
    setError(problem ? t(problem, { max: LIMITS.passwordMax }) : undefined);
    if (problem) return form.fail(t(problem, { max: LIMITS.passwordMax }));
    await form.run(async () => {
      await accountsApi.deleteAccount(password);
      const flash: FlashKey = 'account.deleted';
      // One transition: no "sign-in needed" flash of this page on the way out.
      startTransition(() => {
        signedOut();
        navigate(PATHS.home, { replace: true, state: { flash } });
      });
    });
  }

  return (
    <section aria-labelledby="account-delete" className="card danger-zone">
      <h2 id="account-delete">{t('account.deleteTitle')}</h2>
      <p>{t('account.deleteBody')}</p>
      <p>{t('account.deleteKept')}</p>
      <form className="form" noValidate onSubmit={onSubmit}>
        <FormAlert message={form.error} attempt={form.attempt} />
        <PasswordField
          label={t('account.deletePassword')}
          name="delete-password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={error}
          required
        />
        <SubmitButton
          busy={form.busy}
          label={t('account.deleteSubmit')}
          busyLabel={t('account.deleting')}
          variant="danger"
        />
      </form>
    </section>
  );
}
