import { Migration } from '@mikro-orm/migrations';

// Copied from migration 20 as it was when this one was written: a migration is frozen.
const ACTIVE = `('PROBATIONARY', 'OFFICIAL', 'RELEASED')`;

/**
 * Flows tell a reorganisation from a transfer, and follow the unit asked for through its moves.
 *
 * - A member who came into (or left) the subtree because of a reorganisation is counted as
 *   REORGANISED_IN (or REORGANISED_OUT), the API's reorganisedIn and reorganisedOut, never as a
 *   transfer: either the member stayed in a cell that moved, or the member's unit period was
 *   opened by reorganiseUnits (its unit ended: `member_unit_period.reorganisation_id`, new here).
 *   Migration 20's flows counted both as transfers, so a ward committee formed on 1 July 2025
 *   showed every member it received as "chuyển đến".
 * - Whether a fact counts for the unit is decided with the unit's own path on the fact's days
 *   (unit_period), and the opening and closing with its paths on the day before the period and
 *   on its last day. Migration 26 used the path of the unit's last stretch for every day, so a
 *   cell that moved during the period opened at 0 and "received" its own members.
 * - The balance includes the new kinds. The city's flows are unchanged by a reorganisation
 *   inside it: nothing crosses its boundary.
 */
export class Migration20261130000028FlowsAcrossReorganisations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table member_unit_period add column reorganisation_id bigint references reorganisation (id)`);
    this.addSql(`
      create or replace function hoso_unit_flows(p_unit bigint, p_from date, p_to date)
      returns table (kind text, members bigint)
      language plpgsql stable security definer set search_path = public, pg_temp
      set plan_cache_mode = force_custom_plan
      as $$
      begin
        -- In scope, and alive at some time in the period (else HS404).
        perform hoso_report_unit_during(p_unit, p_from, p_to);
        return query
        with periods as (
          select daterange(p.valid_from, p.valid_to) as days, p.path from unit_period p where p.unit_id = p_unit
        ), facts as (
          select f.member_id, f.valid_from, f.valid_to, f.status, f.unit_id, f.party_age_origin,
                 f.status in ${ACTIVE} as active,
                 f.status in ${ACTIVE} and exists (select 1 from periods p where p.days @> f.valid_from and f.unit_path <@ p.path) as counted,
                 exists (select 1 from member_unit_period mp
                          where mp.member_id = f.member_id and mp.valid_from = f.valid_from and mp.reorganisation_id is not null) as reorganised
            from member_fact f
           -- Members with a fact starting or ending in the period under one of the unit's paths: every
           -- event counted involves one (a reorganisation splits every member's facts on its day,
           -- so without the path the city's whole register would be read for a cell's flows).
           where f.member_id in (select c.member_id from member_fact c
                                  where (c.valid_from between p_from and p_to or c.valid_to between p_from and p_to)
                                    and exists (select 1 from periods p where c.unit_path <@ p.path))
        ), steps as (
          select f.valid_from, f.valid_to, f.status, f.counted, f.active,
                 lag(f.status) over w as prev_status,
                 coalesce(lag(f.counted) over w, false) as prev_counted,
                 coalesce(lag(f.active) over w, false) as prev_active,
                 -- The same cell on both sides of the step (the tree moved, the member did not), or
                 -- a unit period opened by reorganiseUnits: a reorganisation, not a transfer.
                 coalesce(lag(f.unit_id) over w = f.unit_id, false) or f.reorganised as by_reorganisation,
                 coalesce(bool_or(f.active) over (w rows between unbounded preceding and 1 preceding), false) as was_member,
                 lag(f.member_id) over w is null as first_fact,
                 lead(f.member_id) over w is null as last_fact,
                 f.party_age_origin
            from facts f
          window w as (partition by f.member_id order by f.valid_from)
        ), events as (
          select case
                   when s.counted and not s.prev_counted then
                     case when s.prev_active and s.by_reorganisation then 'REORGANISED_IN'
                          when s.prev_active or (s.first_fact and s.party_age_origin < s.valid_from) then 'TRANSFER_IN'
                          when s.was_member then 'READMISSION' else 'ADMISSION' end
                   when s.prev_counted and not s.counted then
                     case when s.active and s.by_reorganisation then 'REORGANISED_OUT'
                          when s.active then 'TRANSFER_OUT' else s.status end
                   when s.counted and s.prev_status = 'PROBATIONARY' and s.status = 'OFFICIAL' then 'OFFICIAL_CONFIRMATION'
                 end as kind
            from steps s
           where s.valid_from between p_from and p_to
          union all
          select 'TRANSFER_OUT' from steps s
           where s.last_fact and s.counted and s.valid_to between p_from and p_to
        )
        select e.kind, count(*) from events e where e.kind is not null group by e.kind
        union all
        -- On the rolls the day before the period, and on its last day, each by the unit's path of
        -- that day (none when the unit did not exist then).
        select 'OPENING', count(*) from member_fact m join periods p on p.days @> (p_from - 1)
         where m.unit_path <@ p.path and m.status in ${ACTIVE} and m.valid_from < p_from and (m.valid_to is null or m.valid_to >= p_from)
        union all
        select 'CLOSING', count(*) from member_fact m join periods p on p.days @> p_to
         where m.unit_path <@ p.path and m.status in ${ACTIVE} and m.valid_from <= p_to and (m.valid_to is null or m.valid_to > p_to);
      end $$`);
  }
}
