/**
 * The SOS screen when the server stops hearing the phone after the alert went out (issue 5): a
 * real Havre (built PWA + server + SQLite with the demo seed) whose shared bus is a redis-server
 * of this test's own, and Alice's phone (Chromium, phone viewport) in SOS.
 *
 * Server unreachable — every API request and the relay's WebSocket blocked in the browser —:
 * the screen says so plainly in a live region, offers the text message to her trusted contacts
 * with her position and a map link, keeps trying (new relay connections are attempted), and is
 * normal again by itself once the server answers. Redis away: it says that positions are stored
 * but may reach the contacts late, and offers the same text message.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer } from '../helpers/instances.ts';
import { becomeTrustedContact } from './helpers/sign-in.ts';
import { ALICE, type TwoPhonesOwnRedis, twoPhonesOwnRedis } from './helpers/two-phones.ts';

/** Rue des Batignolles, Paris 17e. */
const START = { latitude: 48.8846, longitude: 2.3206 };
const LOST = 'Le serveur ne répond plus.';
const LATE = 'Vos positions sont bien enregistrées, mais vos contacts peuvent les recevoir avec du retard.';
const SHOTS = process.env.HAVRE_SCREENSHOTS ?? join(tmpdir(), 'havre-screenshots', 'sharing');

describe.runIf(hasRedisServer)('the SOS screen when the server cannot be reached', () => {
  let t: TwoPhonesOwnRedis;

  beforeAll(async () => {
    t = await twoPhonesOwnRedis(START);
  }, 180_000);

  afterAll(() => t?.close());

  it('says so plainly, offers the text message with the position, keeps trying and recovers', async () => {
    // Bob becomes Alice's trusted contact; Alice keeps his number on her phone.
    await becomeTrustedContact(t.alice, ALICE, t.bob);
    await t.alice.page.goto('/contacts');
    const phone = t.alice.page.getByLabel('Son numéro pour un SMS d’urgence');
    await phone.fill('06 12 34 56 78');
    await phone.blur();
    await t.alice.page.getByText('Enregistré sur ce téléphone.').waitFor();

    // The server becomes unreachable from Alice's phone when `down` is set.
    let down = false;
    let relayAttemptsWhileDown = 0;
    const relays = new Set<WebSocketRoute>();
    await t.alice.context.route('**/api/**', (route) =>
      down ? route.abort('connectionrefused') : route.continue(),
    );
    await t.alice.context.routeWebSocket(/\/api\/shares\/ws$/, (ws) => {
      if (down) {
        relayAttemptsWhileDown += 1;
        return ws.close();
      }
      relays.add(ws);
      ws.onClose(() => relays.delete(ws));
      ws.connectToServer();
    });

    await t.alice.page.goto('/');
    await t.alice.page.getByRole('link', { name: /^SOS/ }).click();
    await t.alice.page.getByText('Alerte envoyée', { exact: true }).waitFor({ timeout: 30_000 });
    const notice = t.alice.page.getByTestId('sos-delivery-notice');
    // The live region is in the page before anything is said in it, so that it is announced.
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await notice.textContent()).toBe('');
    const sms = t.alice.page.getByRole('link', { name: 'Envoyer un SMS à mes proches' });
    expect(await sms.count()).toBe(0);

    down = true;
    for (const ws of [...relays]) await ws.close();

    await notice.getByText(LOST).waitFor({ timeout: 20_000 });
    await notice.getByText('Havre réessaie tout seul', { exact: false }).waitFor();
    const href = (await sms.getAttribute('href'))!;
    expect(href.startsWith('sms:0612345678?body=')).toBe(true);
    const body = decodeURIComponent(href);
    expect(body).toContain('SOS Havre : j’ai besoin d’aide.');
    expect(body).toContain(`${START.latitude.toFixed(5)}, ${START.longitude.toFixed(5)}`);
    expect(body).toContain('https://www.openstreetmap.org/?mlat=48.88460&mlon=2.32060');
    // A large target, as on the rest of the SOS screen.
    const box = (await sms.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    mkdirSync(SHOTS, { recursive: true });
    await t.alice.page.screenshot({ path: join(SHOTS, '30-sos-server-unreachable.png'), fullPage: true });
    // It keeps trying: new connections to the relay are attempted while the server is away.
    await expect.poll(() => relayAttemptsWhileDown, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);

    down = false;
    // Back by itself: the relay reconnects (backoff), the notice and the text message go.
    await expect.poll(async () => notice.textContent(), { timeout: 45_000 }).toBe('');
    expect(await sms.count()).toBe(0);
    expect(await t.alice.page.getByText('Alerte envoyée', { exact: true }).count()).toBe(1);

    // Redis away: stored, but contacts may receive late; the text message is offered again.
    await t.redis.stop();
    await notice.getByText(LATE).waitFor({ timeout: 20_000 });
    expect(await sms.count()).toBe(1);
    await t.alice.page.screenshot({ path: join(SHOTS, '31-sos-delivery-late.png'), fullPage: true });
    await t.redis.start();
    await expect.poll(async () => notice.textContent(), { timeout: 30_000 }).toBe('');

    expect(t.alice.problems.filter((p) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(p))).toEqual(
      [],
    );
  }, 240_000);
});
