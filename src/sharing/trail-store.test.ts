/**
 * SQLite's trail: batches committed to the append log, moved into trail_points in bulk, and
 * never out of reach in between (`recent` from memory, then trail_points).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { addDevice, befriend, startShare } from '../../test/helpers/sharing.ts';
import { storedTrail, type TrailAppender, type TrailPoint, trailAppender } from './trail-store.ts';

describe('trail on SQLite: append log, moved in bulk', () => {
  let t: TestApp;
  let share: string;
  let trail: TrailAppender | null = null;
  const points = (seqs: number[]): TrailPoint[] => seqs.map((seq) => ({ share, seq, c: `c${seq}` }));
  const table = async (name: 'trail_points' | 'trail_log') =>
    (await t.services.db.kysely.selectFrom(name).select('seq').orderBy('seq').execute()).map((r) => r.seq);

  beforeEach(async () => {
    t = await makeTestApp('sqlite');
    const alice = await userWith(t, { email: 'alice@example.org' });
    const bob = await userWith(t, { email: 'bob@example.org' });
    await befriend(t, alice, bob);
    share = (await startShare(t, alice, [await addDevice(t, bob)])).id;
  });
  afterEach(async () => {
    await trail?.close();
    trail = null;
    await t.close();
  });

  it('logs batches, keeps them in reach, and moves them (once each) when the log is full', async () => {
    trail = trailAppender(t.services.db, { moveAt: 5 });
    await trail.append(points([0, 1]), 1_000);
    await trail.append(points([1, 2]), 2_000); // 1 resent: idempotent
    expect(await table('trail_log')).toEqual([0, 1, 1, 2]);
    expect(await table('trail_points')).toEqual([]);
    expect(trail.recent(share, 0).map((p) => p.seq)).toEqual([1, 1, 2]);
    expect(trail.recent('another', -1)).toEqual([]);
    // Stored means stored: the session's last seq follows each durable batch.
    const session = await t.services.db.kysely
      .selectFrom('share_sessions')
      .select(['last_seq', 'last_position_at'])
      .where('id', '=', share)
      .executeTakeFirstOrThrow();
    expect(session).toEqual({ last_seq: 2, last_position_at: 2_000 });

    await trail.append(points([3]), 3_000); // the fifth point: the log is moved
    await expect.poll(() => table('trail_log')).toEqual([]);
    expect(await table('trail_points')).toEqual([0, 1, 2, 3]);
    expect(trail.recent(share, -1)).toEqual([]);
    expect((await storedTrail(t.services.db.kysely, [share])).map((p) => [p.seq, p.ciphertext])).toEqual([
      [0, 'c0'],
      [1, 'c1'],
      [2, 'c2'],
      [3, 'c3'],
    ]);
  });

  it('moves what is left in the log when it stops', async () => {
    trail = trailAppender(t.services.db);
    await trail.append(points([0, 1, 2]), 1_000);
    expect(await table('trail_log')).toEqual([0, 1, 2]);
    await trail.close();
    trail = null;
    expect(await table('trail_log')).toEqual([]);
    expect(await table('trail_points')).toEqual([0, 1, 2]);
  });

  it('after a crash, moves the log into the trail at the next start, before anything reads it', async () => {
    // What a killed process leaves: points durable in the log, nothing in memory.
    const k = t.services.db.kysely;
    await k
      .insertInto('trail_log')
      .values([4, 5, 5].map((seq) => ({ share_id: share, seq, ciphertext: `c${seq}`, received_at: 1 })))
      .execute();
    trail = trailAppender(t.services.db);
    expect(await table('trail_log')).toEqual([]);
    expect(await table('trail_points')).toEqual([4, 5]);
  });

  it('drops a session’s logged points with the session (erasure)', async () => {
    trail = trailAppender(t.services.db);
    await trail.append(points([0, 1]), 1_000);
    await t.services.db.kysely.deleteFrom('share_sessions').where('id', '=', share).execute();
    expect(await table('trail_log')).toEqual([]);
  });
});
