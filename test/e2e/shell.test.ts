/**
 * Browser journeys of the PWA's shell (issue 2): the keyboard order and focus, the first screen
 * before any script, English on an English device, text contrast, the CSP and installability, on
 * a real Havre (built PWA + server + SQLite with the demo seed) in Debian's Chromium on a
 * phone-sized screen.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { contrasts, isFocused, PHONE, type PhonePage } from './helpers/browser.ts';
import { phoneJourneys } from './helpers/phone-journeys.ts';

const J = phoneJourneys();
let phone: PhonePage;
let page: Page;
const { h1, logIn } = J;

/** Each journey starts in a fresh browser profile: no cookie, no storage. */
async function freshPhone() {
  ({ phone, page } = await J.freshPhone());
}

/** Presses Tab until `target` has the focus; returns how many presses it took. */
async function tabTo(target: Locator, max = 20): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    if (await isFocused(target)) return presses;
  }
  throw new Error(`not reached with ${max} presses of Tab`);
}

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
    const context = await J.j.browser.newContext({
      baseURL: J.j.server.url,
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
      const ratios = await contrasts(page, [
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
      ]);
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

  it('fits every page in a 320-pixel-wide screen without sideways scrolling (WCAG reflow)', async () => {
    await freshPhone();
    await page.setViewportSize({ width: 320, height: 640 });
    /** How far the page scrolls sideways, in CSS pixels (0 when it fits). */
    const sideways = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const pages = [
      '/',
      '/lieux',
      '/signaler',
      '/sos',
      '/partager',
      '/contacts',
      '/compte',
      '/partenaire',
      '/admin',
    ];
    const wide: string[] = [];
    /** Notes the page if it scrolls sideways. */
    const measure = async (what: string) => {
      const px = await sideways();
      if (px > 0) wide.push(`${what}: ${px} px`);
    };
    const signInAs = async (email: string) => {
      await page.context().clearCookies();
      await logIn(email, DEMO_PASSWORD);
      await page.getByRole('link', { name: 'Mon compte' }).waitFor();
    };
    // Signed out, the header's "Se connecter" and "English" did not fit beside the name (342 px).
    for (const path of ['/', '/connexion', '/sos']) {
      await page.goto(path);
      await h1().waitFor();
      await measure(`${path} (signed out)`);
    }
    await signInAs('admin@havre.example');
    for (const path of pages) {
      await page.goto(path);
      await h1().waitFor();
      await measure(path);
    }
    // The dashboard's selects hold the longest names: every territory for an admin, every
    // category for a municipality's staff (they made it 511 and 418 px wide on a 390 px phone).
    await page.goto('/tableau-de-bord');
    await page.getByRole('combobox', { name: 'Territoire' }).waitFor();
    await measure('dashboard (admin)');
    await signInAs('mairie.paris17@havre.example');
    await page.goto('/tableau-de-bord');
    await page.getByRole('combobox', { name: 'Catégorie' }).waitFor();
    await measure('dashboard (staff)');
    // A venue's opening hours, open: a fieldset is as wide as its widest line unless told otherwise.
    await signInAs('cafe@havre.example');
    await page.goto('/partenaire');
    await page.getByText('Horaires', { exact: true }).first().click();
    await page.locator('fieldset.hours-editor').first().waitFor();
    await measure('opening hours (partner)');
    expect(wide).toEqual([]);
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
    expect(worker).toBe(`${J.j.server.url}/sw.js`);
  });
});
