/**
 * Guest links: for someone without an account. The server makes a revocable, expiring access
 * token (`…/suivre/ID#g=TOKEN`); this browser appends the session key (`&k=KEY`) — both stay
 * in the fragment, which browsers never send to a server. Revoking closes the guest's view.
 */
import { useRef, useState } from 'react';
import { guestLinkWithKey } from '../../../src/shared/envelope.ts';
import { FormAlert, FormStatus } from '../app/form.tsx';
import { type ShareView, sharingApi } from './api.ts';
import { formatDateTime } from './format.ts';
import { useLng, useT } from './i18n.ts';
import { LinkFallback, shareLink } from './invite-section.tsx';
import type { ShareRecord } from './store.ts';
import { useAction } from './use-action.ts';

const HOUR = 3_600_000;

export function GuestLinks({
  share,
  record,
  onChange,
}: {
  share: ShareView;
  record: ShareRecord | null;
  onChange: () => void;
}) {
  const t = useT();
  const lng = useLng();
  const action = useAction();
  const [made, setMade] = useState<{ id: string; url: string } | null>(null);
  // What the status line says of the last link: emptied at each press, so that each new link
  // is announced (the button keeps the focus; the link appears below it).
  const [said, setSaid] = useState<'created' | 'shared' | 'revoked' | null>(null);
  /** Where the focus goes once a link is revoked: its row and button are gone. */
  const heading = useRef<HTMLHeadingElement>(null);
  const links = (share.guestLinks ?? []).filter(
    (l) => l.revokedAt === null && Date.parse(l.expiresAt) > Date.now(),
  );

  const create = () =>
    action.run(async () => {
      if (!record) return;
      setSaid(null);
      // The link lasts as long as the session (the server caps it at the session's end and 7 days).
      const until = Math.min(Date.parse(share.endsAt), Date.now() + 7 * 24 * HOUR - 60_000);
      const link = await sharingApi.createGuestLink(share.id, new Date(until).toISOString());
      const url = await guestLinkWithKey(link.url, record.key);
      setMade({ id: link.id, url });
      onChange();
      const shared = await shareLink({ title: t('guest.shareTitle'), text: t('guest.shareText'), url });
      setSaid(shared ? 'shared' : 'created');
    });

  return (
    <section aria-labelledby="guest-title" className="card">
      <h2 id="guest-title" ref={heading} tabIndex={-1}>
        {t('guest.title')}
      </h2>
      <p>{t('guest.body')}</p>
      <FormAlert message={action.error} attempt={action.attempt} />
      {record ? (
        <p>
          <button
            type="button"
            className="button secondary"
            aria-disabled={action.busy || undefined}
            onClick={create}
          >
            {t('guest.create')}
          </button>
        </p>
      ) : (
        <p className="aside">{t('guest.noKey')}</p>
      )}
      <FormStatus
        message={
          said &&
          t(said === 'shared' ? 'invite.shared' : said === 'revoked' ? 'guest.revoked' : 'guest.created')
        }
      />
      {made && links.some((l) => l.id === made.id) && (
        <LinkFallback url={made.url} text={t('guest.shareText')} label={t('guest.linkLabel')} />
      )}
      {links.length > 0 && (
        <>
          <h3>{t('guest.activeTitle')}</h3>
          <ul className="people">
            {links.map((link) => (
              <li key={link.id} className="person">
                <p>
                  {t('guest.madeAt', { date: formatDateTime(link.createdAt, lng) })} ·{' '}
                  {t('guest.expires', { date: formatDateTime(link.expiresAt, lng) })}
                </p>
                <button
                  type="button"
                  className="button secondary small"
                  aria-disabled={action.busy || undefined}
                  onClick={() =>
                    action.run(async () => {
                      setSaid(null);
                      await sharingApi.revokeGuestLink(share.id, link.id);
                      if (made?.id === link.id) setMade(null);
                      setSaid('revoked');
                      onChange();
                      heading.current?.focus();
                    })
                  }
                >
                  {t('guest.revoke')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
