/**
 * "Invite someone close": a one-time link (valid 7 days) shared through the phone's share sheet
 * (Web Share API); where there is none, the link is shown with copy, SMS and e-mail buttons.
 */
import { useState } from 'react';
import { FormAlert, FormStatus } from '../app/form.tsx';
import { type Invite, sharingApi } from './api.ts';
import { formatDateTime, smsLink } from './format.ts';
import { useLng, useT } from './i18n.ts';
import { useAction } from './use-action.ts';

/** Opens the share sheet; false when the browser has none or the user closed it. */
export async function shareLink(data: { title: string; text: string; url: string }): Promise<boolean> {
  if (!navigator.share) return false;
  try {
    await navigator.share(data);
    return true;
  } catch {
    return false;
  }
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The link with its fallbacks: copy, SMS, e-mail. */
export function LinkFallback({ url, text, label }: { url: string; text: string; label: string }) {
  const t = useT();
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <div className="share-fallback">
      <label className="share-fallback-label" htmlFor={`link-${url.length}`}>
        {label}
      </label>
      <input
        id={`link-${url.length}`}
        className="link-box"
        readOnly
        value={url}
        onFocus={(event) => event.currentTarget.select()}
      />
      <div className="actions">
        <button
          type="button"
          className="button secondary"
          onClick={async () => setCopied(await copyText(url))}
        >
          {t('invite.copy')}
        </button>
        <a className="button secondary" href={smsLink([], `${text} ${url}`)}>
          {t('invite.sms')}
        </a>
        <a
          className="button secondary"
          href={`mailto:?subject=${encodeURIComponent(t('invite.mailSubject'))}&body=${encodeURIComponent(`${text}\n\n${url}`)}`}
        >
          {t('invite.mail')}
        </a>
      </div>
      <FormStatus message={copied === true ? t('invite.copied') : null} />
      {copied === false && <p className="aside">{t('invite.copyFailed')}</p>}
    </div>
  );
}

/** `onMade`: a link was made (the page then watches for its acceptance). */
export function InviteSection({ onMade }: { onMade?: () => void } = {}) {
  const t = useT();
  const lng = useLng();
  const action = useAction();
  const [invite, setInvite] = useState<Invite | null>(null);
  // What the status line says of the last link: emptied at each press, so that a second link
  // is announced too (the button keeps the focus and only changes its name).
  const [said, setSaid] = useState<'created' | 'shared' | null>(null);

  const create = () =>
    action.run(async () => {
      setSaid(null);
      const made = await sharingApi.invite();
      setInvite(made);
      onMade?.();
      const shared = await shareLink({
        title: t('invite.shareTitle'),
        text: t('invite.shareText'),
        url: made.url,
      });
      setSaid(shared ? 'shared' : 'created');
    });

  return (
    <section aria-labelledby="invite-title" className="card">
      <h2 id="invite-title">{t('invite.title')}</h2>
      <p>{t('invite.body')}</p>
      <FormAlert message={action.error} attempt={action.attempt} />
      <p>
        <button
          type="button"
          className="button primary wide"
          aria-disabled={action.busy || undefined}
          onClick={create}
        >
          {invite ? t('invite.another') : t('invite.create')}
        </button>
      </p>
      <FormStatus message={said && t(said === 'shared' ? 'invite.shared' : 'invite.created')} />
      {invite && (
        <>
          <LinkFallback url={invite.url} text={t('invite.shareText')} label={t('invite.linkLabel')} />
          <p className="aside">{t('invite.expires', { date: formatDateTime(invite.expiresAt, lng) })}</p>
        </>
      )}
    </section>
  );
}
