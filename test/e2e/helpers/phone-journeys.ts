/**
 * The set-up of a file of browser journeys that each start on a fresh phone: one Havre (built
 * PWA + server + SQLite with the demo seed) and one Chromium for the file, a fresh browser
 * profile (no cookie, no storage) per journey, closed after it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchBrowser, openPhone, type PhonePage } from './browser.ts';
import { type E2eServer, startE2eServer } from './server.ts';

export function phoneJourneys() {
  const j = {} as { server: E2eServer; browser: Browser; phone: PhonePage; page: Page };
  beforeAll(async () => {
    j.server = await startE2eServer();
    j.browser = await launchBrowser();
  });
  afterAll(async () => {
    await j.browser?.close();
    await j.server?.stop();
  });
  afterEach(async () => {
    await j.phone?.close();
  });
  const passwordField = (label = 'Mot de passe') => j.page.getByLabel(label, { exact: true });
  return {
    j,
    /** Opens this journey's phone. */
    async freshPhone(): Promise<{ phone: PhonePage; page: Page }> {
      j.phone = await openPhone(j.browser, j.server.url);
      j.page = j.phone.page;
      j.page.setDefaultTimeout(15_000);
      return { phone: j.phone, page: j.page };
    },
    h1: () => j.page.getByRole('heading', { level: 1 }),
    passwordField,
    async logIn(email: string, password: string) {
      await j.page.goto('/connexion');
      await j.page.getByLabel('Adresse e-mail').fill(email);
      await passwordField().fill(password);
      await j.page.getByRole('button', { name: 'Se connecter' }).click();
    },
  };
}
