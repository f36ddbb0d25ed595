/**
 * /tableau-de-bord/lieux — staff of a territory (or an admin) review the venues that applied:
 * approve, or reject with a reason e-mailed to the venue; suspend or reinstate verified ones.
 * Every decision is audited by the server.
 */
import './partner.css';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PartnerStatus } from '../../../src/places/kinds.ts';
import { useSession } from '../accounts/session.tsx';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../api/error-message.ts';
import { FormAlert, FormStatus, focusOnMount } from '../app/form.tsx';
import { Loading } from '../app/loading.tsx';
import { Page } from '../app/page.tsx';
import { PATHS } from '../app/paths.ts';
import { longDate } from '../places/format.ts';
import { byTerritoryName, reportsApi, type TerritorySummary } from '../reports/api.ts';
import { type Decision, type PartnerPlace, partnerApi } from './api.ts';
import { CoverageSection } from './coverage-section.tsx';
import { partnerErrorKey, usePartnerT } from './i18n.ts';
import { StatusPill } from './my-places.tsx';
import { useReadableHours } from './readable-hours.ts';

/** Territories this person reviews (all for an admin), named as people know them. */
function useTerritories(): TerritorySummary[] | null {
  const { me } = useSession();
  const [known, setKnown] = useState<TerritorySummary[] | null>(null);
  useEffect(() => {
    // Asked on each visit: a territory an admin has just imported is listed at once.
    reportsApi.territories().then(
      ({ territories }) => setKnown(byTerritoryName(territories)),
      () => setKnown([]),
    );
  }, []);
  if (!me || !known) return null;
  if (me.roles.includes('admin')) return known;
  // A territory missing from the public list is still reviewable: named by its code.
  return me.territories.map(
    (code) => known.find((x) => x.code === code) ?? { code, name: code, kind: 'commune' as const },
  );
}

function Venue({
  place,
  onDecided,
}: {
  place: PartnerPlace;
  onDecided(place: PartnerPlace, decision: Decision): void;
}) {
  const { t, i18n } = usePartnerT();
  const readable = useReadableHours();
  const { t: tApp } = useTranslation();
  const id = useId();
  const [asking, setAsking] = useState<'reject' | 'suspend' | null>(null);
  // Back from the reason form: the button that opened it takes the focus again.
  const [cancelled, setCancelled] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);

  const decide = async (decision: Decision, why: string | null) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const { place: updated } = await partnerApi.review(place.id, decision, why);
      onDecided(updated, decision);
    } catch (caught) {
      const key = caught instanceof ApiError ? partnerErrorKey(caught.code) : null;
      setError(key ? t(key) : errorMessage(tApp, caught));
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  const confirm = (e: FormEvent) => {
    e.preventDefault();
    if (!asking) return;
    if (!reason.trim()) {
      setError(t('review.reasonRequired'));
      setAttempt((n) => n + 1);
      return;
    }
    void decide(asking, reason.trim());
  };

  const at = `${place.lat.toFixed(6)},${place.lon.toFixed(6)}`;
  // Each card repeats the same buttons and link: the venue's name, heard not seen, tells them apart.
  const named = <span className="visually-hidden"> : {place.name}</span>;
  return (
    <li className="card review-item" aria-labelledby={`${id}-name`}>
      <h3 id={`${id}-name`}>{place.name}</h3>
      <p>
        <StatusPill status={place.status} /> <span className="aside">{t(`kinds.${place.kind}`)}</span>
      </p>
      <dl className="review-facts">
        <dt className="visually-hidden">{t('fields.address')}</dt>
        <dd>{place.address}</dd>
        <dt className="visually-hidden">{t('fields.phone')}</dt>
        <dd>{place.phone ? t('review.phone', { value: place.phone }) : '—'}</dd>
        <dt className="visually-hidden">{t('hours.legend')}</dt>
        <dd>
          {place.openingHours
            ? t('review.hours', { value: readable(place.openingHours) })
            : t('review.noHours')}
        </dd>
        <dt className="visually-hidden">{t('manage.trainingTitle')}</dt>
        <dd>
          {place.lastTrainingDate
            ? t('review.training', { value: longDate(place.lastTrainingDate, i18n.language) })
            : t('review.trainingNone')}
        </dd>
        <dt className="visually-hidden">{t('fields.position')}</dt>
        <dd>
          {t('review.position', { lat: place.lat.toFixed(5), lon: place.lon.toFixed(5) })} ·{' '}
          <a
            href={`https://www.openstreetmap.org/?mlat=${place.lat}&mlon=${place.lon}#map=18/${at.replace(',', '/')}`}
            target="_blank"
            rel="noopener noreferrer"
          >
            {t('review.osm')}
            {named}
          </a>
        </dd>
        <dd className="aside">{t('review.appliedOn', { date: longDate(place.createdAt, i18n.language) })}</dd>
      </dl>
      <FormAlert message={error} attempt={attempt} />
      {asking ? (
        <form className="form review-reason" noValidate onSubmit={confirm}>
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t('review.reason')}</label>
            <textarea
              id={`${id}-reason`}
              ref={focusOnMount}
              rows={3}
              maxLength={1000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <div className="actions">
            <button type="submit" className="button danger" aria-disabled={busy || undefined}>
              {asking === 'reject' ? t('review.confirmReject') : t('review.confirmSuspend')}
              {named}
            </button>
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                setAsking(null);
                setCancelled(true);
              }}
            >
              {t('review.cancel')}
              {named}
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          {place.status === 'applied' && (
            <>
              <button type="button" className="button primary" onClick={() => void decide('approve', null)}>
                {t('review.approve')}
                {named}
              </button>
              <button
                type="button"
                className="button secondary"
                ref={cancelled ? focusOnMount : undefined}
                onClick={() => setAsking('reject')}
              >
                {t('review.reject')}
                {named}
              </button>
            </>
          )}
          {place.status === 'verified' && (
            <button
              type="button"
              className="button secondary"
              ref={cancelled ? focusOnMount : undefined}
              onClick={() => setAsking('suspend')}
            >
              {t('review.suspend')}
              {named}
            </button>
          )}
          {place.status === 'suspended' && (
            <button type="button" className="button secondary" onClick={() => void decide('reinstate', null)}>
              {t('review.reinstate')}
              {named}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

const SECTIONS: { status: PartnerStatus; title: string; empty: string }[] = [
  { status: 'applied', title: 'review.pending', empty: 'review.none' },
  { status: 'verified', title: 'review.verified', empty: 'review.noneVerified' },
  { status: 'suspended', title: 'review.suspended', empty: '' },
];

const DONE: Record<Decision, string> = {
  approve: 'review.approved',
  reject: 'review.rejected',
  suspend: 'review.suspendedDone',
  reinstate: 'review.reinstated',
};

export default function ReviewPage() {
  const { t } = usePartnerT();
  const { t: tApp } = useTranslation();
  const territories = useTerritories();
  const [code, setCode] = useState<string | null>(null);
  const [places, setPlaces] = useState<PartnerPlace[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const territory = code ?? territories?.[0]?.code ?? null;
  const id = useId();

  const load = useCallback((which: string, signal?: AbortSignal) => {
    setPlaces(null);
    setError(null);
    partnerApi.territory(which, null, signal).then(
      (r) => setPlaces(r.places),
      (e: unknown) => !signal?.aborted && setError(e),
    );
  }, []);

  useEffect(() => {
    if (!territory) return;
    const controller = new AbortController();
    load(territory, controller.signal);
    return () => controller.abort();
  }, [territory, load]);

  const decided = (place: PartnerPlace, decision: Decision) => {
    setPlaces((list) => list?.map((p) => (p.id === place.id ? place : p)) ?? null);
    setDone(t(DONE[decision], { name: place.name }));
  };

  return (
    <Page title={t('review.title')}>
      <p>
        <Link to={PATHS.dashboard}>← {t('review.back')}</Link>
      </p>
      <p className="partner-intro">{t('review.intro')}</p>
      {territories && territories.length > 1 && (
        <div className="field territory-select">
          <label htmlFor={`${id}-territory`}>{t('review.territory')}</label>
          <select id={`${id}-territory`} value={territory ?? ''} onChange={(e) => setCode(e.target.value)}>
            {territories.map((x) => (
              <option key={x.code} value={x.code}>
                {x.name === x.code ? x.code : `${x.name} (${x.code})`}
              </option>
            ))}
          </select>
        </div>
      )}
      {/* A decision moves the card to another section: the focus goes to what happened. */}
      <FormStatus message={done} focus />
      {error !== null && <p className="form-alert">{errorMessage(tApp, error)}</p>}
      {(territories === null || (territory && places === null && error === null)) && <Loading />}
      {places &&
        SECTIONS.map(({ status, title, empty }) => {
          const list = places.filter((p) => p.status === status);
          if (list.length === 0 && !empty) return null;
          return (
            <section key={status} aria-labelledby={`${id}-${status}`}>
              <h2 id={`${id}-${status}`} className="review-title">
                {t(title)} {list.length > 0 && <span className="count">({list.length})</span>}
              </h2>
              {list.length === 0 ? (
                <p className="aside">{t(empty)}</p>
              ) : (
                <ul className="review-list">
                  {list.map((p) => (
                    <Venue key={p.id} place={p} onDecided={decided} />
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      {territory && <CoverageSection territory={territory} />}
    </Page>
  );
}
