/**
 * After sending: "sent" only once the server acknowledged it; otherwise, honestly, "kept on
 * this phone" — and the screen changes to "sent" when the outbox gets it through.
 */
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { loginWithReturn, PATHS } from '../app/paths.ts';
import { HelpLinks } from './help-links.tsx';
import { useReportsT } from './i18n.ts';
import { outboxEvents, statusOf } from './outbox.ts';
import type { SendOutcome } from './send.ts';

export function Confirmation({ outcome, onAnother }: { outcome: SendOutcome; onAnother(): void }) {
  const { t } = useReportsT();
  const heading = useRef<HTMLHeadingElement>(null);
  const [sentLater, setSentLater] = useState(false);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  useEffect(() => {
    if (outcome.kind !== 'queued') return;
    const check = () => {
      statusOf(outcome.id).then((status) => setSentLater(status === 'sent'));
    };
    outboxEvents.addEventListener('change', check);
    check();
    return () => outboxEvents.removeEventListener('change', check);
  }, [outcome]);

  const sent = outcome.kind === 'sent' || sentLater;
  return (
    <div className="report-done">
      <section className={`card report-outcome ${sent ? 'ok' : 'waiting'}`} aria-labelledby="report-outcome">
        <h2 id="report-outcome" ref={heading} tabIndex={-1}>
          {sent ? t('done.sentTitle') : t('done.queuedTitle')}
        </h2>
        <div role="status">
          {outcome.kind === 'sent' && <p>{t('done.sentBody')}</p>}
          {outcome.kind === 'queued' && !sentLater && (
            <p>{outcome.signedOut ? t('done.signedOutBody') : t('done.queuedBody')}</p>
          )}
          {sentLater && <p>{t('done.nowSent')}</p>}
        </div>
        {outcome.kind === 'queued' && outcome.signedOut && !sentLater && (
          <p>
            <Link className="button primary" to={loginWithReturn(PATHS.report)}>
              {t('signIn.button')}
            </Link>
          </p>
        )}
      </section>
      <HelpLinks />
      <p className="actions">
        <button type="button" className="button primary" onClick={onAnother}>
          {t('done.another')}
        </button>
        <Link className="button secondary" to={`${PATHS.report}/mes-signalements`}>
          {t('done.history')}
        </Link>
        <Link className="button secondary" to={`${PATHS.report}/pres-de-moi`}>
          {t('done.nearby')}
        </Link>
      </p>
    </div>
  );
}
