import { Migration } from '@mikro-orm/migrations';

// Copied from migration 10 as it was when this one was written: a migration is frozen, so it
// imports nothing from other migrations or from src/.
const ACTIVE = `('PROBATIONARY', 'OFFICIAL', 'RELEASED')`;

/** The path of a transfer's end outside the organisation: a label no unit path (ids) and so no scope contains. */
const OUTSIDE = 'OUTSIDE';

/**
 * Transfers across the organisation's boundary, temporary transfers with an end, late arrivals
 * (docs/domain.md, "Transfers").
 *
 * - A transfer may have one end outside the organisation: another province's party organisation
 *   or one abroad, named in `external_party` (with the country abroad). That end has no unit; its
 *   path is OUTSIDE, so the scope checks (RLS, the ORM filter) keep working and never match it,
 *   and its name column holds the outside party's name.
 * - A member transferred out of the organisation leaves its rolls on the dispatch date: the unit
 *   period is closed that day with no next unit (so the reporting facts end there) and
 *   `member.transferred_out_on` records it for current lists. The member keeps its status: it
 *   is still a party member, elsewhere.
 * - A member arriving from outside has its status periods from its admission (party age) and its
 *   unit period from the arrival (counted here from that day only). The flows count it as a
 *   transfer in, not an admission, and the closed unit period of a member who left as a transfer
 *   out; migration 10's hoso_unit_flows could see neither.
 * - Temporary transfers carry their return date and the return; late arrivals their reason.
 * - Arrival is refused in the database too when the member has left or was transferred out.
 *
 * Existing rows are not rewritten: the new columns are empty or take their "within the
 * organisation" default.
 */
export class Migration20261126000020BoundaryTransfers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table transfer
        alter column from_unit_id drop not null,
        alter column to_unit_id drop not null,
        add column boundary text not null default 'WITHIN' check (boundary in ('WITHIN', 'OTHER_PROVINCE', 'ABROAD')),
        add column external_party text,
        add column country text,
        add column late_reason text,
        -- A temporary transfer's planned return, whether to study (longer allowed), and the return.
        add column returns_on date,
        add column for_study boolean not null default false,
        add column returned_on date,
        -- Within the organisation both ends are cells; across it exactly one is, and the other is named.
        add constraint transfer_ends_check check (
          case when boundary = 'WITHIN' then from_unit_id is not null and to_unit_id is not null and external_party is null
               else external_party is not null and (from_unit_id is null) <> (to_unit_id is null) and kind <> 'INTERNAL' end),
        add constraint transfer_country_check check (country is null or boundary = 'ABROAD'),
        add constraint transfer_returns_on_check check (returns_on is null or (kind = 'TEMPORARY' and returns_on > issued_on)),
        add constraint transfer_returned_on_check check (returned_on is null or (kind = 'TEMPORARY' and returned_on >= issued_on))`);

    this.addSql(`alter table member add column transferred_out_on date`);
    this.addSql(`comment on column member.transferred_out_on is 'Off this organisation''s rolls from this day: transferred to another province or abroad (still a party member there).'`);

    // Migration 5's trigger, with the end outside the organisation.
    this.addSql(`
      create or replace function transfer_set_paths() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        -- Read as the owner: the receiving unit is usually outside the sender's scope.
        if new.from_unit_id is null then
          new.from_path := '${OUTSIDE}';
          new.from_unit_name := new.external_party;
        else
          select path, name into strict new.from_path, new.from_unit_name from org_unit where id = new.from_unit_id;
        end if;
        if new.to_unit_id is null then
          new.to_path := '${OUTSIDE}';
          new.to_unit_name := new.external_party;
        else
          select path, name into strict new.to_path, new.to_unit_name from org_unit where id = new.to_unit_id;
        end if;
        return new;
      end $$`);
    this.addSql(`drop trigger transfer_paths_before on transfer`);
    this.addSql(`
      create trigger transfer_paths_before before insert or update of from_unit_id, to_unit_id, external_party on transfer
      for each row execute function transfer_set_paths()`);

    // Migration 7's audit capture, unchanged but for the scope of a transfer's events: an arrival
    // from outside has no sending unit, and its events belong to the receiving one.
    this.addSql(`
      create or replace function hoso_audit_capture() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare
        v_old jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
        v_new jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
        v_row jsonb := coalesce(v_new, v_old);
        v_changes jsonb := '{}';
        v_key text;
        v_member bigint;
        v_path ltree;
        e audit_event;
      begin
        -- Derived or secret columns are not history: search keys, paths, password and key hashes.
        v_old := v_old - array['search_name', 'sort_name', 'unit_path', 'path', 'from_path', 'to_path', 'managed_path', 'password_hash', 'secret_hash', 'updated_at'];
        v_new := v_new - array['search_name', 'sort_name', 'unit_path', 'path', 'from_path', 'to_path', 'managed_path', 'password_hash', 'secret_hash', 'updated_at'];
        for v_key in select jsonb_object_keys(coalesce(v_new, v_old)) loop
          if v_old is null or v_new is null or (v_old -> v_key) is distinct from (v_new -> v_key) then
            v_changes := v_changes || jsonb_build_object(v_key, jsonb_build_array(v_old -> v_key, v_new -> v_key));
          end if;
        end loop;
        if tg_op = 'UPDATE' and v_changes = '{}' then return null; end if;

        v_member := case when tg_table_name = 'member' then (v_row ->> 'id')::bigint else (v_row ->> 'member_id')::bigint end;
        v_path := case
          when tg_table_name = 'org_unit' then (v_row ->> 'path')::ltree
          when tg_table_name = 'member' then (v_row ->> 'unit_path')::ltree
          -- The sending end, or the receiving end for an arrival from outside the organisation.
          when tg_table_name = 'transfer' then
            case when v_row ->> 'from_path' = '${OUTSIDE}' then (v_row ->> 'to_path')::ltree else (v_row ->> 'from_path')::ltree end
          -- Cadre records are seen at the managing level and above; so is their history.
          when tg_table_name in ('post', 'planning_entry') then (v_row ->> 'managed_path')::ltree
          when v_member is not null then (select unit_path from member where id = v_member)
          else (select path from org_unit where id = (v_row ->> 'unit_id')::bigint)
        end;

        e.at := clock_timestamp();
        e.txid := txid_current();
        e.account_id := nullif(current_setting('app.account_id', true), '')::bigint;
        e.api_key_id := nullif(current_setting('app.api_key_id', true), '')::bigint;
        e.request_id := nullif(current_setting('app.request_id', true), '');
        e.reason := nullif(current_setting('app.reason', true), '');
        e.action := tg_op;
        e.entity_type := tg_table_name;
        e.entity_id := v_row ->> 'id';
        e.member_id := v_member;
        e.scope_path := v_path;
        e.changes := v_changes;
        -- Chained at commit (hoso_audit_seal), so writers do not wait for each other here.
        insert into audit_event (at, txid, account_id, api_key_id, request_id, reason, action, entity_type, entity_id,
                                 member_id, scope_path, changes)
        values (e.at, e.txid, e.account_id, e.api_key_id, e.request_id, e.reason, e.action, e.entity_type, e.entity_id,
                e.member_id, e.scope_path, e.changes);
        return null;
      end $$`);

    // What the receiving side must know of the member before confirming (it cannot read the
    // record yet): whether the member may still be transferred. Only for a pending transfer with
    // an end in the caller's scope (a closed one gives the other end nothing more to read).
    this.addSql(`
      create function hoso_transfer_member_state(p_transfer_id bigint)
      returns table (status text, left_on date, under_review boolean, transferred_out_on date)
      language sql stable security definer set search_path = public, pg_temp
      as $$
        select m.status, m.left_on, m.under_review, m.transferred_out_on
          from transfer t join member m on m.id = t.member_id
         where t.id = p_transfer_id and t.status = 'PENDING'
           and (t.from_path <@ hoso_scope() or t.to_path <@ hoso_scope())
      $$`);

    // Migration 5's arrival, refusing (null) a member who left or was transferred out: the last
    // line under the service's check.
    this.addSql(`
      create or replace function hoso_confirm_transfer(p_transfer_id bigint, p_confirmed_on date, p_to_unit_id bigint)
      returns bigint
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare t transfer;
      declare v_to bigint;
      begin
        select * into t from transfer where id = p_transfer_id for update;
        if not found or t.status <> 'PENDING' or t.boundary <> 'WITHIN' or not (t.to_path <@ hoso_scope()) then
          return null;
        end if;
        if not exists (select 1 from member where id = t.member_id and status in ${ACTIVE} and transferred_out_on is null) then
          return null;
        end if;
        v_to := coalesce(p_to_unit_id, t.to_unit_id);
        if not exists (select 1 from org_unit where id = v_to and kind = 'CELL' and path <@ hoso_scope()) then
          return null;
        end if;
        if p_confirmed_on <= (select valid_from from member_unit_period where member_id = t.member_id and valid_to is null) then
          raise exception 'arrival before the member joined the sending unit' using errcode = 'check_violation';
        end if;
        -- A temporary transfer leaves the member registered at home.
        if t.kind in ('PERMANENT', 'INTERNAL') then
          update member_unit_period set valid_to = p_confirmed_on where member_id = t.member_id and valid_to is null;
          insert into member_unit_period (member_id, unit_id, valid_from, decision_number, decision_date, decision_body, reason)
            values (t.member_id, v_to, p_confirmed_on, t.decision_number, t.decision_date, t.decision_body, t.reason);
          update member set unit_id = v_to, version = version + 1, updated_at = now() where id = t.member_id;
        end if;
        update transfer set status = 'CONFIRMED', confirmed_on = p_confirmed_on, to_unit_id = v_to, version = version + 1
         where id = p_transfer_id;
        return t.member_id;
      end $$`);

    this.addSql(`revoke all on function hoso_transfer_member_state(bigint) from public`);
    this.addSql(`grant execute on function hoso_transfer_member_state(bigint) to hoso_api`);

    // Migration 10's flows, with the two movements across the boundary. A member's facts begin
    // at its first unit period: for a member arriving from outside that is after its admission,
    // so its party-age origin lies before the first fact (an admission here starts both on the
    // same day), and it is a transfer in. Facts that end with nothing after them end at a
    // transfer out of the organisation (a departure keeps an open period in its end status).
    this.addSql(`create index member_fact_to_idx on member_fact (valid_to)`);
    this.addSql(`
      create or replace function hoso_unit_flows(p_unit bigint, p_from date, p_to date)
      returns table (kind text, members bigint)
      language plpgsql stable security definer set search_path = public, pg_temp
      set plan_cache_mode = force_custom_plan
      as $$
      declare v_path ltree := hoso_report_unit(p_unit);
      begin
        return query
        with steps as (
          select f.valid_from, f.valid_to, f.status, f.status in ${ACTIVE} and f.unit_path <@ v_path as counted,
                 f.status in ${ACTIVE} as active,
                 lag(f.status) over w as prev_status,
                 coalesce(lag(f.status in ${ACTIVE} and f.unit_path <@ v_path) over w, false) as prev_counted,
                 coalesce(lag(f.status in ${ACTIVE}) over w, false) as prev_active,
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
                     case when s.prev_active or (s.first_fact and s.party_age_origin < s.valid_from) then 'TRANSFER_IN'
                          when s.was_member then 'READMISSION' else 'ADMISSION' end
                   when s.prev_counted and not s.counted then
                     case when s.active then 'TRANSFER_OUT' else s.status end
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
