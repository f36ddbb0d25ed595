/**
 * Browser journeys of trusted contacts, end-to-end encrypted live sharing, the check-in timer
 * and SOS (issue 5): a real Havre (built PWA + server + SQLite with the demo seed) and two or
 * three browser profiles on phone-sized screens — Alice shares, Bob follows, a guest without
 * an account follows through a link. Geolocation is emulated along a path in Paris 17e, where
 * the demo seed has safe places. An invitation opened before signing in is in invitations.test.ts.
 *
 * The server's check-in timers run on the real clock (30 minutes by default, then 5 minutes of
 * grace): the check-in journey moves the stored due time to "now" instead of waiting, and lets
 * the real scheduler (every 5 s) take each step.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { storedTrail } from '../../src/sharing/trail-store.ts';
import { launchBrowser, openPhone, type PhonePage } from './helpers/browser.ts';
import { messagesTo, waitForMail as waitForMailIn } from './helpers/mail.ts';
import { expectPositionKept } from './helpers/position-kept.ts';
import { type E2eServer, startE2eServer } from './helpers/server.ts';
import { signedInPhone } from './helpers/sign-in.ts';

const ALICE = 'alice@havre.example';
const BOB = 'bob@havre.example';
/** Along rue des Batignolles towards place de Clichy, about 60 m apart. */
const PATH = [
  { latitude: 48.8846, longitude: 2.3206 },
  { latitude: 48.8851, longitude: 2.3212 },
  { latitude: 48.8856, longitude: 2.3219 },
  { latitude: 48.8861, longitude: 2.3226 },
  { latitude: 48.8866, longitude: 2.3233 },
  { latitude: 48.8871, longitude: 2.324 },
];
const coords = (p: { latitude: number; longitude: number }) =>
  `${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)}`;
const SHOTS = process.env.HAVRE_SCREENSHOTS ?? join(tmpdir(), 'havre-screenshots', 'sharing');

let server: E2eServer;
let browser: Browser;
let alice: PhonePage;
let bob: PhonePage;
/** Every URL Alice's and Bob's browsers asked the server for. */
const asked: string[] = [];

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const signIn = (email: string) => signedInPhone(browser, server.url, email, PATH[0]);

const mailsTo = (email: string) => messagesTo(server.dataDir, email);
const waitForMail = (email: string, text: string, after: number) =>
  waitForMailIn(server.dataDir, email, text, after);

const shareIdOf = (page: Page) => new URL(page.url()).pathname.split('/').pop()!;

async function moveAlice(point: { latitude: number; longitude: number }) {
  await alice.context.setGeolocation({ ...point, accuracy: 12 });
}

/** Bob's view shows this position as the last one (decrypted in his browser). */
async function bobSees(point: { latitude: number; longitude: number }, page = bob.page) {
  await page.getByTestId('last-position').getByText(coords(point)).waitFor({ timeout: 20_000 });
}

async function startTrip(options: { checkin?: boolean; destination?: string } = {}) {
  await alice.page.goto('/partager');
  await alice.page.getByRole('button', { name: 'Commencer le partage' }).waitFor();
  if (!options.checkin) await shot(alice.page, '04-alice-start');
  if (options.checkin || options.destination) {
    await alice.page.getByText('Destination, mode, contacts…').click();
    if (options.destination)
      await alice.page.getByLabel('Destination (facultatif)').fill(options.destination);
    if (options.checkin)
      await alice.page
        .getByLabel('Ma position seulement si je ne confirme pas mon arrivée (check-in)')
        .check();
  }
  await alice.page.getByRole('button', { name: 'Commencer le partage' }).click();
  await alice.page.waitForURL(/\/partage\/[0-9a-f-]{36}$/);
  await alice.page.getByText('Connecté', { exact: true }).waitFor();
  return shareIdOf(alice.page);
}

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchBrowser();
  alice = await signIn(ALICE);
  bob = await signIn(BOB);
  for (const phone of [alice, bob]) phone.context.on('request', (request) => asked.push(request.url()));
});

afterAll(async () => {
  await alice?.close();
  await bob?.close();
  await browser?.close();
  await server?.stop();
});

describe('trusted contacts and live sharing', () => {
  it('Alice invites Bob with a one-time link, Bob accepts, each sees the other', async () => {
    await alice.page.goto('/contacts');
    await alice.page.getByText('Personne pour l’instant. Invitez un proche ci-dessus.').waitFor();
    await alice.page.getByRole('button', { name: 'Inviter un proche' }).click();
    const link = await alice.page.getByRole('textbox', { name: 'Lien d’invitation' }).inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/contacts/accepter#[A-Za-z0-9_-]{20,}$`));
    await shot(alice.page, '01-alice-invite');

    await bob.page.goto(link);
    await bob.page.getByRole('button', { name: 'Accepter l’invitation' }).click();
    await bob.page.getByText(`Vous êtes maintenant contact de confiance d’${ALICE}.`).waitFor();
    expect(new URL(bob.page.url()).hash).toBe(''); // the token leaves the address bar
    await shot(bob.page, '02-bob-accepted');

    // The link works once.
    const again = await bob.page.evaluate(
      async (token) =>
        (
          await fetch('/api/contacts/invites/accept', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ token }),
          })
        ).status,
      link.split('#')[1],
    );
    expect(again).toBe(400);

    await alice.page.reload();
    const followers = alice.page.getByRole('region', { name: 'Qui peut me suivre' });
    await followers.getByText(BOB).waitFor();
    // Bob's browser registered its device key when he accepted.
    expect(await followers.getByText('n’a pas encore ouvert Havre').count()).toBe(0);
    // His trusted contacts are one tap from the home screen.
    await bob.page.goto('/');
    await bob.page.getByRole('link', { name: /^Mes proches/ }).click();
    await bob.page.getByRole('region', { name: 'Les personnes que je suis' }).getByText(ALICE).waitFor();
    await shot(bob.page, '03-bob-contacts');
  });

  it('Alice shares a trip; Bob sees her move live, and positions taken offline arrive afterwards', async () => {
    const shareId = await startTrip({ destination: 'Maison' });
    await shot(alice.page, '04-alice-sharing');

    // Opening Havre, Bob finds Alice's trip first thing on the home screen.
    await bob.page.goto('/');
    await bob.page
      .getByRole('region', { name: 'En ce moment' })
      .getByRole('link', { name: `Suivre ${ALICE}` })
      .click();
    await bob.page.waitForURL(`**/suivre/${shareId}`);
    await bobSees(PATH[0]);
    await bob.page.getByText('Maison').waitFor(); // the destination, decrypted from the meta
    for (const point of PATH.slice(1, 3)) {
      await moveAlice(point);
      await bobSees(point);
    }
    await bob.page.getByTestId('recent-positions').getByText(coords(PATH[1])).waitFor();
    await shot(bob.page, '05-bob-watching');

    // Offline: positions are kept (encrypted) on Alice's phone, then sent in order.
    await alice.context.setOffline(true);
    await alice.page.getByText('Hors connexion', { exact: true }).waitFor();
    await moveAlice(PATH[3]);
    await alice.page.waitForTimeout(6_000);
    await moveAlice(PATH[4]);
    await alice.page.getByText(/positions? gardées? sur ce téléphone/).waitFor();
    await shot(alice.page, '06-alice-offline');
    expect(await bob.page.getByTestId('last-position').getByText(coords(PATH[2])).count()).toBe(1);
    await alice.context.setOffline(false);
    await bobSees(PATH[4]);
    await bob.page.getByTestId('recent-positions').getByText(coords(PATH[3])).waitFor();

    // Bob offline in turn: his page reconnects by itself and asks for what it missed.
    await bob.context.setOffline(true);
    await moveAlice(PATH[5]);
    await alice.page.waitForTimeout(6_000);
    await moveAlice(PATH[4]);
    await alice.page.waitForTimeout(6_000);
    expect(await bob.page.getByTestId('recent-positions').getByText(coords(PATH[5])).count()).toBe(0);
    await bob.context.setOffline(false);
    await bob.page.getByTestId('recent-positions').getByText(coords(PATH[5])).waitFor();
    await bobSees(PATH[4]);

    // The server only ever held ciphertext.
    const rows = await storedTrail(server.running.services.db.kysely, [shareId]);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    // Opaque base64url, and no position in it once decoded (a bare /lat|lon/ on the base64 text
    // matched random ciphertext now and then: three letters of 64 appear by chance).
    for (const row of rows) {
      expect(row.ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(row.ciphertext, 'base64url').toString('latin1')).not.toMatch(
        /"lat"|"lon"|48\.88|2\.32/,
      );
    }
  });

  it('a guest link works in a fresh browser without an account and stops working when revoked', async () => {
    await alice.page.getByRole('button', { name: 'Créer un lien invité' }).click();
    const link = await alice.page.getByRole('textbox', { name: 'Lien invité' }).inputValue();
    expect(link).toMatch(/\/suivre\/[0-9a-f-]{36}#g=[A-Za-z0-9_-]+&k=[A-Za-z0-9_-]{43}$/);

    const guest = await openPhone(browser, server.url);
    try {
      guest.page.setDefaultTimeout(20_000);
      await guest.page.goto(link);
      await guest.page.getByRole('heading', { name: 'Trajet partagé avec vous' }).waitFor();
      await bobSees(PATH[4], guest.page);
      await moveAlice(PATH[5]);
      await bobSees(PATH[5], guest.page);
      await shot(guest.page, '07-guest-watching');

      await alice.page.getByRole('button', { name: 'Révoquer ce lien' }).click();
      // Its row and button gone, Alice's focus goes to the section, which says what happened.
      await alice.page
        .getByText('Lien révoqué : la personne qui l’a ne peut plus suivre votre trajet.')
        .waitFor();
      await expect.poll(() => alice.page.evaluate(() => document.activeElement?.id)).toBe('guest-title');
      await guest.page.getByText('Ce lien a été révoqué').waitFor();
      // What the open page had decrypted goes too: no position, trail, map or refuges near her.
      for (const gone of [
        guest.page.getByTestId('last-position'),
        guest.page.getByTestId('recent-positions'),
      ])
        expect(await gone.count()).toBe(0);
      expect(await guest.page.getByRole('region', { name: /Lieux sûrs/ }).count()).toBe(0);
      expect(await guest.page.getByText('Connexion', { exact: true }).count()).toBe(0);
      await guest.page.reload();
      await guest.page.getByText('Ce lien n’est plus valide').waitFor();
      await shot(guest.page, '08-guest-revoked');
      expect(guest.problems.filter((p) => !p.includes('404'))).toEqual([]);
    } finally {
      await guest.close();
    }

    // Arrived in a basement without network: the tap is kept and goes once the network is back.
    await alice.context.setOffline(true);
    await alice.page.getByRole('button', { name: 'Je suis arrivé·e' }).click();
    await alice.page.getByText(/^Pas de réseau : « Je suis arrivé·e » est gardé sur ce téléphone/).waitFor();
    expect(await alice.page.getByRole('button', { name: 'Je suis arrivé·e' }).count()).toBe(0);
    // Kept where a reopened page finds it (pending-arrival.ts), not only in this page's memory.
    expect(
      await alice.page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('havre.arrival.'))),
    ).toBe(true);
    await alice.context.setOffline(false);
    await alice.page.getByText('Bien arrivé·e !').waitFor();
    await bob.page.getByText(`${ALICE} est bien arrivé·e : le partage est terminé.`).waitFor();
    // Still said after a reload (the 410 tells why it ended), not only "Ce partage est terminé."
    await bob.page.reload();
    await bob.page.getByText(`${ALICE} est bien arrivé·e : le partage est terminé.`).waitFor();
    expect(
      await alice.page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('havre.arrival.'))),
    ).toBe(false);
  });

  it('a missed check-in asks Alice, then alerts Bob by e-mail and gives him her position', async () => {
    const before = mailsTo(BOB).length;
    const shareId = await startTrip({ checkin: true });
    await bob.page.goto(`/suivre/${shareId}`);
    await bob.page.getByText('Mode check-in').waitFor();
    await alice.page.waitForTimeout(2_000); // a position or two, held back from Bob
    expect(await bob.page.getByTestId('last-position').count()).toBe(0);

    const timers = () =>
      server.running.services.db.kysely
        .updateTable('checkin_timers')
        .set({ due_at: Date.now() - 1_000 })
        .where('share_id', '=', shareId)
        .execute();
    await server.running.services.db.kysely
      .updateTable('share_sessions')
      .set({ expected_arrival: Date.now() - 1_000 })
      .where('id', '=', shareId)
      .execute();
    await timers(); // the expected arrival has passed
    await alice.page.getByRole('heading', { name: 'Tout va bien ?' }).waitFor();
    await shot(alice.page, '09-alice-question');
    await timers(); // and the grace period too, without an answer
    await bob.page.getByRole('heading', { name: `Alerte : ${ALICE} ne répond pas` }).waitFor();
    await bobSees(PATH[5]);
    await shot(bob.page, '10-bob-alerted');
    const link = await waitForMail(BOB, "n'a pas répondu", before);
    expect(link).toBe(`${server.url}/suivre/${shareId}`);

    // Past the expected arrival, "+ 15 min" would do what "Je vais bien" does: not offered.
    await expect.poll(() => alice.page.getByRole('button', { name: /^Je vais bien, \+/ }).count()).toBe(0);
    await alice.page.getByRole('button', { name: 'Je vais bien', exact: true }).click();
    await bob.page.getByText('Mode check-in').waitFor(); // back to nothing delivered
    // Told, not only the red box gone; Alice is told when the next question comes.
    await bob.page
      .getByTestId('checkin-notice')
      .getByText(`${ALICE} a confirmé que tout va bien : l’alerte est levée.`)
      .waitFor();
    await alice.page
      .getByTestId('next-question')
      .getByText(/^Havre vous redemandera si tout va bien à \d\d:\d\d\.$/)
      .waitFor();
    await waitForMail(BOB, 'a confirmé que tout va bien', before);
    await alice.page.getByRole('button', { name: 'Je suis arrivé·e' }).click();
    await alice.page.getByText('Bien arrivé·e !').waitFor();
  });

  it('SOS counts down with a cancel; sent, it alerts Bob and shows refuges; cancelling needs the password', async () => {
    const sosCount = async () =>
      (await server.running.services.db.kysely.selectFrom('sos_events').select('id').execute()).length;
    const before = mailsTo(BOB).length;
    await alice.page.goto('/');
    await alice.page.getByRole('link', { name: /^SOS/ }).click();
    const cancel = alice.page.getByRole('button', { name: 'Annuler', exact: true });
    await cancel.waitFor();
    await shot(alice.page, '11-sos-countdown');
    // Focused, Cancel is described by the countdown's live line ("Alerte de vos proches dans …").
    expect(await cancel.getAttribute('aria-describedby')).toBe('sos-count-text');
    await cancel.click();
    await alice.page.getByText('Alerte annulée. Rien n’a été envoyé.').waitFor();
    // Cancel is gone: the focus is on what happened, not on <body> nor on "Relancer".
    expect(await alice.page.evaluate(() => document.activeElement?.id)).toBe('sos-count-text');
    await alice.page.waitForTimeout(3_500);
    expect(await sosCount()).toBe(0);

    await alice.page.getByRole('button', { name: 'Relancer l’alerte' }).click();
    await alice.page.getByText('Alerte envoyée', { exact: true }).waitFor();
    expect(await sosCount()).toBe(1);
    const refuges = alice.page.getByRole('region', { name: 'Lieux sûrs près de vous' });
    await refuges.getByRole('link', { name: 'Itinéraire' }).first().waitFor();
    expect(await alice.page.getByRole('link', { name: /^17/ }).getAttribute('href')).toBe('tel:17');
    expect(await alice.page.getByRole('link', { name: /^112/ }).getAttribute('href')).toBe('tel:112');
    const sms = await alice.page.getByRole('link', { name: /SMS au 114/ }).getAttribute('href');
    expect(sms).toMatch(/^sms:114\?body=/);
    expect(decodeURIComponent(sms!)).toContain(coords(PATH[5]));
    await shot(alice.page, '12-sos-sent');

    const link = await waitForMail(BOB, 'vient de déclencher un SOS', before);
    await bob.page.goto(link);
    await bob.page.getByRole('heading', { name: `SOS : ${ALICE} demande de l’aide` }).waitFor();
    await bobSees(PATH[5]);
    await bob.page
      .getByRole('region', { name: 'Lieux sûrs près de cette personne' })
      .getByRole('link', { name: /^Itinéraire vers/ })
      .first()
      .waitFor();
    // Each point once: the cached fix the browser gives again when SOS restarts the watch for
    // precision is not sent a second time.
    await bob.page.waitForTimeout(3_000);
    const listed = await bob.page.getByTestId('recent-positions').locator('li').allTextContents();
    expect(new Set(listed).size).toBe(listed.length);
    await shot(bob.page, '13-bob-sos');

    // Her other phone (no key of this session there): /sos shows the alert running and sends no
    // second one, even when the check takes most of the countdown.
    const other = await signedInPhone(browser, server.url, ALICE, PATH[5]);
    try {
      await other.page.goto('/sos');
      await other.page.getByText('Alerte envoyée', { exact: true }).waitFor();
      await other.page
        .getByText('Votre contact de confiance est prévenu et voit votre position en direct.')
        .waitFor();
      await other.page.waitForTimeout(4_000);
      expect(await sosCount()).toBe(1);
      expect(await other.page.getByText('Alerte envoyée', { exact: true }).count()).toBe(1);
    } finally {
      await other.close();
    }
    // A phone whose check misses the running SOS (an answer lost, as on a failing network):
    // the server answers with the running SOS, and the phone shows it instead of sending one.
    const blind = await signedInPhone(browser, server.url, ALICE, PATH[5]);
    try {
      await blind.page.route('**/api/shares', (route) =>
        route.fulfill({ json: { mine: [], following: [] } }),
      );
      await blind.page.goto('/sos');
      await blind.page.getByText('Alerte envoyée', { exact: true }).waitFor();
      await blind.page
        .getByText('Votre contact de confiance est prévenu et voit votre position en direct.')
        .waitFor();
      expect(await sosCount()).toBe(1);
    } finally {
      await blind.close();
    }

    await alice.page.getByRole('button', { name: 'Annuler l’alerte' }).click();
    await alice.page.getByLabel('Mot de passe', { exact: true }).fill('pas le bon');
    await alice.page.getByRole('button', { name: 'Tout va bien, annuler l’alerte' }).click();
    await alice.page
      .getByRole('alert')
      .filter({ hasText: 'Mot de passe, code ou clé d’accès incorrect.' })
      .waitFor();
    await alice.page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await alice.page.getByRole('button', { name: 'Tout va bien, annuler l’alerte' }).click();
    await alice.page.getByText('Alerte annulée. Vos contacts ont été prévenus').waitFor();
    await shot(alice.page, '14-sos-cancelled');
    await waitForMail(BOB, 'a annulé son SOS', before);
    await bob.page
      .getByText(`${ALICE} a annulé son SOS et confirmé que tout va bien : le partage est terminé.`)
      .waitFor();
  });

  it('SOS without network offers a text message to the contacts, then gets through when it is back', async () => {
    await alice.page.goto('/contacts');
    const phone = alice.page.getByLabel('Son numéro pour un SMS d’urgence');
    await phone.fill('06 12 34 56 78');
    await phone.blur();
    await alice.page.getByText('Enregistré sur ce téléphone.').waitFor();
    // Each device's "remove" button says which device it removes (several look alike).
    const devices = alice.page.getByRole('region', { name: 'Mes appareils' });
    await devices
      .getByRole('button', { name: /^Retirer cet appareil \(.+, ajouté le .+\)$/ })
      .first()
      .waitFor();
    await alice.page.getByRole('link', { name: 'Havre, accueil' }).click();

    await alice.context.setOffline(true);
    await alice.page.getByRole('link', { name: /^SOS/ }).click();
    await alice.page.getByText('Le serveur ne répond pas').waitFor();
    const sms = alice.page.getByRole('link', { name: 'Envoyer un SMS à mes proches' });
    const href = (await sms.getAttribute('href'))!;
    expect(href.startsWith('sms:0612345678?body=')).toBe(true);
    expect(decodeURIComponent(href)).toContain(coords(PATH[5]));
    expect(decodeURIComponent(href)).toContain('https://www.openstreetmap.org/?mlat=');
    await shot(alice.page, '15-sos-offline');

    await alice.context.setOffline(false);
    await alice.page.getByText('Alerte envoyée', { exact: true }).waitFor({ timeout: 30_000 });
    await alice.page.getByRole('button', { name: 'Annuler l’alerte' }).click();
    await alice.page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await alice.page.getByRole('button', { name: 'Tout va bien, annuler l’alerte' }).click();
    await alice.page.getByText('Alerte annulée. Vos contacts ont été prévenus').waitFor();
  });

  it('either side ends the relationship: Bob stops following, Alice no longer has him as a contact', async () => {
    await bob.page.goto('/contacts');
    const following = bob.page.getByRole('region', { name: 'Les personnes que je suis' });
    const focused = () => bob.page.evaluate(() => document.activeElement?.textContent ?? '');
    // By keyboard: focus goes to the question that replaces the button (it fell to <body>), and
    // back to the button on "Garder".
    await following.getByRole('button', { name: 'Ne plus suivre' }).focus();
    await bob.page.keyboard.press('Enter');
    await expect.poll(focused).toMatch(/^Ne plus suivre alice@havre\.example \?/);
    await bob.page.keyboard.press('Tab');
    expect(await focused()).toBe('Confirmer');
    await bob.page.keyboard.press('Tab');
    expect(await focused()).toBe('Garder');
    await bob.page.keyboard.press('Enter');
    await expect.poll(focused).toBe('Ne plus suivre');
    await bob.page.keyboard.press('Enter');
    await expect.poll(focused).toMatch(/^Ne plus suivre alice@havre\.example \?/);
    await bob.page.keyboard.press('Tab');
    await bob.page.keyboard.press('Enter'); // "Confirmer"
    await following.getByText('Vous ne suivez personne pour l’instant.').waitFor();
    expect(await focused()).toBe('Les personnes que je suis'); // the row and its button went
    await alice.page.goto('/contacts');
    await alice.page.getByText('Personne pour l’instant. Invitez un proche ci-dessus.').waitFor();
  });

  it('never told the server where Alice was: the refuges near her come from the export of a grid area', () => {
    // Bob's page decrypts her position and Alice's SOS screen knows it; asking the server for the
    // places nearest to it (as both did) sent it in clear, tied to the share by its timing.
    expectPositionKept(asked, PATH);
  });

  it('left no error in the consoles of Alice and Bob', () => {
    // Refused requests the journeys provoke on purpose (a used invitation, a wrong password, an
    // ended session) and API calls made while offline are not errors of the app.
    const unexpected = (problems: string[]) =>
      problems.filter(
        (p) =>
          !/status of (400|401|404|410)/.test(p) &&
          !/net::ERR_INTERNET_DISCONNECTED/.test(p) &&
          !/net::ERR_FAILED \(http:\/\/127\.0\.0\.1:\d+\/api\//.test(p),
      );
    expect(unexpected(alice.problems), alice.problems.join('\n')).toEqual([]);
    expect(unexpected(bob.problems), bob.problems.join('\n')).toEqual([]);
  });
});
