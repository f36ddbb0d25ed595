/**
 * /signaler/mes-signalements — the reports made on this phone, kept on this phone only.
 * "Effacer cette liste" asks first: the question takes the focus, "Annuler" or Escape gives it
 * back to the button, and once cleared the message says so (the button has gone with the list).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormStatus } from '../app/form.tsx';
import { useToggleFocus } from '../app/use-toggle-focus.ts';
import { formatLocale } from '../i18n/locale.ts';
import { useReportsT } from './i18n.ts';
import { clearHistory, flush, type HistoryEntry, history, outboxEvents } from './outbox.ts';

export function HistoryView() {
  const { t, lang } = useReportsT();
  const { t: appT } = useTranslation();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const {
    open: confirming,
    setOpen: setConfirming,
    opener,
    opened,
    closeOnEscape,
  } = useToggleFocus<HTMLButtonElement, HTMLParagraphElement>();
  const [status, setStatus] = useState<string | null>(null);

  const load = useCallback(() => {
    history().then(setEntries, () => setUnavailable(true));
  }, []);

  useEffect(() => {
    load();
    outboxEvents.addEventListener('change', load);
    return () => outboxEvents.removeEventListener('change', load);
  }, [load]);

  const format = new Intl.DateTimeFormat(formatLocale(lang), {
    dateStyle: 'medium',
    timeStyle: 'short',
  });

  if (unavailable) return <p className="report-notice warn">{t('history.unavailable')}</p>;
  if (!entries) return <p className="loading">{appT('app.loading')}</p>;
  const queued = entries.some((entry) => entry.status === 'queued');

  return (
    <div className="report-history">
      <p className="report-intro">{t('history.intro')}</p>
      <FormStatus message={status} focus />
      {entries.length === 0 ? (
        <p>{t('history.empty')}</p>
      ) : (
        <ul className="report-history-list">
          {entries.map((entry) => (
            <li key={entry.id} className="card">
              <span className="report-history-category">{t(`categories.${entry.category}`)}</span>
              <span className="report-history-date">{format.format(new Date(entry.date))}</span>
              <span className={`pill ${entry.status === 'sent' ? 'ok' : 'warn'}`}>
                <span className="visually-hidden">{t('history.status')} </span>
                {t(`history.${entry.status}`)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="actions">
        {queued && (
          <button type="button" className="button primary" onClick={() => flush().catch(() => {})}>
            {t('history.sendNow')}
          </button>
        )}
        {entries.length > 0 && !confirming && (
          <button
            ref={opener}
            type="button"
            className="button secondary"
            onClick={() => {
              setStatus(null); // the next "Liste effacée." takes the focus again
              setConfirming(true);
            }}
          >
            {t('history.clear')}
          </button>
        )}
      </p>
      {confirming && (
        <div
          className="card danger-zone"
          role="alertdialog"
          aria-labelledby="history-clear-question"
          onKeyDown={closeOnEscape}
        >
          <p id="history-clear-question" ref={opened} tabIndex={-1}>
            {t('history.clearConfirm')}
          </p>
          <p className="actions">
            <button
              type="button"
              className="button danger"
              onClick={async () => {
                await clearHistory();
                // Emptied here at once (the reload follows): the button does not come back for
                // a moment, and the message, not <body>, gets the focus.
                setEntries([]);
                setConfirming(false);
                setStatus(t('history.cleared'));
              }}
            >
              {t('history.clear')}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              {t('history.cancel')}
            </button>
          </p>
        </div>
      )}
    </div>
  );
}
