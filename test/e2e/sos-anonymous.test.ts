/**
 * Browser journeys of the SOS page for someone without an account (issue 5): the emergency
 * numbers and the nearest refuges at once — open places and the nearest police station even of
 * unknown hours, within walking reach — and a clear word when the location is refused. A real
 * Havre (built PWA + server + SQLite with the demo seed). And someone signed in who has no
 * trusted contact yet: the alert is recorded, never said "sent". The signed-in SOS journeys,
 * with contacts alerted, are in sharing.test.ts.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { REACH_M } from '../../web/src/sharing/refuge-list.ts';
import { launchBrowser, openPhone } from './helpers/browser.ts';
import { type E2eServer, startE2eServer } from './helpers/server.ts';
import { signedInPhone } from './helpers/sign-in.ts';

/** Rue des Batignolles, Paris 17e: the 17e's central commissariat is 140 m away. */
const PATH = [{ latitude: 48.8846, longitude: 2.3206 }];
const SHOTS = process.env.HAVRE_SCREENSHOTS ?? join(tmpdir(), 'havre-screenshots', 'sharing');

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe('SOS without an account', () => {
  it('SOS without an account shows the emergency numbers and the nearest open refuges at once', async () => {
    // A phone still on another zone's time (a visitor from Montréal): a refuge's closing time is
    // the one on its door, in the place's zone, as on the places screen.
    const visitor = await openPhone(browser, server.url, { timeZone: 'America/Montreal' });
    try {
      await visitor.context.grantPermissions(['geolocation'], { origin: server.url });
      await visitor.context.setGeolocation({ ...PATH[0], accuracy: 20 });
      await visitor.page.goto('/sos');
      await visitor.page.getByText('Sans compte, Havre ne peut pas prévenir vos proches.').waitFor();
      expect(await visitor.page.getByRole('button', { name: 'Annuler', exact: true }).count()).toBe(0);
      // Which place is open depends on the hour the test runs (the demo bar closes at 02:00):
      // expect the nearest ones the server finds open now, whichever they are.
      const near = (query: string) =>
        fetch(
          `${server.url}/api/places/nearest?lat=${PATH[0].latitude}&lon=${PATH[0].longitude}&limit=3&${query}`,
        ).then(
          (r) =>
            r.json() as Promise<{
              places: { name: string; distanceM: number; closesAt?: string; openNow: boolean | null }[];
            }>,
        );
      const [nearest, stations] = await Promise.all([
        near('openOnly=true'),
        near('kinds=police,gendarmerie'),
      ]);
      // Late on a Sunday night fewer than three are open; the demo's hotel never closes.
      expect(nearest.places.length).toBeGreaterThan(0);
      // The 17e's central commissariat, 140 m away, has no opening hours in the official data:
      // shown all the same, with its hours said unknown.
      expect(stations.places[0]).toMatchObject({
        name: 'Commissariat central de police de Paris 17e arrondissement',
        openNow: null,
      });
      const refuges = visitor.page.getByRole('region', { name: 'Lieux sûrs près de vous' });
      const items = refuges.getByRole('listitem');
      const item = (name: string) => items.filter({ has: visitor.page.getByText(name, { exact: true }) });
      const station = item(stations.places[0].name);
      await station.getByText('Horaires non renseignés. En cas d’urgence, appelez le 17.').waitFor();
      // Nearest first: the commissariat, then the open places within walking reach (late in the
      // evening the third open one is the demo's bar in Rouen, left out).
      const reachable = nearest.places.filter((p) => p.distanceM <= REACH_M);
      expect(await items.count()).toBe(reachable.length + 1);
      expect(await items.first().textContent()).toContain(stations.places[0].name);
      // "ouvert jusqu'à 23:30": the wall-clock part of the answer's closesAt (written with the
      // place's offset). Places open round the clock have none; at most hours some of the three
      // close today (the demo's bars and police desks).
      for (const place of reachable) {
        const until = item(place.name).getByText(/^ouvert jusqu’à /);
        if (place.closesAt)
          expect(await until.textContent()).toBe(`ouvert jusqu’à ${place.closesAt.slice(11, 16)}`);
        else expect(await until.count()).toBe(0);
      }
      await shot(visitor.page, '16-sos-anonymous');
    } finally {
      await visitor.close();
    }
  });

  it('SOS with the location refused says so and points to the map of safe places, instead of waiting', async () => {
    const visitor = await openPhone(browser, server.url); // no geolocation permission: refused
    try {
      await visitor.page.goto('/sos');
      const refuges = visitor.page.getByRole('region', { name: 'Lieux sûrs près de vous' });
      await refuges.getByText(/^Sans votre position \(localisation refusée ou impossible\)/).waitFor();
      expect(await refuges.getByText('En attente de la position…').count()).toBe(0);
      await refuges.getByRole('link', { name: 'Chercher sur la carte des lieux sûrs' }).click();
      await visitor.page.waitForURL('**/lieux');
    } finally {
      await visitor.close();
    }
  });

  it('someone without a trusted contact: the alert is recorded, not said sent, and its cancel tells nobody', async () => {
    // The demo seeds no contacts: Alice has none on this server.
    const alice = await signedInPhone(browser, server.url, 'alice@havre.example', PATH[0]);
    try {
      await alice.page.goto('/sos');
      await alice.page.getByText('Alerte enregistrée', { exact: true }).waitFor();
      await alice.page
        .getByText('Vous n’avez pas encore de contact de confiance : appelez le 17 ou le 112.')
        .waitFor();
      expect(await alice.page.getByText('Alerte envoyée', { exact: true }).count()).toBe(0);
      // Focus follows each step (the countdown's button is gone): a screen reader reads the outcome.
      const focused = () => alice.page.evaluate(() => document.activeElement?.textContent ?? '');
      await expect.poll(focused).toContain('Alerte enregistrée');
      await alice.page.getByRole('button', { name: 'Annuler l’alerte' }).focus();
      await alice.page.keyboard.press('Enter');
      await expect.poll(focused).toBe('Annuler l’alerte'); // the form's title
      await alice.page.getByRole('button', { name: 'Garder l’alerte' }).focus();
      await alice.page.keyboard.press('Enter');
      await expect.poll(focused).toBe('Annuler l’alerte'); // back on the button that opened it
      expect(await alice.page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
      await alice.page.getByRole('button', { name: 'Annuler l’alerte' }).click();
      await alice.page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
      await alice.page.getByRole('button', { name: 'Tout va bien, annuler l’alerte' }).click();
      await alice.page.getByText('Alerte annulée.', { exact: true }).waitFor();
      await expect.poll(focused).toBe('Alerte annulée.');
      expect(await alice.page.getByText(/Vos contacts ont été prévenus/).count()).toBe(0);
    } finally {
      await alice.close();
    }
  });

  it('someone without a trusted contact who starts a check-in trip is told nobody will be alerted', async () => {
    // Bob has no contact on this server either. "Votre contact sera alerté" (French reads a count
    // of 0 as singular) promised her an alert that nobody would get.
    const bob = await signedInPhone(browser, server.url, 'bob@havre.example', PATH[0]);
    try {
      await bob.page.goto('/partager');
      await bob.page.getByText('Destination, mode, contacts…').click();
      await bob.page.getByLabel('Ma position seulement si je ne confirme pas mon arrivée (check-in)').check();
      await bob.page.getByRole('button', { name: 'Commencer le partage' }).click();
      await bob.page.waitForURL(/\/partage\/[0-9a-f-]{36}$/);
      await bob.page
        .getByText(
          'Personne ne sera alerté si vous ne confirmez pas votre arrivée : aucun contact ne suit ce partage.',
        )
        .waitFor();
      expect(await bob.page.getByText(/Votre contact sera alerté/).count()).toBe(0);
      await bob.page.getByRole('button', { name: 'Je suis arrivé·e' }).click();
      // Ended, without "your contacts were told".
      await bob.page.getByText('Bien arrivé·e ! Le partage est terminé.', { exact: true }).waitFor();
    } finally {
      await bob.close();
    }
  });
});
