/**
 * Shared by the report journeys (reports.test.ts, reports-dashboard.test.ts): a real Havre with
 * the demo seed, Debian's Chromium, API sessions for the test's own calls (the CLI's way:
 * `Authorization: Bearer`), and the steps both files repeat. Whether the server got a report is
 * read from the staff API (territory totals), as the municipality would see it.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { DEMO_PASSWORD } from '../../../src/demo/seed.ts';
import { signUpByMail } from '../../helpers/signup-by-mail.ts';
import { launchBrowser, openPhone, type PhonePage } from './browser.ts';
import { type E2eServer, startE2eServer } from './server.ts';

export const PARIS17 = { latitude: 48.8838, longitude: 2.3203 }; // rue des Dames, Batignolles
export const STAFF_PARIS17 = 'mairie.paris17@havre.example';
export const STAFF_ROUEN = 'mairie.rouen@havre.example';
export const ALICE = 'alice@havre.example';
export const DESKTOP = { width: 1280, height: 800 };
export const SHOTS = process.env.HAVRE_SCREENSHOTS ?? join(tmpdir(), 'havre-screenshots', 'reports');

/** The running Havre and browser of the current test file, set by `setUpReportJourneys`. */
export const J = {} as { server: E2eServer; browser: Browser; staffToken: string; k: number };

export async function shot(page: Page, name: string, fullPage = true) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/** A session token for API calls from the test (the CLI's way: `Authorization: Bearer`). */
export async function session(
  path: 'login' | 'signup',
  email: string,
  password = DEMO_PASSWORD,
): Promise<string> {
  if (path === 'signup') return signUpByMail(J.server.url, J.server.dataDir, email, password);
  const response = await fetch(`${J.server.url}/api/auth/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status, `${path} ${email}`).toBeLessThan(300);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('havre_session='));
  return cookie?.split(';')[0].split('=')[1] ?? '';
}

export async function apiAs(token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${J.server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
}

/** Reports of Paris 17e over the default window (30 days), as its staff sees the total. */
export async function paris17Total(): Promise<number> {
  const response = await apiAs(J.staffToken, '/api/territories/75117/heatmap');
  expect(response.status).toBe(200);
  return ((await response.json()) as { total: number }).total;
}

export async function waitForTotal(expected: number) {
  await expect.poll(paris17Total, { timeout: 20_000, interval: 250 }).toBe(expected);
}

/** A phone profile signed in as Alice, located in Paris 17e. */
export async function alicePhone(): Promise<PhonePage> {
  const phone = await openPhone(J.browser, J.server.url);
  phone.page.setDefaultTimeout(20_000);
  await phone.context.grantPermissions(['geolocation'], { origin: J.server.url });
  await phone.context.setGeolocation({ ...PARIS17, accuracy: 15 });
  await signIn(phone.page, ALICE);
  return phone;
}

export async function signIn(page: Page, email: string) {
  await page.goto('/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('link', { name: 'Mon compte' }).waitFor();
}

export async function desktop(
  email: string,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await J.browser.newContext({ baseURL: J.server.url, viewport: DESKTOP, locale: 'fr-FR' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await signIn(page, email);
  return { context, page, problems };
}

/** Category (tap 1), role (tap 2): step 3 has "now" and "here" filled in, so sending is tap 3. */
export async function reportInTwoTapsThenReview(page: Page) {
  await page.getByRole('button', { name: /^Suivi·e/ }).click();
  await page.getByRole('button', { name: /^J’en ai été témoin/ }).click();
  await page.getByText('Position trouvée').waitFor();
}

/** What the phone keeps in IndexedDB: the history entries and the number of queued bodies. */
export function phoneStores(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ history: Record<string, unknown>[]; queued: number }>((resolve, reject) => {
        const request = indexedDB.open('havre-reports');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction(['mes signalements', 'envois en attente']);
          const history = tx.objectStore('mes signalements').getAll();
          const queued = tx.objectStore('envois en attente').count();
          tx.oncomplete = () => {
            resolve({ history: history.result, queued: queued.result });
            db.close();
          };
        };
      }),
  );
}

/** Starts Havre and the browser before the file's journeys, stops them after. */
export function setUpReportJourneys(): void {
  beforeAll(async () => {
    J.server = await startE2eServer();
    J.browser = await launchBrowser();
    J.staffToken = await session('login', STAFF_PARIS17);
    const config = (await (await fetch(`${J.server.url}/api/config`)).json()) as { kAnonymity: number };
    J.k = Math.max(3, config.kAnonymity);
  });

  afterAll(async () => {
    await J.browser?.close();
    await J.server?.stop();
  });
}
