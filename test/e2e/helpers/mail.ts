/**
 * Reads the e-mails the server wrote to `$HAVRE_DATA_DIR/mail/` (no SMTP server in demo mode)
 * to follow their links like a user would.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Undoes quoted-printable soft line breaks and escapes (nodemailer's choice for long lines). */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function messagesTo(dataDir: string, email: string): string[] {
  const dir = join(dataDir, 'mail');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => decodeQuotedPrintable(readFileSync(join(dir, name), 'utf8')))
    .filter((message) => new RegExp(`^To: ${email.replace(/[.+]/g, '\\$&')}$`, 'im').test(message));
}

/** Waits for an e-mail to `email` holding a link to `path`, and returns that link. */
export async function waitForLink(
  dataDir: string,
  email: string,
  path: string,
  timeoutMs = 10_000,
): Promise<string> {
  const pattern = new RegExp(`https?://[^\\s]+${path}#[A-Za-z0-9_-]+`);
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
