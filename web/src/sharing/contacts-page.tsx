/**
 * /contacts — trusted contacts: invite someone, who can follow me, whom I follow, how I am
 * alerted, my devices. Opening it registers this browser's key if it has none. The lists are
 * fetched again when the person comes back to the page, and every few seconds for a while
 * after she made an invitation link here, so that the contact who accepts appears by itself.
 */
import './sharing.css';
import { useCallback, useEffect, useRef, useState } from 'react';
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
import { refreshOnReturn } from './refresh-on-return.ts';
import { followerDevices, loadContacts } from './start-share.ts';
import { useAction } from './use-action.ts';

/** After a link is made here, the lists are fetched every POLL_MS (page shown) for this long. */
const AWAIT_INVITE_MS = 30 * 60_000;
const POLL_MS = 15_000;
/** Coming back fires `visibilitychange` and `focus` together: one fetch. */
const MIN_GAP_MS = 2_000;

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

  // An invitation link made on this page, and how many followers there were then.
  const invited = useRef<{ at: number; followers: number } | null>(null);
  const followers = contacts?.followers.length ?? 0;
  const followersNow = useRef(followers);
  followersNow.current = followers;
  useEffect(() => {
    if (!userId) return;
    return refreshOnReturn(() => void reload(), {
      pollMs: POLL_MS,
      minGapMs: MIN_GAP_MS,
      awaiting: () =>
        invited.current !== null &&
        Date.now() - invited.current.at < AWAIT_INVITE_MS &&
        followersNow.current <= invited.current.followers,
    });
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
      <InviteSection
        onMade={() => {
          invited.current = { at: Date.now(), followers: followersNow.current };
        }}
      />
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
