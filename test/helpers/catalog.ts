/**
 * The schema as the database itself describes it (SQLite's pragmas, PostgreSQL's
 * information_schema): tables, their columns and their foreign keys. Privacy scans are generated
 * from it, so that a table or column added later is scanned too.
 */
import type { TestApp } from './app.ts';

export interface ForeignKey {
  column: string;
  table: string;
  references: string;
}
export interface TableInfo {
  columns: string[];
  foreignKeys: ForeignKey[];
}

export async function readCatalog(t: TestApp): Promise<Map<string, TableInfo>> {
  const db = t.services.db;
  const out = new Map<string, TableInfo>();
  if (db.dialect === 'sqlite' && db.sqlite) {
    const tables = db.sqlite
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .all() as { name: string }[];
    for (const { name } of tables) {
      const columns = (db.sqlite.prepare(`pragma table_info("${name}")`).all() as { name: string }[]).map(
        (c) => c.name,
      );
      const keys = db.sqlite.prepare(`pragma foreign_key_list("${name}")`).all() as {
        from: string;
        table: string;
        to: string;
      }[];
      out.set(name, {
        columns,
        foreignKeys: keys.map((k) => ({ column: k.from, table: k.table, references: k.to })),
      });
    }
  } else if (db.pool) {
    const columns = await db.pool.query(
      `select table_name, column_name from information_schema.columns c
       where table_schema = current_schema()
         and exists (select 1 from information_schema.tables t where t.table_schema = c.table_schema
                     and t.table_name = c.table_name and t.table_type = 'BASE TABLE')
       order by table_name, ordinal_position`,
    );
    for (const { table_name, column_name } of columns.rows) {
      const info = out.get(table_name) ?? { columns: [], foreignKeys: [] };
      info.columns.push(column_name);
      out.set(table_name, info);
    }
    const keys = await db.pool.query(
      `select kcu.table_name, kcu.column_name, ccu.table_name as ref_table, ccu.column_name as ref_column
       from information_schema.table_constraints tc
       join information_schema.key_column_usage kcu
         on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
       join information_schema.constraint_column_usage ccu
         on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
       where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`,
    );
    for (const k of keys.rows) {
      out.get(k.table_name)?.foreignKeys.push({
        column: k.column_name,
        table: k.ref_table,
        references: k.ref_column,
      });
    }
  }
  return out;
}
