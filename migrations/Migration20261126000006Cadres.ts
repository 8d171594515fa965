import { Migration } from '@mikro-orm/migrations';

/**
 * Cadres (cán bộ): posts held and planning entries. Each carries the unit whose level manages
 * it; only accounts of that level or above see it (docs/access.md), on top of the member's scope.
 */
export class Migration20261126000006Cadres extends Migration {
  override async up(): Promise<void> {
    const managed = `
      managed_by_unit_id bigint not null references org_unit (id),
      -- Path of the managing unit, kept by a trigger: visible where it lies in scope.
      managed_path ltree not null,
      decision_number text,
      decision_date date,
      decision_body text,
      reason text,
      version integer not null default 1,
      created_at timestamptz not null default now()`;
    this.addSql(`
      create table post (
        id bigint generated always as identity primary key,
        member_id bigint not null references member (id),
        title text not null check (btrim(title) <> ''),
        unit_id bigint not null references org_unit (id),
        start_on date not null,
        end_on date,
        -- An appointment runs for a term (5 years); reappointment is due at its end.
        term_years integer not null default 5 check (term_years between 1 and 10),
        ${managed},
        check (end_on is null or end_on >= start_on)
      )`);
    this.addSql(`
      create table planning_entry (
        id bigint generated always as identity primary key,
        member_id bigint not null references member (id),
        post_title text not null check (btrim(post_title) <> ''),
        -- The planning period, e.g. 2025–2030 (quy hoạch nhiệm kỳ).
        period_start integer not null,
        period_end integer not null,
        ${managed},
        check (period_end > period_start)
      )`);
    this.addSql(`
      create function cadre_set_managed_path() returns trigger language plpgsql as $$
      begin
        select path into strict new.managed_path from org_unit where id = new.managed_by_unit_id;
        return new;
      end $$`);
    for (const table of ['post', 'planning_entry']) {
      this.addSql(`
        create trigger ${table}_managed_path before insert or update of managed_by_unit_id on ${table}
        for each row execute function cadre_set_managed_path()`);
      this.addSql(`create index ${table}_member_idx on ${table} (member_id)`);
      this.addSql(`alter table ${table} enable row level security`);
      const predicate = `managed_path <@ hoso_scope() and exists (select 1 from member m where m.id = member_id)`;
      this.addSql(`create policy ${table}_scope on ${table} to hoso_api using (${predicate}) with check (${predicate})`);
      this.addSql(`grant select, insert, update on ${table} to hoso_api`);
    }
  }
}
