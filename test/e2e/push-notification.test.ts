/**
 * A pushed alert reaches the person as a notification carrying the link of its page, through the
 * built PWA's service worker (Chromium's DevTools protocol delivers the push message; the real
 * Web Push sending is tested in src/notify). Moved from sharing.test.ts: it needs no share.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type PhonePage } from './helpers/browser.ts';
import { type E2eServer, startE2eServer } from './helpers/server.ts';
import { signedInPhone } from './helpers/sign-in.ts';

let server: E2eServer;
let browser: Browser;
let phone: PhonePage;

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchBrowser();
  phone = await signedInPhone(browser, server.url, 'bob@havre.example', {
    latitude: 48.8846,
    longitude: 2.3206,
  });
});

afterAll(async () => {
  await phone?.close();
  await browser?.close();
  await server?.stop();
});

describe('push notifications', () => {
  it('the service worker shows a pushed alert as a notification carrying the link of its page', async () => {
    await phone.context.grantPermissions(['notifications'], { origin: server.url });
    await phone.page.goto('/');
    await phone.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const cdp = await phone.context.newCDPSession(phone.page);
    const registration = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const found = registrations.find((r) => r.scopeURL === `${server.url}/` && !r.isDeleted);
        if (found) resolve(found.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    const url = `${server.url}/suivre/00000000-0000-4000-8000-000000000000`;
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: `${server.url}/`,
      registrationId: await registration,
      data: JSON.stringify({
        title: `Havre : SOS d’alice@havre.example`,
        body: 'Un proche demande de l’aide.',
        url,
        tag: 't1',
      }),
    });
    const notifications = () =>
      phone.page.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          url: n.data?.url,
        })),
      );
    // The worker may be woken for the push: up to 15 s on a loaded machine (5 s was once too short).
    await expect.poll(async () => (await notifications()).length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await notifications()).toEqual([
      { title: `Havre : SOS d’alice@havre.example`, body: 'Un proche demande de l’aide.', url },
    ]);
  });
});
