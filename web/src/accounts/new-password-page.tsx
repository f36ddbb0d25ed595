/**
 * /compte/nouveau-mot-de-passe#TOKEN — the link of the reset e-mail: choose a new password.
 * A link that has expired or was used leaves no form to fill in vain: the message, which takes
 * the focus, and the way to ask for a new link.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormAlert, FormStatus, PasswordField, SubmitButton } from '../app/form.tsx';
import { Page } from '../app/page.tsx';
import { PATHS } from '../app/paths.ts';
import { useSubmit } from '../app/use-submit.ts';
import { isDeadResetLink, isTooCommonPassword } from './account-errors.ts';
import { accountsApi } from './api.ts';
import { clearFragment, readFragmentToken } from './fragment-token.ts';
import { useSession } from './session.tsx';
import { checkPassword, LIMITS } from './validate.ts';

export default function NewPasswordPage() {
  const { t } = useTranslation();
  const { me, signedOut } = useSession();
  // Read on first render; then the fragment leaves the address bar.
  const [token] = useState(readFragmentToken);
  useEffect(clearFragment, []);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ password?: string; confirm?: string }>({});
  const [done, setDone] = useState(false);
  const [linkDead, setLinkDead] = useState(false);
  const form = useSubmit();
  const limits = { min: LIMITS.passwordMin, max: LIMITS.passwordMax };

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!token) return;
    const problem = checkPassword(password, true);
    const found = {
      password: problem ? t(problem, limits) : undefined,
      confirm: !problem && confirm !== password ? t('validation.passwordMismatch') : undefined,
    };
    setErrors(found);
    if (found.password || found.confirm) return form.fail((found.password ?? found.confirm) as string);
    await form.run(async () => {
      try {
        await accountsApi.confirmPasswordReset(token, password);
      } catch (error) {
        if (isDeadResetLink(error)) return setLinkDead(true);
        if (isTooCommonPassword(error)) setErrors({ password: t('errors.HAVRE_ERR_PASSWORD_TOO_COMMON') });
        throw error;
      }
      setDone(true);
      // The server closed every session, this one included.
      if (me) signedOut();
    });
  }

  if (linkDead) {
    return (
      <Page title={t('newPassword.title')}>
        <FormAlert message={t('newPassword.linkDead')} attempt={0} focus />
        <p>
          <Link className="button primary" to={PATHS.forgotPassword}>
            {t('newPassword.requestNew')}
          </Link>
        </p>
      </Page>
    );
  }

  if (!token) {
    return (
      <Page title={t('newPassword.title')}>
        <p role="alert" className="form-alert">
          {t('newPassword.missing')}
        </p>
        <p>
          <Link to={PATHS.forgotPassword}>{t('newPassword.requestNew')}</Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title={t('newPassword.title')}>
      <FormStatus message={done ? t('newPassword.done') : null} />
      {done ? (
        <p>
          <Link className="button primary" to={PATHS.login}>
            {t('login.title')}
          </Link>
        </p>
      ) : (
        <form className="form card" noValidate onSubmit={onSubmit}>
          <FormAlert message={form.error} attempt={form.attempt} />
          <PasswordField
            label={t('newPassword.password')}
            hint={t('fields.passwordHint', limits)}
            name="new-password"
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={errors.password}
            required
          />
          <PasswordField
            label={t('newPassword.confirm')}
            name="confirm-password"
            autoComplete="new-password"
            value={confirm}
            onChange={(event) => setConfirm(event.target.value)}
            error={errors.confirm}
            required
          />
          <SubmitButton busy={form.busy} label={t('newPassword.submit')} busyLabel={t('newPassword.busy')} />
        </form>
      )}
    </Page>
  );
}
