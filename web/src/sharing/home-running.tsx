/**
 * "Right now" on the home screen of a signed-in person: their own running sessions and those of
 * people they follow, one tap from the page that shows them. A contact who opens Havre while
 * someone shares a trip with them (or after a missed check-in or an SOS) finds it first thing,
 * without knowing it sits under "Share a trip". Loaded lazily: the first bundle stays the same.
 * Nothing is drawn while loading, without a network, or when nothing runs.
 */
import './sharing.css';
import { useEffect, useState } from 'react';
import { type ShareView, sharingApi } from './api.ts';
import { useT } from './i18n.ts';
import { SessionLink } from './session-link.tsx';

export default function HomeRunning() {
  const t = useT();
  const [shares, setShares] = useState<{ mine: ShareView[]; following: ShareView[] } | null>(null);

  useEffect(() => {
    let current = true;
    sharingApi.shares().then(
      (found) => current && setShares(found),
      () => {}, // offline or signed out meanwhile: the tiles below still lead there
    );
    return () => {
      current = false;
    };
  }, []);

  if (!shares || shares.mine.length + shares.following.length === 0) return null;
  // Alerts first: someone who needs help comes before a trip going well.
  const following = [...shares.following].sort(
    (a, b) => Number(b.status === 'alerted') - Number(a.status === 'alerted'),
  );
  return (
    <section aria-labelledby="home-running">
      <h2 id="home-running" className="section-title">
        {t('share.now')}
      </h2>
      <ul className="sessions">
        {following.map((s) => (
          <SessionLink key={s.id} share={s} whose="followed" />
        ))}
        {shares.mine.map((s) => (
          <SessionLink key={s.id} share={s} whose="mine" />
        ))}
      </ul>
    </section>
  );
}
