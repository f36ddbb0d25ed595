/**
 * Reads the e-mails the server wrote to `$HAVRE_DATA_DIR/mail/` (no SMTP server in demo mode)
 * to follow their links like a user would.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Undoes quoted-printable soft line breaks and escapes (nodemailer's choice for long lines). */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Every e-mail to `email`, oldest first, decoded. */
export function messagesTo(dataDir: string, email: string): string[] {
  const dir = join(dataDir, 'mail');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => decodeQuotedPrintable(readFileSync(join(dir, name), 'utf8')))
    .filter((message) => new RegExp(`^To: ${email.replace(/[.+]/g, '\\$&')}$`, 'im').test(message));
}

/**
 * Waits for an e-mail to `email` holding a link to `path` (with a `#token`, and whatever follows
 * it, e.g. `&suite=…`, unless `withToken` is false), and returns that link.
 */
export async function waitForLink(
  dataDir: string,
  email: string,
  path: string,
  timeoutMs = 10_000,
  withToken = true,
): Promise<string> {
  const pattern = new RegExp(
    `https?://[^\\s]+${path}${withToken ? '#[A-Za-z0-9_-]+(?:&\\S*)?' : '(?=\\s|$)'}`,
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const message of messagesTo(dataDir, email).reverse()) {
      const link = message.match(pattern)?.[0];
      if (link) return link;
    }
    if (Date.now() > deadline) throw new Error(`no e-mail to ${email} with a link to ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits for a new e-mail to `email` (after the first `after` ones) containing `text`; returns
 * the follow link (`/suivre/…`) it carries, or '' when it has none.
 */
export async function waitForMail(
  dataDir: string,
  email: string,
  text: string,
  after: number,
): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = messagesTo(dataDir, email)
      .slice(after)
      .find((m) => Buffer.from(m, 'latin1').toString('utf8').includes(text) || m.includes(text));
    if (found) return found.match(/https?:\/\/\S+\/suivre\/[0-9a-f-]{36}/)?.[0] ?? '';
    if (Date.now() > deadline) throw new Error(`no e-mail to ${email} containing "${text}"`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Signs up in the browser the way a person does (verify-first): the form, the "check your
 * e-mail" screen, then the link of the e-mail, which creates the account and signs in.
 */
export async function signUpInBrowser(
  page: Page,
  dataDir: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto('/inscription');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.getByRole('heading', { level: 1, name: 'Regardez vos e-mails' }).waitFor();
  await page.goto(await waitForLink(dataDir, email, '/inscription/confirmer'));
  await page.getByRole('link', { name: 'Mon compte' }).waitFor();
}
