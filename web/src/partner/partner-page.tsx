/**
 * /partenaire — the partner portal. Any signed-in user may register a venue (the server
 * makes them a partner when they apply); a partner sees their venues, their status, and
 * keeps hours, closures and training current.
 */
import './partner.css';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accountsApi } from '../accounts/api.ts';
import { useSession } from '../accounts/session.tsx';
import { errorMessage } from '../api/error-message.ts';
import { FormStatus } from '../app/form.tsx';
import { Loading } from '../app/loading.tsx';
import { Page } from '../app/page.tsx';
import { type PartnerPlace, partnerApi } from './api.ts';
import { ApplyForm } from './apply-form.tsx';
import { usePartnerT } from './i18n.ts';
import { MyPlaces } from './my-places.tsx';

type Mine =
  | { status: 'loading' }
  | { status: 'ready'; places: PartnerPlace[] }
  | { status: 'error'; error: unknown };

export default function PartnerPage() {
  const { t } = usePartnerT();
  const { t: tApp } = useTranslation();
  const session = useSession();
  const [mine, setMine] = useState<Mine>({ status: 'loading' });
  const [applying, setApplying] = useState(false);
  const [flash, setFlash] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    partnerApi.mine(controller.signal).then(
      ({ places }) => setMine({ status: 'ready', places }),
      (error: unknown) => !controller.signal.aborted && setMine({ status: 'error', error }),
    );
    return () => controller.abort();
  }, []);

  const replace = (place: PartnerPlace) =>
    setMine((m) =>
      m.status === 'ready'
        ? { status: 'ready', places: m.places.map((p) => (p.id === place.id ? place : p)) }
        : m,
    );

  const applied = (place: PartnerPlace) => {
    setMine((m) => ({ status: 'ready', places: [place, ...(m.status === 'ready' ? m.places : [])] }));
    setApplying(false);
    setFlash(place.territoryCode === null ? t('appliedNoTerritory') : t('applied'));
    // The server made this account a partner: refresh the roles the interface shows.
    accountsApi.me().then(session.update, () => undefined);
    window.scrollTo({ top: 0 });
  };

  const places = mine.status === 'ready' ? mine.places : [];
  const showForm = mine.status === 'ready' && (places.length === 0 || applying);

  return (
    <Page title={places.length === 0 && mine.status === 'ready' ? t('applyTitle') : t('title')}>
      <FormStatus message={flash} />
      <p className="partner-intro">{t('intro')}</p>
      {mine.status === 'loading' && <Loading />}
      {mine.status === 'error' && <p className="form-alert">{errorMessage(tApp, mine.error)}</p>}
      {places.length > 0 && (
        <section aria-labelledby="partner-mine">
          <h2 id="partner-mine">{t('mine')}</h2>
          <MyPlaces places={places} onChange={replace} />
          {!applying && (
            <button type="button" className="button secondary" onClick={() => setApplying(true)}>
              {t('applyAnother')}
            </button>
          )}
        </section>
      )}
      {showForm && (
        <section aria-labelledby="partner-apply" className="apply-section">
          <h2 id="partner-apply" className={places.length === 0 ? 'visually-hidden' : undefined}>
            {t('applyTitle')}
          </h2>
          <ApplyForm onApplied={applied} />
        </section>
      )}
    </Page>
  );
}
