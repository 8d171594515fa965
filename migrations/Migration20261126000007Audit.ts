import { Migration } from '@mikro-orm/migrations';

/** Every table whose rows are records; each gets the audit trigger. */
export const AUDITED_TABLES = [
  'org_unit', 'member', 'member_status_period', 'member_unit_period', 'work_history', 'training', 'award',
  'discipline', 'quality_rating', 'family_relation', 'transfer', 'post', 'planning_entry', 'account', 'api_key',
] as const;

/**
 * A bulk load by the owner role (the demo seed, benchmark data) may skip capture with
 * `set local hoso.bulk_load = 'on'`, as the owner could by disabling the triggers; for any other
 * role the setting changes nothing. Checked in the trigger's WHEN clause, so a skipped row costs
 * no function call.
 */
const BULK_LOAD_SKIPS = `current_user <> 'hoso_owner' or current_setting('hoso.bulk_load', true) is distinct from 'on'`;

/**
 * Audit in the database (docs/architecture.md): a trigger on every record table writes an event for
 * each insert, update and delete, with the account, request and reason the request set; raw SQL
 * is recorded too (account empty). Events are append-only and hash-chained: each event's hash
 * covers its content and the previous hash, so a changed or deleted event breaks the chain.
 */
export class Migration20261126000007Audit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table audit_event (
        id bigint generated always as identity primary key,
        -- Position in the hash chain, given when the writing transaction commits.
        chain_seq bigint unique,
        at timestamptz not null,
        txid bigint not null,
        account_id bigint,
        api_key_id bigint,
        request_id text,
        reason text,
        action text not null check (action in ('INSERT', 'UPDATE', 'DELETE')),
        entity_type text not null,
        entity_id text not null,
        -- The member the row belongs to, and the path it was filed under, for history and scope.
        member_id bigint,
        scope_path ltree,
        changes jsonb not null,
        prev_hash bytea,
        hash bytea
      )`);
    this.addSql(`create sequence audit_chain_seq`);
    this.addSql(`create index audit_event_member_idx on audit_event (member_id, id) where member_id is not null`);
    this.addSql(`create index audit_event_entity_idx on audit_event (entity_type, entity_id, id)`);
    this.addSql(`create index audit_event_scope_idx on audit_event using gist (scope_path)`);

    // The content an event's hash covers, in one fixed text form (jsonb prints its keys in a fixed order).
    this.addSql(`
      create function hoso_audit_content(e audit_event) returns bytea
      language sql immutable parallel safe
      as $$ select convert_to(concat_ws('|', e.id, e.chain_seq, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), e.txid,
              e.account_id, e.api_key_id, e.request_id, e.reason, e.action, e.entity_type, e.entity_id, e.member_id,
              e.scope_path::text, e.changes::text), 'UTF8') $$`);

    this.addSql(`
      create function hoso_audit_capture() returns trigger
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
          when tg_table_name = 'transfer' then (v_row ->> 'from_path')::ltree
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

    // At commit, the transaction's events join the chain in order, one transaction at a time:
    // the lock is held only for this last step, and the previous hash is always the last one
    // committed. The first deferred call seals them all; the others find nothing left to do.
    this.addSql(`
      create function hoso_audit_seal() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare
        v_prev bytea;
        e audit_event;
      begin
        if exists (select 1 from audit_event where id = new.id and hash is not null) then return null; end if;
        perform pg_advisory_xact_lock(7355608);
        select hash into v_prev from audit_event where chain_seq = (select max(chain_seq) from audit_event);
        for e in select * from audit_event where txid = txid_current() and hash is null order by id loop
          e.chain_seq := nextval('audit_chain_seq');
          e.prev_hash := v_prev;
          e.hash := digest(coalesce(v_prev, '') || hoso_audit_content(e), 'sha256');
          update audit_event set chain_seq = e.chain_seq, prev_hash = e.prev_hash, hash = e.hash where id = e.id;
          v_prev := e.hash;
        end loop;
        return null;
      end $$`);
    this.addSql(`
      create constraint trigger audit_event_seal after insert on audit_event
      deferrable initially deferred for each row execute function hoso_audit_seal()`);
    for (const table of AUDITED_TABLES) {
      this.addSql(`
        create trigger ${table}_audit after insert or update or delete on ${table}
        for each row when (${BULK_LOAD_SKIPS}) execute function hoso_audit_capture()`);
    }

    // Append-only: no UPDATE, DELETE or TRUNCATE, for the owner too; only a maintenance role
    // created for the purpose (hoso_audit_maintenance, see README) may, and it leaves a broken chain.
    this.addSql(`
      create function hoso_audit_append_only() returns trigger language plpgsql as $$
      begin
        -- Sealing sets the chain columns once; every other column stays as written.
        if tg_op = 'UPDATE' and old.hash is null and new.hash is not null
           and (to_jsonb(new) - array['chain_seq', 'prev_hash', 'hash']) = (to_jsonb(old) - array['chain_seq', 'prev_hash', 'hash']) then
          return new;
        end if;
        if current_user <> 'hoso_audit_maintenance' then
          raise exception 'audit events cannot be changed or removed' using errcode = 'insufficient_privilege';
        end if;
        return case when tg_op = 'DELETE' then old else new end;
      end $$`);
    this.addSql(`
      create trigger audit_event_append_only before update or delete on audit_event
      for each row execute function hoso_audit_append_only()`);
    this.addSql(`
      create trigger audit_event_no_truncate before truncate on audit_event
      for each statement execute function hoso_audit_append_only()`);

    // The first event whose hash or link does not hold (null when the chain is whole).
    this.addSql(`
      create function hoso_verify_audit()
      returns table (broken_id bigint, problem text, events bigint, head bytea)
      language sql stable security definer set search_path = public, pg_temp
      as $$
        with chain as (
          select e.id, e.chain_seq, e.hash, e.prev_hash, lag(e.hash) over (order by e.chain_seq) as expected_prev,
                 digest(coalesce(e.prev_hash, '') || hoso_audit_content(e), 'sha256') as recomputed
            from audit_event e
        ), first_break as (
          select id, case when hash <> recomputed then 'content changed' else 'link broken (an event before it was removed or changed)' end as problem
            from chain where hash is null or hash <> recomputed or prev_hash is distinct from expected_prev
           order by chain_seq nulls first limit 1
        )
        select (select id from first_break), (select problem from first_break),
               (select count(*) from audit_event), (select hash from audit_event order by chain_seq desc nulls last limit 1)
      $$`);
    // Reading is for the API's history views (scoped there and by this policy); writing only through the trigger.
    this.addSql(`alter table audit_event enable row level security`);
    this.addSql(`create policy audit_event_scope on audit_event to hoso_api using (scope_path <@ hoso_scope())`);
    this.addSql(`grant select on audit_event to hoso_api`);
    this.addSql(`revoke all on function hoso_verify_audit() from public`);
    this.addSql(`grant execute on function hoso_verify_audit() to hoso_api`);
  }
}
