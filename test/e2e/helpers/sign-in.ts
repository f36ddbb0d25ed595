/**
 * A demo account signed in on a fresh phone, the way a person does it (the login form), with
 * geolocation granted and set to `at`: the starting point of the sharing journeys.
 */
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '../../../src/demo/seed.ts';
import { openPhone, type PhonePage } from './browser.ts';

export async function signedInPhone(
  browser: Browser,
  baseUrl: string,
  email: string,
  at: { latitude: number; longitude: number },
): Promise<PhonePage> {
  const phone = await openPhone(browser, baseUrl);
  phone.page.setDefaultTimeout(20_000);
  await phone.context.grantPermissions(['geolocation'], { origin: baseUrl });
  await phone.context.setGeolocation({ ...at, accuracy: 12 });
  await phone.page.goto('/connexion');
  await phone.page.getByLabel('Adresse e-mail').fill(email);
  await phone.page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
  await phone.page.getByRole('button', { name: 'Se connecter' }).click();
  await phone.page.getByRole('link', { name: 'Mon compte' }).waitFor();
  return phone;
}

/**
 * `contact` becomes the trusted contact of the person signed in on `owner`'s phone, through the
 * invitation page (which also registers the contact's device key): the shortcut of journeys that
 * are not about invitations.
 */
export async function becomeTrustedContact(owner: PhonePage, ownerEmail: string, contact: PhonePage) {
  const invitation = await owner.page.evaluate(
    async () => (await (await fetch('/api/contacts/invites', { method: 'POST' })).json()).url as string,
  );
  await contact.page.goto(invitation);
  await contact.page.getByRole('button', { name: 'Accepter l’invitation' }).click();
  // French elides "de" before a vowel: "d’alice@…", "de bob@…".
  const of = /^[aeiouy]/i.test(ownerEmail) ? `d’${ownerEmail}` : `de ${ownerEmail}`;
  await contact.page.getByText(`Vous êtes maintenant contact de confiance ${of}.`).waitFor();
}
