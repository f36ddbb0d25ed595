/**
 * /sos — pressing SOS (home screen, sharing screen) opens this page, which counts down three
 * seconds with a large "Cancel" button (the main cause of false alarms is a pocket or a
 * mistaken tap), then alerts. This chunk is deliberately small: the countdown and the
 * emergency numbers are usable at once; the crypto, the relay and the refuges load during
 * the countdown, and no map is ever loaded here.
 */
import './sos.css';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../accounts/session.tsx';
import { Loading } from '../app/loading.tsx';
import { Page } from '../app/page.tsx';
import { PATHS } from '../app/paths.ts';
import { useSosT } from './i18n.ts';

const SosActive = lazy(() => import('./sos-active.tsx'));
const COUNTDOWN_S = 3;

type Phase = 'counting' | 'stopped' | 'active';

/** Loaded as soon as the countdown starts, so that the alert leaves without waiting at zero. */
const loadRun = () => import('./sos-run.ts');

function Numbers() {
  const t = useSosT();
  return (
    <div className="sos-numbers">
      <a className="sos-call" href="tel:17">
        <span className="sos-call-number">17</span>
        <span>{t('call17')}</span>
      </a>
      <a className="sos-call" href="tel:112">
        <span className="sos-call-number">112</span>
        <span>{t('call112')}</span>
      </a>
    </div>
  );
}

function Countdown({ onCancel, onZero }: { onCancel: () => void; onZero: () => void }) {
  const t = useSosT();
  const [left, setLeft] = useState(COUNTDOWN_S);
  const cancel = useRef<HTMLButtonElement>(null);
  const zero = useRef(onZero);
  zero.current = onZero;

  useEffect(() => {
    cancel.current?.focus();
    const started = Date.now();
    const timer = setInterval(() => {
      const remaining = COUNTDOWN_S - Math.floor((Date.now() - started) / 1_000);
      setLeft(Math.max(0, remaining));
      if (remaining <= 0) {
        clearInterval(timer);
        zero.current();
      }
    }, 100);
    return () => clearInterval(timer);
  }, []);

  return (
    <div className="sos-countdown">
      <p className="sos-count" aria-hidden="true">
        {left}
      </p>
      <p className="sos-count-text" role="status" aria-live="assertive">
        {t('countdown', { seconds: left })}
      </p>
      <button ref={cancel} type="button" className="sos-cancel" onClick={onCancel}>
        {t('cancel')}
      </button>
      <p className="aside">{t('countdownHint')}</p>
    </div>
  );
}

export default function SosPage() {
  const t = useSosT();
  const { me, status } = useSession();
  const [phase, setPhase] = useState<Phase>('counting');
  const [trigger, setTrigger] = useState(false);

  // An SOS already running (a reload, another tab): show it instead of counting again.
  useEffect(() => {
    if (!me) return;
    let live = true;
    void loadRun().then(async ({ sosRun }) => {
      const run = sosRun(me.id);
      if (run.get().phase === 'sent' || run.get().phase === 'retrying' || run.get().phase === 'sending') {
        if (live) setPhase('active');
        return;
      }
      const { sharingApi } = await import('../sharing/api.ts');
      const { mine } = await sharingApi.shares().catch(() => ({ mine: [] }));
      const running = mine.find((s) => s.sos);
      if (running && live) {
        await run.adopt(running);
        setPhase('active');
      }
    });
    return () => {
      live = false;
    };
  }, [me]);

  if (status === 'loading')
    return (
      <Page title={t('title')}>
        <Loading />
      </Page>
    );

  // Without an account there is nobody to alert: the numbers and the refuges, at once.
  if (!me)
    return (
      <Page title={t('title')}>
        <p className="sos-lead">{t('anonymous')}</p>
        <Numbers />
        <Suspense fallback={<Loading />}>
          <SosActive userId={null} trigger={false} />
        </Suspense>
        <p>
          <Link to={PATHS.signup}>{t('anonymousSignup')}</Link>
        </p>
      </Page>
    );

  return (
    <Page title={t('title')}>
      {phase === 'counting' && (
        <Countdown
          onCancel={() => setPhase('stopped')}
          onZero={() => {
            setTrigger(true);
            setPhase('active');
          }}
        />
      )}
      {phase === 'stopped' && (
        <div className="sos-stopped">
          <p className="form-status" role="status">
            {t('stopped')}
          </p>
          <div className="actions">
            <button type="button" className="button danger" onClick={() => setPhase('counting')}>
              {t('again')}
            </button>
            <Link className="button secondary" to={PATHS.home}>
              {t('home')}
            </Link>
          </div>
        </div>
      )}
      <Numbers />
      {phase === 'active' && (
        <Suspense fallback={<Loading />}>
          <SosActive userId={me.id} trigger={trigger} />
        </Suspense>
      )}
    </Page>
  );
}
