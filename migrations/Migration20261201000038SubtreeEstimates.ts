import { Migration } from '@mikro-orm/migrations';

/**
 * A finer sample of where members sit in the tree, so that PostgreSQL's estimate of a subtree's
 * size is near the truth at the nation's size.
 *
 * With the default sample (100 histogram bounds of `member.unit_path`), a subtree holding less
 * than about 1 % of the register — a district among 5,600,000 members, 34,000 of them — matches
 * no bound and is estimated at a few hundred rows. Combined with the row-level security
 * predicate (the same column), the planner then expects one row and, finding the subtree's GiST
 * index as cheap as the primary key, reads the district to find one member by id: 24 ms for the
 * lookup before an update and 29 ms for the update itself, where the primary key takes a
 * fraction of a millisecond (bench/EXPLAIN.md, S5). 2,000 bounds put such a district at its
 * true size; ANALYZE then samples 600,000 rows (19 s at 5,600,000 members).
 */
export class Migration20261201000038SubtreeEstimates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table member alter column unit_path set statistics 2000`);
    this.addSql(`analyze member (unit_path)`);
  }
}
