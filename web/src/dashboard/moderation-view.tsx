/** Held reports (bursts in one cell and hour), for admins: accept (it joins the map) or reject (deleted). */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormStatus } from '../app/form.tsx';
import { formatLocale } from '../i18n/locale.ts';
import { useReportsT } from '../reports/i18n.ts';
import { dashboardApi, dashboardErrorMessage, type HeldReport } from './api.ts';
import { useDashboardT } from './i18n.ts';
import { ScrubbedText } from './scrubbed-text.tsx';

export default function ModerationView() {
  const { t, lang } = useDashboardT();
  const { t: rt } = useReportsT();
  const { t: appT } = useTranslation();
  const [reports, setReports] = useState<HeldReport[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    dashboardApi.held().then(
      (answer) => setReports(answer.reports),
      (caught: unknown) => setError(dashboardErrorMessage(t, appT, caught)),
    );
  }, [t, appT]);
  useEffect(load, [load]);

  async function decide(report: HeldReport, decision: 'accept' | 'reject') {
    setError(null);
    try {
      await (decision === 'accept' ? dashboardApi.accept(report.id) : dashboardApi.reject(report.id));
      setStatus(t(decision === 'accept' ? 'moderation.accepted' : 'moderation.rejected'));
    } catch (caught) {
      setError(dashboardErrorMessage(t, appT, caught));
    }
    load();
  }

  const hour = new Intl.DateTimeFormat(formatLocale(lang), {
    dateStyle: 'short',
    timeStyle: 'short',
  });
  return (
    <section className="card" aria-labelledby="moderation-title">
      <h2 id="moderation-title">{t('moderation.title')}</h2>
      <p className="field-hint">{t('moderation.intro')}</p>
      <FormStatus message={status} />
      <div role="alert" className="form-alert-region">
        {error && <p className="form-alert">{error}</p>}
      </div>
      {reports && reports.length === 0 && <p>{t('moderation.empty')}</p>}
      {reports && reports.length > 0 && (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('moderation.territory')}</th>
                <th scope="col">{t('moderation.category')}</th>
                <th scope="col">{t('moderation.role')}</th>
                <th scope="col">{t('moderation.when')}</th>
                <th scope="col">{t('moderation.burst')}</th>
                <th scope="col">{t('moderation.text')}</th>
                <th scope="col">{t('moderation.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((report) => (
                <tr key={report.id}>
                  <td>{report.territoryCode}</td>
                  <td>{rt(`categories.${report.category}` as 'categories.other')}</td>
                  <td>{t(report.role === 'victim' ? 'moderation.victim' : 'moderation.witness')}</td>
                  <td>{hour.format(new Date(report.hour))}</td>
                  <td className="number">{report.burst}</td>
                  <td>{report.description === null ? '—' : <ScrubbedText text={report.description} />}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button primary small"
                      onClick={() => decide(report, 'accept')}
                    >
                      {t('moderation.accept')}
                    </button>
                    <button
                      type="button"
                      className="button secondary small"
                      onClick={() => decide(report, 'reject')}
                    >
                      {t('moderation.reject')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
