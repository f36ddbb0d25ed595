/**
 * /suivre/:id — watching a shared trip. A trusted contact opens it signed in (the session key
 * is unwrapped with this device's private key); a guest opens `…#g=TOKEN&k=KEY` without an
 * account (the key comes from the fragment, which never reaches a server).
 */
import './sharing.css';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { importSessionKey, parseGuestFragment } from '../../../src/shared/envelope.ts';
import { useSession } from '../accounts/session.tsx';
import { ApiError } from '../api/client.ts';
import { RequireSignIn } from '../app/guards.tsx';
import { Loading } from '../app/loading.tsx';
import { Page } from '../app/page.tsx';
import { guestGet, type ShareView, sharingApi } from './api.ts';
import { ensureDevice, openSessionKey } from './device-keys.ts';
import { sharingError, useT } from './i18n.ts';
import { endedText, WatchView } from './watch-view.tsx';

type Loaded =
  | { step: 'loading' }
  | { step: 'ready'; view: ShareView; key: CryptoKey }
  | { step: 'failed'; message: string }
  /** Ended: not an error, the end of the story (she arrived…). */
  | { step: 'ended'; message: string };

function failure(t: ReturnType<typeof useT>, error: unknown, guest: boolean): Loaded {
  if (error instanceof ApiError && error.status === 404)
    return { step: 'failed', message: guest ? t('watch.linkInvalid') : t('watch.notFound') };
  if (error instanceof ApiError && error.status === 410) {
    // Said as it was live ("… est bien arrivé·e"), the server telling why and, to a contact, whose.
    const { endReason, owner } = error.problem as { endReason?: unknown; owner?: { email?: unknown } };
    const who = typeof owner?.email === 'string' && owner.email ? owner.email : null;
    const message = typeof endReason === 'string' ? endedText(t, endReason, who) : t('watch.ended');
    return { step: 'ended', message };
  }
  return { step: 'failed', message: sharingError(t, error) };
}

function Watch({ id, guest }: { id: string; guest: { token: string; key: string } | null }) {
  const t = useT();
  const { me } = useSession();
  const [loaded, setLoaded] = useState<Loaded>({ step: 'loading' });
  const userId = me?.id;

  const fetchView = () =>
    guest ? guestGet<ShareView>(`/api/shares/${id}`, guest.token) : sharingApi.share(id);

  // biome-ignore lint/correctness/useExhaustiveDependencies: once per session and person
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        if (guest) {
          const key = await importSessionKey(guest.key);
          const view = await guestGet<ShareView>(`/api/shares/${id}`, guest.token);
          if (live) setLoaded({ step: 'ready', view, key });
          return;
        }
        if (!userId) return;
        const device = await ensureDevice(userId);
        const view = await sharingApi.share(id);
        const key = await openSessionKey(device, view.wrappedKeys ?? []);
        if (!live) return;
        if (view.audience === 'owner') setLoaded({ step: 'failed', message: t('watch.yours') });
        else if (!key) setLoaded({ step: 'failed', message: t('watch.noKey') });
        else setLoaded({ step: 'ready', view, key });
      } catch (error) {
        if (live) setLoaded(failure(t, error, Boolean(guest)));
      }
    })();
    return () => {
      live = false;
    };
  }, [id, userId, guest?.token]);

  if (loaded.step === 'loading')
    return (
      <Page title={t('watch.title')}>
        <Loading />
      </Page>
    );
  if (loaded.step === 'failed')
    return (
      <Page title={t('watch.title')}>
        <p className="form-alert" role="alert">
          {loaded.message}
        </p>
      </Page>
    );
  if (loaded.step === 'ended')
    return (
      <Page title={t('watch.title')}>
        <p className="notice" role="status">
          {loaded.message}
        </p>
      </Page>
    );
  return (
    <WatchView
      id={id}
      initial={loaded.view}
      sessionKey={loaded.key}
      guest={guest?.token}
      refetch={async () => {
        try {
          return await fetchView();
        } catch (error) {
          if (error instanceof ApiError && (error.status === 404 || error.status === 410)) return null;
          throw error;
        }
      }}
    />
  );
}

export default function WatchPage() {
  const { id = '' } = useParams();
  // Read once: the fragment stays in the address bar so that a reload keeps working.
  const [guest] = useState(() => parseGuestFragment(window.location.hash));
  if (guest) return <Watch id={id} guest={guest} />;
  return (
    <RequireSignIn>
      <Watch id={id} guest={null} />
    </RequireSignIn>
  );
}
