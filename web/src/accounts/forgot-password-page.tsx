/** /compte/mot-de-passe-oublie — ask for a reset link. The answer never says whether the account exists. */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormAlert, FormStatus, SubmitButton, TextField } from '../app/form.tsx';
import { Page } from '../app/page.tsx';
import { useSubmit } from '../app/use-submit.ts';
import { accountsApi } from './api.ts';
import { checkEmail } from './validate.ts';

export default function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [sent, setSent] = useState(false);
  const form = useSubmit();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const problem = checkEmail(email);
    setError(problem ? t(problem) : undefined);
    if (problem) return form.fail(t(problem));
    await form.run(async () => {
      await accountsApi.requestPasswordReset(email.trim());
      setSent(true);
    });
  }

  return (
    <Page title={t('forgot.title')}>
      <p>{t('forgot.intro')}</p>
      <form className="form card" noValidate onSubmit={onSubmit}>
        <FormAlert message={form.error} attempt={form.attempt} />
        <FormStatus message={sent ? t('forgot.sent') : null} />
        <TextField
          label={t('fields.email')}
          type="email"
          name="email"
          autoComplete="email"
          inputMode="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={error}
          required
        />
        <SubmitButton busy={form.busy} label={t('forgot.submit')} busyLabel={t('forgot.busy')} />
      </form>
    </Page>
  );
}
