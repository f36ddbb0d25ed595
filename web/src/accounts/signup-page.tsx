/**
 * /inscription — ask for a citizen account. Verify-first: the server always answers the same,
 * and the account is created by the link of the e-mail (signup-complete-page.tsx). The screen
 * after sending says "check your e-mail" whatever the address, like the server. `?suite=` is the
 * page to continue with once the account exists (carried by the e-mail's link: after-signup.ts).
 */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { FormAlert, PasswordField, SubmitButton, TextField } from '../app/form.tsx';
import { Page } from '../app/page.tsx';
import { loginWithReturn, PATHS, safeReturnPath } from '../app/paths.ts';
import { useSubmit } from '../app/use-submit.ts';
import { currentLocale } from '../i18n/i18n.ts';
import { isTooCommonPassword } from './account-errors.ts';
import { emailedSuite } from './after-signup.ts';
import { accountsApi } from './api.ts';
import { useSession } from './session.tsx';
import { checkEmail, checkPassword, LIMITS } from './validate.ts';

export default function SignupPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [params] = useSearchParams();
  const suite = params.get('suite');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  const form = useSubmit();
  const limits = { min: LIMITS.passwordMin, max: LIMITS.passwordMax };

  if (me && !form.busy) return <Navigate to={safeReturnPath(suite)} replace />;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const emailProblem = checkEmail(email);
    const passwordProblem = checkPassword(password, true);
    const found = {
      email: emailProblem ? t(emailProblem) : undefined,
      password: passwordProblem ? t(passwordProblem, limits) : undefined,
    };
    setErrors(found);
    if (found.email || found.password)
      return form.fail([found.email, found.password].filter(Boolean).join(' '));
    await form.run(async () => {
      const next = emailedSuite(suite);
      try {
        await accountsApi.signup({ email: email.trim(), password, locale: currentLocale(), next });
      } catch (error) {
        // The field says it too, next to where it is fixed.
        if (isTooCommonPassword(error)) setErrors({ password: t('errors.HAVRE_ERR_PASSWORD_TOO_COMMON') });
        throw error;
      }
      setPassword('');
      setSentTo(email.trim());
    });
  }

  if (sentTo)
    return (
      <Page title={t('signup.checkTitle')}>
        <div role="status" className="card">
          <p>
            <strong>{t('signup.checkSent', { email: sentTo })}</strong>
          </p>
          <p>{t('signup.checkNext')}</p>
        </div>
        <p className="aside">
          <button type="button" className="button secondary" onClick={() => setSentTo(null)}>
            {t('signup.checkAgain')}
          </button>
        </p>
      </Page>
    );

  return (
    <Page title={t('signup.title')}>
      <p>{t('signup.intro')}</p>
      <form className="form card" noValidate onSubmit={onSubmit}>
        <FormAlert message={form.error} attempt={form.attempt} />
        <TextField
          label={t('fields.email')}
          type="email"
          name="email"
          autoComplete="email"
          inputMode="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={errors.email}
          required
        />
        <PasswordField
          label={t('fields.password')}
          hint={t('fields.passwordHint', limits)}
          name="password"
          autoComplete="new-password"
          minLength={LIMITS.passwordMin}
          maxLength={LIMITS.passwordMax}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={errors.password}
          required
        />
        <SubmitButton busy={form.busy} label={t('signup.submit')} busyLabel={t('signup.busy')} />
      </form>
      <p className="aside">
        {t('signup.haveAccount')}{' '}
        {/* Sent here by a page (an invitation…): signing in instead goes back to it too. */}
        <Link to={suite ? loginWithReturn(safeReturnPath(suite)) : PATHS.login}>{t('login.title')}</Link>
      </p>
    </Page>
  );
}
