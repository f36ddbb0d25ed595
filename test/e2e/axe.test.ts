/**
 * Every page of every role checked by axe-core (WCAG 2.1 A and AA, and axe's best practices)
 * in French and English: citizens on a phone, municipal staff and the admin on a desktop
 * screen, a partner venue on a phone. A real Havre (built PWA + server + SQLite with the demo
 * seed) in Debian's Chromium. Keyboard focus and live announcements are checked by the
 * journeys themselves (shell, reports, sharing, SOS…): axe cannot see them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { launchBrowser, PHONE } from './helpers/browser.ts';
import { type E2eServer, startE2eServer } from './helpers/server.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PARIS_17 = { latitude: 48.8838, longitude: 2.3203 };
const DESKTOP = { width: 1280, height: 800 };
type Locale = 'fr' | 'en';

interface Role {
  name: string;
  email: string | null;
  screen: 'phone' | 'desktop';
  pages: string[];
}

const ROLES: Role[] = [
  {
    name: 'a visitor',
    email: null,
    screen: 'phone',
    pages: [
      '/',
      '/connexion',
      '/inscription',
      '/compte/mot-de-passe-oublie',
      '/lieux',
      '/lieux?vue=carte',
      '/sos',
    ],
  },
  {
    name: 'a citizen',
    email: 'alice@havre.example',
    screen: 'phone',
    pages: ['/', '/signaler', '/contacts', '/partager', '/compte', '/lieux'],
  },
  { name: 'a partner venue', email: 'cafe@havre.example', screen: 'phone', pages: ['/partenaire'] },
  {
    name: 'municipal staff',
    email: 'mairie.paris17@havre.example',
    screen: 'desktop',
    pages: [
      '/tableau-de-bord',
      '/tableau-de-bord/75117',
      '/tableau-de-bord/75117/actions',
      '/tableau-de-bord/lieux',
    ],
  },
  { name: 'the admin', email: 'admin@havre.example', screen: 'desktop', pages: ['/admin'] },
];

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

/** A fresh profile for a role, signed in through the API, in `locale`, with axe in every page. */
async function profile(role: Role, locale: Locale): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: server.url,
    locale: locale === 'en' ? 'en-GB' : 'fr-FR',
    ...(role.screen === 'phone'
      ? { viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: DESKTOP }),
    geolocation: PARIS_17,
    permissions: ['geolocation'],
  });
  // Init scripts are injected by the browser: the page's CSP does not apply to them.
  await context.addInitScript(AXE_SOURCE);
  await context.addInitScript((l) => localStorage.setItem('havre.locale', l), locale);
  if (role.email) {
    const headers = { origin: server.url };
    const login = await context.request.post('/api/auth/login', {
      data: { email: role.email, password: DEMO_PASSWORD },
      headers,
    });
    expect(login.status(), role.email).toBe(200);
    const id = ((await login.json()) as { id: string }).id;
    await context.addInitScript((user) => localStorage.setItem('havre.signedIn', user), id);
    // The account's language wins over the phone's once signed in.
    expect((await context.request.patch('/api/me', { data: { locale }, headers })).status()).toBe(200);
  }
  return context;
}

interface Violation {
  id: string;
  impact: string | null;
  nodes: string[];
}

async function violations(page: Page): Promise<Violation[]> {
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
    })) as {
      violations: { id: string; impact: string | null; nodes: { target: string[]; html: string }[] }[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.html.slice(0, 160)}`),
    }));
  });
}

describe('axe-core on every page, in French and English', () => {
  for (const role of ROLES) {
    for (const locale of ['fr', 'en'] as const) {
      it(`finds nothing on the pages of ${role.name} (${locale})`, async () => {
        const context = await profile(role, locale);
        try {
          const page = await context.newPage();
          page.setDefaultTimeout(20_000);
          const found: Record<string, Violation[]> = {};
          for (const path of role.pages) {
            await page.goto(path);
            await page.getByRole('heading', { level: 1 }).first().waitFor();
            expect(await page.locator('html').getAttribute('lang'), path).toBe(locale);
            // Let lazy parts (maps, lists from the API) arrive before judging the page.
            await page.waitForLoadState('networkidle');
            const seen = await violations(page);
            if (seen.length) found[path] = seen;
          }
          expect(found).toEqual({});
        } finally {
          await context.close();
        }
      });
    }
  }
});
