import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { loadBundledTerritories } from '../territories/bundled.ts';
import { importTerritories } from '../territories/import.ts';

const application = {
  name: 'Le Noctambule',
  kind: 'bar',
  address: '12 rue des Batignolles, 75017 Paris',
  lat: 48.8848,
  lon: 2.3204,
  charterAccepted: true,
};

describe.each(backends())('partner portal on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await importTerritories(t.services, loadBundledTerritories());
  });
  afterEach(async () => {
    await t.close();
  });

  const apply = async (venue: { auth: Record<string, string> }, name = application.name) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/partner/places',
        headers: venue.auth,
        payload: { ...application, name },
      })
    ).json();
  const mine = async (venue: { auth: Record<string, string> }) =>
    (await t.app.inject({ url: '/api/partner/places', headers: venue.auth })).json().places;

  it('shows a refused application as rejected with the municipality’s reason, not as withdrawn, and keeps it final', async () => {
    const venue = await userWith(t);
    const staff = await userWith(t, {
      roles: ['staff'],
      territories: ['75117'],
      email: 'agent@mairie.example',
    });
    const { id } = await apply(venue);
    const reason = 'L’adresse ne correspond pas à un établissement ouvert au public.';
    const rejected = await t.app.inject({
      method: 'POST',
      url: `/api/places/${id}/review`,
      headers: staff.auth,
      payload: { decision: 'reject', reason },
    });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json().history.map((h: { to: string }) => h.to)).toEqual(['applied', 'rejected']);

    // The e-mail says so too, with the reason and the way to the portal.
    const mail = await t.services.db.kysely
      .selectFrom('outbox')
      .select('payload')
      .where('recipient', '=', venue.email)
      .executeTakeFirstOrThrow();
    const { subject, text } = JSON.parse(mail.payload);
    expect(subject).toBe('Havre : votre candidature pour « Le Noctambule » n’a pas été retenue');
    expect(text).toContain(`Motif : ${reason}`);
    expect(text).toContain(`${t.services.config.publicUrl}/partenaire`);

    const [place] = await mine(venue);
    expect(place).toMatchObject({ id, status: 'rejected', statusReason: reason });
    // Who decided is not the partner's to know.
    const body = JSON.stringify(place);
    expect(body).not.toContain(staff.id);
    expect(body).not.toContain('agent@mairie.example');

    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/partner/places/${id}`,
      headers: venue.auth,
      payload: { phone: '01 23 45 67 89' },
    });
    expect(patch.json().code).toBe('HAVRE_ERR_PLACE_STATUS_CONFLICT');
    const withdraw = await t.app.inject({
      method: 'POST',
      url: `/api/partner/places/${id}/withdraw`,
      headers: venue.auth,
    });
    expect(withdraw.json().code).toBe('HAVRE_ERR_PLACE_STATUS_CONFLICT');
    const approve = await t.app.inject({
      method: 'POST',
      url: `/api/places/${id}/review`,
      headers: staff.auth,
      payload: { decision: 'approve' },
    });
    expect(approve.json().code).toBe('HAVRE_ERR_PLACE_STATUS_CONFLICT');
  });

  it('tells the partner why the venue is suspended, and forgets the reason once reinstated without one', async () => {
    const venue = await userWith(t);
    const staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    const { id } = await apply(venue);
    const review = (payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/places/${id}/review`, headers: staff.auth, payload });
    await review({ decision: 'approve' });
    expect((await mine(venue))[0]).toMatchObject({ status: 'verified', statusReason: null });
    const suspended = await review({ decision: 'suspend', reason: 'Plainte d’une cliente' });
    expect(suspended.json().place).toMatchObject({
      status: 'suspended',
      statusReason: 'Plainte d’une cliente',
    });
    expect((await mine(venue))[0]).toMatchObject({
      status: 'suspended',
      statusReason: 'Plainte d’une cliente',
    });
    await review({ decision: 'reinstate' });
    expect((await mine(venue))[0]).toMatchObject({ status: 'verified', statusReason: null });
  });

  it('lists the partner’s venues newest first, as the portal adds one that just applied', async () => {
    const venue = await userWith(t);
    const first = await apply(venue, 'Premier');
    t.clock.advance(60_000);
    const second = await apply(venue, 'Deuxième');
    t.clock.advance(60_000);
    const third = await apply(venue, 'Troisième');
    expect((await mine(venue)).map((p: { id: string }) => p.id)).toEqual([third.id, second.id, first.id]);
  });

  it('gives the venue’s time zone, in which the portal reads the end of a closure', async () => {
    const venue = await userWith(t);
    const paris = await apply(venue);
    expect(paris.timeZone).toBe('Europe/Paris');
    const saintDenis = (
      await t.app.inject({
        method: 'POST',
        url: '/api/partner/places',
        headers: venue.auth,
        payload: {
          ...application,
          address: '1 rue de Paris, 97400 Saint-Denis',
          lat: -20.8823,
          lon: 55.4504,
        },
      })
    ).json();
    expect(saintDenis.timeZone).toBe('Indian/Reunion');
  });
});
