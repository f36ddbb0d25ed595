/**
 * Browser journeys of an invitation opened by someone not signed in (issue 5): a real Havre
 * (built PWA + server + SQLite with the demo seed), Bob inviting from his phone, and the person
 * he invites on a fresh phone who chooses to create an account — then either finishes signing up
 * from the e-mail's link in another tab or another browser, or signs in instead. Either way the
 * invitation waits and is accepted. The rest of the contacts and sharing journeys are in
 * sharing.test.ts.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { launchBrowser, openPhone, type PhonePage } from './helpers/browser.ts';
import { waitForLink } from './helpers/mail.ts';
import { type E2eServer, startE2eServer } from './helpers/server.ts';
import { signedInPhone } from './helpers/sign-in.ts';

const BOB = 'bob@havre.example';
/** Rue des Batignolles, Paris 17e. */
const START = { latitude: 48.8846, longitude: 2.3206 };
const SHOTS = process.env.HAVRE_SCREENSHOTS ?? join(tmpdir(), 'havre-screenshots', 'sharing');

let server: E2eServer;
let browser: Browser;
let bob: PhonePage;

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchBrowser();
  bob = await signedInPhone(browser, server.url, BOB, START);
});

afterAll(async () => {
  await bob?.close();
  await browser?.close();
  await server?.stop();
});

/** A new invitation of Bob's opened on a fresh phone, whose owner chooses to create an account. */
async function invitationOnNewPhone(): Promise<PhonePage> {
  await bob.page.goto('/contacts');
  await bob.page.getByRole('button', { name: 'Inviter un proche' }).click();
  const link = await bob.page.getByRole('textbox', { name: 'Lien d’invitation' }).inputValue();
  const phone = await openPhone(browser, server.url);
  try {
    phone.page.setDefaultTimeout(20_000);
    await phone.page.goto(link);
    await phone.page.getByRole('link', { name: 'Créer un compte' }).click();
    return phone;
  } catch (error) {
    await phone.close();
    throw error;
  }
}

/** The sign-up form filled and sent from the invitation: "check your e-mail" whatever the address. */
async function askForAccount(invited: PhonePage, email: string) {
  await invited.page.getByLabel('Adresse e-mail').fill(email);
  await invited.page.getByLabel('Mot de passe', { exact: true }).fill('une phrase de passe solide');
  await invited.page.getByRole('button', { name: 'Créer mon compte' }).click();
  await invited.page.getByRole('heading', { level: 1, name: 'Regardez vos e-mails' }).waitFor();
}

describe('an invitation opened before signing in', () => {
  // The e-mail's link opens in a new tab (none of the first tab's session storage), or in another
  // browser altogether (a mail app's own: nothing of the first browser's storage at all).
  it.each([
    { where: 'a new tab', email: 'chloe@havre.example' },
    { where: 'another browser', email: 'dina@havre.example' },
  ])(
    'an invitation opened before signing up waits for the account, even when the e-mail’s link opens in $where',
    async ({ where, email }) => {
      const invited = await invitationOnNewPhone();
      let mailApp: PhonePage | null = null;
      try {
        await askForAccount(invited, email);

        mailApp = where === 'a new tab' ? null : await openPhone(browser, server.url);
        const mailTab = mailApp ? mailApp.page : await invited.context.newPage();
        mailTab.setDefaultTimeout(20_000);
        await mailTab.goto(await waitForLink(server.dataDir, email, '/inscription/confirmer', 20_000));
        await mailTab.getByText('Compte créé. Bienvenue sur Havre !').waitFor();
        await mailTab.getByRole('button', { name: 'Accepter l’invitation' }).click();
        await mailTab.getByText(`Vous êtes maintenant contact de confiance de ${BOB}.`).waitFor();
        mkdirSync(SHOTS, { recursive: true });
        const shot = mailApp ? '02c-accepted-in-another-browser.png' : '02b-chloe-accepted-after-signup.png';
        await mailTab.screenshot({ path: join(SHOTS, shot), fullPage: true });
        // Used: nothing waits on this device any more, and the token left the address bar.
        expect(new URL(mailTab.url()).hash).toBe('');
        await mailTab.goto('/contacts');
        await mailTab.getByRole('region', { name: 'Les personnes que je suis' }).getByText(BOB).waitFor();
        expect(await mailTab.getByText('Une invitation attend votre réponse.').count()).toBe(0);
        expect(await mailTab.evaluate(() => localStorage.getItem('havre.pendingInvite'))).toBeNull();
        expect(invited.problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
        expect(mailApp?.problems.filter((p) => !/status of 401/.test(p)) ?? []).toEqual([]);
      } finally {
        await mailApp?.close();
        await invited.close();
      }
      await bob.page.reload();
      await bob.page.getByRole('region', { name: 'Qui peut me suivre' }).getByText(email).waitFor();
    },
  );

  it('someone who already has an account and signs up from an invitation logs in from the e-mail, in another browser, and accepts', async () => {
    const ALICE = 'alice@havre.example'; // a demo account
    const invited = await invitationOnNewPhone();
    let mailApp: PhonePage | null = null;
    try {
      await askForAccount(invited, ALICE);
      // "Someone tried to sign up with your address: log in" — its link carries the invitation.
      const login = await waitForLink(server.dataDir, ALICE, '/connexion#suite=\\S+', 20_000, false);
      mailApp = await openPhone(browser, server.url);
      mailApp.page.setDefaultTimeout(20_000);
      await mailApp.page.goto(login);
      await expect.poll(() => new URL(mailApp?.page.url() ?? '').hash).toBe(''); // the token left the address bar
      await mailApp.page.getByLabel('Adresse e-mail').fill(ALICE);
      await mailApp.page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
      await mailApp.page.getByRole('button', { name: 'Se connecter' }).click();
      await mailApp.page.getByRole('button', { name: 'Accepter l’invitation' }).click();
      await mailApp.page.getByText(`Vous êtes maintenant contact de confiance de ${BOB}.`).waitFor();
    } finally {
      await mailApp?.close();
      await invited.close();
    }
  });

  it('someone who starts signing up from an invitation and then signs in instead comes back to it', async () => {
    const CAFE = 'cafe@havre.example'; // a demo account: this person already had one
    const cafe = await invitationOnNewPhone();
    try {
      await cafe.page.getByRole('heading', { level: 1, name: 'Créer un compte' }).waitFor();
      await cafe.page.getByRole('link', { name: 'Se connecter' }).last().click();
      await cafe.page.getByLabel('Adresse e-mail').fill(CAFE);
      await cafe.page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
      await cafe.page.getByRole('button', { name: 'Se connecter' }).click();
      // Back on the invitation, not on the home screen.
      await cafe.page.getByRole('button', { name: 'Accepter l’invitation' }).click();
      await cafe.page.getByText(`Vous êtes maintenant contact de confiance de ${BOB}.`).waitFor();
      expect(new URL(cafe.page.url()).pathname).toBe('/contacts/accepter');
    } finally {
      await cafe.close();
    }
  });
});
