/**
 * Browser journeys of venues (issue 4): a new account applies in the partner portal, the
 * territory's staff reviews it, it appears as the nearest refuge, then withdraws; a venue
 * outside every territory is told nobody can approve it yet.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { signUpInBrowser } from './helpers/mail.ts';
import { expectList, placesJourneys, rowNames, rows, shot, shotPath } from './helpers/places-journeys.ts';

const PASSWORD = 'une phrase de passe solide';
const J = placesJourneys();
const { phoneAt, nearest } = J;

/** A new account on this phone, then the partner portal's application form. */
async function registerAndOpenApplication(page: Page) {
  await signUpInBrowser(
    page,
    J.server().dataDir,
    `venue-${randomUUID().slice(0, 8)}@e2e.havre.example`,
    PASSWORD,
  );
  await page.getByRole('link', { name: 'Inscrire mon établissement' }).click();
  await page.getByRole('heading', { level: 1, name: 'Inscrire mon établissement' }).waitFor();
}

describe('venue: apply, review, appear', () => {
  it('a new user registers a venue, the Paris 17e staff approves it, and it is the nearest place', async () => {
    const venue = `Le Havre de Nuit (e2e ${randomUUID().slice(0, 6)})`;
    const spot = { latitude: 48.8839, longitude: 2.3204 };

    // 1. Any signed-in user may apply, from the home screen.
    const owner = await phoneAt(spot);
    let page = owner.page;
    await registerAndOpenApplication(page);
    await shot(page, '9-apply-top');

    await page.getByLabel('Nom de l’établissement', { exact: true }).fill(venue);
    await page.getByLabel('Type d’établissement').selectOption('bar');
    await page.getByLabel('Adresse', { exact: true }).fill('30 rue des Dames, 75017 Paris');
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await page.getByText('Position enregistrée : 48.883900, 2.320400').waitFor();
    // Monday 18:00–02:00 (past midnight), copied to the week; Sunday open all day.
    await page.getByLabel('Lundi', { exact: true }).selectOption('open');
    await page.getByLabel('Lundi 1, De').fill('18:00');
    await page.getByLabel('Lundi 1, à').fill('02:00');
    await page.getByText('(le lendemain)').waitFor();
    await page.getByRole('button', { name: 'Appliquer les horaires du lundi à toute la semaine' }).click();
    await page.getByLabel('Dimanche', { exact: true }).selectOption('allDay');
    await page.getByText('Mo-Sa 18:00-02:00, Su 00:00-24:00').waitFor();
    await page.locator('.hours-editor').screenshot({ path: shotPath('9a-hours-editor') });
    await page.getByLabel('Téléphone de l’établissement').fill('01 23 45 67 89');
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByRole('alert').filter({ hasText: 'Acceptez la charte' }).waitFor();
    await shot(page, '9b-apply-charter');
    await page.getByLabel('J’ai lu la charte').check();
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByText('Demande envoyée.').waitFor();
    await page.locator('.my-place', { hasText: venue }).getByText('En attente de vérification').waitFor();
    await shot(page, '10-applied');

    // 2. The staff of Paris 17e approves it from the "Lieux partenaires" entry.
    const staff = await phoneAt(spot);
    page = staff.page;
    await page.goto('/connexion');
    await page.getByLabel('Adresse e-mail').fill('mairie.paris17@havre.example');
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: /^Lieux partenaires/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Lieux partenaires' }).waitFor();
    const item = page.locator('.review-item', { hasText: venue });
    // Read as people read hours, not in OpenStreetMap's code (Mo-Sa 18:00-02:00, Su 00:00-24:00).
    await item.getByText('Horaires : lundi – samedi : 18:00–02:00 · dimanche : 24 h/24').waitFor();
    await shot(page, '11-review');
    await item.getByRole('button', { name: 'Approuver' }).click();
    await page.getByText(`« ${venue} » est approuvé : il apparaît sur la carte.`).waitFor();
    // Below the review: where the territory lacks open refuges (aggregates of the demo reports, k rule).
    await page.setViewportSize({ width: 1280, height: 800 });
    await page
      .getByRole('heading', { level: 2, name: 'Où recruter des lieux sûrs' })
      .scrollIntoViewIfNeeded();
    await page.locator('.coverage-summary').waitFor();
    // "The last 90 days" are counted in whole UTC weeks (k per week): the page says which.
    await page
      .getByText(/^Semaines entières comptées, du lundi \d+ \S+ au dimanche \d+ \S+ \(UTC\)/)
      .waitFor();
    const gaps = await page.locator('.coverage-table tbody tr').count();
    if (gaps > 0) await page.locator('.coverage-map canvas').waitFor();
    else await page.getByText('Aucune zone à signaler sur cette période').waitFor();
    await page.locator('.coverage-summary').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 200));
    await shot(page, '11b-coverage-desktop');

    // 3. A citizen standing there finds it first.
    const citizen = await phoneAt(spot);
    page = citizen.page;
    await page.goto('/lieux');
    await expect.poll(async () => (await rowNames(page))[0], { timeout: 20_000 }).toBe(venue);
    await rows(page).first().locator('.place-link').click();
    await page.getByRole('heading', { level: 2, name: venue }).waitFor();
    await page.locator('.week-hours tr', { hasText: 'Lundi' }).getByText('18:00 – 02:00').waitFor();
    await page.locator('.week-hours tr', { hasText: 'Dimanche' }).getByText('Toute la journée').waitFor();
    expect(await page.getByRole('link', { name: 'Appeler le 01 23 45 67 89' }).getAttribute('href')).toBe(
      'tel:0123456789',
    );
    await shot(page, '12-new-venue-card');

    // The venue changes its number; the card's "Appeler" button dials the new one.
    page = owner.page;
    await page.reload();
    const mine = page.locator('.my-place', { hasText: venue });
    await mine.locator('.pill', { hasText: 'Vérifié' }).waitFor();
    await mine.getByText('Téléphone', { exact: true }).click();
    const phoneField = mine.getByLabel('Téléphone de l’établissement');
    expect(await phoneField.inputValue()).toBe('01 23 45 67 89');
    await phoneField.fill('pas un numéro');
    await mine.getByRole('button', { name: 'Enregistrer le téléphone' }).click();
    await mine.getByText('Ce numéro de téléphone ne semble pas valide.').first().waitFor();
    await phoneField.fill('01 98 76 54 32');
    await mine.getByRole('button', { name: 'Enregistrer le téléphone' }).click();
    await mine.getByText(/^Téléphone enregistré/).waitFor();
    await citizen.page.reload();
    await citizen.page.getByRole('heading', { level: 2, name: venue }).waitFor();
    expect(
      await citizen.page.getByRole('link', { name: 'Appeler le 01 98 76 54 32' }).getAttribute('href'),
    ).toBe('tel:0198765432');

    // 4. The venue leaves the network: a button, then an explicit confirmation (final).
    const withdraw = mine.getByRole('button', { name: 'Retirer mon établissement du réseau' });
    await withdraw.click();
    await mine.getByText(/^Votre établissement disparaîtra de la carte/).waitFor();
    await mine.getByRole('button', { name: 'Annuler' }).click();
    expect(await mine.locator('.pill').textContent()).toBe('Vérifié');
    await withdraw.click();
    await shot(page, '13-withdraw-confirm');
    await mine.getByRole('button', { name: 'Confirmer le retrait' }).click();
    await mine.locator('.pill', { hasText: 'Retiré du réseau' }).waitFor();
    await mine.getByText('Votre établissement ne fait plus partie du réseau.').waitFor();
    expect(await withdraw.count()).toBe(0);
    await shot(page, '14-withdrawn');

    // 5. Gone from the citizen's list and map.
    page = citizen.page;
    await page.goto('/lieux');
    const after = await nearest(spot);
    expect(after.map((p) => p.name)).not.toContain(venue);
    await expectList(
      page,
      after.map((p) => p.name),
    );
    await page.goto('/lieux?vue=carte');
    await page.locator(`.map-dot[aria-label^="${after[0].name}, "]`).waitFor();
    expect(await page.locator(`.map-dot[aria-label^="${venue}, "]`).count()).toBe(0);
    for (const phone of [owner, staff, citizen]) expect(phone.problems).toEqual([]);
  });

  it('tells a venue outside every territory that nobody can approve it yet', async () => {
    const venue = `Bouchon de la Nuit (e2e ${randomUUID().slice(0, 6)})`;
    const { page, problems } = await phoneAt({ latitude: 45.7578, longitude: 4.832 }); // Lyon: no territory
    await registerAndOpenApplication(page);
    await page.getByLabel('Nom de l’établissement', { exact: true }).fill(venue);
    await page.getByLabel('Adresse', { exact: true }).fill('3 place Bellecour, 69002 Lyon');
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await page.getByText('Position enregistrée : 45.757800, 4.832000').waitFor();
    await page.getByLabel('J’ai lu la charte').check();
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page
      .getByRole('status')
      .getByText(
        'Demande enregistrée, mais aucune ville ni aucun territoire utilisant Havre ne couvre encore cette adresse : personne ne peut la valider pour l’instant.',
      )
      .waitFor();
    const mine = page.locator('.my-place', { hasText: venue });
    await mine
      .getByText(/^Aucune ville ni aucun territoire utilisant Havre ne couvre encore cette adresse/)
      .waitFor();
    await shot(page, '15-no-territory');
    // Still true after a reload (the server knows it has no territory).
    await page.reload();
    await mine
      .getByText(/^Aucune ville ni aucun territoire utilisant Havre ne couvre encore cette adresse/)
      .waitFor();
    expect(problems).toEqual([]);
  });
});
