import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { cachingStatements } from './database.ts';

describe('SQLite statement cache', () => {
  const open: SqliteDatabase.Database[] = [];
  const fresh = () => {
    const db = new SqliteDatabase(':memory:');
    open.push(db);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
    db.exec("INSERT INTO t (name) VALUES ('a'), ('b'), ('c')");
    return db;
  };
  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close();
  });

  it('reuses the statement of the same SQL text, and only of the same text', () => {
    const cache = cachingStatements(fresh());
    const a = cache.prepare('SELECT * FROM t WHERE id = ?');
    expect(cache.prepare('SELECT * FROM t WHERE id = ?')).toBe(a);
    expect(cache.prepare('SELECT * FROM t WHERE name = ?')).not.toBe(a);
  });

  it('gives a statement still iterating to nobody else', () => {
    const cache = cachingStatements(fresh());
    const text = 'SELECT name FROM t ORDER BY id';
    const outer = cache.prepare(text).iterate() as IterableIterator<{ name: string }>;
    expect(outer.next().value).toEqual({ name: 'a' });
    const inner = cache.prepare(text);
    expect(inner.all()).toEqual([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    expect([...outer].map((r) => r.name)).toEqual(['b', 'c']);
  });

  it('keeps at most 500 statements, forgetting the least recently used', () => {
    const cache = cachingStatements(fresh());
    const first = cache.prepare('SELECT 0');
    for (let i = 1; i <= 500; i++) cache.prepare(`SELECT ${i}`);
    expect(cache.prepare('SELECT 500')).toBe(cache.prepare('SELECT 500'));
    expect(cache.prepare('SELECT 0')).not.toBe(first);
  });

  it('answers through Kysely with the new columns after a schema change', async () => {
    const kysely = new Kysely<{ t: { id: number; name: string; extra?: string } }>({
      dialect: new SqliteDialect({ database: cachingStatements(fresh()) }),
    });
    expect(await kysely.selectFrom('t').selectAll().where('id', '=', 1).execute()).toEqual([
      { id: 1, name: 'a' },
    ]);
    await sql`ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'x'`.execute(kysely);
    expect(await kysely.selectFrom('t').selectAll().where('id', '=', 1).execute()).toEqual([
      { id: 1, name: 'a', extra: 'x' },
    ]);
    await kysely.destroy();
  });
});
