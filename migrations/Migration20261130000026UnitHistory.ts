import { Migration } from '@mikro-orm/migrations';

// Copied from migrations 007 and 010 as they were when this one was written: a migration is
// frozen, so it imports nothing from other migrations or from src/.
const BULK_LOAD_SKIPS = `current_user <> 'hoso_owner' or current_setting('hoso.bulk_load', true) is distinct from 'on'`;
const ACTIVE = `('PROBATIONARY', 'OFFICIAL', 'RELEASED')`;
const PROFILE_COLUMNS = [
  'gender', 'date_of_birth', 'ethnicity', 'religion', 'general_education', 'professional_level', 'political_theory', 'occupation',
] as const;
const COLUMNS = PROFILE_COLUMNS.join(', ');

/**
 * The day a change of the tree takes effect: the reorganisation's effective date when one is
 * being applied (`app.effective_on`, set by the reorganiseUnits service for its transaction),
 * else the application's today, else the database's date in Vietnam.
 */
const EFFECTIVE_ON = `coalesce(nullif(current_setting('app.effective_on', true), '')::date,
                               nullif(current_setting('app.today', true), '')::date,
                               (now() at time zone 'Asia/Ho_Chi_Minh')::date)`;

/**
 * Units have a history (the 2025 reform: districts abolished, wards merged and split).
 *
 * - `org_unit` stays the tree of today, which scope and row-level security follow; a unit gets
 *   `valid_from` (null: since before the records) and `valid_to` (the first day it no longer
 *   exists; null while it does). A unit that ended keeps its row, its code and its last place,
 *   so old records still name it.
 * - `unit_period` is the tree as it was on each date: the unit's parent, path and name for each
 *   stretch of time. A trigger writes it from every change of `org_unit`, dated on EFFECTIVE_ON:
 *   a unit moved or renamed gets a new period from that day (or, when its current period began
 *   that very day, a corrected one).
 * - `reorganisation` records each reorganiseUnits operation with its decision and reason, and
 *   `unit_lineage` each step: which unit went into which (merge, split, rename, move, dissolve).
 * - A member's reporting facts take the unit's path of their own dates from `unit_period`, so a
 *   report as of a date groups by the tree of that date; a move rebuilds the facts of the members
 *   below the moved unit (migration 11 rewrote every fact's path, history included).
 * - `hoso_report_unit(unit, date)` gives the path of a unit on a date (in scope today), for the
 *   statistics and flows functions, which took the path of today before.
 */
export class Migration20261130000026UnitHistory extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function hoso_effective_on() returns date
      language sql stable set search_path = public, pg_temp
      as $$ select ${EFFECTIVE_ON} $$`);

    this.addSql(`alter table org_unit add column valid_from date, add column valid_to date`);
    this.addSql(`alter table org_unit add constraint org_unit_validity check (valid_to is null or valid_from is null or valid_to > valid_from)`);

    this.addSql(`
      create table reorganisation (
        id bigint generated always as identity primary key,
        effective_on date not null,
        decision_number text not null check (btrim(decision_number) <> ''),
        decision_date date not null check (decision_date <= effective_on),
        decision_body text not null check (btrim(decision_body) <> ''),
        reason text not null check (btrim(reason) <> ''),
        -- The unit whose subtree holds every unit involved: who may see the operation and its audit.
        unit_id bigint not null references org_unit (id),
        account_id bigint references account (id),
        created_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table unit_lineage (
        id bigint generated always as identity primary key,
        reorganisation_id bigint not null references reorganisation (id),
        step integer not null,
        kind text not null check (kind in ('MERGE', 'SPLIT', 'RENAME', 'MOVE', 'DISSOLVE')),
        -- The unit the step acted on (named unit_id so its audit events are scoped by it).
        unit_id bigint not null references org_unit (id),
        -- Null for a unit dissolved without a successor; the unit itself for a rename or a move.
        to_unit_id bigint references org_unit (id)
      )`);
    this.addSql(`create index unit_lineage_unit_idx on unit_lineage (unit_id)`);
    this.addSql(`create index unit_lineage_to_idx on unit_lineage (to_unit_id)`);

    this.addSql(`
      create table unit_period (
        id bigint generated always as identity primary key,
        unit_id bigint not null references org_unit (id),
        valid_from date,
        valid_to date,
        parent_id bigint references org_unit (id),
        path ltree not null,
        name text not null,
        check (valid_to is null or valid_from is null or valid_to > valid_from),
        exclude using gist (unit_id with =, daterange(valid_from, valid_to) with &&)
      )`);
    this.addSql(`create index unit_period_path_gist on unit_period using gist (path)`);
    this.addSql(`create index unit_period_parent_idx on unit_period (parent_id)`);
    this.addSql(`insert into unit_period (unit_id, valid_from, valid_to, parent_id, path, name) select id, valid_from, valid_to, parent_id, path, name from org_unit`);

    // Row-level security: a period, a reorganisation step is visible where its unit is today
    // (org_unit's own policy applies inside); reorganisations are read through their steps.
    for (const [table, predicate] of [
      ['unit_period', 'exists (select 1 from org_unit u where u.id = unit_id)'],
      ['unit_lineage', 'exists (select 1 from org_unit u where u.id in (unit_id, to_unit_id))'],
      // A reorganisation: where it was filed, or where any of its steps is visible.
      ['reorganisation', 'exists (select 1 from org_unit u where u.id = unit_id) or exists (select 1 from unit_lineage l where l.reorganisation_id = id)'],
    ] as const) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`create policy ${table}_scope on ${table} to hoso_api using (${predicate}) with check (true)`);
    }
    this.addSql(`grant select, insert on reorganisation, unit_lineage to hoso_api`);
    this.addSql(`grant select on unit_period to hoso_api`);

    // The periods follow org_unit. Security definer: the API role reads periods but never writes
    // them itself, so no client can make the history disagree with the tree.
    this.addSql(`
      create function hoso_unit_period_follow() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare v_on date := hoso_effective_on();
      begin
        if tg_op = 'INSERT' then
          insert into unit_period (unit_id, valid_from, valid_to, parent_id, path, name)
          values (new.id, new.valid_from, new.valid_to, new.parent_id, new.path, new.name);
          return null;
        end if;
        -- A unit that had ended before the day keeps its last period: only its row follows a move
        -- of the subtree it was left in.
        if (old.path, old.name, old.parent_id) is distinct from (new.path, new.name, new.parent_id)
           and (new.valid_to is null or new.valid_to > v_on) then
          if exists (select 1 from unit_period where unit_id = new.id and valid_from >= v_on) then
            if exists (select 1 from unit_period where unit_id = new.id and valid_from > v_on) then
              raise exception 'unit % changed on % before a later change of its own', new.id, v_on using errcode = 'check_violation';
            end if;
            -- The current period began that very day: it is corrected.
            update unit_period set parent_id = new.parent_id, path = new.path, name = new.name
             where unit_id = new.id and valid_from = v_on;
          else
            update unit_period set valid_to = v_on
             where unit_id = new.id and daterange(valid_from, valid_to) @> v_on;
            insert into unit_period (unit_id, valid_from, valid_to, parent_id, path, name)
            values (new.id, v_on, new.valid_to, new.parent_id, new.path, new.name);
          end if;
        end if;
        if old.valid_to is distinct from new.valid_to and new.valid_to is not null then
          -- A period begun that very day (the unit was placed earlier in the same operation) never held.
          delete from unit_period where unit_id = new.id and valid_from >= new.valid_to;
          update unit_period set valid_to = new.valid_to
           where unit_id = new.id and daterange(valid_from, valid_to) @> (new.valid_to - 1);
        end if;
        return null;
      end $$`);
    this.addSql(`revoke all on function hoso_unit_period_follow() from public`);
    // Named to fire before org_unit_move_after (triggers of one event fire in name order), so the
    // subtree's facts are rebuilt from periods already written.
    this.addSql(`
      create trigger org_unit_history_after after insert or update on org_unit
      for each row execute function hoso_unit_period_follow()`);

    // Facts from status, unit, profile and unit periods: each fact lies in all four.
    const factsSelect = (where: string) => `
      insert into member_fact (member_id, valid_from, valid_to, status, unit_id, unit_path, party_age_origin, ${COLUMNS})
      select s.member_id,
             greatest(s.valid_from, u.valid_from, p.valid_from, o.valid_from),
             nullif(least(coalesce(s.valid_to, 'infinity'), coalesce(u.valid_to, 'infinity'), coalesce(p.valid_to, 'infinity'),
                          coalesce(o.valid_to, 'infinity')), 'infinity'),
             s.status, u.unit_id, o.path,
             case when s.status in ${ACTIVE} then s.valid_from - s.active_days_before end,
             ${PROFILE_COLUMNS.map((c) => `p.${c}`).join(', ')}
        from (select sp.member_id, sp.status, sp.valid_from, sp.valid_to,
                     coalesce(sum(case when sp.status in ${ACTIVE} then sp.valid_to - sp.valid_from end)
                       over (partition by sp.member_id order by sp.valid_from rows between unbounded preceding and 1 preceding), 0)::int
                       as active_days_before
                from member_status_period sp ${where.replace(/\$m/g, 'sp.member_id')}) s
        join member_unit_period u on u.member_id = s.member_id
         and daterange(u.valid_from, u.valid_to) && daterange(s.valid_from, s.valid_to)
        join member_profile_period p on p.member_id = s.member_id
         and daterange(p.valid_from, p.valid_to) && daterange(s.valid_from, s.valid_to)
         and daterange(p.valid_from, p.valid_to) && daterange(u.valid_from, u.valid_to)
        join unit_period o on o.unit_id = u.unit_id
         and daterange(o.valid_from, o.valid_to) && daterange(s.valid_from, s.valid_to)
         and daterange(o.valid_from, o.valid_to) && daterange(u.valid_from, u.valid_to)
         and daterange(o.valid_from, o.valid_to) && daterange(p.valid_from, p.valid_to)`;
    this.addSql(`
      create or replace function hoso_rebuild_member_facts(p_members bigint[]) returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        delete from member_fact where member_id = any(p_members);
        ${factsSelect('where $m = any(p_members)')};
      $$`);
    this.addSql(`
      create or replace function hoso_rebuild_all_member_facts() returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        insert into member_profile_period (member_id, ${COLUMNS})
        select m.id, ${PROFILE_COLUMNS.map((c) => `m.${c}`).join(', ')} from member m
         where not exists (select 1 from member_profile_period p where p.member_id = m.id);
        truncate member_fact;
        ${factsSelect('')};
      $$`);
    // Migration 14's plan settings for the whole rebuild (create or replace drops them).
    this.addSql(`alter function hoso_rebuild_all_member_facts() set enable_nestloop = off`);
    this.addSql(`alter function hoso_rebuild_all_member_facts() set work_mem = '256MB'`);

    // A move: the subtree's paths and the members' current paths follow (migration 11), and the
    // facts of every member registered below the unit from the move's day on are rebuilt from the
    // periods, so the facts before that day keep the tree they had. Security definer: the API
    // role may move a unit (reorganiseUnits, in its scope) but not rebuild facts on its own.
    const MOVED = (column: string) =>
      `case when nlevel(${column}) = nlevel(old.path) then new.path else new.path || subpath(${column}, nlevel(old.path)) end`;
    this.addSql(`
      create or replace function org_unit_move_subtree() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare v_on date := hoso_effective_on();
      begin
        update org_unit set path = ${MOVED('path')} where path <@ old.path and id <> new.id;
        update member set unit_path = ${MOVED('unit_path')} where unit_path <@ old.path;
        -- Pending transfers are work in progress seen by the units at both ends: their copies of
        -- the paths follow too (settled ones keep the places they were settled between).
        update transfer set from_path = ${MOVED('from_path')} where status = 'PENDING' and from_path <@ old.path;
        update transfer set to_path = ${MOVED('to_path')} where status = 'PENDING' and to_path <@ old.path;
        perform hoso_rebuild_member_facts(array(
          select distinct mp.member_id
            from member_unit_period mp
            join org_unit o on o.id = mp.unit_id
           where o.path <@ new.path and (mp.valid_to is null or mp.valid_to > v_on)));
        return null;
      end $$`);
    this.addSql(`drop function hoso_move_facts(ltree, ltree)`);

    // The path of a unit on a date, for a unit in the request's scope today; a unit that did not
    // exist on the date is refused with its own code, which the API turns into a clear error.
    this.addSql(`
      create function hoso_report_unit(p_unit bigint, p_on date) returns ltree
      language plpgsql stable security definer set search_path = public, pg_temp
      as $$
      declare v_path ltree;
      begin
        perform hoso_report_unit(p_unit);
        select path into v_path from unit_period where unit_id = p_unit and daterange(valid_from, valid_to, '[)') @> p_on;
        if v_path is null then
          raise exception 'unit % did not exist on %', p_unit, p_on using errcode = 'HS404';
        end if;
        return v_path;
      end $$`);
    this.addSql(`
      create function hoso_report_unit_during(p_unit bigint, p_from date, p_to date) returns ltree
      language plpgsql stable security definer set search_path = public, pg_temp
      as $$
      declare v_path ltree;
      begin
        perform hoso_report_unit(p_unit);
        select path into v_path from unit_period
         where unit_id = p_unit and daterange(valid_from, valid_to, '[)') && daterange(p_from, p_to, '[]')
         order by valid_from desc nulls last limit 1;
        if v_path is null then
          raise exception 'unit % did not exist from % to %', p_unit, p_from, p_to using errcode = 'HS404';
        end if;
        return v_path;
      end $$`);
    for (const fn of ['hoso_report_unit(bigint, date)', 'hoso_report_unit_during(bigint, date, date)']) {
      this.addSql(`revoke all on function ${fn} from public`);
    }

    // Statistics as of a date take the unit's path of that date; flows over a period, the path of
    // its last stretch in the period (a unit that moved during the period counts its members'
    // arrival by the move as a transfer in). The function bodies are the current ones (migrations 20 and 21) with that one
    // call changed, rewritten here rather than copied whole.
    this.addSql(`
      do $$
      declare v_def text;
      begin
        select pg_get_functiondef(p.oid) into v_def from pg_proc p
         where p.proname = 'hoso_unit_statistics' and p.pronamespace = 'public'::regnamespace;
        if position('hoso_report_unit(p_unit)' in v_def) = 0 then raise exception 'hoso_unit_statistics changed'; end if;
        execute replace(v_def, 'hoso_report_unit(p_unit)', 'hoso_report_unit(p_unit, coalesce(p_as_of, hoso_effective_on()))');
        select pg_get_functiondef(p.oid) into v_def from pg_proc p
         where p.proname = 'hoso_unit_flows' and p.pronamespace = 'public'::regnamespace;
        if position('hoso_report_unit(p_unit)' in v_def) = 0 then raise exception 'hoso_unit_flows changed'; end if;
        execute replace(v_def, 'hoso_report_unit(p_unit)', 'hoso_report_unit_during(p_unit, p_from, p_to)');
      end $$`);

    // Audited like every record table.
    for (const table of ['reorganisation', 'unit_lineage']) {
      this.addSql(`
        create trigger ${table}_audit after insert or update or delete on ${table}
        for each row when (${BULK_LOAD_SKIPS}) execute function hoso_audit_capture()`);
    }
    this.addSql(`select hoso_rebuild_all_member_facts()`);
  }
}
