/**
 * /connexion — sign in, then back to the page that asked for it: `?suite=`, or `#suite=` in the
 * link of the e-mail "someone tried to sign up with your address" (the page may carry a secret,
 * an invitation's token: a fragment never reaches a server or a log).
 */
import { type FormEvent, startTransition, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../api/error-message.ts';
import { FormAlert, PasswordField, SubmitButton, TextField } from '../app/form.tsx';
import { Page } from '../app/page.tsx';
import { PATHS, safeReturnPath, signupWithReturn } from '../app/paths.ts';
import { useSubmit } from '../app/use-submit.ts';
import { minutesToWait } from './account-errors.ts';
import { accountsApi } from './api.ts';
import { clearFragment } from './fragment-token.ts';
import { useSession } from './session.tsx';
import { checkEmail, checkPassword, LIMITS } from './validate.ts';

export default function LoginPage() {
  const { t } = useTranslation();
  const { me, signedIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [fromLink] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get('suite'));
  const returnTo = safeReturnPath(params.get('suite') ?? fromLink);
  useEffect(clearFragment, []);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  // A blocked sign-in says how long it stays blocked, as the server counts it.
  const describe = useCallback(
    (caught: unknown) => {
      const minutes = minutesToWait(caught);
      return minutes === null ? errorMessage(t, caught) : t('login.throttled', { count: minutes });
    },
    [t],
  );
  const form = useSubmit(describe);

  if (me && !form.busy) return <Navigate to={returnTo} replace />;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const emailProblem = checkEmail(email);
    const passwordProblem = checkPassword(password, false);
    const found = {
      email: emailProblem ? t(emailProblem) : undefined,
      password: passwordProblem ? t(passwordProblem, { max: LIMITS.passwordMax }) : undefined,
    };
    setErrors(found);
    if (found.email || found.password)
      return form.fail([found.email, found.password].filter(Boolean).join(' '));
    await form.run(async () => {
      const user = await accountsApi.login({ email: email.trim(), password });
      // One transition: the new page and the signed-in state appear together.
      startTransition(() => {
        signedIn(user);
        navigate(returnTo, { replace: true, state: { flash: 'login.signedIn' } });
      });
    });
  }

  return (
    <Page title={t('login.title')}>
      <form className="form card" noValidate onSubmit={onSubmit}>
        <FormAlert message={form.error} attempt={form.attempt} />
        <TextField
          label={t('fields.email')}
          type="email"
          name="email"
          autoComplete="username"
          inputMode="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={errors.email}
          required
        />
        <PasswordField
          label={t('fields.password')}
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={errors.password}
          required
        />
        <SubmitButton busy={form.busy} label={t('login.submit')} busyLabel={t('login.busy')} />
        <p>
          <Link to={PATHS.forgotPassword}>{t('login.forgot')}</Link>
        </p>
      </form>
      <p className="aside">
        {t('login.noAccount')}{' '}
        {/* Someone sent here by a page (`?suite=`) goes back to it after signing up too. */}
        <Link to={params.has('suite') ? signupWithReturn(returnTo) : PATHS.signup}>{t('signup.title')}</Link>
      </p>
    </Page>
  );
}
