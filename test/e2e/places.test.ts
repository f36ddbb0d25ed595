/**
 * Browser journeys of the safe places for a citizen (issue 4): the nearest list, filters,
 * card, map, offline copies, and what the phone tells the server (nothing of where it is).
 * Venues applying and being reviewed: partner-venues.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { PLACES_REACH_M as REACH_M, REACH_STEPS_M } from '../../web/src/places/nearest-on-phone.ts';
import {
  expectList,
  exportUrlFor,
  PARIS_17,
  placesJourneys,
  ROUEN,
  rows,
  shot,
} from './helpers/places-journeys.ts';

const J = placesJourneys();
const { phoneAt, nearest, serverNearest, expectKept } = J;

describe('citizen: nearest open refuge', () => {
  it('lists the nearest places from Paris 17e, filters by open now and kind, and opens a card', async () => {
    const phone = await phoneAt(PARIS_17);
    const { page, problems } = phone;
    await page.goto('/lieux');
    await page.getByRole('heading', { level: 1, name: 'Lieux sûrs' }).waitFor();
    // Emergency numbers one tap away on this screen.
    for (const href of ['tel:17', 'tel:112', 'sms:114']) {
      expect(await page.locator(`.places-sos a[href="${href}"]`).count()).toBe(1);
    }
    const all = await nearest(PARIS_17);
    await expectList(
      page,
      all.map((p) => p.name),
    );
    await page.getByText('Autour de votre position').waitFor();
    // Unknown hours are shown as unknown, never as open.
    const unknown = all.findIndex((p) => p.openNow === null);
    expect(unknown).toBeGreaterThanOrEqual(0);
    expect(await rows(page).nth(unknown).locator('.status-pill').textContent()).toBe('Horaires inconnus');
    // Large touch targets.
    const box = await rows(page).first().locator('.place-link').boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(64);
    await shot(page, '1-list-paris17');

    await page.getByRole('checkbox', { name: 'Ouverts maintenant' }).click();
    const open = await nearest(PARIS_17, '&openOnly=true');
    expect(open.length).toBeGreaterThan(0); // the demo hotel is open 24/7
    await expectList(
      page,
      open.map((p) => p.name),
    );
    for (const pill of await page.locator('.place-list .status-pill').allTextContents()) {
      expect(pill).toMatch(/^Ouvert/);
    }
    await shot(page, '2-open-now');

    // Kinds: police and gendarmerie only (open-now off: the real stations have no hours).
    await page.getByRole('checkbox', { name: 'Ouverts maintenant' }).click();
    await page.getByRole('checkbox', { name: 'Police, gendarmerie' }).click();
    const police = await nearest(PARIS_17, '&kinds=police,gendarmerie');
    expect(police[0].name).toBe('Commissariat central de police de Paris 17e arrondissement');
    await expectList(
      page,
      police.map((p) => p.name),
    );
    await shot(page, '3-police');
    await page.getByRole('checkbox', { name: 'Police, gendarmerie' }).click();
    await page.getByRole('checkbox', { name: 'Ouverts maintenant' }).click();
    await expectList(
      page,
      open.map((p) => p.name),
    );

    // The card of the nearest open refuge.
    const first = open[0];
    await rows(page).first().locator('.place-link').click();
    await page.getByRole('heading', { level: 2, name: first.name }).waitFor();
    expect(new URL(page.url()).searchParams.get('lieu')).toBe(first.id);
    await expect.poll(() => page.locator('.place-card .status-pill').textContent()).toMatch(/^Ouvert/);
    expect(await page.locator('.week-hours tr').count()).toBe(7);
    const geo = await page.getByRole('link', { name: 'Itinéraire', exact: true }).getAttribute('href');
    expect(geo).toBe(
      `geo:${first.lat.toFixed(6)},${first.lon.toFixed(6)}?q=${first.lat.toFixed(6)},${first.lon.toFixed(6)}(${encodeURIComponent(first.name)})`,
    );
    const osm = await page.getByRole('link', { name: 'Itinéraire sur OpenStreetMap' }).getAttribute('href');
    expect(osm).toBe(
      `https://www.openstreetmap.org/directions?to=${first.lat.toFixed(6)},${first.lon.toFixed(6)}`,
    );
    if (first.trained) await page.getByText(/^Formation du .+, valable jusqu’au /).waitFor();
    expect(await page.locator('.places-sos a[href="tel:112"]').count()).toBe(1);
    await shot(page, '4-card');

    expect(await page.title()).toBe(`${first.name} · Lieux sûrs · Havre`);
    await page.getByRole('link', { name: 'Retour à la liste' }).click();
    await page.locator('.place-list').waitFor();
    // Back where she was: on the row of that place, not at the top of the page.
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.placeId))
      .toBe(first.id);
    expect(await page.title()).toBe('Lieux sûrs · Havre');
    expectKept(phone, PARIS_17);
    expect(problems).toEqual([]);
  });

  it('shows the places on the map, clustered, with the user’s position', async () => {
    const phone = await phoneAt(ROUEN);
    const { page, problems } = phone;
    await page.goto('/lieux?vue=carte');
    await page.getByRole('region', { name: 'Carte des lieux sûrs' }).waitFor();
    await page.locator('.map-you').waitFor();
    // The map frames the user with the three nearest places.
    const three = (await nearest(ROUEN)).slice(0, 3);
    for (const p of three) await page.locator(`.map-dot[aria-label^="${p.name}, "]`).waitFor();
    await shot(page, '5-map-rouen');
    // A marker opens the place's card.
    await page.locator(`.map-dot[aria-label^="${three[0].name}, "]`).click();
    await page.getByRole('heading', { level: 2, name: three[0].name }).waitFor();
    await page.goBack();
    await page.locator(`.map-dot[aria-label^="${three[0].name}, "]`).waitFor();
    // Framing her, the map drew the places of the area's copy: no viewport asked.
    expect(J.asked(phone).filter((url) => url.includes('/api/places?'))).toEqual([]);
    expectKept(phone, ROUEN);
    // Zooming out gathers the places into clusters.
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Dézoomer' }).click();
    await page.locator('.map-cluster').first().waitFor();
    await shot(page, '6-map-clusters');
    expect(problems).toEqual([]);
  });
});

describe('citizen: offline', () => {
  it('finds the nearest refuges with the network cut, from the copies saved on the first visit', async () => {
    const phone = await phoneAt(ROUEN);
    const { page, context } = phone;
    await page.goto('/lieux');
    const online = await nearest(ROUEN);
    await expectList(
      page,
      online.map((p) => p.name),
    );
    await page.getByText('Les lieux autour de vous sont enregistrés pour fonctionner sans réseau.').waitFor();
    // First visit only, no reload: the service worker installs (the app shell opens without a
    // network) and already holds the area's export, though it did not control the page when
    // the export was downloaded.
    const exportUrl = exportUrlFor(ROUEN, REACH_STEPS_M[0]);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const held = await page.evaluate(async (url) => {
      const response = await caches.match(url, { cacheName: 'havre-places-export' });
      return response ? ((await response.json()) as { format: string }).format : null;
    }, exportUrl);
    expect(held).toBe('havre-places-1');

    // What the phone downloaded while online (offline, it still tries: those requests fail).
    const askedOnline = [...J.asked(phone)];
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Lieux sûrs' }).waitFor();
    await page
      .getByText(
        /^Hors connexion : résultats calculés sur votre téléphone avec la copie enregistrée (à l’instant|il y a)/,
      )
      .waitFor();
    await expectList(
      page,
      online.map((p) => p.name),
    );
    await shot(page, '7-offline-list');

    await page.getByRole('checkbox', { name: 'Ouverts maintenant' }).click();
    // Offline, the phone knows the areas it saved: the one within 10 km, and the one within the
    // page's 50 km only if the first visit needed it. The list is exact within that reach.
    const wideUrl = exportUrlFor(ROUEN, REACH_STEPS_M[1]);
    const reach = askedOnline.some((url) => url.endsWith(wideUrl)) ? REACH_STEPS_M[1] : REACH_STEPS_M[0];
    const open = (await nearest(ROUEN, '&openOnly=true')).filter((p) => p.distanceM <= reach);
    await expectList(
      page,
      open.map((p) => p.name),
    );
    if (open.length === 0)
      await page.getByText(`Aucun lieu ne correspond à ces filtres à moins de ${reach / 1000} km.`).waitFor();
    await page.getByRole('checkbox', { name: 'Ouverts maintenant' }).click();
    await expectList(
      page,
      online.map((p) => p.name),
    );

    // The card opens offline too, rebuilt from the saved copy with the same hours code.
    const pill = await rows(page).first().locator('.status-pill').textContent();
    await rows(page).first().locator('.place-link').click();
    await page.getByRole('heading', { level: 2, name: online[0].name }).waitFor();
    expect(await page.locator('.place-card .status-pill').textContent()).toBe(pill);
    await page.getByText('Hors connexion : ces informations viennent de la copie enregistrée').waitFor();
    expect(await page.locator('.week-hours tr').count()).toBe(online[0].openNow === null ? 0 : 7);
    await shot(page, '8-offline-card');

    // IndexedDB cleared (or unavailable, as in private browsing): the service worker's copy
    // from the first visit answers alone.
    const deleted = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const request = indexedDB.deleteDatabase('havre-places');
          request.onsuccess = () => resolve('deleted');
          request.onerror = () => resolve('error');
          // 'blocked' would wait for the page to let go of its connection (it does: see offline-store.ts).
        }),
    );
    expect(deleted).toBe('deleted');
    await page.goto('/lieux');
    await page
      .getByText(/^Hors connexion : résultats calculés sur votre téléphone avec la copie enregistrée/)
      .waitFor();
    await expectList(
      page,
      online.map((p) => p.name),
    );
    await context.setOffline(false);
  });

  it('lists no place beyond 50 km: far from every place, it says none is near', async () => {
    // On a boat in the Bay of Biscay, 200 km from the coast: the nearest places are on land.
    const boat = { latitude: 45.5, longitude: -4.5 };
    const { page, problems } = await phoneAt(boat);
    const far = await serverNearest(boat);
    expect(far[0].distanceM).toBeGreaterThan(REACH_M); // the server still answers the nearest
    await page.goto('/lieux');
    await page.getByText('Aucun lieu ne correspond à ces filtres à moins de 50 km.').waitFor();
    expect(await rows(page).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
