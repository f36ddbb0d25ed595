/**
 * /contacts — trusted contacts: invite someone, who can follow me, whom I follow, how I am
 * alerted, my devices. Opening it registers this browser's key if it has none.
 */
import './sharing.css';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../accounts/session.tsx';
import { FormAlert } from '../app/form.tsx';
import { Loading } from '../app/loading.tsx';
import { Page } from '../app/page.tsx';
import { PATHS } from '../app/paths.ts';
import { AlertsSection } from './alerts-section.tsx';
import { type Contacts, type ShareView, sharingApi } from './api.ts';
import { DevicesSection } from './devices-section.tsx';
import { useT } from './i18n.ts';
import { InviteSection } from './invite-section.tsx';
import { pendingInvite } from './pending-invite.ts';
import { PeopleSection } from './people-section.tsx';
import { followerDevices, loadContacts } from './start-share.ts';
import { useAction } from './use-action.ts';

export default function ContactsPage() {
  const t = useT();
  const { me } = useSession();
  const action = useAction();
  const [contacts, setContacts] = useState<Contacts | null>(null);
  const [offline, setOffline] = useState(false);
  const [withDevice, setWithDevice] = useState<Set<string>>(new Set());
  const [followable, setFollowable] = useState<ShareView[]>([]);
  const userId = me?.id ?? '';

  // biome-ignore lint/correctness/useExhaustiveDependencies: action.run is stable
  const reload = useCallback(
    () =>
      action.run(async () => {
        const loaded = await loadContacts(userId);
        setContacts(loaded.contacts);
        setOffline(loaded.offline);
        if (loaded.offline) return;
        const [devices, shares] = await Promise.all([followerDevices(userId), sharingApi.shares()]);
        setWithDevice(new Set(devices.map((d) => d.contactId)));
        setFollowable(shares.following);
      }),
    [userId],
  );

  useEffect(() => {
    if (userId) void reload();
  }, [userId, reload]);

  if (!me) return null; // wrapped in RequireSignIn
  const invite = pendingInvite();

  return (
    <Page title={t('contacts.title')}>
      <p className="lead">{t('contacts.intro')}</p>
      {invite && (
        <p className="notice">
          {t('contacts.pendingInvite')}{' '}
          <Link to={`${PATHS.acceptInvite}#${invite}`}>{t('contacts.pendingInviteLink')}</Link>
        </p>
      )}
      <InviteSection />
      <FormAlert message={action.error} attempt={action.attempt} />
      {offline && <p className="notice warn">{t('contacts.offline')}</p>}
      {contacts ? (
        <PeopleSection
          userId={me.id}
          followers={contacts.followers}
          following={contacts.following}
          withDevice={withDevice}
          followable={followable}
          onChange={reload}
        />
      ) : (
        !action.error && <Loading />
      )}
      <AlertsSection />
      <DevicesSection userId={me.id} />
    </Page>
  );
}
