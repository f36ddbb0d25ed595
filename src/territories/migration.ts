import type { Kysely, Migration } from 'kysely';
import { INSTANT, REAL } from '../db/columns.ts';

const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('territories')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('boundary', 'text', (c) => c.notNull())
      .addColumn('min_lon', REAL, (c) => c.notNull())
      .addColumn('min_lat', REAL, (c) => c.notNull())
      .addColumn('max_lon', REAL, (c) => c.notNull())
      .addColumn('max_lat', REAL, (c) => c.notNull())
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .addColumn('updated_at', INSTANT, (c) => c.notNull())
      .execute();
  },
};
export default migration;
