import { Migration } from '@mikro-orm/migrations';

/**
 * Cadres: reappointment due, planning with a decision and term-aligned period (issue 12).
 *
 * A planning entry names the unit where the planned post is held, so the limit "people planned
 * per post of a unit" counts the right posts (two wards' secretaries planned by the same district
 * are two posts). Entries made before have none: the managing unit stands in for it, nothing is
 * rewritten. The other new rules (a decision required, the period a congress term, active
 * members only) are the service's, so existing rows that break them stay as they are, for staff
 * to find and fix; the table keeps its RLS policy, grants and audit trigger, which cover the new
 * column as they cover the others.
 */
export class Migration20261126000022CadrePlanning extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table planning_entry add column unit_id bigint references org_unit (id)`);
    this.addSql(`comment on column planning_entry.unit_id is 'Unit where the planned post is held; null on older entries (the managing unit stands in).'`);
    // The limits count the entries of one post of one unit and period, and one member's entries of a period.
    this.addSql(`create index planning_entry_post_idx on planning_entry (coalesce(unit_id, managed_by_unit_id), period_start, period_end)`);
  }
}
