import { Migration } from '@mikro-orm/migrations';

/**
 * Rebuilding every member's facts after a bulk load joins three period tables of millions of
 * rows on the member and an overlap of date ranges. PostgreSQL cannot estimate range overlaps
 * and planned nested loops over the exclusion constraint's GiST index: more than 17 minutes for
 * 1,000,000 members. Hash joins on the member, the overlap as a filter, take seconds. Only the
 * whole rebuild is told so; rebuilding one member's facts uses the indexes, as it should.
 */
export class Migration20261126000014FactsRebuildPlan extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter function hoso_rebuild_all_member_facts() set enable_nestloop = off`);
    this.addSql(`alter function hoso_rebuild_all_member_facts() set work_mem = '256MB'`);
  }
}
