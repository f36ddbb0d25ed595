/**
 * Regression: a PostgreSQL URL that carries its own `options` (server settings) kept them and
 * lost the schema: pg lets the connection string's `options` win over the pool's, so every
 * table went to `public`. The schema's search_path is now added to the URL's own options.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dropSchema, POSTGRES_URL } from '../../test/helpers/backends.ts';
import { openDatabase, withSearchPath } from './database.ts';

describe('withSearchPath', () => {
  it('adds the schema to the options the URL already has, and leaves a URL without schema alone', () => {
    const url = 'postgres://u@db.example:5432/havre?sslmode=require&options=-c%20lock_timeout%3D2s';
    const options = new URL(withSearchPath(url, 'havre')).searchParams;
    expect(options.get('options')).toBe('-c lock_timeout=2s -c search_path=havre');
    expect(options.get('sslmode')).toBe('require');
    expect(new URL(withSearchPath('postgres://u@h/d', 'x')).searchParams.get('options')).toBe(
      '-c search_path=x',
    );
    expect(withSearchPath(url, undefined)).toBe(url);
  });
});

describe.runIf(POSTGRES_URL)('a PostgreSQL URL with options, in a schema of its own', () => {
  it('creates its tables in the schema and applies the URL’s settings', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const url = `${POSTGRES_URL}${POSTGRES_URL?.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c lock_timeout=1234ms')}`;
    const db = await openDatabase(url, { schema, poolSize: 1 });
    try {
      const row = (
        await sql<{
          schema: string;
          lock: string;
        }>`SELECT current_schema() AS schema, current_setting('lock_timeout') AS lock`.execute(db.kysely)
      ).rows[0];
      expect(row).toEqual({ schema, lock: '1234ms' });
    } finally {
      await db.close();
      await dropSchema({ name: 'postgres', databaseUrl: POSTGRES_URL ?? '', schema });
    }
  });
});
