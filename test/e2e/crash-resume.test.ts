/**
 * Crash and resume, in the browser: Alice shares a trip from Chromium while `havre serve` is
 * killed with SIGKILL and started again. Her page keeps the positions taken meanwhile
 * (encrypted, in IndexedDB), reconnects by itself once the server is back and sends its
 * backlog: the stored trail ends up complete, without a gap, and what had been acknowledged
 * before the kill is still there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { BIN, exited, freePort, ROOT, waitHealthy } from '../helpers/process.ts';
import { launchBrowser, openPhone, type PhonePage } from './helpers/browser.ts';
import { ensureWebBuilt } from './helpers/server.ts';

const PATH = [
  { latitude: 48.8846, longitude: 2.3206 },
  { latitude: 48.8851, longitude: 2.3212 },
  { latitude: 48.8856, longitude: 2.3219 },
  { latitude: 48.8861, longitude: 2.3226 },
  { latitude: 48.8866, longitude: 2.3233 },
];

describe('crash and resume in the browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'havre-resume-'));
  let server: ChildProcess | null = null;
  let browser: Browser | null = null;
  let alice: PhonePage | null = null;
  afterAll(async () => {
    await alice?.close();
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await exited(server);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the sharer’s page keeps positions while the server is down, reconnects by itself and sends them', async () => {
    ensureWebBuilt();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      HAVRE_DATA_DIR: dir,
      HAVRE_PORT: String(port),
      HAVRE_PUBLIC_URL: base,
      HAVRE_LOG_LEVEL: 'warn',
      HAVRE_RATE_LIMIT: '100000',
      HAVRE_WEB_DIR: join(ROOT, 'web/dist'),
    };
    const serve = async () => {
      server = spawn(process.execPath, [BIN, 'serve', '--demo'], {
        env,
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      await waitHealthy(base, server);
    };
    const trail = (shareId: string): number[] => {
      const db = new Database(join(dir, 'havre.sqlite'), { readonly: true, fileMustExist: true });
      try {
        return (
          // The trail and SQLite's append log (points not moved into trail_points yet).
          (
            db
              .prepare(
                'select seq from trail_points where share_id = ? union select seq from trail_log where share_id = ? order by seq',
              )
              .all(shareId, shareId) as {
              seq: number;
            }[]
          ).map((r) => Number(r.seq))
        );
      } finally {
        db.close();
      }
    };
    const until = async (check: () => boolean, what: string, ms = 30_000) => {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    await serve();
    browser = await launchBrowser();
    alice = await openPhone(browser, base);
    const page = alice.page;
    page.setDefaultTimeout(30_000);
    await alice.context.grantPermissions(['geolocation'], { origin: base });
    await alice.context.setGeolocation({ ...PATH[0], accuracy: 12 });
    await page.goto('/connexion');
    await page.getByLabel('Adresse e-mail').fill('alice@havre.example');
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Mon compte' }).waitFor();

    await page.goto('/partager');
    await page.getByRole('button', { name: 'Commencer le partage' }).click();
    await page.waitForURL(/\/partage\/[0-9a-f-]{36}$/);
    const shareId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByText('Connecté', { exact: true }).waitFor();
    await alice.context.setGeolocation({ ...PATH[1], accuracy: 12 });
    await until(() => trail(shareId).length >= 2, 'two positions stored');
    const beforeKill = trail(shareId);

    server!.kill('SIGKILL');
    await exited(server!);
    await page.getByText('Connecté', { exact: true }).waitFor({ state: 'detached' });
    for (const point of PATH.slice(2)) {
      await alice.context.setGeolocation({ ...point, accuracy: 12 });
      await page.waitForTimeout(6_000);
    }
    await page.getByText(/positions? gardées? sur ce téléphone/).waitFor();
    const kept = Number(
      /(\d+) positions? gardée/.exec(
        (await page.getByText(/gardées? sur ce téléphone/).textContent()) ?? '',
      )?.[1],
    );
    expect(kept).toBeGreaterThanOrEqual(1);

    await serve(); // same data folder, same port: the page is not told anything
    await page.getByText('Connecté', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByText(/gardées? sur ce téléphone/).waitFor({ state: 'detached', timeout: 60_000 });
    // The notice goes as soon as the socket is back, before the page has even sent its backlog
    // (join, then the outbox): read the trail once the server has stored what the phone kept,
    // not at that instant (which passed or failed with the reconnection's timing).
    await until(() => trail(shareId).length >= beforeKill.length + kept, 'the kept positions stored');
    const after = trail(shareId);
    expect(beforeKill.filter((seq) => !after.includes(seq))).toEqual([]);
    expect(after.length).toBeGreaterThanOrEqual(beforeKill.length + kept);
    expect(after).toEqual(Array.from({ length: after.length }, (_, i) => i)); // 0…n, no gap
    console.info(
      `crash and resume: ${beforeKill.length} positions stored before SIGKILL, ${kept} kept on the phone while down, ${after.length} stored after it resumed`,
    );
    expect(
      alice.problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource|net::/.test(p)),
    ).toEqual([]);
  }, 240_000);
});
