/**
 * GDPR erasure leaves no trace. Alice takes a full tour of Havre (full-tour.ts: every feature
 * that keeps personal data), then deletes her account.
 * Every table of the schema, listed from the database catalog (so a table added later is
 * scanned too), must then hold none of her identifiers, address, tokens (raw or hashed), keys
 * or subscription. Reports stay: they were anonymous from the start.
 *
 * The same needles are first looked for before the erasure: each must be found, so the scan
 * is proven able to see them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, type TestApp } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';
import { dumpDatabase } from '../helpers/reports.ts';
import { appForTour, caller, takeFullTour } from './full-tour.ts';

/** Every value of every row, as searchable text (buffers in base64, base64url and hex). */
function textOf(rows: Record<string, unknown[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [table, list] of Object.entries(rows)) {
    out[table] = JSON.stringify(list, (_key, value) => {
      if (value && typeof value === 'object' && value.type === 'Buffer' && Array.isArray(value.data)) {
        const b = Buffer.from(value.data);
        return `${b.toString('base64')} ${b.toString('base64url')} ${b.toString('hex')}`;
      }
      return typeof value === 'bigint' ? String(value) : value;
    }).toLowerCase();
  }
  return out;
}

function where(haystacks: Record<string, string>, needle: string): string[] {
  const n = needle.toLowerCase();
  return Object.entries(haystacks)
    .filter(([, text]) => text.includes(n))
    .map(([table]) => table);
}

describe.each(backends())('account erasure on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await appForTour(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  it('leaves none of her ids, address, tokens or keys in any table after a full tour', async () => {
    const { alice, bob, carol, needles, secrets } = await takeFullTour(t);
    const call = caller(t);

    // The scan sees every needle before the erasure.
    const before = textOf(await dumpDatabase(t));
    const unseen = Object.entries(needles).filter(([, needle]) => where(before, needle).length === 0);
    expect(unseen.map(([name]) => name)).toEqual([]);
    const reportsBefore = (await dumpDatabase(t)).reports.length;

    await call(alice, 'DELETE', '/api/me', { password: TEST_PASSWORD }, 204);

    const after = textOf(await dumpDatabase(t));
    expect(Object.keys(after)).toEqual(
      expect.arrayContaining(['users', 'outbox', 'trail_points', 'pending_signups']),
    );
    const left = Object.entries({ ...needles, ...secrets })
      .map(([name, needle]) => ({ name, tables: where(after, needle) }))
      .filter((x) => x.tables.length > 0);
    expect(left).toEqual([]);
    // Reports stay (anonymous); Bob and Carol keep their accounts.
    expect((await dumpDatabase(t)).reports.length).toBe(reportsBefore);
    expect(where(after, bob.id)).toContain('users');
    expect(where(after, carol.email)).toContain('users');
    expect((await call(bob, 'GET', '/api/contacts', undefined, 200)).json()).toMatchObject({
      following: [],
      followers: [],
    });
  });
});
