/** /signaler/mes-signalements — the reports made on this phone, kept on this phone only. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormStatus } from '../app/form.tsx';
import { formatLocale } from '../i18n/locale.ts';
import { useReportsT } from './i18n.ts';
import { clearHistory, flush, type HistoryEntry, history, outboxEvents } from './outbox.ts';

export function HistoryView() {
  const { t, lang } = useReportsT();
  const { t: appT } = useTranslation();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [confirming, setConfirming] = useState(false);
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
      <FormStatus message={status} />
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
          <button type="button" className="button secondary" onClick={() => setConfirming(true)}>
            {t('history.clear')}
          </button>
        )}
      </p>
      {confirming && (
        <div className="card danger-zone" role="alertdialog" aria-labelledby="history-clear-question">
          <p id="history-clear-question">{t('history.clearConfirm')}</p>
          <p className="actions">
            <button
              type="button"
              className="button danger"
              onClick={async () => {
                await clearHistory();
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
