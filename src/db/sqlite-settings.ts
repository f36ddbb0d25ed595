import type SqliteDatabase from 'better-sqlite3';

/** Settings of every SQLite connection (the main one and the workers' own): WAL, durable commits. */
export function configureSqlite(db: SqliteDatabase.Database): void {
  db.pragma('journal_mode = WAL');
  // WAL defaults to NORMAL in better-sqlite3, which may lose the last commits on power loss.
  // Anything a user was told is saved must survive: FULL.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}
