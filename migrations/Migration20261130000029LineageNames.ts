import { Migration } from '@mikro-orm/migrations';

/**
 * A lineage step keeps the codes and names of both its units, as they were once the
 * reorganisation was carried out, so the staff of a successor read where their unit came from;
 * and a reorganisation is readable wherever one of its steps is; the API role writes
 * reorganisations and steps only on units in its scope.
 *
 * A merged ward ends in its last place, under its old district: outside the scope of the account
 * of the committee it went into, which therefore could not read its predecessors' names through
 * org_unit. The names are the content of the reorganisation's decision, not records of the units:
 * a step is visible where either of its units is (migration 26's policy), and now carries both
 * names with it. A trigger fills them from org_unit whatever the client sends, so no client can
 * write a name that is not the unit's.
 */
export class Migration20261130000029LineageNames extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table unit_lineage add column from_code text, add column from_name text, add column to_code text, add column to_name text`);
    this.addSql(`
      update unit_lineage l set from_code = f.code, from_name = f.name
        from org_unit f where f.id = l.unit_id`);
    this.addSql(`
      update unit_lineage l set to_code = t.code, to_name = t.name
        from org_unit t where t.id = l.to_unit_id`);
    this.addSql(`alter table unit_lineage alter column from_code set not null, alter column from_name set not null`);
    this.addSql(`alter table unit_lineage add constraint unit_lineage_to_named check ((to_unit_id is null) = (to_code is null) and (to_code is null) = (to_name is null))`);

    this.addSql(`
      create function hoso_unit_lineage_names() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        -- The unit acted on as it was the day before (a rename keeps its old name here), the unit
        -- it went into as the reorganisation left it.
        select u.code, coalesce((select p.name from unit_period p join reorganisation r on r.id = new.reorganisation_id
                                  where p.unit_id = u.id and daterange(p.valid_from, p.valid_to) @> (r.effective_on - 1)), u.name)
          into new.from_code, new.from_name from org_unit u where u.id = new.unit_id;
        new.to_code := null;
        new.to_name := null;
        if new.to_unit_id is not null then
          select code, name into new.to_code, new.to_name from org_unit where id = new.to_unit_id;
        end if;
        return new;
      end $$`);
    this.addSql(`revoke all on function hoso_unit_lineage_names() from public`);
    this.addSql(`
      create trigger unit_lineage_names before insert on unit_lineage
      for each row execute function hoso_unit_lineage_names()`);

    // Migration 26's policy wrote the reorganisation's own id unqualified inside a subquery over
    // unit_lineage, which has an id too: it compared a step with itself, so a reorganisation was
    // readable only where it was filed, and a successor's account lost its lineage.
    this.addSql(`drop policy reorganisation_scope on reorganisation`);
    this.addSql(`
      create policy reorganisation_scope on reorganisation to hoso_api
      using (exists (select 1 from org_unit u where u.id = reorganisation.unit_id)
             or exists (select 1 from unit_lineage l where l.reorganisation_id = reorganisation.id))
      with check (exists (select 1 from org_unit u where u.id = reorganisation.unit_id))`);
    // Migration 26 let the API role insert steps and reorganisations on any unit (with check
    // true): a step now names only units in the writer's scope, as reorganiseUnits writes them.
    this.addSql(`drop policy unit_lineage_scope on unit_lineage`);
    this.addSql(`
      create policy unit_lineage_scope on unit_lineage to hoso_api
      using (exists (select 1 from org_unit u where u.id in (unit_id, to_unit_id)))
      with check (exists (select 1 from org_unit u where u.id = unit_lineage.unit_id)
                  and (unit_lineage.to_unit_id is null or exists (select 1 from org_unit u where u.id = unit_lineage.to_unit_id)))`);
    this.addSql(`create index unit_lineage_reorganisation_idx on unit_lineage (reorganisation_id)`);
  }
}
