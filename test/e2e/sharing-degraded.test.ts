/**
 * The sharer's screen when live delivery is degraded (issue 5): a real Havre (built PWA +
 * server + SQLite with the demo seed) whose shared bus is a redis-server of this test's own,
 * killed and started again while Alice shares a trip from Chromium on a phone.
 *
 * While Redis is away, the server tells its sockets `degraded`: positions are still stored and
 * acknowledged, but contacts connected to other instances receive them late. Alice's screen
 * must say so, politely for screen readers, with what still works (the SOS button: its alert
 * goes through the outbox, which needs no Redis — checked here; the emergency numbers); so
 * must the screen of Bob, who follows her. When Redis is back the server closes the sockets
 * with 1012 and the pages, reconnected, are normal again without a reload.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedTrail } from '../../src/sharing/trail-store.ts';
import { hasRedisServer } from '../helpers/instances.ts';
import { becomeTrustedContact } from './helpers/sign-in.ts';
import { ALICE, BOB, type TwoPhonesOwnRedis, twoPhonesOwnRedis } from './helpers/two-phones.ts';

/** Rue des Batignolles, Paris 17e, where the demo seed has safe places. */
const START = { latitude: 48.8846, longitude: 2.3206 };
const NEXT = { latitude: 48.8851, longitude: 2.3212 };
const LATE = 'Vos positions sont bien enregistrées, mais vos contacts peuvent les recevoir avec du retard.';
const SHOTS = process.env.HAVRE_SCREENSHOTS ?? join(tmpdir(), 'havre-screenshots', 'sharing');

describe.runIf(hasRedisServer)('the sharer’s screen while live delivery is degraded', () => {
  let t: TwoPhonesOwnRedis;

  beforeAll(async () => {
    t = await twoPhonesOwnRedis(START);
  }, 180_000);

  afterAll(() => t?.close());

  it('says positions are stored but reach contacts late, that SOS works, and clears itself when Redis is back', async () => {
    const db = t.server.running.services.db.kysely;
    // Bob becomes Alice's trusted contact (his page registers his device key when he accepts).
    await becomeTrustedContact(t.alice, ALICE, t.bob);

    await t.alice.page.goto('/partager');
    await t.alice.page.getByRole('button', { name: 'Commencer le partage' }).click();
    await t.alice.page.waitForURL(/\/partage\/[0-9a-f-]{36}$/);
    const shareId = new URL(t.alice.page.url()).pathname.split('/').pop()!;
    const status = t.alice.page.getByRole('region', { name: 'État du partage' });
    await status.getByText('Connecté', { exact: true }).waitFor();
    // The live region is in the page before anything is said in it, so that it is announced.
    const notice = t.alice.page.getByTestId('delivery-notice');
    expect(await notice.getAttribute('role')).toBe('status');
    expect(await notice.getAttribute('aria-live')).toBe('polite');
    expect(await notice.textContent()).toBe('');
    const stored = async () => (await storedTrail(db, [shareId])).length;
    await expect.poll(stored, { timeout: 20_000 }).toBeGreaterThan(0);
    // Bob follows on the same server: his screen has its own live region.
    await t.bob.page.goto(`/suivre/${shareId}`);
    await t.bob.page.getByTestId('last-position').waitFor();
    const bobNotice = t.bob.page.getByTestId('delivery-notice');
    expect(await bobNotice.getAttribute('role')).toBe('status');
    expect(await bobNotice.textContent()).toBe('');

    await t.redis.stop();

    await notice.getByText(LATE).waitFor({ timeout: 20_000 });
    await notice.getByText('Le bouton SOS fonctionne normalement').waitFor();
    await status.getByText('Connecté, positions en léger différé', { exact: false }).waitFor();
    expect(await status.getByRole('link', { name: 'Appeler le 17' }).getAttribute('href')).toBe('tel:17');
    expect(await status.getByRole('link', { name: 'Appeler le 112' }).getAttribute('href')).toBe('tel:112');
    expect(await status.getByRole('link', { name: 'SMS au 114' }).getAttribute('href')).toBe('sms:114');
    await bobNotice.getByText(`Les positions d’${ALICE} peuvent vous arriver avec du retard`).waitFor();
    mkdirSync(SHOTS, { recursive: true });
    await t.alice.page.screenshot({ path: join(SHOTS, '20-alice-degraded.png'), fullPage: true });
    await t.bob.page.screenshot({ path: join(SHOTS, '21-bob-degraded.png'), fullPage: true });
    // What the notice says holds: a new position is stored while Redis is away.
    const before = await stored();
    await t.alice.context.setGeolocation({ ...NEXT, accuracy: 12 });
    await expect.poll(stored, { timeout: 20_000 }).toBeGreaterThan(before);

    await t.redis.start();

    // Closed with 1012, reconnected: connected as usual, and nothing is said any more.
    await status.getByText('Connecté', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toBe('');
    expect(await status.getByRole('link', { name: 'Appeler le 112' }).count()).toBe(0);
    await t.bob.page.getByText('Connecté', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await bobNotice.textContent()).toBe('');

    // The SOS works while Redis is away: its alert to Bob goes out through the outbox.
    await t.redis.stop();
    await notice.getByText(LATE).waitFor({ timeout: 20_000 });
    const pressedAt = Date.now();
    await t.alice.page.getByRole('link', { name: 'SOS — alerter mes proches maintenant' }).click();
    await t.alice.page.getByText('Alerte envoyée', { exact: true }).waitFor({ timeout: 30_000 });
    const alertsToBob = async () =>
      (
        await db
          .selectFrom('outbox')
          .select('payload')
          .where('channel', '=', 'email')
          .where('recipient', '=', BOB)
          .where('created_at', '>=', pressedAt)
          .where('sent_at', 'is not', null)
          .execute()
      ).filter((row) => row.payload.includes('SOS')).length;
    await expect.poll(alertsToBob, { timeout: 30_000 }).toBe(1);
    await t.redis.start();
  }, 240_000);
});
