import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { exportPersonalData } from '../accounts/personal-data.ts';
import { loadBundledTerritories } from '../territories/bundled.ts';
import { importTerritories } from '../territories/import.ts';
import { placesDataPath } from './demo.ts';
import { importPlaces } from './import/import.ts';
import { sendTrainingReminders } from './jobs.ts';
import { PLACES_CHANGED } from './live-index.ts';

// The test clock: Saturday 28 November 2026, 22:00 in Paris.
const BATIGNOLLES = { lat: 48.8846, lon: 2.3206 };
const application = {
  name: 'Le Refuge',
  kind: 'bar',
  address: '12 rue des Batignolles, 75017 Paris',
  lat: 48.8848,
  lon: 2.3204,
  openingHours: 'Mo-Sa 17:00-02:00; PH off',
  phone: '01 23 45 67 89',
  charterAccepted: true,
};

describe.each(backends())('places API on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await importTerritories(t.services, loadBundledTerritories());
    await importPlaces(t.services, placesDataPath('police-gendarmerie-france.geojson'));
  });
  afterEach(async () => {
    await t.close();
  });

  const nearest = async (query: string) => t.app.inject({ url: `/api/places/nearest?${query}` });

  /** The venue applies in Paris 17e and that territory's staff approves it. */
  async function approvedVenue(venue: { auth: Record<string, string> }) {
    const staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/partner/places',
      headers: venue.auth,
      payload: application,
    });
    const id: string = applied.json().id;
    await t.app.inject({
      method: 'POST',
      url: `/api/places/${id}/review`,
      headers: staff.auth,
      payload: { decision: 'approve' },
    });
    return { staff, id };
  }

  it('answers the nearest places to anyone, sorted by distance, with open-now unknown when hours are', async () => {
    const res = await nearest(`lat=${BATIGNOLLES.lat}&lon=${BATIGNOLLES.lon}`);
    expect(res.statusCode).toBe(200);
    const { places } = res.json();
    expect(places).toHaveLength(5);
    expect(places[0]).toMatchObject({
      name: 'Commissariat central de police de Paris 17e arrondissement',
      kind: 'police',
      openNow: null,
      partner: false,
      trained: false,
    });
    expect(places[0].walkMinutes).toBeGreaterThanOrEqual(1);
    const distances = places.map((p: { distanceM: number }) => p.distanceM);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(Object.keys(places[0]).sort()).toEqual(
      [
        'address',
        'distanceM',
        'id',
        'kind',
        'lat',
        'lon',
        'name',
        'openNow',
        'partner',
        'phone',
        'trained',
        'walkMinutes',
      ].sort(),
    );
  });

  it('filters by kind and open now at a given instant, with closing and opening times in the place’s zone', async () => {
    const at = encodeURIComponent('2026-11-30T10:00:00+01:00'); // Monday 10:00
    const res = await nearest(`lat=49.4402&lon=1.0949&kinds=police&openOnly=true&at=${at}&limit=1`);
    const [place] = res.json().places;
    expect(place).toMatchObject({ name: 'Commissariat de police de Sotteville-lès-Rouen', openNow: true });
    expect(place.closesAt).toBe('2026-11-30T17:00:00+01:00');
    const evening = encodeURIComponent('2026-11-30T19:00:00+01:00');
    const closed = await nearest(`lat=49.4160&lon=1.0914&kinds=police&at=${evening}&limit=1`);
    expect(closed.json().places[0]).toMatchObject({ openNow: false, opensAt: '2026-12-01T09:00:00+01:00' });
  });

  it('refuses bad nearest queries with 400 and a stable code', async () => {
    for (const [query, code] of [
      ['lat=48.8&lon=2.3&limit=51', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.8&lon=2.3&kinds=castle', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.8&lon=2.3&at=yesterday', 'HAVRE_ERR_PLACE_BAD_TIME'],
      ['lat=48.8&lon=2.3&at=2026-12-01T22:00', 'HAVRE_ERR_PLACE_BAD_TIME'], // no offset: which 22:00?
      ['lat=abc&lon=2.3', 'HAVRE_ERR_VALIDATION'],
      ['lon=2.3', 'HAVRE_ERR_VALIDATION'],
      // Out of WGS84 range: refused, as POST /api/reports does, not clamped to the index's edge.
      ['lat=1000&lon=2', 'HAVRE_ERR_VALIDATION'],
      ['lat=90.5&lon=2.3', 'HAVRE_ERR_VALIDATION'],
      ['lat=-91&lon=2.3', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.8&lon=5000', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.8&lon=180.01', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.8&lon=-181', 'HAVRE_ERR_VALIDATION'],
      ['lat=Infinity&lon=2.3', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.8&lon=-Infinity', 'HAVRE_ERR_VALIDATION'],
      ['lat=NaN&lon=2.3', 'HAVRE_ERR_VALIDATION'],
      ['lat=1e3&lon=2.3', 'HAVRE_ERR_VALIDATION'],
    ]) {
      const res = await nearest(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().code, query).toBe(code);
    }
  });

  it('lists the places of a map viewport and refuses invalid or too large boxes', async () => {
    const ok = await t.app.inject({ url: '/api/places?bbox=2.25,48.86,2.35,48.90&kinds=police' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().truncated).toBe(false);
    expect(ok.json().places.map((p: { name: string }) => p.name)).toContain(
      'Commissariat central de police de Paris 17e arrondissement',
    );
    for (const [bbox, code] of [
      ['1,2,3', 'HAVRE_ERR_PLACE_BAD_BBOX'],
      ['2.4,48.8,2.3,48.9', 'HAVRE_ERR_PLACE_BAD_BBOX'],
      ['2,48,2,x', 'HAVRE_ERR_PLACE_BAD_BBOX'],
      ['-5,42,8,51', 'HAVRE_ERR_PLACE_BBOX_TOO_LARGE'],
    ]) {
      const res = await t.app.inject({ url: `/api/places?bbox=${bbox}` });
      expect(res.statusCode, bbox).toBe(400);
      expect(res.json().code, bbox).toBe(code);
    }
  });

  it('runs the partner flow: apply, staff approves, visible and trained; suspended, gone', async () => {
    const venue = await userWith(t, { email: 'venue@test.example' });
    const staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    const otherStaff = await userWith(t, { roles: ['staff'], territories: ['76540'] });
    const citizen = await userWith(t);

    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/partner/places',
      headers: venue.auth,
      payload: application,
    });
    expect(applied.statusCode).toBe(201);
    const place = applied.json();
    expect(place).toMatchObject({ status: 'applied', territoryCode: '75117' });
    const me = await t.app.inject({ url: '/api/me', headers: venue.auth });
    expect(me.json().roles).toContain('partner');

    const partnerOnly = `lat=${BATIGNOLLES.lat}&lon=${BATIGNOLLES.lon}&partnerOnly=true`;
    expect((await nearest(partnerOnly)).json().places).toEqual([]);
    expect((await t.app.inject({ url: `/api/places/${place.id}` })).statusCode).toBe(404);

    const queue = await t.app.inject({
      url: '/api/territories/75117/places?status=applied',
      headers: staff.auth,
    });
    expect(queue.json().places.map((p: { id: string }) => p.id)).toEqual([place.id]);
    expect(
      (await t.app.inject({ url: '/api/territories/75117/places', headers: otherStaff.auth })).statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ url: '/api/territories/75117/places', headers: citizen.auth })).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ url: '/api/territories/75117/places' })).statusCode).toBe(401);

    const review = (who: { auth: Record<string, string> }, payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/places/${place.id}/review`, headers: who.auth, payload });
    expect((await review(otherStaff, { decision: 'approve' })).statusCode).toBe(403);
    expect((await review(citizen, { decision: 'approve' })).statusCode).toBe(403);
    expect((await review(venue, { decision: 'approve' })).statusCode).toBe(403);
    const changes: unknown[] = [];
    await t.services.bus.subscribe(PLACES_CHANGED, (m) => changes.push(m));
    const approved = await review(staff, { decision: 'approve' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().history.map((h: { to: string }) => h.to)).toEqual(['applied', 'verified']);
    expect(changes).toHaveLength(1);
    expect((await review(staff, { decision: 'approve' })).json().code).toBe(
      'HAVRE_ERR_PLACE_STATUS_CONFLICT',
    );

    // Saturday 22:00 in Paris: the bar is open, and now the nearest partner.
    let found = (await nearest(partnerOnly)).json().places;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      id: place.id,
      partner: true,
      trained: false,
      openNow: true,
      closesAt: '2026-11-29T02:00:00+01:00',
    });

    const training = await t.app.inject({
      method: 'POST',
      url: `/api/partner/places/${place.id}/trainings`,
      headers: venue.auth,
      payload: { date: '2026-11-20', staffTrained: 4 },
    });
    expect(training.statusCode).toBe(201);
    expect(training.json()).toMatchObject({
      trainedStaffCount: 4,
      lastTrainingDate: '2026-11-20',
      trainingExpiresOn: '2027-11-20',
    });
    const card = (await t.app.inject({ url: `/api/places/${place.id}` })).json();
    expect(card).toMatchObject({
      trained: true,
      lastTrainingDate: '2026-11-20',
      hoursStatus: 'known',
      openNow: true,
    });
    expect(card.week[0]).toEqual({ day: 'mo', intervals: [{ from: '17:00', to: '02:00', state: 'open' }] });
    expect(card.week[6]).toEqual({ day: 'su', intervals: [] });

    // A temporary closure wins over the hours.
    const closed = await t.app.inject({
      method: 'PATCH',
      url: `/api/partner/places/${place.id}`,
      headers: venue.auth,
      payload: { closedUntil: '2026-11-30T17:00:00+01:00', closedReason: 'Travaux' },
    });
    expect(closed.statusCode).toBe(200);
    found = (await nearest(partnerOnly)).json().places;
    expect(found[0]).toMatchObject({ openNow: false, opensAt: '2026-11-30T17:00:00+01:00' });
    expect((await nearest(`${partnerOnly}&openOnly=true`)).json().places).toEqual([]);

    expect((await review(staff, { decision: 'suspend' })).json().code).toBe('HAVRE_ERR_VALIDATION');
    expect((await review(staff, { decision: 'suspend', reason: 'Plainte' })).statusCode).toBe(200);
    expect((await nearest(partnerOnly)).json().places).toEqual([]);
    expect((await t.app.inject({ url: `/api/places/${place.id}` })).statusCode).toBe(404);
    const admin = await userWith(t, { roles: ['admin'] });
    const back = await review(admin, { decision: 'reinstate', reason: 'Résolu' });
    expect(back.json().history.map((h: { to: string }) => h.to)).toEqual([
      'applied',
      'verified',
      'suspended',
      'verified',
    ]);
    expect((await nearest(partnerOnly)).json().places).toHaveLength(1);

    // The partner was told of each decision, in French by default.
    const mails = await t.services.db.kysely
      .selectFrom('outbox')
      .select('payload')
      .where('recipient', '=', 'venue@test.example')
      .execute();
    expect(mails.map((m) => JSON.parse(m.payload).subject)).toEqual(
      expect.arrayContaining([
        'Havre : « Le Refuge » est désormais un lieu sûr',
        'Havre : « Le Refuge » n’apparaît plus sur la carte des lieux sûrs',
      ]),
    );
  });

  it('keeps partner routes to the signed-in owner', async () => {
    const venue = await userWith(t);
    const other = await userWith(t);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/partner/places', payload: application })).statusCode,
    ).toBe(401);
    const { charterAccepted: _, ...noConsent } = application;
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/partner/places',
      headers: venue.auth,
      payload: noConsent,
    });
    expect(refused.statusCode).toBe(400);
    const badHours = await t.app.inject({
      method: 'POST',
      url: '/api/partner/places',
      headers: venue.auth,
      payload: { ...application, openingHours: 'Lu-Sa 17h-2h' },
    });
    expect(badHours.json().code).toBe('HAVRE_ERR_PLACE_BAD_HOURS');
    const police = await t.app.inject({
      method: 'POST',
      url: '/api/partner/places',
      headers: venue.auth,
      payload: { ...application, kind: 'police' },
    });
    expect(police.statusCode).toBe(400);
    const id = (
      await t.app.inject({
        method: 'POST',
        url: '/api/partner/places',
        headers: venue.auth,
        payload: application,
      })
    ).json().id;

    const patch = (who: { auth: Record<string, string> } | null, payload: object) =>
      t.app.inject({ method: 'PATCH', url: `/api/partner/places/${id}`, headers: who?.auth ?? {}, payload });
    expect((await patch(null, { phone: '01 11 11 11 11' })).statusCode).toBe(401);
    expect((await patch(other, { phone: '01 11 11 11 11' })).statusCode).toBe(403);
    expect((await patch(venue, { name: 'Autre' })).statusCode).toBe(400);
    expect((await patch(venue, { openingHours: 'Mo-Su 18:00-03:00' })).json().openingHours).toBe(
      'Mo-Su 18:00-03:00',
    );
    const training = (who: { auth: Record<string, string> }, payload: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/partner/places/${id}/trainings`,
        headers: who.auth,
        payload,
      });
    expect((await training(other, { date: '2026-11-01', staffTrained: 2 })).statusCode).toBe(403);
    expect((await training(venue, { date: '2026-12-24', staffTrained: 2 })).json().code).toBe(
      'HAVRE_ERR_PLACE_BAD_TRAINING_DATE',
    );
    expect((await training(venue, { date: '2026-02-30', staffTrained: 2 })).json().code).toBe(
      'HAVRE_ERR_PLACE_BAD_TRAINING_DATE',
    );
    expect((await t.app.inject({ url: '/api/partner/places', headers: other.auth })).json().places).toEqual(
      [],
    );
    expect(
      (await t.app.inject({ url: '/api/partner/places', headers: venue.auth })).json().places,
    ).toHaveLength(1);
    const steal = await t.app.inject({
      method: 'POST',
      url: `/api/partner/places/${id}/withdraw`,
      headers: other.auth,
    });
    expect(steal.statusCode).toBe(403);
    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/api/partner/places/${id}/withdraw`,
      headers: venue.auth,
    });
    expect(withdrawn.json().status).toBe('withdrawn');
    const exported = await exportPersonalData(t.services.db.kysely, venue.id, t.clock.now());
    expect((exported.partnerVenues as { venues: unknown[] }).venues).toHaveLength(1);
  });

  it('takes an application outside every territory but says no territory covers it', async () => {
    const venue = await userWith(t);
    const staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    const lyon = { ...application, address: '3 place Bellecour, 69002 Lyon', lat: 45.7578, lon: 4.832 };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/partner/places',
      headers: venue.auth,
      payload: lyon,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'applied', territoryCode: null });
    const review = await t.app.inject({
      method: 'POST',
      url: `/api/places/${res.json().id}/review`,
      headers: staff.auth,
      payload: { decision: 'approve' },
    });
    expect(review.statusCode).toBe(403);
    const mine = await t.app.inject({ url: '/api/partner/places', headers: venue.auth });
    expect(mine.json().places[0].territoryCode).toBeNull();
  });

  it('lets a verified partner withdraw: gone from nearest, the map and its card; final', async () => {
    const venue = await userWith(t);
    const { staff, id } = await approvedVenue(venue);
    const here = `lat=${application.lat}&lon=${application.lon}&limit=3`;
    const bbox = '/api/places?bbox=2.31,48.88,2.33,48.89';
    const ids = (res: { json(): { places: { id: string }[] } }) => res.json().places.map((p) => p.id);
    expect(ids(await nearest(here))[0]).toBe(id);
    expect(ids(await t.app.inject({ url: bbox }))).toContain(id);

    const withdraw = () =>
      t.app.inject({ method: 'POST', url: `/api/partner/places/${id}/withdraw`, headers: venue.auth });
    const res = await withdraw();
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('withdrawn');
    expect(ids(await nearest(here))).not.toContain(id);
    expect(ids(await t.app.inject({ url: bbox }))).not.toContain(id);
    expect((await t.app.inject({ url: `/api/places/${id}` })).statusCode).toBe(404);
    const history = await t.services.db.kysely
      .selectFrom('place_status_changes')
      .select(['to_status', 'actor_user_id'])
      .where('place_id', '=', id)
      .orderBy('at')
      .execute();
    expect(history.at(-1)).toEqual({ to_status: 'withdrawn', actor_user_id: venue.id });
    // Final: no second withdrawal, no more changes, no reinstatement by staff.
    expect((await withdraw()).json().code).toBe('HAVRE_ERR_PLACE_STATUS_CONFLICT');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/partner/places/${id}`,
      headers: venue.auth,
      payload: { phone: '01 99 99 99 99' },
    });
    expect(patch.json().code).toBe('HAVRE_ERR_PLACE_STATUS_CONFLICT');
    const reinstate = await t.app.inject({
      method: 'POST',
      url: `/api/places/${id}/review`,
      headers: staff.auth,
      payload: { decision: 'reinstate' },
    });
    expect(reinstate.json().code).toBe('HAVRE_ERR_PLACE_STATUS_CONFLICT');
  });

  it('refreshes its index by age without making queries wait: a direct SQL change shows after 5 minutes', async () => {
    const here = `lat=${BATIGNOLLES.lat}&lon=${BATIGNOLLES.lon}&limit=1`;
    const name = async () => (await nearest(here)).json().places[0].name;
    const before = await name();
    const { id } = (await nearest(here)).json().places[0];
    await t.services.db.kysely
      .updateTable('places')
      .set({ name: 'Renommé en SQL' })
      .where('id', '=', id)
      .execute();
    expect(await name()).toBe(before); // no message on the bus: the index is kept
    t.clock.advance(5 * 60_000 + 1);
    expect(await name()).toBe(before); // answered from the current index while the next one builds
    await expect.poll(name, { timeout: 20_000 }).toBe('Renommé en SQL');
  });

  it('e-mails a partner 30 days before the training expires, once, in their language', async () => {
    const venue = await userWith(t, { email: 'bar@test.example' });
    await t.services.db.kysely
      .updateTable('users')
      .set({ locale: 'en' })
      .where('id', '=', venue.id)
      .execute();
    const { id } = await approvedVenue(venue);
    await t.app.inject({
      method: 'POST',
      url: `/api/partner/places/${id}/trainings`,
      headers: venue.auth,
      payload: { date: '2026-01-15', staffTrained: 3 },
    });
    // Expires 2027-01-15: 48 days away, no reminder yet.
    expect(await sendTrainingReminders(t.services)).toBe(0);
    t.clock.advance(20 * 86_400_000); // 2026-12-18: 28 days before
    expect(await sendTrainingReminders(t.services)).toBe(1);
    expect(await sendTrainingReminders(t.services)).toBe(0);
    const queued = await t.services.db.kysely.selectFrom('outbox').select(['recipient', 'payload']).execute();
    const reminder = queued.find((q) => q.payload.includes('2027-01-15'));
    expect(reminder?.recipient).toBe('bar@test.example');
    expect(JSON.parse(reminder!.payload).subject).toBe(
      'Havre: the staff training of Le Refuge expires on 2027-01-15',
    );
    // The link opens the partner portal (its path is French: /partner was no page).
    expect(JSON.parse(reminder!.payload).text).toContain(`${t.services.config.publicUrl}/partenaire\n`);
  });
});
