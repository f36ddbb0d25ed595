/** Consented descriptions of the territory (scrubbed), with their category and day only. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { formatLocale } from '../i18n/locale.ts';
import { useReportsT } from '../reports/i18n.ts';
import { dashboardApi, dashboardErrorMessage } from './api.ts';
import { readFilters, toQuery, writeFilters } from './filters.ts';
import { FiltersBar } from './filters-bar.tsx';
import { useDashboardT } from './i18n.ts';
import { ScrubbedText } from './scrubbed-text.tsx';

type Description = { category: string; day: string; text: string };
const PAGE = 50;

export default function DescriptionsView({ code }: { code: string }) {
  const { t, lang } = useDashboardT();
  const { t: rt } = useReportsT();
  const { t: appT } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const [items, setItems] = useState<Description[]>([]);
  const [offset, setOffset] = useState(0);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const { period, from, to, category } = filters;

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the filters change
  useEffect(() => {
    setItems([]);
    setOffset(0);
  }, [period, from, to, category]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    dashboardApi
      .descriptions(code, toQuery({ period, from, to, category }, Date.now()), offset, controller.signal)
      .then(
        (answer) => {
          setItems((current) => (offset === 0 ? answer.descriptions : [...current, ...answer.descriptions]));
          setMore(answer.descriptions.length === PAGE);
          setError(null);
          setLoading(false);
        },
        (caught: unknown) => {
          if (controller.signal.aborted) return;
          setError(dashboardErrorMessage(t, appT, caught));
          setLoading(false);
        },
      );
    return () => controller.abort();
  }, [code, period, from, to, category, offset, t, appT]);

  const day = new Intl.DateTimeFormat(formatLocale(lang), {
    dateStyle: 'long',
    timeZone: 'UTC',
  });
  return (
    <>
      <FiltersBar filters={filters} onChange={(next) => setParams(writeFilters(next), { replace: true })} />
      <section className="card" aria-labelledby="descriptions-title">
        <h2 id="descriptions-title">{t('descriptions.title')}</h2>
        <p className="field-hint">{t('descriptions.intro')}</p>
        <div role="alert" className="form-alert-region">
          {error && <p className="form-alert">{error}</p>}
        </div>
        {!loading && items.length === 0 && !error && <p>{t('descriptions.empty')}</p>}
        <ul className="dashboard-descriptions">
          {items.map((item, index) => (
            // Descriptions carry no id on purpose (nothing to link them to a report): position is the key.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={index}>
              <p className="description-meta">
                <span className="chip">{rt(`categories.${item.category}` as 'categories.other')}</span>{' '}
                {t('descriptions.day', { day: day.format(new Date(`${item.day}T00:00:00Z`)) })}
              </p>
              <blockquote>
                <ScrubbedText text={item.text} />
              </blockquote>
            </li>
          ))}
        </ul>
        {more && (
          <button type="button" className="button secondary" onClick={() => setOffset(offset + PAGE)}>
            {t('descriptions.more')}
          </button>
        )}
      </section>
    </>
  );
}
