/**
 * Browser journeys of the foundation (issue 2): accounts, language and the spaces of each role,
 * on a real Havre (built PWA + server + SQLite with the demo seed) driven through Debian's
 * Chromium on a phone-sized screen. The shell itself (keyboard, first screen, contrast, CSP,
 * installability) is in shell.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import type { PhonePage } from './helpers/browser.ts';
import { signUpInBrowser, waitForLink } from './helpers/mail.ts';
import { phoneJourneys } from './helpers/phone-journeys.ts';

const J = phoneJourneys();
let phone: PhonePage;
let page: Page;
const { passwordField, logIn } = J;

const PASSWORD = 'une phrase de passe solide';
const newEmail = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@e2e.havre.example`;

/** Each journey starts in a fresh browser profile: no cookie, no storage. */
async function freshPhone() {
  ({ phone, page } = await J.freshPhone());
}

const signUp = (email: string, password = PASSWORD) =>
  signUpInBrowser(page, J.j.server.dataDir, email, password);

/** What the server says about the session of this browser profile. */
function fetchMe(): Promise<{ status: number; body: { email: string; locale: string } | null }> {
  return page.evaluate(async () => {
    const response = await fetch('/api/me');
    return { status: response.status, body: response.ok ? await response.json() : null };
  });
}

describe('accounts', () => {
  it('signs up, logs out, and logs back in', async () => {
    await freshPhone();
    const email = newEmail('signup');
    await signUp(email);
    expect(page.url()).toBe(`${J.j.server.url}/`);
    await page.getByText('Compte créé.').waitFor();
    expect((await fetchMe()).body?.email).toBe(email);

    await page.getByRole('link', { name: 'Mon compte' }).click();
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByText('Déconnexion effectuée.').waitFor();
    expect((await fetchMe()).status).toBe(401);
    expect(await page.getByRole('link', { name: 'Mon compte' }).count()).toBe(0);

    await logIn(email, PASSWORD);
    await page.getByText('Connexion réussie.').waitFor();
    expect((await fetchMe()).body?.email).toBe(email);
  });

  it('refuses a wrong password with a translated message in the alert region', async () => {
    await freshPhone();
    await logIn('alice@havre.example', 'pas le bon mot de passe');
    const alert = page.getByRole('alert').filter({ hasText: 'Adresse e-mail ou mot de passe incorrect.' });
    await alert.waitFor();
    expect((await fetchMe()).status).toBe(401);
  });

  it('checks the password length before sending and marks the field invalid', async () => {
    await freshPhone();
    await page.goto('/inscription');
    await page.getByLabel('Adresse e-mail').fill(newEmail('short'));
    await passwordField().fill('court');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByRole('alert').filter({ hasText: 'au moins 10 caractères' }).waitFor();
    expect(await passwordField().getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toBe(`${J.j.server.url}/inscription`);
  });

  it('downloads my data as a JSON file that contains my e-mail address', async () => {
    await freshPhone();
    const email = newEmail('export');
    await signUp(email);
    await page.goto('/compte');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger mes données' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('havre-mes-donnees.json');
    const text = readFileSync(await download.path(), 'utf8');
    expect(JSON.parse(text)).toBeTypeOf('object');
    expect(text).toContain(email);
    await page.getByText('Fichier téléchargé').waitFor();
  });

  it('deletes my account only with the right password; afterwards that login fails', async () => {
    await freshPhone();
    const email = newEmail('delete');
    await signUp(email);
    await page.goto('/compte');
    await page.getByText('Vos signalements ne sont liés à aucun compte').waitFor();
    const confirm = passwordField('Confirmez avec votre mot de passe');
    const submit = page.getByRole('button', { name: 'Supprimer définitivement mon compte' });

    await confirm.fill('pas le bon mot de passe');
    await submit.click();
    await page.getByRole('alert').filter({ hasText: 'Adresse e-mail ou mot de passe incorrect.' }).waitFor();
    expect((await fetchMe()).status).toBe(200);

    await confirm.fill(PASSWORD);
    await submit.click();
    await page.getByText('Votre compte et vos données personnelles ont été supprimés.').waitFor();
    expect(page.url()).toBe(`${J.j.server.url}/`);
    expect((await fetchMe()).status).toBe(401);

    await logIn(email, PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'Adresse e-mail ou mot de passe incorrect.' }).waitFor();
  });

  it('signs up verify-first: same "check your e-mail" screen for a taken address, whose owner is told by e-mail', async () => {
    await freshPhone();
    const email = newEmail('verify');
    await signUp(email);
    expect(new URL(page.url()).hash).toBe(''); // the token leaves the address bar
    await page.goto('/compte');
    await page.getByText('Adresse confirmée').waitFor(); // the link that created it confirmed it

    // Someone else tries the same address: the browser shows exactly what a new address gets.
    await phone.close();
    await freshPhone();
    await page.goto('/inscription');
    await page.getByLabel('Adresse e-mail').fill(email);
    await passwordField().fill('la phrase de quelqu’un d’autre');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Regardez vos e-mails' }).waitFor();
    await page.getByText(`Nous avons envoyé un e-mail à ${email}.`).waitFor();
    expect((await fetchMe()).status).toBe(401);
    // The owner's mailbox says what happened, with the way to log in or reset the password.
    const reset = await waitForLink(J.j.server.dataDir, email, '/compte/mot-de-passe-oublie', 10_000, false);
    expect(reset).toBe(`${J.j.server.url}/compte/mot-de-passe-oublie`);
  });

  it('resets a forgotten password through the link of the e-mail', async () => {
    await freshPhone();
    const email = newEmail('reset');
    await signUp(email);
    await page.goto('/compte');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByText('Déconnexion effectuée.').waitFor();

    await page.goto('/connexion');
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByRole('button', { name: 'Recevoir le lien' }).click();
    await page.getByText('Si un compte utilise cette adresse').waitFor();

    const link = await waitForLink(J.j.server.dataDir, email, '/compte/nouveau-mot-de-passe');
    await page.goto(link);
    const fresh = 'une toute nouvelle phrase';
    await passwordField('Nouveau mot de passe').fill(fresh);
    await passwordField('Confirmez le nouveau mot de passe').fill(fresh);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Mot de passe modifié.').waitFor();

    await logIn(email, fresh);
    await page.getByText('Connexion réussie.').waitFor();
    expect((await fetchMe()).body?.email).toBe(email);
  });
});

describe('language', () => {
  it('switches to English and back; the choice survives a reload and follows the account', async () => {
    await freshPhone();
    const email = newEmail('lang');
    await signUp(email);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: /^Share a trip/ }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect((await fetchMe()).body?.locale).toBe('en');

    await page.reload();
    await page.getByRole('link', { name: /^Share a trip/ }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // Another device (a fresh profile, French by default) adopts the account's language at sign-in.
    await phone.close();
    await freshPhone();
    await page.goto('/');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await logIn(email, PASSWORD);
    await page.getByRole('link', { name: 'My account' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('link', { name: /^Partager un trajet/ }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.reload();
    await page.getByRole('link', { name: /^Partager un trajet/ }).waitFor();
    expect((await fetchMe()).body?.locale).toBe('fr');

    // Chosen on a device while signed out, English stays at sign-in and goes to the account.
    await phone.close();
    await freshPhone();
    await page.goto('/');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: /^Share a trip/ }).waitFor();
    await page.goto('/connexion');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'My account' }).waitFor();
    await expect.poll(async () => (await fetchMe()).body?.locale).toBe('en');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
  });
});

describe('spaces by role', () => {
  it('shows the dashboard entry to the staff of Paris 17e, who reaches the dashboard', async () => {
    await freshPhone();
    await logIn('mairie.paris17@havre.example', DEMO_PASSWORD);
    const entry = page.getByRole('link', { name: /^Tableau de bord/ });
    await entry.waitFor();
    expect(await page.getByRole('link', { name: /^Administration/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Espace partenaire/ }).count()).toBe(0);
    await entry.click();
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    expect(page.url()).toBe(`${J.j.server.url}/tableau-de-bord`);
    await page.getByText('Vos territoires : 75117').waitFor();
  });

  it('hides the dashboard from a citizen, who gets the reserved message at /tableau-de-bord', async () => {
    await freshPhone();
    await logIn('alice@havre.example', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Mon compte' }).waitFor();
    await page.getByRole('link', { name: /^Lieux sûrs/ }).waitFor();
    expect(await page.getByRole('link', { name: /^Tableau de bord/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Mes espaces' }).count()).toBe(0);

    await page.goto('/tableau-de-bord');
    await page.getByRole('heading', { level: 1, name: 'Accès réservé' }).waitFor();
    await page.getByText('réservée aux équipes municipales').waitFor();
    await page.goto('/admin');
    await page.getByRole('heading', { level: 1, name: 'Accès réservé' }).waitFor();
  });

  it('lets the admin import a territory from a file, give and take back staff access, and delete it', async () => {
    const db = J.j.server.running.services.db.kysely;
    const staffOf = async (email: string) =>
      (
        await db
          .selectFrom('staff_territories')
          .innerJoin('users', 'users.id', 'staff_territories.user_id')
          .select('territory_code')
          .where('users.email', '=', email)
          .execute()
      ).map((row) => row.territory_code);
    const file = (name: string, geojson: unknown) => ({
      name,
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify(geojson)),
    });
    await freshPhone();
    await logIn('admin@havre.example', DEMO_PASSWORD);
    await page.getByRole('link', { name: /^Administration/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    const territories = page.getByRole('region', { name: 'Territoires' });
    await territories.getByText('Paris 17e — Batignolles-Monceau').waitFor(); // the demo's
    await territories.getByText('Rouen', { exact: true }).waitFor();

    // A file that is not a territory: said plainly, nothing imported.
    const fileInput = territories.getByLabel('Fichier GeoJSON');
    await fileInput.setInputFiles(
      file('vide.geojson', {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: {}, geometry: null }],
      }),
    );
    await territories.getByRole('button', { name: 'Importer' }).click();
    await territories.getByText('Ce fichier n’est pas un GeoJSON de territoires valide').waitFor();
    // …naming the feature that is wrong, for a file of hundreds of communes.
    await territories.getByText(/détail\s:\sfeature 1: missing or invalid INSEE code/).waitFor();

    const square = [
      [
        [5.36, 43.29],
        [5.39, 43.29],
        [5.39, 43.31],
        [5.36, 43.31],
        [5.36, 43.29],
      ],
    ];
    await fileInput.setInputFiles(
      file('marseille.geojson', {
        type: 'Feature',
        properties: { code: '13055', nom: 'Marseille (e2e)' },
        geometry: { type: 'Polygon', coordinates: square },
      }),
    );
    await territories.getByRole('button', { name: 'Importer' }).click();
    await territories.getByText('Importé : 1 créé(s), 0 mis à jour (13055).').waitFor();
    // The demo's real Marseille stations had no territory until now: they join it.
    await territories.getByText(/lieux ont changé de territoire/).waitFor();
    await territories.getByText('Marseille (e2e)', { exact: true }).waitFor();

    const staff = page.getByRole('region', { name: 'Accès des équipes municipales' });
    await staff.getByLabel('Territoire').selectOption('13055');
    await staff.getByText('Aucun compte n’a accès à ce territoire.').waitFor();
    await staff.getByLabel('Adresse e-mail du compte').fill('personne@havre.example');
    await staff.getByRole('button', { name: 'Donner l’accès' }).click();
    await staff.getByText('Aucun compte avec cette adresse e-mail, ou territoire inconnu.').waitFor();
    await staff.getByLabel('Adresse e-mail du compte').fill('bob@havre.example');
    await staff.getByRole('button', { name: 'Donner l’accès' }).click();
    await staff.getByText('bob@havre.example a maintenant accès à Marseille (e2e).').waitFor();
    expect(await staffOf('bob@havre.example')).toEqual(['13055']);
    await staff.getByRole('button', { name: 'Retirer l’accès de bob@havre.example' }).click();
    await staff.getByText('bob@havre.example n’a plus accès à Marseille (e2e).').waitFor();
    await staff.getByText('Aucun compte n’a accès à ce territoire.').waitFor();
    expect(await staffOf('bob@havre.example')).toEqual([]);
    // Paris 17e's own team, as the demo made it.
    await staff.getByLabel('Territoire').selectOption('75117');
    await staff.getByText('mairie.paris17@havre.example', { exact: true }).waitFor();
    // What was said about Marseille's access does not linger over Paris 17e's team.
    expect(await staff.getByText('bob@havre.example n’a plus accès à Marseille (e2e).').count()).toBe(0);

    // The venue review names territories as people know them, the one just imported included.
    await page.goto('/tableau-de-bord/lieux');
    const reviewed = page.getByLabel('Territoire');
    await reviewed.locator('option', { hasText: 'Marseille (e2e) (13055)' }).waitFor({ state: 'attached' });
    expect(
      await reviewed.locator('option', { hasText: 'Paris 17e — Batignolles-Monceau (75117)' }).count(),
    ).toBe(1);
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    // Deleting asks first, naming the territory.
    await territories.getByRole('button', { name: 'Supprimer Marseille (e2e)' }).click();
    await territories.getByText('Supprimer Marseille (e2e) (13055) et l’accès de ses équipes ?').waitFor();
    await territories.getByRole('button', { name: 'Confirmer la suppression' }).click();
    await territories.getByText('Marseille (e2e) a été supprimé.').waitFor();
    expect(await territories.getByText('Marseille (e2e)', { exact: true }).count()).toBe(0);
    expect((await fetch(`${J.j.server.url}/api/territories/13055`)).status).toBe(404);
    // The two refusals above answered 4xx, which Chromium logs: nothing else went wrong.
    expect(phone.problems.filter((p) => !/status of 40[04]/.test(p))).toEqual([]);
  });

  it('shows the partner space to the partner venue only', async () => {
    await freshPhone();
    await logIn('cafe@havre.example', DEMO_PASSWORD);
    const entry = page.getByRole('link', { name: /^Espace partenaire/ });
    await entry.waitFor();
    expect(await page.getByRole('link', { name: /^Tableau de bord/ }).count()).toBe(0);
    await entry.click();
    await page.getByRole('heading', { level: 1, name: 'Espace partenaire' }).waitFor();
  });

  it('asks an anonymous visitor of the dashboard to sign in, then brings the admin back to it', async () => {
    await freshPhone();
    await page.goto('/tableau-de-bord');
    await page.getByRole('heading', { level: 1, name: 'Connexion nécessaire' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Se connecter' }).click();
    await page.getByLabel('Adresse e-mail').fill('admin@havre.example');
    await passwordField().fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    expect(page.url()).toBe(`${J.j.server.url}/tableau-de-bord`);
    await page.goto('/');
    await page.getByRole('link', { name: /^Administration/ }).waitFor();
    for (const space of ['Tableau de bord', 'Espace partenaire', 'Administration']) {
      const expected = space === 'Espace partenaire' ? 0 : 1; // admin is not a venue
      expect(await page.getByRole('link', { name: new RegExp(`^${space}`) }).count()).toBe(expected);
    }
  });
});
