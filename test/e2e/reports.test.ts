/**
 * Browser journeys of a citizen's anonymous report (issue 3), on a phone-sized screen with
 * geolocation emulated in Paris 17e: three taps from the home screen; offline, the report is
 * kept on the phone and sent when the network returns — also when the app was opened without
 * network, or closed meanwhile (the service worker sends it as the app starts again); a retry
 * after a lost answer is not stored twice (idempotency key).
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { contrasts, openPhone } from './helpers/browser.ts';
import {
  ALICE,
  alicePhone,
  J,
  paris17Total,
  phoneStores,
  reportInTwoTapsThenReview,
  setUpReportJourneys,
  shot,
  signIn,
  waitForTotal,
} from './helpers/reports.ts';

setUpReportJourneys();

describe('citizen reports', () => {
  it('reports from the home screen in three taps and confirms only once the server acknowledged', async () => {
    const phone = await alicePhone();
    const { page } = phone;
    const before = await paris17Total();

    await page.goto('/');
    await page.getByRole('link', { name: /^Signaler/ }).click(); // one tap from home
    await page.getByRole('heading', { level: 2, name: 'Que s’est-il passé ?' }).waitFor();
    for (const label of ['Harcèlement verbal', 'Suivi·e', 'Sentiment d’insécurité', 'Autre']) {
      await page.getByRole('button', { name: new RegExp(`^${label}`) }).waitFor();
    }
    await shot(page, '1-categories');
    await reportInTwoTapsThenReview(page);
    // The plain-words box says what is kept and what is not, before anything is sent.
    await page
      .getByText('une zone d’environ 70 m autour du lieu (un hexagone), pas le point exact')
      .waitFor();
    await page.getByText('votre compte : le signalement n’y est pas lié').waitFor();
    // A text written without ticking the box: said before sending that it stays on the phone.
    const notShared = page.getByText(/^Votre texte ne sera pas envoyé/);
    await page
      .getByLabel('Décrire ce qui s’est passé (facultatif)')
      .fill('Un homme m’a suivie jusqu’au métro.');
    await notShared.waitFor();
    await page.getByLabel('Partager ce texte avec la mairie').check();
    expect(await notShared.count()).toBe(0);
    // A step back, or a look at "Près de moi", loses nothing of it.
    const text = page.getByLabel('Décrire ce qui s’est passé (facultatif)');
    await page.getByRole('button', { name: 'Retour' }).click();
    await page.getByRole('button', { name: /^J’en ai été témoin/ }).click();
    expect(await text.inputValue()).toBe('Un homme m’a suivie jusqu’au métro.');
    await page.getByRole('link', { name: 'Près de moi' }).click();
    await page.getByRole('heading', { name: 'Près de moi maintenant' }).waitFor();
    await page.getByRole('link', { name: 'Signaler', exact: true }).click();
    expect(await text.inputValue()).toBe('Un homme m’a suivie jusqu’au métro.');
    expect(await page.getByLabel('Partager ce texte avec la mairie').isChecked()).toBe(true);
    await page.getByText('Position trouvée').waitFor();
    await page.getByLabel('Partager ce texte avec la mairie').uncheck();
    await text.fill('');
    expect(await notShared.count()).toBe(0);
    await shot(page, '2-review');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();

    await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor();
    await waitForTotal(before + 1);
    for (const [name, href] of [
      ['Police secours : 17', 'tel:17'],
      ['Urgences : 112', 'tel:112'],
      ['SMS au 114 (si vous ne pouvez pas parler)', 'sms:114'],
      ['3919 – Violences Femmes Info (gratuit, anonyme)', 'tel:3919'],
    ]) {
      expect(await page.getByRole('link', { name }).getAttribute('href')).toBe(href);
    }
    expect(await page.getByRole('link', { name: /^Pré-plainte en ligne/ }).getAttribute('href')).toBe(
      'https://www.pre-plainte-en-ligne.gouv.fr',
    );
    await shot(page, '3-sent');

    // The phone's own history: category, date, status — no position.
    const stores = await phoneStores(page);
    expect(stores.queued).toBe(0);
    expect(stores.history).toHaveLength(1);
    expect(stores.history[0]).toMatchObject({ category: 'following', role: 'witness', status: 'sent' });
    expect(Object.keys(stores.history[0]).sort()).toEqual(['category', 'date', 'id', 'role', 'status']);
    await page.getByRole('link', { name: 'Mes signalements' }).first().click();
    await page.locator('.pill', { hasText: 'Envoyé' }).waitFor();
    expect(phone.problems).toEqual([]);
    await phone.close();
  });

  it('reports without a pointer and without location: the keyboard places the marker at the map’s centre', async () => {
    const phone = await openPhone(J.browser, J.server.url); // no geolocation permission
    const { page } = phone;
    page.setDefaultTimeout(20_000);
    await signIn(page, ALICE);
    const before = await paris17Total();
    await page.goto('/signaler');
    const press = async (name: RegExp | string) => {
      await page.getByRole('button', { name }).focus();
      await page.keyboard.press('Enter');
    };
    await press(/^Sentiment d’insécurité/);
    await press(/^Cela m’est arrivé/);
    await page.getByText('Votre position n’est pas disponible').waitFor();
    await page.getByLabel('Commune ou arrondissement').selectOption('75117');
    const here = page.getByRole('button', { name: 'Placer le repère au centre de la carte' });
    await expect.poll(() => here.isEnabled()).toBe(true);
    await page.waitForTimeout(500); // the map fits the arrondissement (no animation)
    await press('Placer le repère au centre de la carte');
    await page.getByText('Lieu choisi sur la carte.').waitFor();
    await press('Envoyer le signalement');
    await page.getByRole('heading', { name: 'Signalement envoyé' }).waitFor();
    await waitForTotal(before + 1); // in Paris 17e, where the map was centred
    await phone.close();
  });

  it('someone not signed in is brought back to the report after signing up or signing in', async () => {
    const phone = await openPhone(J.browser, J.server.url);
    const { page } = phone;
    page.setDefaultTimeout(20_000);
    await page.goto('/signaler');
    // Both ways in lead back here: the sign-up link keeps the page for after the e-mail's link.
    const signup = page.getByRole('link', { name: 'Créer un compte' });
    expect(new URL(String(await signup.getAttribute('href')), J.server.url).searchParams.get('suite')).toBe(
      '/signaler',
    );
    await signup.click();
    await page.getByRole('heading', { level: 1, name: 'Créer un compte' }).waitFor();
    // This person had an account after all: signing in from the sign-up page comes back too.
    await page.getByRole('link', { name: 'Se connecter' }).last().click();
    await page.getByLabel('Adresse e-mail').fill(ALICE);
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 2, name: 'Que s’est-il passé ?' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/signaler');
    await phone.close();
  });

  it('keeps a report made offline on the phone, says so, and sends it when the network returns', async () => {
    const phone = await alicePhone();
    const { page, context } = phone;
    await page.goto('/signaler');
    await page.getByRole('heading', { level: 2, name: 'Que s’est-il passé ?' }).waitFor();
    const before = await paris17Total();

    await context.setOffline(true);
    await reportInTwoTapsThenReview(page);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('heading', { name: 'Signalement gardé sur ce téléphone' }).waitFor();
    await page.getByText('Enregistré sur ce téléphone, sera envoyé dès que le réseau revient.').waitFor();
    await shot(page, '4-queued-offline');
    expect((await phoneStores(page)).queued).toBe(1);
    expect(await paris17Total()).toBe(before);

    await context.setOffline(false);
    await page.getByText('C’est fait : le réseau est revenu et le signalement a été envoyé.').waitFor();
    await waitForTotal(before + 1);
    expect((await phoneStores(page)).queued).toBe(0);
    await shot(page, '5-sent-after-offline');
    await phone.close();
  });

  it('takes a report in an app opened without network, then sends it when the network returns', async () => {
    const phone = await alicePhone();
    const { page, context } = phone;
    await page.goto('/');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const before = await paris17Total();

    await context.setOffline(true);
    await page.goto('/signaler'); // from the service worker's copy of the app
    await page.getByRole('heading', { level: 2, name: 'Que s’est-il passé ?' }).waitFor();
    await reportInTwoTapsThenReview(page);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('heading', { name: 'Signalement gardé sur ce téléphone' }).waitFor();
    expect(await paris17Total()).toBe(before);

    await context.setOffline(false);
    await page.getByText('C’est fait : le réseau est revenu et le signalement a été envoyé.').waitFor();
    await waitForTotal(before + 1);
    await phone.close();
  });

  it('stores a report once when the server kept it but its answer was lost (the retry has the same key)', async () => {
    const phone = await alicePhone();
    const { page } = phone;
    await page.goto('/signaler');
    await page.getByRole('heading', { level: 2, name: 'Que s’est-il passé ?' }).waitFor();
    const before = await paris17Total();
    const keys: (string | undefined)[] = [];
    // On the context, not the page: after the reload the retry may come from the service
    // worker's outbox, whose requests Chromium reports on the context only.
    phone.context.on('request', (request) => {
      if (request.url().endsWith('/api/reports') && request.method() === 'POST')
        keys.push(request.headers()['idempotency-key']);
    });
    // The request reaches the server and is stored; the connection drops before the answer.
    await page.route('**/api/reports', async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    });
    await reportInTwoTapsThenReview(page);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('heading', { name: 'Signalement gardé sur ce téléphone' }).waitFor();
    await waitForTotal(before + 1);
    expect((await phoneStores(page)).queued).toBe(1);

    await page.unroute('**/api/reports');
    await page.reload(); // the outbox sends what waits when the app starts
    await expect.poll(async () => (await phoneStores(page)).queued, { timeout: 20_000 }).toBe(0);
    expect(await paris17Total()).toBe(before + 1);
    expect(keys.length).toBeGreaterThanOrEqual(2); // the lost one and its retry
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(keys)).toEqual(new Set([keys[0]]));
    // Acknowledged: the key is gone from the phone; the history never had it.
    expect((await phoneStores(page)).history.every((h) => !('key' in h))).toBe(true);
    await phone.close();
  });

  it('sends a report queued offline when the app starts again after being closed', async () => {
    const phone = await alicePhone();
    const { context } = phone;
    let page = phone.page;
    await page.goto('/signaler');
    await page.getByRole('heading', { level: 2, name: 'Que s’est-il passé ?' }).waitFor();
    // An installed app: its service worker is active (it sends what the closed app left behind).
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const before = await paris17Total();

    await context.setOffline(true);
    await reportInTwoTapsThenReview(page);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('heading', { name: 'Signalement gardé sur ce téléphone' }).waitFor();
    await page.close(); // the app is closed while offline
    expect(await paris17Total()).toBe(before);

    await context.setOffline(false);
    page = await context.newPage();
    await page.goto('/'); // the home screen: the report screens' code is not even loaded
    await waitForTotal(before + 1);
    await page.goto('/signaler/mes-signalements');
    await expect.poll(async () => (await phoneStores(page)).history.map((h) => h.status)).toEqual(['sent']);
    await phone.close();
  });
});

describe('readability', () => {
  it('keeps the report screens’ text at WCAG AA in the light and the dark scheme', async () => {
    const phone = await alicePhone();
    const { page } = phone;
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto('/signaler');
      await page.getByRole('heading', { level: 2, name: 'Que s’est-il passé ?' }).waitFor();
      const first = await contrasts(page, [
        '.report-nav a[aria-current="page"]',
        '.report-nav li:nth-child(2) a',
        '.report-intro',
        '.report-progress',
        '.report-choice-label',
        '.report-choice-hint',
      ]);
      await reportInTwoTapsThenReview(page);
      const last = await contrasts(page, [
        '.chip',
        '.segment input:checked + span',
        '.segment input:not(:checked) + span',
        '.report-geo-found',
        '.field-hint',
        '.report-privacy li',
        '.report-privacy li.muted',
        '.report-privacy h4.kept',
        '.report-privacy h4.not-kept',
        '.report-privacy-city',
        '.link-button',
      ]);
      for (const { selector, ratio } of [...first, ...last]) {
        expect(ratio, `${colorScheme} ${selector}`).toBeGreaterThanOrEqual(4.5);
      }
    }
    await phone.close();
  });
});
