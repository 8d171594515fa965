import { Migration } from '@mikro-orm/migrations';

// Copied from migrations 007 and 008 as they were when this one was written: a migration is
// frozen, so it imports nothing from other migrations or from src/.
const BULK_LOAD_SKIPS = `current_user <> 'hoso_owner' or current_setting('hoso.bulk_load', true) is distinct from 'on'`;
const ACCESS_EVENT_INSERT = `insert into audit_event (at, txid, account_id, api_key_id, request_id, reason, action, entity_type, entity_id,
                                 member_id, scope_path, changes)
        select clock_timestamp(), txid_current(), nullif(current_setting('app.account_id', true), '')::bigint,
               nullif(current_setting('app.api_key_id', true), '')::bigint, nullif(current_setting('app.request_id', true), ''),
               null,`;

const ACTIVE = `('PROBATIONARY', 'OFFICIAL', 'RELEASED')`;

/** The member fields that reports break down by; a change to one of them opens a new profile period. */
const PROFILE_COLUMNS = [
  'gender', 'date_of_birth', 'ethnicity', 'religion', 'general_education', 'professional_level', 'political_theory', 'occupation',
] as const;
const COLUMNS = PROFILE_COLUMNS.join(', ');

/** The reporting day: changes made today count from today, in Vietnam's time zone. */
const TODAY = `(now() at time zone 'Asia/Ho_Chi_Minh')::date`;

/** The trigger that keeps profile periods, dating a change with the given day expression. */
function profileTriggerFunction(today: string): string {
  return `
      create or replace function hoso_member_profile_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare v_today date := ${today};
      begin
        if tg_op = 'UPDATE' then
          update member_profile_period set valid_to = v_today
           where member_id = new.id and valid_to is null and (valid_from is null or valid_from < v_today);
          if not found then
            -- The current period began today: it is simply corrected.
            update member_profile_period set (${COLUMNS}) = (${PROFILE_COLUMNS.map((c) => `new.${c}`).join(', ')})
             where member_id = new.id and valid_to is null;
            perform hoso_rebuild_member_facts(array[new.id]);
            return null;
          end if;
        end if;
        insert into member_profile_period (member_id, valid_from, ${COLUMNS})
        values (new.id, case when tg_op = 'UPDATE' then v_today end, ${PROFILE_COLUMNS.map((c) => `new.${c}`).join(', ')});
        perform hoso_rebuild_member_facts(array[new.id]);
        return null;
      end $$`;
}

/**
 * Reports as of any date (docs/domain.md, "Statistics and reports").
 *
 * Status and unit are already dated periods. The fields reports break down by (gender, age,
 * ethnicity, education, …) are kept dated too, in member_profile_period: an edit closes the
 * current period at the end of yesterday, so a report for a past date gives the same figures
 * when it is run again later. member_fact joins the three into one row per stretch of time in
 * which nothing a report looks at changed; statistics and flows read only that table.
 *
 * Both tables are derived, kept by triggers (SECURITY DEFINER, owned by the owner role) and
 * not granted to the API role at all: it reads them only through hoso_unit_statistics and
 * hoso_unit_flows, which check that the unit asked for is inside the request's scope and return
 * counts, never rows. A count may include members who have since moved out of scope: they
 * were in the unit on that date.
 */
export class Migration20261126000010Reporting extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table member_profile_period (
        id bigint generated always as identity primary key,
        member_id bigint not null references member (id),
        -- Null: since the record began.
        valid_from date,
        valid_to date,
        gender text not null,
        date_of_birth date not null,
        ethnicity text,
        religion text,
        general_education text,
        professional_level text,
        political_theory text,
        occupation text,
        check (valid_to is null or valid_from is null or valid_to > valid_from),
        exclude using gist (member_id with =, daterange(valid_from, valid_to) with &&)
      )`);

    this.addSql(`
      create table member_fact (
        member_id bigint not null references member (id),
        valid_from date not null,
        valid_to date,
        status text not null,
        unit_id bigint not null,
        unit_path ltree not null,
        -- For an active status: the date party age counts from as if without a break
        -- (first admission plus the time outside the party), so party age on D is D - origin.
        party_age_origin date,
        ${PROFILE_COLUMNS.map((c) => `${c} ${c === 'gender' ? 'text not null' : c === 'date_of_birth' ? 'date not null' : 'text'}`).join(',\n        ')}
      )`);
    this.addSql(`create index member_fact_member_idx on member_fact (member_id)`);
    this.addSql(`create index member_fact_path_idx on member_fact using gist (unit_path)`);
    this.addSql(`create index member_fact_from_idx on member_fact (valid_from)`);

    // Rebuilds the facts of some members from their status, unit and profile periods.
    const factsSelect = (where: string) => `
      insert into member_fact (member_id, valid_from, valid_to, status, unit_id, unit_path, party_age_origin, ${COLUMNS})
      select s.member_id,
             greatest(s.valid_from, u.valid_from, p.valid_from),
             nullif(least(coalesce(s.valid_to, 'infinity'), coalesce(u.valid_to, 'infinity'), coalesce(p.valid_to, 'infinity')), 'infinity'),
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
        join org_unit o on o.id = u.unit_id`;

    this.addSql(`
      create function hoso_rebuild_member_facts(p_members bigint[]) returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        delete from member_fact where member_id = any(p_members);
        ${factsSelect('where $m = any(p_members)')};
      $$`);

    // After a bulk load (demo seed, benchmark data), which skips the triggers: every member gets
    // a profile period from its current values, and all facts are rebuilt.
    this.addSql(`
      create function hoso_rebuild_all_member_facts() returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        insert into member_profile_period (member_id, ${COLUMNS})
        select m.id, ${PROFILE_COLUMNS.map((c) => `m.${c}`).join(', ')} from member m
         where not exists (select 1 from member_profile_period p where p.member_id = m.id);
        truncate member_fact;
        ${factsSelect('')};
      $$`);

    // A new member starts its profile; an edit of a reported field splits it at today.
    this.addSql(profileTriggerFunction(TODAY));
    this.addSql(`
      create trigger member_profile_insert after insert on member
        for each row when (${BULK_LOAD_SKIPS}) execute function hoso_member_profile_changed()`);
    this.addSql(`
      create trigger member_profile_update after update of ${COLUMNS} on member
        for each row when ((${PROFILE_COLUMNS.map((c) => `old.${c}`).join(', ')}) is distinct from (${PROFILE_COLUMNS.map((c) => `new.${c}`).join(', ')}))
        execute function hoso_member_profile_changed()`);

    // A status or unit period written, corrected or removed: the members' facts are rebuilt,
    // once per statement.
    this.addSql(`
      create function hoso_periods_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        perform hoso_rebuild_member_facts(array(select distinct member_id from changed_rows));
        return null;
      end $$`);
    for (const table of ['member_status_period', 'member_unit_period']) {
      for (const [event, transition] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']]) {
        this.addSql(`
          create trigger ${table}_${event}_facts after ${event} on ${table}
            referencing ${transition} table as changed_rows
            for each statement when (${BULK_LOAD_SKIPS}) execute function hoso_periods_changed()`);
      }
    }

    // The unit asked for, checked against the request's scope: the backstop under the API's own
    // check, since these functions read facts beyond RLS.
    this.addSql(`
      create function hoso_report_unit(p_unit bigint) returns ltree
      language plpgsql stable security definer set search_path = public, pg_temp
      as $$
      declare v_path ltree;
      begin
        select path into v_path from org_unit where id = p_unit and path <@ hoso_scope();
        if v_path is null then
          raise exception 'unit % is not in the scope of this request', p_unit using errcode = '42501';
        end if;
        return v_path;
      end $$`);

    // Members on the rolls of a unit's subtree on a date, counted once per breakdown (one
    // statement, so every figure comes from the same snapshot). Age and party age are taken on
    // the date by comparing with thresholds computed once, not per row.
    this.addSql(`
      create function hoso_unit_statistics(p_unit bigint, p_as_of date)
      returns table (grouping_set int, child_id bigint, status text, ${PROFILE_COLUMNS.filter((c) => c !== 'date_of_birth').map((c) => `${c} text`).join(', ')},
                     age_band text, party_age_band text, members bigint)
      language plpgsql stable security definer set search_path = public, pg_temp
      set plan_cache_mode = force_custom_plan
      as $$
      declare
        v_path ltree := hoso_report_unit(p_unit);
        v_level int := nlevel(v_path);
        -- Born after these dates: not yet 31, 41, … on p_as_of.
        a31 date := p_as_of - interval '31 years'; a41 date := p_as_of - interval '41 years';
        a51 date := p_as_of - interval '51 years'; a61 date := p_as_of - interval '61 years';
        a71 date := p_as_of - interval '71 years';
        -- Party age counted from after these dates: under 10, 20, … years on p_as_of.
        p10 date := p_as_of - interval '10 years'; p20 date := p_as_of - interval '20 years';
        p30 date := p_as_of - interval '30 years'; p40 date := p_as_of - interval '40 years';
        p50 date := p_as_of - interval '50 years';
      begin
        return query
        select grouping(f.child, f.status, ${PROFILE_COLUMNS.filter((c) => c !== 'date_of_birth').map((c) => `f.${c}`).join(', ')}, f.age_band, f.party_age_band)::int,
               f.child, f.status, ${PROFILE_COLUMNS.filter((c) => c !== 'date_of_birth').map((c) => `f.${c}`).join(', ')}, f.age_band, f.party_age_band, count(*)
          from (select case when nlevel(m.unit_path) > v_level then ltree2text(subpath(m.unit_path, v_level, 1))::bigint end as child,
                       m.status, ${PROFILE_COLUMNS.filter((c) => c !== 'date_of_birth').map((c) => `m.${c}`).join(', ')},
                       case when m.date_of_birth > a31 then 'UP_TO_30' when m.date_of_birth > a41 then 'FROM_31_TO_40'
                            when m.date_of_birth > a51 then 'FROM_41_TO_50' when m.date_of_birth > a61 then 'FROM_51_TO_60'
                            when m.date_of_birth > a71 then 'FROM_61_TO_70' else 'OVER_70' end as age_band,
                       case when m.party_age_origin > p10 then 'UNDER_10' when m.party_age_origin > p20 then 'FROM_10_TO_19'
                            when m.party_age_origin > p30 then 'FROM_20_TO_29' when m.party_age_origin > p40 then 'FROM_30_TO_39'
                            when m.party_age_origin > p50 then 'FROM_40_TO_49' else 'FROM_50' end as party_age_band
                  from member_fact m
                 where m.unit_path <@ v_path and m.status in ${ACTIVE}
                   and m.valid_from <= p_as_of and (m.valid_to is null or m.valid_to > p_as_of)) f
         group by grouping sets ((f.child, f.status), ${PROFILE_COLUMNS.filter((c) => c !== 'date_of_birth').map((c) => `(f.${c})`).join(', ')}, (f.age_band), (f.party_age_band));
      end $$`);

    // Movements in and out of a subtree's rolls between two dates (both included), with the
    // rolls at the start and at the end, so opening + ins - outs = closing can be checked.
    // Each change of a member's facts on a day in the period is classified once: joining the
    // rolls (admission, readmission), leaving them (by end state), moving between inside and
    // outside the subtree (transfer in, out), or probation ending (official confirmation).
    this.addSql(`
      create function hoso_unit_flows(p_unit bigint, p_from date, p_to date)
      returns table (kind text, members bigint)
      language plpgsql stable security definer set search_path = public, pg_temp
      set plan_cache_mode = force_custom_plan
      as $$
      declare v_path ltree := hoso_report_unit(p_unit);
      begin
        return query
        with steps as (
          select f.valid_from, f.status, f.status in ${ACTIVE} and f.unit_path <@ v_path as counted,
                 f.status in ${ACTIVE} as active,
                 lag(f.status) over w as prev_status,
                 coalesce(lag(f.status in ${ACTIVE} and f.unit_path <@ v_path) over w, false) as prev_counted,
                 coalesce(lag(f.status in ${ACTIVE}) over w, false) as prev_active,
                 coalesce(bool_or(f.status in ${ACTIVE}) over (w rows between unbounded preceding and 1 preceding), false) as was_member
            from member_fact f
           where f.member_id in (select c.member_id from member_fact c where c.valid_from between p_from and p_to)
          window w as (partition by f.member_id order by f.valid_from)
        ), events as (
          select case
                   when s.counted and not s.prev_counted then
                     case when s.prev_active then 'TRANSFER_IN' when s.was_member then 'READMISSION' else 'ADMISSION' end
                   when s.prev_counted and not s.counted then
                     case when s.active then 'TRANSFER_OUT' else s.status end
                   when s.counted and s.prev_status = 'PROBATIONARY' and s.status = 'OFFICIAL' then 'OFFICIAL_CONFIRMATION'
                 end as kind
            from steps s
           where s.valid_from between p_from and p_to
        )
        select e.kind, count(*) from events e where e.kind is not null group by e.kind
        union all
        -- On the rolls the day before the period, and on its last day.
        select 'OPENING', count(*) from member_fact m
         where m.unit_path <@ v_path and m.status in ${ACTIVE} and m.valid_from < p_from and (m.valid_to is null or m.valid_to >= p_from)
        union all
        select 'CLOSING', count(*) from member_fact m
         where m.unit_path <@ v_path and m.status in ${ACTIVE} and m.valid_from <= p_to and (m.valid_to is null or m.valid_to > p_to);
      end $$`);
    // Every export is an access event (docs/access.md, layer 4): who, what, which unit and filter, how
    // many rows, in the exporting request's transaction and the hash chain.
    this.addSql(`
      create function hoso_record_export(p_unit bigint, p_what text, p_details jsonb) returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        ${ACCESS_EVENT_INSERT} 'EXPORT', 'export', p_what, null, u.path, p_details
          from org_unit u
         where u.id = p_unit and u.path <@ hoso_scope()
      $$`);
    for (const fn of ['hoso_unit_statistics(bigint, date)', 'hoso_unit_flows(bigint, date, date)', 'hoso_record_export(bigint, text, jsonb)']) {
      this.addSql(`revoke all on function ${fn} from public`);
      this.addSql(`grant execute on function ${fn} to hoso_api`);
    }
    for (const fn of ['hoso_rebuild_member_facts(bigint[])', 'hoso_rebuild_all_member_facts()', 'hoso_report_unit(bigint)']) {
      this.addSql(`revoke all on function ${fn} from public`);
    }
    this.addSql(`select hoso_rebuild_all_member_facts()`);
  }
}
