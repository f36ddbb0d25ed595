/**
 * Cancelling an SOS with a passkey (issue 5): a real Havre (built PWA + server + SQLite with
 * the demo seed) and Alice's phone (Chromium, phone viewport) with Chromium's virtual platform
 * authenticator (CDP `WebAuthn`), which asks for "user verification" the way a fingerprint
 * reader does. Passkeys need a domain name, so the public URL is http://localhost:PORT.
 *
 * Alice adds a passkey on her account page (with her password), sends an SOS, and cancels it
 * with the passkey, offered first: refused while the phone does not recognise her (the SOS
 * stays on), accepted once it does; Bob, her trusted contact, is told.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { launchBrowser, type PhonePage } from './helpers/browser.ts';
import { type E2eServer, startE2eServer } from './helpers/server.ts';
import { becomeTrustedContact, signedInPhone } from './helpers/sign-in.ts';

const ALICE = 'alice@havre.example';
const BOB = 'bob@havre.example';
/** Rue des Batignolles, Paris 17e. */
const START = { latitude: 48.8846, longitude: 2.3206 };
const SHOTS = process.env.HAVRE_SCREENSHOTS ?? join(tmpdir(), 'havre-screenshots', 'sharing');

describe('cancelling an SOS with a passkey', () => {
  let server: E2eServer;
  let browser: Browser;
  let alice: PhonePage;
  let bob: PhonePage;
  let cdp: CDPSession;
  let authenticatorId: string;

  beforeAll(async () => {
    server = await startE2eServer({}, { hostname: 'localhost' });
    browser = await launchBrowser();
    alice = await signedInPhone(browser, server.url, ALICE, START);
    bob = await signedInPhone(browser, server.url, BOB, START);
    cdp = await alice.context.newCDPSession(alice.page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));
  }, 180_000);

  afterAll(async () => {
    await alice?.close();
    await bob?.close();
    await browser?.close();
    await server?.stop();
  });

  const db = () => server.running.services.db.kysely;

  it('adds a passkey with the password, then cancels the SOS with it only once the phone recognises her', async () => {
    // Bob becomes Alice's trusted contact.
    await becomeTrustedContact(alice, ALICE, bob);

    // The account's alert settings: a passkey needs the password.
    await alice.page.goto('/contacts');
    const section = alice.page.getByRole('form', { name: 'Clé d’accès (empreinte, visage, verrouillage)' });
    await section.getByText('Aucune clé d’accès pour l’instant.').waitFor();
    expect(await section.getByLabel('Nom de la clé').inputValue()).toBe('Mon téléphone');
    await section.getByLabel('Mot de passe du compte').fill('pas le bon');
    await section.getByRole('button', { name: 'Ajouter une clé d’accès' }).click();
    await section.getByRole('alert').filter({ hasText: 'incorrect' }).waitFor();
    expect(await db().selectFrom('sos_passkeys').selectAll().execute()).toEqual([]);
    await section.getByLabel('Mot de passe du compte').fill(DEMO_PASSWORD);
    await section.getByRole('button', { name: 'Ajouter une clé d’accès' }).click();
    await section.getByText('Clé d’accès ajoutée : vous pourrez annuler un SOS avec elle.').waitFor();
    await section.getByRole('button', { name: 'Retirer « Mon téléphone »' }).waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    const stored = await db().selectFrom('sos_passkeys').select(['id', 'label']).execute();
    const credentialId = Buffer.from(credentials[0]!.credentialId, 'base64').toString('base64url');
    expect(stored).toEqual([{ id: credentialId, label: 'Mon téléphone' }]);
    mkdirSync(SHOTS, { recursive: true });
    await alice.page.screenshot({ path: join(SHOTS, '40-passkey-added.png'), fullPage: true });

    // SOS, then cancel: the passkey is offered first.
    await alice.page.goto('/');
    await alice.page.getByRole('link', { name: /^SOS/ }).click();
    await alice.page.getByText('Alerte envoyée', { exact: true }).waitFor({ timeout: 30_000 });
    await alice.page.getByRole('button', { name: 'Annuler l’alerte' }).click();
    const byPasskey = alice.page.getByRole('radio', { name: 'Ma clé d’accès (empreinte, visage)' });
    await expect.poll(() => byPasskey.isChecked()).toBe(true);
    await alice.page.getByText('Votre téléphone va vous demander votre empreinte').waitFor();
    expect(await alice.page.getByLabel('Mot de passe', { exact: true }).count()).toBe(0);
    const confirm = alice.page.getByRole('button', { name: 'Tout va bien, annuler l’alerte' });

    // Someone else holds the phone: the authenticator cannot verify who it is.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    await confirm.click();
    await alice.page
      .getByRole('alert')
      .filter({ hasText: 'Le téléphone n’a pas confirmé votre identité' })
      .waitFor();
    const [open] = await db().selectFrom('sos_events').select(['id', 'cancelled_at']).execute();
    expect(open?.cancelled_at).toBeNull();
    await alice.page.screenshot({ path: join(SHOTS, '41-sos-passkey-refused.png'), fullPage: true });

    // Alice herself: recognised, the SOS is cancelled and Bob is told.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
    await confirm.click();
    await alice.page.getByText('Alerte annulée. Vos contacts ont été prévenus').waitFor();
    const [cancelled] = await db()
      .selectFrom('sos_events')
      .select(['cancelled_at', 'cancel_method'])
      .execute();
    expect(cancelled?.cancel_method).toBe('passkey');
    await expect
      .poll(async () =>
        (await db().selectFrom('outbox').select(['recipient', 'payload']).execute()).some(
          (m) => m.recipient === BOB && m.payload.includes('a annulé son SOS'),
        ),
      )
      .toBe(true);
    await alice.page.screenshot({ path: join(SHOTS, '42-sos-passkey-cancelled.png'), fullPage: true });
    // The one refusal on purpose (the wrong password) is the only thing the console reports.
    const refusal = /status of 401 \(Unauthorized\) \(http:\/\/localhost:\d+\/api\/sos\/passkeys\)$/;
    expect(alice.problems.filter((p) => !refusal.test(p))).toEqual([]);
    expect(alice.problems.filter((p) => refusal.test(p))).toHaveLength(1);
  }, 180_000);
});
