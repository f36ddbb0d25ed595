/**
 * /contacts/accepter#TOKEN — the invitation link. The token is in the fragment (never sent to a
 * server by the browser); the person signs in or signs up, then accepts with one tap. The token
 * waits on this device meanwhile (pending-invite.ts), and sign-up comes back here with it once
 * the account exists, even when its e-mail's link opens in another browser. Accepting registers
 * this browser's device key so the inviter's next session can be wrapped for it.
 */
import './sharing.css';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { readFragmentToken } from '../accounts/fragment-token.ts';
import { useSession } from '../accounts/session.tsx';
import { errorCode } from '../api/client.ts';
import { FormAlert, FormStatus } from '../app/form.tsx';
import { Loading } from '../app/loading.tsx';
import { Page } from '../app/page.tsx';
import { loginWithReturn, PATHS, signupWithReturn } from '../app/paths.ts';
import { sharingApi } from './api.ts';
import { ensureDevice } from './device-keys.ts';
import { sharingError, useT } from './i18n.ts';
import { dropInvite, followInviteLinks, pendingInvite } from './pending-invite.ts';
import { useAction } from './use-action.ts';

const REFUSED = new Set(['HAVRE_ERR_TOKEN_INVALID', 'HAVRE_ERR_SELF_CONTACT']);

/** Who invites, as the server says before accepting: unknown while loading or unreachable. */
type Inviter =
  | { token: string; email: string }
  | { token: string; refused: string }
  | { token: string; unknown: true }
  | null;

export default function AcceptPage() {
  const t = useT();
  const { me, status } = useSession();
  const action = useAction();
  const [token, setToken] = useState<string | null>(() => readFragmentToken() ?? pendingInvite());
  const [accepted, setAccepted] = useState<string | null>(null);
  const [inviter, setInviter] = useState<Inviter>(null);
  // Once accepted, the button pressed is gone: focus goes to what comes next.
  const next = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (accepted) next.current?.focus();
  }, [accepted]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: action.clear is stable
  useEffect(
    () =>
      followInviteLinks((fromLink) => {
        // Another link opened in this tab: its invitation, not the one shown before.
        setToken(fromLink);
        setAccepted(null);
        action.clear();
      }),
    [],
  );

  const userId = me?.id;
  useEffect(() => {
    // Bob accepts knowing from whom: a link he was given may tell him whose it is, not a used one.
    if (!userId || !token) return;
    let live = true;
    sharingApi.previewInvite(token).then(
      ({ email }) => live && setInviter({ token, email }),
      (error: unknown) => {
        if (!live) return;
        if (!REFUSED.has(errorCode(error))) return setInviter({ token, unknown: true });
        dropInvite();
        setInviter({ token, refused: sharingError(t, error) });
      },
    );
    return () => {
      live = false;
    };
  }, [userId, token, t]);
  const known = inviter?.token === token ? inviter : null;

  useEffect(() => {
    // Ready to receive keys as soon as the person is known.
    if (me) void ensureDevice(me.id).catch(() => {});
  }, [me]);

  const accept = () =>
    action.run(async () => {
      if (!me || !token) return;
      const result = await sharingApi.accept(token).catch((error: unknown) => {
        // Used, expired or one's own: nothing left to wait for (other failures may be retried).
        if (REFUSED.has(errorCode(error))) dropInvite();
        throw error;
      });
      dropInvite();
      await ensureDevice(me.id);
      setAccepted(result.email);
    });

  let body: React.ReactNode;
  if (accepted) {
    body = (
      <>
        <p>{t('accept.doneNext')}</p>
        <p>
          <Link ref={next} className="button primary" to={PATHS.contacts}>
            {t('accept.toContacts')}
          </Link>
        </p>
      </>
    );
  } else if (!token) {
    body = <p className="form-alert">{t('accept.missing')}</p>;
  } else if (status === 'loading' || (me && !known)) {
    body = <Loading />;
  } else if (!me) {
    body = (
      <>
        <p>{t('accept.signInFirst')}</p>
        <div className="actions">
          <Link className="button primary" to={loginWithReturn(PATHS.acceptInvite)}>
            {t('accept.signIn')}
          </Link>
          <Link className="button secondary" to={signupWithReturn(PATHS.acceptInvite)}>
            {t('accept.signUp')}
          </Link>
        </div>
        <p className="aside">{t('accept.signUpThen')}</p>
      </>
    );
  } else if (known && 'refused' in known) {
    body = (
      <p className="form-alert" role="alert">
        {known.refused}
      </p>
    );
  } else {
    body = (
      <>
        <p>{known && 'email' in known ? t('accept.bodyFrom', { email: known.email }) : t('accept.body')}</p>
        <ul className="facts-list">
          <li>{t('accept.point1')}</li>
          <li>{t('accept.point2')}</li>
          <li>{t('accept.point3')}</li>
        </ul>
        <FormAlert message={action.error} attempt={action.attempt} />
        <p>
          <button
            type="button"
            className="button primary wide"
            aria-disabled={action.busy || undefined}
            onClick={accept}
          >
            {t('accept.accept')}
          </button>
        </p>
        <p className="aside">{t('accept.as', { email: me.email })}</p>
      </>
    );
  }

  return (
    <Page title={t('accept.title')}>
      {/* In the page from the start, so that "you are now …'s trusted contact" is heard. */}
      <FormStatus message={accepted ? t('accept.done', { email: accepted }) : null} />
      {body}
    </Page>
  );
}
