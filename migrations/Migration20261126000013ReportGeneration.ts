import { Migration } from '@mikro-orm/migrations';

/**
 * A counter of changes to the reporting facts. Statistics computed for a unit and a date stay
 * right until the facts change; the API keeps them keyed by this generation, read in the same
 * snapshot as the facts, so a cached answer is exactly the answer that snapshot would compute.
 * Every statement that writes facts bumps it (the row lock orders those writers at commit;
 * they are lifecycle changes, transfers and edits of reported fields, not the common edits).
 */
export class Migration20261126000013ReportGeneration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table report_generation (id integer primary key check (id = 1), generation bigint not null)`);
    this.addSql(`insert into report_generation values (1, 1)`);
    this.addSql(`grant select on report_generation to hoso_api`);
    this.addSql(`
      create function hoso_facts_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        update report_generation set generation = generation + 1 where id = 1;
        return null;
      end $$`);
    this.addSql(`
      create trigger member_fact_generation after insert or update or delete or truncate on member_fact
        for each statement execute function hoso_facts_changed()`);
  }
}
