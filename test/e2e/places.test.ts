/**
 * Browser journeys of the safe places (issue 4): a real Havre (built PWA + server + SQLite with
 * the demo seed: real police stations, synthetic partner venues in Paris 17e and Rouen) driven
 * through Debian's Chromium on a phone. Open/closed depends on the real clock, so expectations
 * are read from the API at the same moment rather than written down.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { PLACES_REACH_M as REACH_M, REACH_STEPS_M } from '../../web/src/places/nearest-on-phone.ts';
import { gridAreaWithin } from '../../web/src/places/offline-store.ts';
import { openPhone, type PhonePage } from './helpers/browser.ts';
import { signUpInBrowser } from './helpers/mail.ts';
import { expectPositionKept } from './helpers/position-kept.ts';
import { type E2eServer, ROOT, startE2eServer } from './helpers/server.ts';

const PARIS_17 = { latitude: 48.8838, longitude: 2.3203 };
const ROUEN = { latitude: 49.4404, longitude: 1.0902 };
const SHOTS = join(ROOT, 'test-results/places'); // git-ignored
const PASSWORD = 'une phrase de passe solide';

let server: E2eServer;
let browser: Browser;
const phones: PhonePage[] = [];

beforeAll(async () => {
  server = await startE2eServer();
  // MapLibre needs WebGL: SwiftShader stands in for the GPU in headless Chromium.
  browser = await chromium.launch({
    executablePath: process.env.HAVRE_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      '--use-gl=angle',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

afterEach(async () => {
  while (phones.length) await phones.pop()?.close();
});

/** Every URL a phone asked (its pages and its service worker), to check what it told the server. */
const askedBy = new WeakMap<PhonePage, string[]>();

/** A fresh phone (no cookie, no storage) whose geolocation says `at`. */
async function phoneAt(at: { latitude: number; longitude: number }): Promise<PhonePage> {
  const phone = await openPhone(browser, server.url);
  const asked: string[] = [];
  askedBy.set(phone, asked);
  phone.context.on('request', (request) => asked.push(request.url()));
  phone.page.setDefaultTimeout(20_000);
  await phone.context.grantPermissions(['geolocation']);
  await phone.context.setGeolocation(at);
  phones.push(phone);
  return phone;
}

interface NearestPlace {
  id: string;
  name: string;
  openNow: boolean | null;
  trained: boolean;
  lat: number;
  lon: number;
  distanceM: number;
}

/** The phone never told the server where it was (nearest-on-phone.ts). */
const expectKept = (phone: PhonePage, at: { latitude: number; longitude: number }) =>
  expectPositionKept(askedBy.get(phone) ?? [], [at]);

/** The export URL of the grid area a phone at `at` downloads for a reach. */
const exportUrlFor = (at: { latitude: number; longitude: number }, reachM: number) =>
  `/api/places/export?bbox=${gridAreaWithin(at.latitude, at.longitude, reachM)
    .map((v) => v.toFixed(1))
    .join(',')}`;

/** What the server answers, at this moment, from the same position, however far the places. */
async function serverNearest(
  at: { latitude: number; longitude: number },
  query = '',
): Promise<NearestPlace[]> {
  const url = `${server.url}/api/places/nearest?lat=${at.latitude}&lon=${at.longitude}&limit=10${query}`;
  return ((await (await fetch(url)).json()) as { places: NearestPlace[] }).places;
}

/**
 * The oracle of the list: what the server answers within the page's reach. Open only, the
 * server's answer from Paris holds the police station of Le Port (La Réunion, 9,300 km away)
 * while it is open (weekdays 04:00–08:00 and 10:00–14:00 UTC); the page rightly leaves it out.
 */
async function nearest(at: { latitude: number; longitude: number }, query = ''): Promise<NearestPlace[]> {
  return (await serverNearest(at, query)).filter((p) => p.distanceM <= REACH_M);
}

const rows = (page: Page) => page.locator('.place-list .place-row');
const rowNames = (page: Page) => page.locator('.place-list .place-name').allTextContents();

/** Waits until the list shows exactly these names, in this order. */
async function expectList(page: Page, names: string[]) {
  await expect.poll(() => rowNames(page), { timeout: 20_000 }).toEqual(names);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

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
    expect((askedBy.get(phone) ?? []).filter((url) => url.includes('/api/places?'))).toEqual([]);
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
    const askedOnline = [...(askedBy.get(phone) ?? [])];
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
});

/** A new account on this phone, then the partner portal's application form. */
async function registerAndOpenApplication(page: Page) {
  await signUpInBrowser(
    page,
    server.dataDir,
    `venue-${randomUUID().slice(0, 8)}@e2e.havre.example`,
    PASSWORD,
  );
  await page.getByRole('link', { name: 'Inscrire mon établissement' }).click();
  await page.getByRole('heading', { level: 1, name: 'Inscrire mon établissement' }).waitFor();
}

describe('venue: apply, review, appear', () => {
  it('a new user registers a venue, the Paris 17e staff approves it, and it is the nearest place', async () => {
    const venue = `Le Havre de Nuit (e2e ${randomUUID().slice(0, 6)})`;
    const spot = { latitude: 48.8839, longitude: 2.3204 };

    // 1. Any signed-in user may apply, from the home screen.
    const owner = await phoneAt(spot);
    let page = owner.page;
    await registerAndOpenApplication(page);
    await shot(page, '9-apply-top');

    await page.getByLabel('Nom de l’établissement', { exact: true }).fill(venue);
    await page.getByLabel('Type d’établissement').selectOption('bar');
    await page.getByLabel('Adresse', { exact: true }).fill('30 rue des Dames, 75017 Paris');
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await page.getByText('Position enregistrée : 48.883900, 2.320400').waitFor();
    // Monday 18:00–02:00 (past midnight), copied to the week; Sunday open all day.
    await page.getByLabel('Lundi', { exact: true }).selectOption('open');
    await page.getByLabel('Lundi 1, De').fill('18:00');
    await page.getByLabel('Lundi 1, à').fill('02:00');
    await page.getByText('(le lendemain)').waitFor();
    await page.getByRole('button', { name: 'Appliquer les horaires du lundi à toute la semaine' }).click();
    await page.getByLabel('Dimanche', { exact: true }).selectOption('allDay');
    await page.getByText('Mo-Sa 18:00-02:00, Su 00:00-24:00').waitFor();
    await page.locator('.hours-editor').screenshot({ path: join(SHOTS, '9a-hours-editor.png') });
    await page.getByLabel('Téléphone de l’établissement').fill('01 23 45 67 89');
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByRole('alert').filter({ hasText: 'Acceptez la charte' }).waitFor();
    await shot(page, '9b-apply-charter');
    await page.getByLabel('J’ai lu la charte').check();
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByText('Demande envoyée.').waitFor();
    await page.locator('.my-place', { hasText: venue }).getByText('En attente de vérification').waitFor();
    await shot(page, '10-applied');

    // 2. The staff of Paris 17e approves it from the "Lieux partenaires" entry.
    const staff = await phoneAt(spot);
    page = staff.page;
    await page.goto('/connexion');
    await page.getByLabel('Adresse e-mail').fill('mairie.paris17@havre.example');
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: /^Lieux partenaires/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Lieux partenaires' }).waitFor();
    const item = page.locator('.review-item', { hasText: venue });
    // Read as people read hours, not in OpenStreetMap's code (Mo-Sa 18:00-02:00, Su 00:00-24:00).
    await item.getByText('Horaires : lundi – samedi : 18:00–02:00 · dimanche : 24 h/24').waitFor();
    await shot(page, '11-review');
    await item.getByRole('button', { name: 'Approuver' }).click();
    await page.getByText(`« ${venue} » est approuvé : il apparaît sur la carte.`).waitFor();
    // Below the review: where the territory lacks open refuges (aggregates of the demo reports, k rule).
    await page.setViewportSize({ width: 1280, height: 800 });
    await page
      .getByRole('heading', { level: 2, name: 'Où recruter des lieux sûrs' })
      .scrollIntoViewIfNeeded();
    await page.locator('.coverage-summary').waitFor();
    // "The last 90 days" are counted in whole UTC weeks (k per week): the page says which.
    await page
      .getByText(/^Semaines entières comptées, du lundi \d+ \S+ au dimanche \d+ \S+ \(UTC\)/)
      .waitFor();
    const gaps = await page.locator('.coverage-table tbody tr').count();
    if (gaps > 0) await page.locator('.coverage-map canvas').waitFor();
    else await page.getByText('Aucune zone à signaler sur cette période').waitFor();
    await page.locator('.coverage-summary').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 200));
    await shot(page, '11b-coverage-desktop');

    // 3. A citizen standing there finds it first.
    const citizen = await phoneAt(spot);
    page = citizen.page;
    await page.goto('/lieux');
    await expect.poll(async () => (await rowNames(page))[0], { timeout: 20_000 }).toBe(venue);
    await rows(page).first().locator('.place-link').click();
    await page.getByRole('heading', { level: 2, name: venue }).waitFor();
    await page.locator('.week-hours tr', { hasText: 'Lundi' }).getByText('18:00 – 02:00').waitFor();
    await page.locator('.week-hours tr', { hasText: 'Dimanche' }).getByText('Toute la journée').waitFor();
    expect(await page.getByRole('link', { name: 'Appeler le 01 23 45 67 89' }).getAttribute('href')).toBe(
      'tel:0123456789',
    );
    await shot(page, '12-new-venue-card');

    // The venue changes its number; the card's "Appeler" button dials the new one.
    page = owner.page;
    await page.reload();
    const mine = page.locator('.my-place', { hasText: venue });
    await mine.locator('.pill', { hasText: 'Vérifié' }).waitFor();
    await mine.getByText('Téléphone', { exact: true }).click();
    const phoneField = mine.getByLabel('Téléphone de l’établissement');
    expect(await phoneField.inputValue()).toBe('01 23 45 67 89');
    await phoneField.fill('pas un numéro');
    await mine.getByRole('button', { name: 'Enregistrer le téléphone' }).click();
    await mine.getByText('Ce numéro de téléphone ne semble pas valide.').first().waitFor();
    await phoneField.fill('01 98 76 54 32');
    await mine.getByRole('button', { name: 'Enregistrer le téléphone' }).click();
    await mine.getByText(/^Téléphone enregistré/).waitFor();
    await citizen.page.reload();
    await citizen.page.getByRole('heading', { level: 2, name: venue }).waitFor();
    expect(
      await citizen.page.getByRole('link', { name: 'Appeler le 01 98 76 54 32' }).getAttribute('href'),
    ).toBe('tel:0198765432');

    // 4. The venue leaves the network: a button, then an explicit confirmation (final).
    const withdraw = mine.getByRole('button', { name: 'Retirer mon établissement du réseau' });
    await withdraw.click();
    await mine.getByText(/^Votre établissement disparaîtra de la carte/).waitFor();
    await mine.getByRole('button', { name: 'Annuler' }).click();
    expect(await mine.locator('.pill').textContent()).toBe('Vérifié');
    await withdraw.click();
    await shot(page, '13-withdraw-confirm');
    await mine.getByRole('button', { name: 'Confirmer le retrait' }).click();
    await mine.locator('.pill', { hasText: 'Retiré du réseau' }).waitFor();
    await mine.getByText('Votre établissement ne fait plus partie du réseau.').waitFor();
    expect(await withdraw.count()).toBe(0);
    await shot(page, '14-withdrawn');

    // 5. Gone from the citizen's list and map.
    page = citizen.page;
    await page.goto('/lieux');
    const after = await nearest(spot);
    expect(after.map((p) => p.name)).not.toContain(venue);
    await expectList(
      page,
      after.map((p) => p.name),
    );
    await page.goto('/lieux?vue=carte');
    await page.locator(`.map-dot[aria-label^="${after[0].name}, "]`).waitFor();
    expect(await page.locator(`.map-dot[aria-label^="${venue}, "]`).count()).toBe(0);
    for (const phone of [owner, staff, citizen]) expect(phone.problems).toEqual([]);
  });

  it('tells a venue outside every territory that nobody can approve it yet', async () => {
    const venue = `Bouchon de la Nuit (e2e ${randomUUID().slice(0, 6)})`;
    const { page, problems } = await phoneAt({ latitude: 45.7578, longitude: 4.832 }); // Lyon: no territory
    await registerAndOpenApplication(page);
    await page.getByLabel('Nom de l’établissement', { exact: true }).fill(venue);
    await page.getByLabel('Adresse', { exact: true }).fill('3 place Bellecour, 69002 Lyon');
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await page.getByText('Position enregistrée : 45.757800, 4.832000').waitFor();
    await page.getByLabel('J’ai lu la charte').check();
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page
      .getByRole('status')
      .getByText(
        'Demande enregistrée, mais aucune ville ni aucun territoire utilisant Havre ne couvre encore cette adresse : personne ne peut la valider pour l’instant.',
      )
      .waitFor();
    const mine = page.locator('.my-place', { hasText: venue });
    await mine
      .getByText(/^Aucune ville ni aucun territoire utilisant Havre ne couvre encore cette adresse/)
      .waitFor();
    await shot(page, '15-no-territory');
    // Still true after a reload (the server knows it has no territory).
    await page.reload();
    await mine
      .getByText(/^Aucune ville ni aucun territoire utilisant Havre ne couvre encore cette adresse/)
      .waitFor();
    expect(problems).toEqual([]);
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
