import { Migration } from '@mikro-orm/migrations';

const SUB_RECORDS = ['work_history', 'training', 'award', 'discipline', 'quality_rating', 'family_relation'];

/**
 * Indexes found by the benchmark's plans (bench/EXPLAIN.md). The sub-record loaders ask for the
 * rows of some members, ordered by id, with or without superseded rows; the partial index
 * (current rows only) did not serve them, so PostgreSQL walked the whole table in id order.
 * One index on (member_id, id) serves both, and the order.
 */
export class Migration20261126000012ListIndexes extends Migration {
  override async up(): Promise<void> {
    for (const table of SUB_RECORDS) {
      this.addSql(`drop index ${table}_member_idx`);
      this.addSql(`create index ${table}_member_idx on ${table} (member_id, id)`);
    }
    this.addSql(`create index transfer_member_idx on transfer (member_id, id)`);
  }
}
