/**
 * The set-up of the safe-places journeys: one Havre (built PWA + server + SQLite with the demo
 * seed: real police stations, synthetic partner venues in Paris 17e and Rouen) and one Chromium
 * with WebGL (SwiftShader: MapLibre needs it) per file; phones with a position, the record of
 * every URL they asked, and the server's answer as the oracle of the list. Open/closed depends
 * on the real clock, so expectations are read from the API at the same moment.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { PLACES_REACH_M } from '../../../web/src/places/nearest-on-phone.ts';
import { gridAreaWithin } from '../../../web/src/places/offline-store.ts';
import { openPhone, type PhonePage } from './browser.ts';
import { expectPositionKept } from './position-kept.ts';
import { type E2eServer, ROOT, startE2eServer } from './server.ts';

export const PARIS_17 = { latitude: 48.8838, longitude: 2.3203 };
export const ROUEN = { latitude: 49.4404, longitude: 1.0902 };
const SHOTS = join(ROOT, 'test-results/places'); // git-ignored

type At = { latitude: number; longitude: number };

export interface NearestPlace {
  id: string;
  name: string;
  openNow: boolean | null;
  trained: boolean;
  lat: number;
  lon: number;
  distanceM: number;
}

export const rows = (page: Page) => page.locator('.place-list .place-row');
export const rowNames = (page: Page) => page.locator('.place-list .place-name').allTextContents();

/** Waits until the list shows exactly these names, in this order. */
export async function expectList(page: Page, names: string[]) {
  await expect.poll(() => rowNames(page), { timeout: 20_000 }).toEqual(names);
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

export const shotPath = (name: string) => join(SHOTS, `${name}.png`);

/** The export URL of the grid area a phone at `at` downloads for a reach. */
export const exportUrlFor = (at: At, reachM: number) =>
  `/api/places/export?bbox=${gridAreaWithin(at.latitude, at.longitude, reachM)
    .map((v) => v.toFixed(1))
    .join(',')}`;

export function placesJourneys() {
  let server: E2eServer;
  let browser: Browser;
  const phones: PhonePage[] = [];
  /** Every URL a phone asked (its pages and its service worker), to check what it told the server. */
  const askedBy = new WeakMap<PhonePage, string[]>();

  beforeAll(async () => {
    server = await startE2eServer();
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

  /** What the server answers, at this moment, from the same position, however far the places. */
  async function serverNearest(at: At, query = ''): Promise<NearestPlace[]> {
    const url = `${server.url}/api/places/nearest?lat=${at.latitude}&lon=${at.longitude}&limit=10${query}`;
    return ((await (await fetch(url)).json()) as { places: NearestPlace[] }).places;
  }

  return {
    server: () => server,
    /** A fresh phone (no cookie, no storage) whose geolocation says `at`. */
    async phoneAt(at: At): Promise<PhonePage> {
      const phone = await openPhone(browser, server.url);
      const asked: string[] = [];
      askedBy.set(phone, asked);
      phone.context.on('request', (request) => asked.push(request.url()));
      phone.page.setDefaultTimeout(20_000);
      await phone.context.grantPermissions(['geolocation']);
      await phone.context.setGeolocation(at);
      phones.push(phone);
      return phone;
    },
    asked: (phone: PhonePage) => askedBy.get(phone) ?? [],
    /** The phone never told the server where it was (nearest-on-phone.ts). */
    expectKept: (phone: PhonePage, at: At) => expectPositionKept(askedBy.get(phone) ?? [], [at]),
    serverNearest,
    /**
     * The oracle of the list: what the server answers within the page's reach. Open only, the
     * server's answer from Paris holds the police station of Le Port (La Réunion, 9,300 km away)
     * while it is open (weekdays 04:00–08:00 and 10:00–14:00 UTC); the page rightly leaves it out.
     */
    async nearest(at: At, query = ''): Promise<NearestPlace[]> {
      return (await serverNearest(at, query)).filter((p) => p.distanceM <= PLACES_REACH_M);
    },
  };
}
