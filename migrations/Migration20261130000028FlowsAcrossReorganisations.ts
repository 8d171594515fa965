import { Migration } from '@mikro-orm/migrations';

// Copied from migration 20 as it was when this one was written: a migration is frozen.
const ACTIVE = `('PROBATIONARY', 'OFFICIAL', 'RELEASED')`;

/**
 * Flows tell a reorganisation from a transfer. A member whose cell moved into (or out of) the
 * subtree asked for, staying in the same cell, came (or went) because the tree changed, not
 * because the member was transferred: migration 20's flows counted such a step as a transfer in
 * or out, so a ward committee formed on 1 July 2025 showed every member it received as "chuyển
 * đến". Those steps are now their own kinds, REORGANISED_IN and REORGANISED_OUT (the API's
 * reorganisedIn and reorganisedOut), and the balance of the flows includes them. The city's flows
 * are unchanged by a reorganisation inside it: nothing crosses its boundary.
 *
 * The body is migration 26's (the path of the unit's last stretch in the period, from
 * hoso_report_unit_during) with the two kinds added.
 */
export class Migration20261130000028FlowsAcrossReorganisations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create or replace function hoso_unit_flows(p_unit bigint, p_from date, p_to date)
      returns table (kind text, members bigint)
      language plpgsql stable security definer set search_path = public, pg_temp
      set plan_cache_mode = force_custom_plan
      as $$
      declare v_path ltree := hoso_report_unit_during(p_unit, p_from, p_to);
      begin
        return query
        with steps as (
          select f.valid_from, f.valid_to, f.status, f.status in ${ACTIVE} and f.unit_path <@ v_path as counted,
                 f.status in ${ACTIVE} as active,
                 lag(f.status) over w as prev_status,
                 coalesce(lag(f.status in ${ACTIVE} and f.unit_path <@ v_path) over w, false) as prev_counted,
                 coalesce(lag(f.status in ${ACTIVE}) over w, false) as prev_active,
                 -- The same cell on both sides of the step: the tree moved, the member did not.
                 coalesce(lag(f.unit_id) over w = f.unit_id, false) as same_unit,
                 coalesce(bool_or(f.status in ${ACTIVE}) over (w rows between unbounded preceding and 1 preceding), false) as was_member,
                 lag(f.member_id) over w is null as first_fact,
                 lead(f.member_id) over w is null as last_fact,
                 f.party_age_origin
            from member_fact f
           where f.member_id in (select c.member_id from member_fact c
                                  where c.valid_from between p_from and p_to or c.valid_to between p_from and p_to)
          window w as (partition by f.member_id order by f.valid_from)
        ), events as (
          select case
                   when s.counted and not s.prev_counted then
                     case when s.prev_active and s.same_unit then 'REORGANISED_IN'
                          when s.prev_active or (s.first_fact and s.party_age_origin < s.valid_from) then 'TRANSFER_IN'
                          when s.was_member then 'READMISSION' else 'ADMISSION' end
                   when s.prev_counted and not s.counted then
                     case when s.active and s.same_unit then 'REORGANISED_OUT'
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
        -- On the rolls the day before the period, and on its last day.
        select 'OPENING', count(*) from member_fact m
         where m.unit_path <@ v_path and m.status in ${ACTIVE} and m.valid_from < p_from and (m.valid_to is null or m.valid_to >= p_from)
        union all
        select 'CLOSING', count(*) from member_fact m
         where m.unit_path <@ v_path and m.status in ${ACTIVE} and m.valid_from <= p_to and (m.valid_to is null or m.valid_to > p_to);
      end $$`);
  }
}
