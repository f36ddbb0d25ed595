/**
 * Browser journeys of the municipal dashboard (issue 3), desktop-sized: the Paris 17e staff sees
 * a new hexagon live once k reports are in it; a city action drawn on the map reaches the
 * citizen's "near me" screen; an admin moderates a burst; the Rouen staff cannot see Paris 17e.
 */
import { cellToParent, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { weekStart } from '../../src/reports/window.ts';
import {
  alicePhone,
  apiAs,
  desktop,
  J,
  STAFF_PARIS17,
  STAFF_ROUEN,
  session,
  setUpReportJourneys,
  shot,
} from './helpers/reports.ts';

setUpReportJourneys();

describe('municipal dashboard', () => {
  it('shows the new hexagon live on the Paris 17e dashboard once k reports are in it, without reload', async () => {
    // A spot of the 17e whose fine cell has no report yet in the live window — the current
    // UTC week — (demo data and the journeys above included), so its hexagon can only come
    // from the reports posted here.
    const db = J.server.running.services.db.kysely;
    const since = weekStart(Date.now());
    const candidates = [
      { lat: 48.8862, lon: 2.3095 }, // rue de Lévis
      { lat: 48.8905, lon: 2.3032 }, // rue de Tocqueville
      { lat: 48.8817, lon: 2.3081 }, // parc Monceau side
      { lat: 48.8874, lon: 2.2994 }, // place de Wagram
      { lat: 48.8935, lon: 2.3125 }, // rue de la Jonquière
      { lat: 48.8795, lon: 2.2945 }, // avenue de Villiers, west
    ];
    let spot: { lat: number; lon: number; cell: string } | null = null;
    for (const candidate of candidates) {
      // As the server files it: the resolution-10 cell of the point, then its parent.
      const cell = cellToParent(latLngToCell(candidate.lat, candidate.lon, 10), 9);
      const row = await db
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('cell9', '=', cell)
        .where('hour_bucket', '>=', since)
        .executeTakeFirstOrThrow();
      if (Number(row.n) === 0) {
        spot = { ...candidate, cell };
        break;
      }
    }
    expect(spot, 'a quiet spot in the 17e').not.toBeNull();
    const target = spot as { lat: number; lon: number; cell: string };

    const staff = await desktop(STAFF_PARIS17);
    const { page } = staff;
    await page.goto('/tableau-de-bord?periode=week');
    await page.getByText('Vos territoires : 75117').waitFor();
    await page.getByText('Paris 17e').first().waitFor();
    await page.locator('.live-status.open').waitFor();
    await page.locator('.dashboard-map canvas').waitFor();
    await page.getByRole('group', { name: 'Période' }).getByText('Cette semaine').waitFor();
    // The live map is the current week, and says when weeks start (UTC, not Paris time).
    await page.getByRole('heading', { name: 'En direct · cette semaine' }).waitFor();
    await page.getByText('La semaine commence le lundi à 0 h, heure universelle (UTC).').waitFor();
    expect(await page.locator('.dashboard-weeks').getAttribute('data-weeks')).toBe('1');
    const liveTotal = async () =>
      Number(await page.locator('.dashboard-live-total').getAttribute('data-total'));
    const startTotal = await liveTotal();
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const row = page.locator(`tr[data-cell="${target.cell}"]`);
    expect(await row.count()).toBe(0);

    // k citizens report the same spot, through the API.
    const citizens: string[] = [];
    for (let i = 0; i < J.k; i++) {
      citizens.push(
        await session('signup', `voisine-${i}-${Date.now()}@e2e.havre.example`, 'une phrase solide e2e'),
      );
    }
    const report = (token: string) =>
      apiAs(token, '/api/reports', {
        method: 'POST',
        body: JSON.stringify({
          category: 'verbal_harassment',
          role: 'victim',
          lat: target.lat,
          lon: target.lon,
          occurredAt: new Date().toISOString(),
        }),
      });
    for (const token of citizens.slice(0, J.k - 1)) expect((await report(token)).status).toBe(201);
    // k − 1 reports: the live total moves, the spot's hexagon does not show.
    await expect.poll(liveTotal, { timeout: 15_000 }).toBe(startTotal + J.k - 1);
    expect(await row.count()).toBe(0);

    expect((await report(citizens[J.k - 1])).status).toBe(201);
    await expect.poll(liveTotal, { timeout: 15_000 }).toBe(startTotal + J.k);
    await page
      .getByRole('log')
      .getByText(`Nouvelle zone visible (fine, ≈ 0,1 km²) : ${J.k} signalements`)
      .first()
      .waitFor();
    await page.getByText(/^Tableau des zones/).click();
    await row.waitFor();
    expect(await row.locator('td.number').textContent()).toBe(String(J.k));
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, '6-dashboard-live', false);
    await page.locator('.dashboard-charts').scrollIntoViewIfNeeded();
    // When reports happen: per weekday and per band of three hours, each week released on its own.
    const bands = page.getByRole('region', { name: 'Par tranche horaire' });
    expect(await bands.getByRole('listitem').count()).toBe(8);
    await bands.getByText('21 h – 24 h').waitFor();
    expect(
      await page.getByRole('region', { name: 'Par jour de la semaine' }).getByRole('listitem').count(),
    ).toBe(7);
    await shot(page, '7-dashboard-full');

    // The exports carry the same aggregates (never a report row, never a text).
    const csv = await page.evaluate(
      async (href) => {
        const response = await fetch(href as string);
        return {
          status: response.status,
          type: response.headers.get('content-type'),
          body: await response.text(),
        };
      },
      await page.getByRole('link', { name: 'Zones et totaux (CSV)' }).getAttribute('href'),
    );
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect(csv.body).toContain(`${target.cell},9,${J.k},`);
    expect(staff.problems).toEqual([]);
    await staff.context.close();
  });

  it('publishes a city action drawn on the map, which the citizen then sees near her', async () => {
    const staff = await desktop(STAFF_PARIS17);
    const { page } = staff;
    const title = `Éclairage renforcé ${Date.now()}`;
    await page.goto('/tableau-de-bord/75117/actions');
    await page.getByRole('button', { name: 'Nouvelle action' }).click();
    const map = page.locator('.editor-map');
    await map.locator('canvas').waitFor();
    await page.waitForFunction(() => document.querySelector('.editor-map canvas') !== null);
    await page.waitForTimeout(500); // the map fits the territory before the first click
    const box = await map.boundingBox();
    if (!box) throw new Error('no map');
    for (const [x, y] of [
      [0.47, 0.42],
      [0.53, 0.42],
      [0.53, 0.5],
      [0.47, 0.5],
    ]) {
      await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
    }
    await page.getByText('4 sommets').waitFor();
    await page.getByLabel('Titre').fill(title);
    await page
      .getByLabel('Description')
      .fill('Nouveaux lampadaires et passage plus fréquent des correspondants de nuit.');
    // Announced ahead: the lamps go up on 1 March of next year.
    const planned = `${new Date().getUTCFullYear() + 1}-03-01`;
    await page.getByLabel('Date', { exact: true }).fill(planned);
    await shot(page, '8-action-editor', false);
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.getByText('Action publiée.', { exact: true }).waitFor();
    await page.getByRole('heading', { level: 3, name: title }).waitFor();
    await staff.context.close();

    const phone = await alicePhone();
    await phone.page.goto('/signaler/pres-de-moi');
    await phone.page.getByRole('heading', { name: 'Signalements récents' }).waitFor();
    await phone.page
      .getByText(/^Moins de \d+$|^\d+ signalements?$/)
      .first()
      .waitFor();
    await phone.page.getByRole('heading', { level: 3, name: title }).waitFor();
    await phone.page.getByText(`Prévue le 1 mars ${new Date().getUTCFullYear() + 1}`).waitFor();
    await phone.page.locator('.nearby-map canvas').waitFor();
    await shot(phone.page, '9-near-me');
    expect(phone.problems).toEqual([]);
    await phone.close();
  });

  it('lets an admin accept and reject the reports held by a burst in one cell', async () => {
    // One account reports the same spot of Rouen again and again within the hour: past the
    // burst threshold, the reports are held for moderation (counted, not shown).
    const token = await session('signup', `rafale-${Date.now()}@e2e.havre.example`, 'une phrase solide e2e');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await apiAs(token, '/api/reports', {
        method: 'POST',
        body: JSON.stringify({
          category: 'insecurity',
          role: 'witness',
          lat: 49.4406,
          lon: 1.0972,
          occurredAt: new Date().toISOString(),
        }),
      });
      statuses.push(response.status);
    }
    expect(statuses.every((s) => s === 201)).toBe(true);

    const admin = await desktop('admin@havre.example');
    const { page } = admin;
    await page.goto('/tableau-de-bord/moderation');
    await page.getByRole('heading', { level: 2, name: 'Modération' }).waitFor();
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    const held = await rows.count();
    expect(held).toBeGreaterThanOrEqual(1);
    await shot(page, '11-moderation', false);
    await rows.first().getByRole('button', { name: 'Accepter' }).click();
    await page.getByText('Signalement accepté : il rejoint la carte.').waitFor();
    await expect.poll(() => rows.count()).toBe(held - 1);
    if (held > 1) {
      await rows.first().getByRole('button', { name: 'Rejeter' }).click();
      await page.getByText('Signalement rejeté et supprimé.').waitFor();
      await expect.poll(() => rows.count()).toBe(held - 2);
    }
    // Staff do not moderate: the section is for admins (the page says so, the API refuses).
    const staff = await desktop(STAFF_ROUEN);
    await staff.page.goto('/tableau-de-bord/moderation');
    await staff.page.getByText('La modération est réservée à l’administration de Havre.').waitFor();
    expect(await staff.page.evaluate(async () => (await fetch('/api/admin/reports/held')).status)).toBe(403);
    expect(admin.problems).toEqual([]);
    await staff.context.close();
    await admin.context.close();
  });

  it('keeps Paris 17e from the Rouen staff: the page says access is reserved and the API answers 403', async () => {
    const rouen = await desktop(STAFF_ROUEN);
    const { page } = rouen;
    await page.goto('/tableau-de-bord');
    await page.getByText('Vos territoires : 76540').waitFor();
    await page.getByText('Rouen').first().waitFor();

    await page.goto('/tableau-de-bord/75117');
    await page.getByRole('heading', { name: 'Accès réservé' }).waitFor();
    await page.getByText('Votre compte ne donne pas accès à ce territoire.').waitFor();
    await shot(page, '10-rouen-reserved', false);
    expect(
      await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { email: string }).email),
    ).toBe(STAFF_ROUEN);
    const statuses = await page.evaluate(async () => {
      const paths = ['heatmap', 'stats', 'export.csv', 'descriptions', 'live'];
      return Promise.all(paths.map(async (p) => (await fetch(`/api/territories/75117/${p}`)).status));
    });
    expect(statuses).toEqual([403, 403, 403, 403, 403]);
    await rouen.context.close();
  });
});
