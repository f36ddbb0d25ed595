/**
 * The nearest open refuges (partner venues, police, gendarmerie) to a position, and the nearest
 * police station or gendarmerie even when its hours are unknown (refuge-list.ts), with distance,
 * direction and walking directions. Found in the browser that knows the position (the person
 * in an SOS, or a contact who decrypted it), in the export of the area around it — the same
 * index and opening-hours code as the server — and looked again only after ~150 m or 2 min.
 * The position itself never goes to the server: a contact asking `nearest?lat=…&lon=…` for
 * the person she follows sent the server, in clear, what the share encrypts. The export is of
 * the 0.1° grid area holding everything within reach, the same for everyone around there.
 */
import { useEffect, useRef, useState } from 'react';
import { PLACE_KINDS, type PlaceKind } from '../../../src/places/kinds.ts';
import { PATHS } from '../app/paths.ts';
import { walkDuration, wallTime } from '../places/format.ts';
import type { NearestPlace } from './api.ts';
import { compass, directionsLink, formatDateTime, formatDistance } from './format.ts';
import { useLng, useT } from './i18n.ts';
import type { GeoState } from './position-source.ts';
import { distanceM } from './rate.ts';
import { OPEN_REFUGES, REACH_M, refugeList, STATION_KINDS } from './refuge-list.ts';

const isKind = (k: string): k is PlaceKind => (PLACE_KINDS as readonly string[]).includes(k);

/**
 * The refuges around a position from the export of the grid area holding everything within
 * reach (REACH_M): downloaded when online, else the copy saved on this phone (copies older than
 * half an hour are said to be, with their date). Throws when there is neither.
 */
async function refugesAround(lat: number, lon: number) {
  const [{ areaWithin, isFresh }, search] = await Promise.all([
    import('../places/offline-store.ts'),
    import('../places/offline-search.ts'),
  ]);
  const found = await areaWithin(lat, lon, REACH_M);
  const near = (openOnly: boolean, kinds: PlaceKind[], limit: number) =>
    search.offlineNearest(found.area, lat, lon, { openOnly, partnerOnly: false, kinds }, limit);
  const { generatedAt } = found.area;
  return {
    places: refugeList(near(true, [], OPEN_REFUGES), near(false, STATION_KINDS, OPEN_REFUGES)),
    savedCopy: !found.downloaded && !isFresh(found.area) ? generatedAt : null,
  };
}

export function Refuges({
  position,
  geo,
  title,
  who,
}: {
  position: { lat: number; lon: number } | null;
  /** This phone's location, when the position is mine: refused or impossible is said, not awaited. */
  geo?: GeoState;
  title: string;
  /** 'me': distances from my position; 'them': from the person I watch. */
  who: 'me' | 'them';
}) {
  const t = useT();
  const lng = useLng();
  const [places, setPlaces] = useState<NearestPlace[] | null>(null);
  const [failed, setFailed] = useState(false);
  /** When the list came from the copy of the area saved on this phone: that copy's date. */
  const [savedCopy, setSavedCopy] = useState<number | null>(null);
  const asked = useRef<{ lat: number; lon: number; at: number } | null>(null);
  const [online, setOnline] = useState(0);
  const lat = position?.lat;
  const lon = position?.lon;

  useEffect(() => {
    // Back online after a failure: ask again without waiting for the person to move.
    const again = () => setOnline((n) => n + 1);
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `online` only triggers a new attempt
  useEffect(() => {
    if (lat === undefined || lon === undefined) return;
    const last = asked.current;
    if (last && distanceM(last, { lat, lon }) < 150 && Date.now() - last.at < 120_000) return;
    asked.current = { lat, lon, at: Date.now() };
    refugesAround(lat, lon)
      .catch(() => null)
      .then((result) => {
        if (result) {
          setPlaces(result.places);
          setSavedCopy(result.savedCopy);
          setFailed(false);
        } else {
          asked.current = null; // try again with the next position, or when the network is back
          setFailed(true);
        }
      });
  }, [lat, lon, online]);

  return (
    <section className="card refuges" aria-labelledby="refuges-title">
      <h2 id="refuges-title">{title}</h2>
      {!position && (geo === 'denied' || geo === 'unavailable') ? (
        <p className="notice warn">
          {/* A plain link: the SOS page is not a route of the app (no router there). */}
          {t('refuges.noLocation')} <a href={PATHS.places}>{t('refuges.placesLink')}</a>
        </p>
      ) : (
        !position && <p className="aside">{t('refuges.noPosition')}</p>
      )}
      {failed && !places && <p className="notice warn">{t('refuges.failed')}</p>}
      {savedCopy !== null && (
        <p className="aside">{t('refuges.savedCopy', { date: formatDateTime(savedCopy, lng) })}</p>
      )}
      {places && places.length === 0 && <p>{t('refuges.none')}</p>}
      {places && places.length > 0 && position && (
        <ol className="refuge-list">
          {places.map((place) => (
            <li key={place.id} className="refuge">
              <p className="refuge-name">{place.name}</p>
              <p className="refuge-facts">
                {isKind(place.kind) ? t(`kinds.${place.kind}`) : place.kind} ·{' '}
                <strong>
                  {t(who === 'me' ? 'refuges.distanceMe' : 'refuges.distanceThem', {
                    distance: formatDistance(place.distanceM, lng),
                    direction: compass(position, place, lng),
                  })}
                </strong>{' '}
                · {t('refuges.walk', { walk: walkDuration(place.walkMinutes, lng) })}
              </p>
              {place.openNow === null && <p className="aside">{t('refuges.hoursUnknown')}</p>}
              {place.openNow === true && !place.closesAt && <p className="aside">{t('refuges.open247')}</p>}
              {place.closesAt && (
                // The time on the place's door (its own zone, as on the places screen), not the
                // phone's: a contact following from elsewhere reads the same hour as the person.
                <p className="aside">{t('refuges.openUntil', { time: wallTime(place.closesAt) })}</p>
              )}
              {place.address && <p className="aside">{place.address}</p>}
              <p className="actions">
                <a
                  className="button secondary small"
                  href={directionsLink(position, place)}
                  target="_blank"
                  rel="noreferrer"
                >
                  {t('refuges.directions')}
                  {/* Named per place: a list of links read alone says "Directions to …", not "Directions, Directions". */}
                  <span className="visually-hidden"> {t('refuges.toPlace', { name: place.name })}</span>
                </a>
                {place.phone && (
                  <a className="button secondary small" href={`tel:${place.phone.replace(/\s/g, '')}`}>
                    {t('refuges.call')}
                    <span className="visually-hidden"> {place.name}</span>
                  </a>
                )}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
