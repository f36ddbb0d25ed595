/**
 * Migration 0017: a refused application has its own status, `rejected` (kinds.ts). Before, the
 * review moved it to `withdrawn`, and its partner read that the venue had left a network it was
 * never in. Those refusals are recognised in the audit: from `applied` to `withdrawn` with a
 * reason — a partner withdrawing gives none, an account's erasure gives "account erased".
 */
import { type Kysely, type Migration, sql } from 'kysely';

const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      UPDATE place_status_changes SET to_status = 'rejected'
      WHERE from_status = 'applied' AND to_status = 'withdrawn'
        AND reason IS NOT NULL AND reason <> 'account erased'`.execute(db);
    await sql`
      UPDATE places SET status = 'rejected'
      WHERE status = 'withdrawn'
        AND id IN (SELECT place_id FROM place_status_changes WHERE to_status = 'rejected')`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`UPDATE places SET status = 'withdrawn' WHERE status = 'rejected'`.execute(db);
    await sql`UPDATE place_status_changes SET to_status = 'withdrawn' WHERE to_status = 'rejected'`.execute(
      db,
    );
  },
};

export default migration;
