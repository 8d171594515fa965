import { Migration } from '@mikro-orm/migrations';

/** A member registered directly in the moved unit keeps the new path itself; those below, the new prefix. */
const MOVED = (column: string) =>
  `case when nlevel(${column}) = nlevel(old.path) then new.path else new.path || subpath(${column}, nlevel(old.path)) end`;

/**
 * Two corrections found by the reports tests.
 *
 * 1. The day a profile change counts from is the application's today (`app.today`, set with the
 *    request's account), so the rules and the facts agree on "today", also under a fixed clock;
 *    a session outside the API falls back to the database's date in Vietnam.
 * 2. Moving a unit (any client: there is no API for it yet) carries its subtree, its members and
 *    their reporting facts. The old trigger fired only when `path` was in the SET list, so
 *    `update org_unit set parent_id = …` left every copy of the path stale, and it failed for a
 *    unit with members registered directly in it ("invalid positions"). Reports read today's tree
 *    for every date (unit reorganisation with effective dates is not built), so the facts follow.
 */
export class Migration20261126000011UnitMovesAndToday extends Migration {
  override async up(): Promise<void> {
    // Migration 010's hoso_member_profile_changed(), with the day taken from app.today.
    this.addSql(`
      create or replace function hoso_member_profile_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare v_today date := coalesce(nullif(current_setting('app.today', true), '')::date, (now() at time zone 'Asia/Ho_Chi_Minh')::date);
      begin
        if tg_op = 'UPDATE' then
          update member_profile_period set valid_to = v_today
           where member_id = new.id and valid_to is null and (valid_from is null or valid_from < v_today);
          if not found then
            -- The current period began today: it is simply corrected.
            update member_profile_period set (gender, date_of_birth, ethnicity, religion, general_education, professional_level, political_theory, occupation) = (new.gender, new.date_of_birth, new.ethnicity, new.religion, new.general_education, new.professional_level, new.political_theory, new.occupation)
             where member_id = new.id and valid_to is null;
            perform hoso_rebuild_member_facts(array[new.id]);
            return null;
          end if;
        end if;
        insert into member_profile_period (member_id, valid_from, gender, date_of_birth, ethnicity, religion, general_education, professional_level, political_theory, occupation)
        values (new.id, case when tg_op = 'UPDATE' then v_today end, new.gender, new.date_of_birth, new.ethnicity, new.religion, new.general_education, new.professional_level, new.political_theory, new.occupation);
        perform hoso_rebuild_member_facts(array[new.id]);
        return null;
      end $$`);

    this.addSql(`
      create function hoso_move_facts(p_old ltree, p_new ltree) returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        update member_fact
           set unit_path = case when nlevel(unit_path) = nlevel(p_old) then p_new else p_new || subpath(unit_path, nlevel(p_old)) end
         where unit_path <@ p_old
      $$`);
    this.addSql(`revoke all on function hoso_move_facts(ltree, ltree) from public`);
    this.addSql(`
      create or replace function org_unit_move_subtree() returns trigger language plpgsql as $$
      begin
        update org_unit set path = ${MOVED('path')} where path <@ old.path and id <> new.id;
        update member set unit_path = ${MOVED('unit_path')} where unit_path <@ old.path;
        perform hoso_move_facts(old.path, new.path);
        return null;
      end $$`);
    this.addSql(`drop trigger org_unit_move_after on org_unit`);
    // Fires whenever the path changed, whichever column the statement set (the BEFORE trigger
    // recomputes the path from parent_id); depth 0 so the subtree's own updates do not recurse.
    this.addSql(`
      create trigger org_unit_move_after after update on org_unit
      for each row when (old.path is distinct from new.path and pg_trigger_depth() = 0)
      execute function org_unit_move_subtree()`);
  }
}
