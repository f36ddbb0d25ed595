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
  /** Followers with a device; null while unknown (offline): nobody is then said to have none. */
  const [withDevice, setWithDevice] = useState<Set<string> | null>(null);
  const [followable, setFollowable] = useState<ShareView[]>([]);
  const userId = me?.id ?? '';

  // biome-ignore lint/correctness/useExhaustiveDependencies: action.run is stable
  const reload = useCallback(
    () =>
      action.run(async () => {
        const loaded = await loadContacts(userId);
        // Shown together with what is known of their devices: the list drawn first said, for a
        // moment, that no follower had opened Havre yet.
        const [devices, shares] = loaded.offline
          ? []
          : await Promise.allSettled([followerDevices(userId), sharingApi.shares()]);
        setContacts(loaded.contacts);
        setOffline(loaded.offline);
        setWithDevice(
          devices?.status === 'fulfilled' ? new Set(devices.value.map((d) => d.contactId)) : null,
        );
        if (shares?.status === 'fulfilled') setFollowable(shares.value.following);
        for (const result of [devices, shares]) if (result?.status === 'rejected') throw result.reason;
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
