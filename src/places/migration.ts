import type { Kysely, Migration } from 'kysely';
import { ID, INSTANT, REAL } from '../db/columns.ts';

const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('places')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('lat', REAL, (c) => c.notNull())
      .addColumn('lon', REAL, (c) => c.notNull())
      .addColumn('address', 'text')
      .addColumn('phone', 'text')
      .addColumn('opening_hours', 'text')
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('holiday_region', 'text', (c) => c.notNull())
      .addColumn('accessibility', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('territory_code', 'text')
      .addColumn('status', 'text')
      .addColumn('owner_user_id', ID, (c) => c.references('users.id').onDelete('set null'))
      .addColumn('charter_accepted_at', INSTANT)
      .addColumn('trained_staff_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_training_date', 'text')
      .addColumn('training_expires_on', 'text')
      .addColumn('training_reminder_for', 'text')
      .addColumn('closed_until', INSTANT)
      .addColumn('closed_reason', 'text')
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .addColumn('updated_at', INSTANT, (c) => c.notNull())
      .addUniqueConstraint('places_source_uq', ['source', 'source_id'])
      .execute();
    await db.schema.createIndex('places_owner').on('places').column('owner_user_id').execute();
    await db.schema
      .createIndex('places_territory_status')
      .on('places')
      .columns(['territory_code', 'status'])
      .execute();
    await db.schema
      .createTable('place_status_changes')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('place_id', ID, (c) => c.notNull().references('places.id').onDelete('cascade'))
      .addColumn('actor_user_id', ID, (c) => c.references('users.id').onDelete('set null'))
      .addColumn('at', INSTANT, (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .execute();
    await db.schema
      .createIndex('place_status_changes_place')
      .on('place_status_changes')
      .column('place_id')
      .execute();
    await db.schema
      .createTable('place_trainings')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('place_id', ID, (c) => c.notNull().references('places.id').onDelete('cascade'))
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('staff_trained', 'integer', (c) => c.notNull())
      .addColumn('recorded_by', ID, (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('place_trainings_place').on('place_trainings').column('place_id').execute();
  },
};
export default migration;
