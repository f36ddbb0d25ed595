/**
 * /partager — start sharing a trip, a night out or a journey; the sessions running now (mine,
 * and those I may follow). Sessions this browser no longer needs are forgotten here.
 */
import './sharing.css';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../accounts/session.tsx';
import { FormAlert } from '../app/form.tsx';
import { RequireSignIn } from '../app/guards.tsx';
import { Loading } from '../app/loading.tsx';
import { Page } from '../app/page.tsx';
import { PATHS } from '../app/paths.ts';
import { type Person, type ShareView, sharingApi } from './api.ts';
import { ensureDevice } from './device-keys.ts';
import { useT } from './i18n.ts';
import { SessionLink } from './session-link.tsx';
import { StartForm } from './start-form.tsx';
import { followerDevices, loadContacts } from './start-share.ts';
import { forgetShare, listShares } from './store.ts';
import { useAction } from './use-action.ts';

function SharePageContent({ userId }: { userId: string }) {
  const t = useT();
  const action = useAction();
  const [mine, setMine] = useState<ShareView[] | null>(null);
  const [following, setFollowing] = useState<ShareView[]>([]);
  const [followers, setFollowers] = useState<Person[]>([]);
  const [withDevice, setWithDevice] = useState<Set<string>>(new Set());

  // biome-ignore lint/correctness/useExhaustiveDependencies: action.run is stable
  const load = useCallback(
    () =>
      action.run(async () => {
        void ensureDevice(userId).catch(() => {});
        const [shares, contacts, devices] = await Promise.all([
          sharingApi.shares(),
          loadContacts(userId),
          followerDevices(userId).catch(() => []),
        ]);
        setMine(shares.mine);
        setFollowing(shares.following);
        setFollowers(contacts.contacts.followers);
        setWithDevice(new Set(devices.map((d) => d.contactId)));
        // Keys of sessions that are over (or never reached the server) are of no use any more.
        const running = new Set(shares.mine.map((s) => s.id));
        for (const local of await listShares(userId))
          if (!running.has(local.shareId)) await forgetShare(local.shareId);
      }),
    [userId],
  );

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <FormAlert message={action.error} attempt={action.attempt} />
      {mine === null && !action.error && <Loading />}
      {mine && mine.length > 0 && (
        <section aria-labelledby="mine-title">
          <h2 id="mine-title" className="section-title">
            {t('share.mineTitle')}
          </h2>
          <ul className="sessions">
            {mine.map((s) => (
              <SessionLink key={s.id} share={s} whose="mine" />
            ))}
          </ul>
        </section>
      )}
      {following.length > 0 && (
        <section aria-labelledby="following-title">
          <h2 id="following-title" className="section-title">
            {t('share.followingTitle')}
          </h2>
          <ul className="sessions">
            {following.map((s) => (
              <SessionLink key={s.id} share={s} whose="followed" />
            ))}
          </ul>
        </section>
      )}
      {mine && (
        <section aria-labelledby="start-title">
          <h2 id="start-title" className="section-title">
            {mine.length > 0 ? t('share.startAnother') : t('share.startTitle')}
          </h2>
          <StartForm userId={userId} followers={followers} withDevice={withDevice} />
        </section>
      )}
      <p className="aside privacy-note">{t('share.privacy')}</p>
    </>
  );
}

export default function SharePage() {
  const t = useT();
  const { me } = useSession();
  return (
    <RequireSignIn>
      <Page title={t('share.title')}>
        <p className="lead">{t('share.intro')}</p>
        <Link reloadDocument to={PATHS.sos} className="sos-strip">
          {t('share.sos')}
        </Link>
        {me && <SharePageContent userId={me.id} />}
      </Page>
    </RequireSignIn>
  );
}
