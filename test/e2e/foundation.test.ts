/**
 * Browser journeys of the foundation (issue 2): a real Havre (built PWA + server + SQLite with
 * the demo seed) driven through Debian's Chromium on a phone-sized screen.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { isFocused, launchBrowser, openPhone, PHONE, type PhonePage } from './helpers/browser.ts';
import { signUpInBrowser, waitForLink } from './helpers/mail.ts';
import { type E2eServer, startE2eServer } from './helpers/server.ts';

let server: E2eServer;
let browser: Browser;
let phone: PhonePage;
let page: Page;

const PASSWORD = 'une phrase de passe solide';
const newEmail = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@e2e.havre.example`;

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Each journey starts in a fresh browser profile: no cookie, no storage. */
async function freshPhone() {
  phone = await openPhone(browser, server.url);
  page = phone.page;
  page.setDefaultTimeout(15_000);
}

afterEach(async () => {
  await phone?.close();
});

const h1 = () => page.getByRole('heading', { level: 1 });
const passwordField = (label = 'Mot de passe') => page.getByLabel(label, { exact: true });

const signUp = (email: string, password = PASSWORD) => signUpInBrowser(page, server.dataDir, email, password);

async function logIn(email: string, password: string) {
  await page.goto('/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await passwordField().fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** What the server says about the session of this browser profile. */
function fetchMe(): Promise<{ status: number; body: { email: string; locale: string } | null }> {
  return page.evaluate(async () => {
    const response = await fetch('/api/me');
    return { status: response.status, body: response.ok ? await response.json() : null };
  });
}

/** Presses Tab until `target` has the focus; returns how many presses it took. */
async function tabTo(target: Locator, max = 20): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    if (await isFocused(target)) return presses;
  }
  throw new Error(`not reached with ${max} presses of Tab`);
}

describe('accounts', () => {
  it('signs up, logs out, and logs back in', async () => {
    await freshPhone();
    const email = newEmail('signup');
    await signUp(email);
    expect(page.url()).toBe(`${server.url}/`);
    await page.getByText('Compte créé.').waitFor();
    expect((await fetchMe()).body?.email).toBe(email);

    await page.getByRole('link', { name: 'Mon compte' }).click();
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByText('Déconnexion effectuée.').waitFor();
    expect((await fetchMe()).status).toBe(401);
    expect(await page.getByRole('link', { name: 'Mon compte' }).count()).toBe(0);

    await logIn(email, PASSWORD);
    await page.getByText('Connexion réussie.').waitFor();
    expect((await fetchMe()).body?.email).toBe(email);
  });

  it('refuses a wrong password with a translated message in the alert region', async () => {
    await freshPhone();
    await logIn('alice@havre.example', 'pas le bon mot de passe');
    const alert = page.getByRole('alert').filter({ hasText: 'Adresse e-mail ou mot de passe incorrect.' });
    await alert.waitFor();
    expect((await fetchMe()).status).toBe(401);
  });

  it('checks the password length before sending and marks the field invalid', async () => {
    await freshPhone();
    await page.goto('/inscription');
    await page.getByLabel('Adresse e-mail').fill(newEmail('short'));
    await passwordField().fill('court');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByRole('alert').filter({ hasText: 'au moins 10 caractères' }).waitFor();
    expect(await passwordField().getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toBe(`${server.url}/inscription`);
  });

  it('downloads my data as a JSON file that contains my e-mail address', async () => {
    await freshPhone();
    const email = newEmail('export');
    await signUp(email);
    await page.goto('/compte');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger mes données' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('havre-mes-donnees.json');
    const text = readFileSync(await download.path(), 'utf8');
    expect(JSON.parse(text)).toBeTypeOf('object');
    expect(text).toContain(email);
    await page.getByText('Fichier téléchargé').waitFor();
  });

  it('deletes my account only with the right password; afterwards that login fails', async () => {
    await freshPhone();
    const email = newEmail('delete');
    await signUp(email);
    await page.goto('/compte');
    await page.getByText('Vos signalements ne sont liés à aucun compte').waitFor();
    const confirm = passwordField('Confirmez avec votre mot de passe');
    const submit = page.getByRole('button', { name: 'Supprimer définitivement mon compte' });

    await confirm.fill('pas le bon mot de passe');
    await submit.click();
    await page.getByRole('alert').filter({ hasText: 'Adresse e-mail ou mot de passe incorrect.' }).waitFor();
    expect((await fetchMe()).status).toBe(200);

    await confirm.fill(PASSWORD);
    await submit.click();
    await page.getByText('Votre compte et vos données personnelles ont été supprimés.').waitFor();
    expect(page.url()).toBe(`${server.url}/`);
    expect((await fetchMe()).status).toBe(401);

    await logIn(email, PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'Adresse e-mail ou mot de passe incorrect.' }).waitFor();
  });

  it('signs up verify-first: same "check your e-mail" screen for a taken address, whose owner is told by e-mail', async () => {
    await freshPhone();
    const email = newEmail('verify');
    await signUp(email);
    expect(new URL(page.url()).hash).toBe(''); // the token leaves the address bar
    await page.goto('/compte');
    await page.getByText('Adresse confirmée').waitFor(); // the link that created it confirmed it

    // Someone else tries the same address: the browser shows exactly what a new address gets.
    await phone.close();
    await freshPhone();
    await page.goto('/inscription');
    await page.getByLabel('Adresse e-mail').fill(email);
    await passwordField().fill('la phrase de quelqu’un d’autre');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Regardez vos e-mails' }).waitFor();
    await page.getByText(`Nous avons envoyé un e-mail à ${email}.`).waitFor();
    expect((await fetchMe()).status).toBe(401);
    // The owner's mailbox says what happened, with the way to log in or reset the password.
    const reset = await waitForLink(server.dataDir, email, '/compte/mot-de-passe-oublie', 10_000, false);
    expect(reset).toBe(`${server.url}/compte/mot-de-passe-oublie`);
  });

  it('resets a forgotten password through the link of the e-mail', async () => {
    await freshPhone();
    const email = newEmail('reset');
    await signUp(email);
    await page.goto('/compte');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByText('Déconnexion effectuée.').waitFor();

    await page.goto('/connexion');
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByRole('button', { name: 'Recevoir le lien' }).click();
    await page.getByText('Si un compte utilise cette adresse').waitFor();

    const link = await waitForLink(server.dataDir, email, '/compte/nouveau-mot-de-passe');
    await page.goto(link);
    const fresh = 'une toute nouvelle phrase';
    await passwordField('Nouveau mot de passe').fill(fresh);
    await passwordField('Confirmez le nouveau mot de passe').fill(fresh);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Mot de passe modifié.').waitFor();

    await logIn(email, fresh);
    await page.getByText('Connexion réussie.').waitFor();
    expect((await fetchMe()).body?.email).toBe(email);
  });
});

describe('language', () => {
  it('switches to English and back; the choice survives a reload and follows the account', async () => {
    await freshPhone();
    const email = newEmail('lang');
    await signUp(email);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: /^Share a trip/ }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect((await fetchMe()).body?.locale).toBe('en');

    await page.reload();
    await page.getByRole('link', { name: /^Share a trip/ }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // Another device (a fresh profile, French by default) adopts the account's language at sign-in.
    await phone.close();
    await freshPhone();
    await page.goto('/');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await logIn(email, PASSWORD);
    await page.getByRole('link', { name: 'My account' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('link', { name: /^Partager un trajet/ }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.reload();
    await page.getByRole('link', { name: /^Partager un trajet/ }).waitFor();
    expect((await fetchMe()).body?.locale).toBe('fr');
  });
});

describe('spaces by role', () => {
  it('shows the dashboard entry to the staff of Paris 17e, who reaches the dashboard', async () => {
    await freshPhone();
    await logIn('mairie.paris17@havre.example', DEMO_PASSWORD);
    const entry = page.getByRole('link', { name: /^Tableau de bord/ });
    await entry.waitFor();
    expect(await page.getByRole('link', { name: /^Administration/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Espace partenaire/ }).count()).toBe(0);
    await entry.click();
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    expect(page.url()).toBe(`${server.url}/tableau-de-bord`);
    await page.getByText('Vos territoires : 75117').waitFor();
  });

  it('hides the dashboard from a citizen, who gets the reserved message at /tableau-de-bord', async () => {
    await freshPhone();
    await logIn('alice@havre.example', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Mon compte' }).waitFor();
    await page.getByRole('link', { name: /^Lieux sûrs/ }).waitFor();
    expect(await page.getByRole('link', { name: /^Tableau de bord/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Mes espaces' }).count()).toBe(0);

    await page.goto('/tableau-de-bord');
    await page.getByRole('heading', { level: 1, name: 'Accès réservé' }).waitFor();
    await page.getByText('réservée aux équipes municipales').waitFor();
    await page.goto('/admin');
    await page.getByRole('heading', { level: 1, name: 'Accès réservé' }).waitFor();
  });

  it('lets the admin import a territory from a file, give and take back staff access, and delete it', async () => {
    const db = server.running.services.db.kysely;
    const staffOf = async (email: string) =>
      (
        await db
          .selectFrom('staff_territories')
          .innerJoin('users', 'users.id', 'staff_territories.user_id')
          .select('territory_code')
          .where('users.email', '=', email)
          .execute()
      ).map((row) => row.territory_code);
    const file = (name: string, geojson: unknown) => ({
      name,
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify(geojson)),
    });
    await freshPhone();
    await logIn('admin@havre.example', DEMO_PASSWORD);
    await page.getByRole('link', { name: /^Administration/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    const territories = page.getByRole('region', { name: 'Territoires' });
    await territories.getByText('Paris 17e — Batignolles-Monceau').waitFor(); // the demo's
    await territories.getByText('Rouen', { exact: true }).waitFor();

    // A file that is not a territory: said plainly, nothing imported.
    const fileInput = territories.getByLabel('Fichier GeoJSON');
    await fileInput.setInputFiles(
      file('vide.geojson', {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: {}, geometry: null }],
      }),
    );
    await territories.getByRole('button', { name: 'Importer' }).click();
    await territories.getByText('Ce fichier n’est pas un GeoJSON de territoires valide').waitFor();

    const square = [
      [
        [5.36, 43.29],
        [5.39, 43.29],
        [5.39, 43.31],
        [5.36, 43.31],
        [5.36, 43.29],
      ],
    ];
    await fileInput.setInputFiles(
      file('marseille.geojson', {
        type: 'Feature',
        properties: { code: '13055', nom: 'Marseille (e2e)' },
        geometry: { type: 'Polygon', coordinates: square },
      }),
    );
    await territories.getByRole('button', { name: 'Importer' }).click();
    await territories.getByText('Importé : 1 créé(s), 0 mis à jour (13055).').waitFor();
    await territories.getByText('Marseille (e2e)', { exact: true }).waitFor();

    const staff = page.getByRole('region', { name: 'Accès des équipes municipales' });
    await staff.getByLabel('Territoire').selectOption('13055');
    await staff.getByText('Aucun compte n’a accès à ce territoire.').waitFor();
    await staff.getByLabel('Adresse e-mail du compte').fill('personne@havre.example');
    await staff.getByRole('button', { name: 'Donner l’accès' }).click();
    await staff.getByText('Aucun compte avec cette adresse e-mail, ou territoire inconnu.').waitFor();
    await staff.getByLabel('Adresse e-mail du compte').fill('bob@havre.example');
    await staff.getByRole('button', { name: 'Donner l’accès' }).click();
    await staff.getByText('bob@havre.example a maintenant accès à Marseille (e2e).').waitFor();
    expect(await staffOf('bob@havre.example')).toEqual(['13055']);
    await staff.getByRole('button', { name: 'Retirer l’accès de bob@havre.example' }).click();
    await staff.getByText('bob@havre.example n’a plus accès à Marseille (e2e).').waitFor();
    await staff.getByText('Aucun compte n’a accès à ce territoire.').waitFor();
    expect(await staffOf('bob@havre.example')).toEqual([]);
    // Paris 17e's own team, as the demo made it.
    await staff.getByLabel('Territoire').selectOption('75117');
    await staff.getByText('mairie.paris17@havre.example', { exact: true }).waitFor();

    // Deleting asks first, naming the territory.
    await territories.getByRole('button', { name: 'Supprimer Marseille (e2e)' }).click();
    await territories.getByText('Supprimer Marseille (e2e) (13055) et l’accès de ses équipes ?').waitFor();
    await territories.getByRole('button', { name: 'Confirmer la suppression' }).click();
    await territories.getByText('Marseille (e2e) a été supprimé.').waitFor();
    expect(await territories.getByText('Marseille (e2e)', { exact: true }).count()).toBe(0);
    expect((await fetch(`${server.url}/api/territories/13055`)).status).toBe(404);
    // The two refusals above answered 4xx, which Chromium logs: nothing else went wrong.
    expect(phone.problems.filter((p) => !/status of 40[04]/.test(p))).toEqual([]);
  });

  it('shows the partner space to the partner venue only', async () => {
    await freshPhone();
    await logIn('cafe@havre.example', DEMO_PASSWORD);
    const entry = page.getByRole('link', { name: /^Espace partenaire/ });
    await entry.waitFor();
    expect(await page.getByRole('link', { name: /^Tableau de bord/ }).count()).toBe(0);
    await entry.click();
    await page.getByRole('heading', { level: 1, name: 'Espace partenaire' }).waitFor();
  });

  it('asks an anonymous visitor of the dashboard to sign in, then brings the admin back to it', async () => {
    await freshPhone();
    await page.goto('/tableau-de-bord');
    await page.getByRole('heading', { level: 1, name: 'Connexion nécessaire' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Se connecter' }).click();
    await page.getByLabel('Adresse e-mail').fill('admin@havre.example');
    await passwordField().fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    expect(page.url()).toBe(`${server.url}/tableau-de-bord`);
    await page.goto('/');
    await page.getByRole('link', { name: /^Administration/ }).waitFor();
    for (const space of ['Tableau de bord', 'Espace partenaire', 'Administration']) {
      const expected = space === 'Espace partenaire' ? 0 : 1; // admin is not a venue
      expect(await page.getByRole('link', { name: new RegExp(`^${space}`) }).count()).toBe(expected);
    }
  });
});

describe('accessibility and shell', () => {
  it('reaches the skip link, SOS and the three tiles with Tab, by their accessible names', async () => {
    await freshPhone();
    await page.goto('/');
    const skip = page.getByRole('link', { name: 'Aller au contenu' });
    const sos = page.getByRole('link', { name: 'SOS Alerter mes proches maintenant' });
    const share = page.getByRole('link', { name: /^Partager un trajet/ });
    const report = page.getByRole('link', { name: /^Signaler/ });
    const places = page.getByRole('link', { name: /^Lieux sûrs/ });
    // The app's own screen (the tiles are not in index.html's first screen): tabbing while
    // React replaces the static screen would measure the swap, not the page's order.
    await share.waitFor();

    expect(await tabTo(skip)).toBe(1); // first stop of the page
    // Header (home link, sign-in, language), then SOS; the two emergency numbers; then the tiles.
    const order = [await tabTo(sos), await tabTo(share), await tabTo(report), await tabTo(places)];
    expect(order).toEqual([4, 3, 1, 1]);

    // The focused tile shows a visible focus ring.
    const ring = await places.evaluate((element) => {
      const style = getComputedStyle(element);
      return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
    });
    expect(ring.style).not.toBe('none');
    expect(ring.width).toBeGreaterThanOrEqual(2);

    // SOS is a large target, and Enter opens it with the focus on its heading.
    const box = await sos.boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(64);
    expect(box?.width).toBeGreaterThanOrEqual(64);
    await sos.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'SOS' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    expect(await isFocused(h1())).toBe(true);
  });

  it('offers SOS and the emergency numbers before any script runs: plain links in the page itself', async () => {
    const context = await browser.newContext({
      baseURL: server.url,
      viewport: PHONE,
      isMobile: true,
      locale: 'fr-FR',
      javaScriptEnabled: false,
    });
    try {
      const noJs = await context.newPage();
      await noJs.goto('/lieux'); // any page: the first screen shows while the app loads
      const sos = noJs.getByRole('link', { name: 'SOS Alerter mes proches maintenant' });
      expect(await sos.getAttribute('href')).toBe('/sos');
      const box = await sos.boundingBox();
      expect(box?.height).toBeGreaterThanOrEqual(64);
      expect(box?.width).toBeGreaterThanOrEqual(64);
      expect(await noJs.getByRole('link', { name: 'Appeler le 17' }).getAttribute('href')).toBe('tel:17');
      expect(await noJs.getByRole('link', { name: 'SMS au 114' }).getAttribute('href')).toBe('sms:114');
      // The SOS page, its own document: the numbers before (or without) its script.
      await sos.click();
      await noJs.getByRole('heading', { level: 1, name: 'SOS' }).waitFor();
      expect(await noJs.getByRole('link', { name: '17 Police' }).getAttribute('href')).toBe('tel:17');
      expect(await noJs.getByRole('link', { name: '112 Urgences' }).getAttribute('href')).toBe('tel:112');
    } finally {
      await context.close();
    }
  });

  it('gives the focus back to the same link when the app replaces the first screen of index.html', async () => {
    await freshPhone();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The app's scripts wait until someone is already on the first screen's SOS link.
    await page.route('**/assets/*.js', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/', { waitUntil: 'commit' });
    const sos = page.getByRole('link', { name: 'SOS Alerter mes proches maintenant' });
    await sos.focus();
    expect(await page.getByRole('link', { name: /^Partager un trajet/ }).count()).toBe(0); // not the app yet
    release();
    await page.getByRole('link', { name: /^Partager un trajet/ }).waitFor();
    expect(await isFocused(sos)).toBe(true);
  });

  it('shows the SOS page in English on a device set to English', async () => {
    await freshPhone();
    await page.goto('/');
    await page.evaluate(() => localStorage.setItem('havre.locale', 'en'));
    await page.goto('/sos');
    await page
      .getByText('Without an account Havre cannot alert anyone close to you.', { exact: false })
      .waitFor();
    expect(await page.getByRole('link', { name: '112 Emergency' }).getAttribute('href')).toBe('tel:112');
    expect(
      await page.getByRole('link', { name: 'Create an account so you can alert your contacts' }).count(),
    ).toBe(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('keeps text contrast at WCAG AA in the light and the dark scheme', async () => {
    await freshPhone();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto('/');
      // The app's own screen: index.html's first screen has SOS but not the tiles measured here.
      await page.getByRole('link', { name: /^Partager un trajet/ }).waitFor();
      const ratios = await page.evaluate(() => {
        const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const luminance = (css: string) => {
          const [r, g, b] = rgb(css).map((v) => {
            const c = v / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        /** The first opaque background colour from the element up. */
        const background = (element: Element | null): string => {
          for (let node = element; node; node = node.parentElement) {
            const colour = getComputedStyle(node).backgroundColor;
            if (!/rgba\(.*, 0\)$/.test(colour) && colour !== 'transparent') return colour;
          }
          return 'rgb(255, 255, 255)';
        };
        const ratio = (selector: string) => {
          const element = document.querySelector(selector);
          if (!element) return { selector, ratio: 0 };
          const a = luminance(getComputedStyle(element).color);
          const b = luminance(background(element));
          return { selector, ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
        };
        return [
          '.sos-hint',
          '.tile-title',
          '.tile-hint',
          '.section-title',
          '.emergency p',
          '.emergency-actions a',
          '.join .button.primary',
          '.join p',
          '.site-footer p',
          '.brand span',
          '.site-header nav a',
        ].map(ratio);
      });
      for (const { selector, ratio } of ratios) {
        expect(ratio, `${colorScheme} ${selector}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('loads every page with the CSP, no CSP violation and no console error', async () => {
    await freshPhone();
    const response = await page.goto('/');
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    for (const path of [
      '/',
      '/connexion',
      '/inscription',
      '/compte',
      '/compte/mot-de-passe-oublie',
      '/sos',
      '/partager',
      '/signaler',
      '/lieux',
      '/tableau-de-bord',
      '/partenaire',
      '/admin',
      '/une-page-qui-n-existe-pas',
    ]) {
      await page.goto(path);
      await h1().waitFor();
    }
    await logIn('admin@havre.example', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Mon compte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
    await page.goto('/admin');
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    expect(phone.problems).toEqual([]);
  });

  it('is installable: a French manifest with its icons, and an active service worker', async () => {
    await freshPhone();
    await page.goto('/');
    const manifestHref = await page.getAttribute('link[rel="manifest"]', 'href');
    expect(manifestHref).toBeTruthy();
    const manifest = await page.evaluate(async (href) => (await fetch(href as string)).json(), manifestHref);
    expect(manifest).toMatchObject({ name: 'Havre', lang: 'fr', display: 'standalone', start_url: '/' });
    const icons = manifest.icons as { src: string; sizes: string; purpose?: string }[];
    expect(icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
    for (const icon of icons) {
      const type = await page.evaluate(
        async (src) => (await fetch(src)).headers.get('content-type'),
        icon.src,
      );
      expect(type).toBe('image/png');
    }
    const worker = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
    expect(worker).toBe(`${server.url}/sw.js`);
  });
});
