/**
 * Faults: the SMTP server is down when a password-reset mail is asked for. The outbox keeps the
 * message, retries with back-off, and delivers it through the real SMTP transport (nodemailer)
 * once the server is back. Nothing is lost, nothing is sent twice.
 */
import { createServer } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { smtpTransport } from '../../src/notify/mail-transport.ts';
import { retryDelayMs } from '../../src/notify/outbox.ts';
import { makeTestApp, type TestApp, userWith } from '../helpers/app.ts';
import { type Received, startSmtp } from '../helpers/smtp.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const until = async (check: () => boolean | Promise<boolean>, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('SMTP outage', () => {
  let t: TestApp;
  let smtp: SMTPServer | null = null;
  beforeEach(async () => {
    t = await makeTestApp('sqlite');
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await t.close();
  });

  it('keeps a password-reset mail while SMTP is down and delivers it once when SMTP is back', async () => {
    const port = await freePort();
    const received: Received[] = [];
    (t.services as { mail: unknown }).mail = smtpTransport(`smtp://127.0.0.1:${port}`, 'havre@test.example');
    const user = await userWith(t);

    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: user.email },
    });
    expect(asked.statusCode).toBe(202);
    const row = () =>
      t.services.db.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('recipient', '=', user.email)
        .executeTakeFirstOrThrow();
    // SMTP down: the worker tries, fails, and schedules a retry.
    await until(async () => (await row()).attempts >= 1, 'a failed attempt');
    expect((await row()).sent_at).toBeNull();
    expect((await row()).last_error).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);

    smtp = await startSmtp(port, received);
    expect(received).toEqual([]); // not before its retry time
    t.clock.advance(retryDelayMs((await row()).attempts) + 1);
    await until(() => received.length > 0, 'delivery');
    await until(async () => (await row()).sent_at !== null, 'sent_at');

    expect(received).toHaveLength(1);
    expect(received[0]?.to).toEqual([user.email]);
    // The body (quoted-printable, soft line breaks unfolded) carries the reset link.
    expect(received[0]?.data.replace(/=\r\n/g, '')).toContain('/compte/nouveau-mot-de-passe#');
    t.clock.advance(60 * 60_000);
    t.services.outbox.kick();
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toHaveLength(1);
  });
});
