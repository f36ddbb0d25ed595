/**
 * Migration 0017: applications refused before `rejected` existed were stored as `withdrawn`; they
 * become `rejected`, while venues that left by their partner's choice or an erasure stay withdrawn.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { undoMigrationsAfter } from '../../test/helpers/migrations.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { loadBundledTerritories } from '../territories/bundled.ts';
import { importTerritories } from '../territories/import.ts';
import { uuidV7 } from './ids.ts';

describe.each(backends())('migration 0017 (rejected applications) on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await importTerritories(t.services, loadBundledTerritories());
  });
  afterEach(async () => {
    await t.close();
  });

  it('turns refusals stored as withdrawn into rejected, and leaves withdrawals and erasures withdrawn', async () => {
    const venue = await userWith(t);
    const staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    const k = t.services.db.kysely;
    const apply = async (name: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/partner/places',
          headers: venue.auth,
          payload: {
            name,
            kind: 'bar',
            address: '12 rue des Batignolles, 75017 Paris',
            lat: 48.8848,
            lon: 2.3204,
            charterAccepted: true,
          },
        })
      ).json().id as string;
    const refused = await apply('Refusé');
    const left = await apply('Parti');
    const erased = await apply('Effacé');
    const later = await undoMigrationsAfter(k, '0016_trail_log');
    expect(later).toEqual(['0017_place_rejections']);
    // What the former code wrote: the review's refusal, the partner's withdrawal, an erasure.
    const old = async (placeId: string, actor: string | null, reason: string | null) => {
      t.clock.advance(1000);
      const now = t.clock.now();
      await k.updateTable('places').set({ status: 'withdrawn' }).where('id', '=', placeId).execute();
      await k
        .insertInto('place_status_changes')
        .values({
          id: uuidV7(now),
          place_id: placeId,
          actor_user_id: actor,
          at: now,
          from_status: 'applied',
          to_status: 'withdrawn',
          reason,
        })
        .execute();
    };
    await old(refused, staff.id, 'Établissement fermé au public');
    await old(left, venue.id, null);
    await old(erased, null, 'account erased');

    expect(await migrateToLatest(t.services.db)).toEqual(later);
    const status = async (id: string) =>
      (await k.selectFrom('places').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    expect(await status(refused)).toBe('rejected');
    expect(await status(left)).toBe('withdrawn');
    expect(await status(erased)).toBe('withdrawn');
    const mine = (await t.app.inject({ url: '/api/partner/places', headers: venue.auth })).json().places;
    expect(mine.find((p: { id: string }) => p.id === refused)).toMatchObject({
      status: 'rejected',
      statusReason: 'Établissement fermé au public',
    });
    const history = await k
      .selectFrom('place_status_changes')
      .select('to_status')
      .where('place_id', '=', refused)
      .orderBy('at')
      .execute();
    expect(history.map((h) => h.to_status)).toEqual(['applied', 'rejected']);
  });
});
