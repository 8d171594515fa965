import { Migration } from '@mikro-orm/migrations';

/** The tables a member's creation and an import's undo write many rows of in one statement. */
const MEMBER_TABLES = ['member', 'member_status_period', 'member_unit_period'] as const;

/** Migration 7's: the owner's bulk load may skip capture; any other role cannot. */
const BULK_LOAD_SKIPS = `current_user <> 'hoso_owner' or current_setting('hoso.bulk_load', true) is distinct from 'on'`;

/** Migration 7's derived and secret columns, which are not history. */
const NOT_HISTORY = `array['search_name', 'sort_name', 'unit_path', 'path', 'from_path', 'to_path', 'managed_path', 'password_hash', 'secret_hash', 'updated_at']`;

/**
 * Many member records written at once (an import's commit and undo, docs/imports.md) without
 * the per-row costs that kept a 100,000-row commit over its 3 minutes and made a city-size undo
 * impossible:
 *
 * - **Inserts and deletes of members and their periods are audited per statement.** The events
 *   are the same as migration 7's row trigger wrote — one per row, the same action, entity,
 *   member, path and `changes` (every column `[null, value]` for an insert, `[value, null]` for a
 *   delete), the same request settings — written by one INSERT … SELECT over the statement's
 *   transition table, in the rows' order. Updates stay per row (they compare old and new).
 *   The member tables only: other tables' inserts come one at a time and some of them write
 *   audited rows from their own triggers, whose events must keep coming after theirs.
 * - **An undo checks each chunk, not the whole batch every call** (hoso_import_blockers of the rows after a number).
 * - **An import's created members are removed together.** hoso_import_remove_members checks
 *   every member as migration 35's one-member function did (created by the commit's
 *   transaction, in scope, unchanged since, under the member's lock), then removes them with a
 *   statement per table. Their facts are dropped first and the statistics' weeks from their
 *   earliest fact marked stale (migration 33's bulk path), so the period deletes rebuild
 *   nothing: a member's removal used to rebuild its weekly snapshots over every week since it
 *   joined, 0.3–0.6 s each.
 * - **A rebuild of many members' facts is planned without nested loops.** A statement changing
 *   the periods of more than 100 members rebuilds their facts joining the period tables on
 *   overlaps of date ranges, which PostgreSQL estimates at almost no rows: past about 100,000
 *   members it chose nested loops over the GiST indexes, 13–22 s for 1,000 members against
 *   0.25 s in hash joins (the whole rebuild has been planned so since migration 14). One
 *   member's rebuild keeps its index lookups. The rebuild is planned at each call, so a plan
 *   made for a thousand members is never reused for one. A new member's profile no longer
 *   rebuilds anything: the member has no periods yet, so it has no facts.
 * - **The weeks' refresh gives way to writers** (skips its pass when a writer holds the
 *   snapshots' settings), so a load's chunks do not wait behind it.
 * - **Sealing writes its hashes in one statement.** The sealer (migration 9) chained a pass's
 *   events one UPDATE at a time, each checked by the append-only trigger through two whole-row
 *   JSON conversions: a 100,000-row import's 400,000 events kept it busy beside the import on
 *   the same two cores. The hashes are computed in order as before and written by one UPDATE;
 *   the trigger compares the row itself, its chain columns aside.
 */
export class Migration20261130000036BulkRecordWrites extends Migration {
  override async up(): Promise<void> {
    // The events of a statement's inserted or deleted rows (transition table `changed_rows`):
    // hoso_audit_capture's, computed for the set.
    this.addSql(`
      create function hoso_audit_capture_rows() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        insert into audit_event (at, txid, account_id, api_key_id, request_id, reason, action, entity_type, entity_id,
                                 member_id, scope_path, changes)
        select clock_timestamp(), txid_current(), nullif(current_setting('app.account_id', true), '')::bigint,
               nullif(current_setting('app.api_key_id', true), '')::bigint, nullif(current_setting('app.request_id', true), ''),
               nullif(current_setting('app.reason', true), ''), tg_op, tg_table_name, r.row ->> 'id', r.member_id,
               case when tg_table_name = 'member' then (r.row ->> 'unit_path')::ltree
                    else (select m.unit_path from member m where m.id = r.member_id) end,
               (select coalesce(jsonb_object_agg(k.key, case when tg_op = 'INSERT' then jsonb_build_array(null, k.value)
                                                                else jsonb_build_array(k.value, null) end), '{}')
                  from jsonb_each(r.row - ${NOT_HISTORY}) k)
          from (select t.row, case when tg_table_name = 'member' then (t.row ->> 'id')::bigint else (t.row ->> 'member_id')::bigint end as member_id
                  from (select to_jsonb(c) as row from changed_rows c) t) r
         order by (r.row ->> 'id')::bigint;
        return null;
      end $$`);
    for (const table of MEMBER_TABLES) {
      this.addSql(`drop trigger ${table}_audit on ${table}`);
      this.addSql(`
        create trigger ${table}_audit after update on ${table}
        for each row when (${BULK_LOAD_SKIPS}) execute function hoso_audit_capture()`);
      for (const [event, transition] of [['insert', 'new'], ['delete', 'old']]) {
        this.addSql(`
          create trigger ${table}_audit_${event} after ${event} on ${table}
          referencing ${transition} table as changed_rows
          for each statement when (${BULK_LOAD_SKIPS}) execute function hoso_audit_capture_rows()`);
      }
    }

    // Period changes of many members: their facts rebuilt in hash joins (see above).
    this.addSql(`
      create function hoso_rebuild_member_facts_many(p_members bigint[]) returns void
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare v_was text := current_setting('enable_nestloop');
      begin
        if cardinality(p_members) > 100 then perform set_config('enable_nestloop', 'off', true); end if;
        perform hoso_rebuild_member_facts(p_members);
        perform set_config('enable_nestloop', v_was, true);
      end $$`);
    this.addSql(`revoke all on function hoso_rebuild_member_facts_many(bigint[]) from public`);
    this.addSql(`alter function hoso_rebuild_member_facts_only(bigint[]) set plan_cache_mode = force_custom_plan`);
    this.addSql(`
      create or replace function hoso_periods_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        perform hoso_rebuild_member_facts_many(array(select distinct member_id from changed_rows));
        return null;
      end $$`);
    this.addSql(`
      create or replace function hoso_member_profiles_inserted() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        insert into member_profile_period (member_id, valid_from, gender, date_of_birth, ethnicity, religion, general_education,
                                           professional_level, political_theory, occupation)
        select n.id, null, n.gender, n.date_of_birth, n.ethnicity, n.religion, n.general_education, n.professional_level,
               n.political_theory, n.occupation
          from new_rows n;
        -- No facts to build: a member inserted by this statement has no periods yet (they refer
        -- to it); their own triggers build the facts when they are written.
        return null;
      end $$`);

    // The members an import created, removed together: only those in the caller's scope, created
    // by the transaction that committed this batch's row and unchanged since (checked under
    // their locks, taken in id order). Answers how many it removed; the caller compares.
    this.addSql(`
      create function hoso_import_remove_members(p_batch bigint, p_members bigint[]) returns integer
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare
        c stat_config;
        v_members bigint[];
        v_from date;
      begin
        -- Every facts writer takes this first (migration 33): one lock order, no deadlock.
        select * into c from stat_config for no key update;
        perform 1 from member m where m.id = any (p_members) and m.unit_path <@ hoso_scope() order by m.id for update;
        v_members := array(
          select r.member_id
            from import_row r join import_batch b on b.id = r.batch_id join org_unit u on u.id = b.unit_id
            join member m on m.id = r.member_id
           where r.batch_id = p_batch and r.member_id = any (p_members) and r.outcome = 'CREATE' and r.commit_txid is not null
             and u.path <@ hoso_scope() and b.status in ('COMMITTING', 'COMMITTED', 'UNDOING') and m.unit_path <@ hoso_scope()
             and exists (select 1 from audit_event e where e.entity_type = 'member' and e.action = 'INSERT'
                          and e.entity_id = r.member_id::text and e.txid = r.commit_txid)
             and not hoso_import_member_changed(r.member_id, r.commit_txid));
        if v_members = '{}' then return 0; end if;
        -- The weeks their facts counted in are rebuilt later (stale until then; reads stay
        -- exact), not corrected member by member over every week since each joined.
        if c.first_week is not null then
          select min(f.valid_from) into v_from from member_fact f
           where f.member_id = any (v_members) and coalesce(f.valid_to, 'infinity') > c.first_week and f.valid_from <= c.last_week;
          if v_from is not null then
            update stat_config set stale_from = least(v_from, coalesce(stale_from, 'infinity'));
          end if;
        end if;
        delete from member_fact where member_id = any (v_members);
        delete from member_fact_stale where member_id = any (v_members);
        delete from member_status_period where member_id = any (v_members);
        delete from member_unit_period where member_id = any (v_members);
        delete from member_profile_period where member_id = any (v_members);
        delete from member where id = any (v_members);
        return cardinality(v_members);
      end $$`);
    this.addSql(`revoke all on function hoso_import_remove_members(bigint, bigint[]) from public`);
    this.addSql(`grant execute on function hoso_import_remove_members(bigint, bigint[]) to hoso_api`);
    this.addSql(`drop function hoso_import_remove_member(bigint, bigint)`);

    // Migration 35's blockers, of the rows after p_after_row only (0: all): an undo checks the
    // whole batch when it starts and then the rows of each chunk as it takes them back, rather
    // than the whole batch every call (a 100,000-row undo checked 100,000 members a hundred
    // times). A range of row numbers, not the rows the chunk read: those are the ones in the
    // caller's scope, and a member moved out of it since must block too.
    this.addSql(`drop function hoso_import_blockers(bigint)`);
    this.addSql(`
      create function hoso_import_blockers(p_batch bigint, p_after_row integer) returns table (row_number integer, member_id bigint)
      language sql stable security definer set search_path = public, pg_temp
      as $$
        select r.row_number, r.member_id
          from import_row r join import_batch b on b.id = r.batch_id join org_unit u on u.id = b.unit_id
         where r.batch_id = p_batch and u.path <@ hoso_scope() and b.status in ('COMMITTING', 'COMMITTED', 'UNDOING')
           and r.row_number > p_after_row and r.row_number <= b.position
           and r.outcome in ('CREATE', 'UPDATE') and r.member_id is not null
           and hoso_import_member_changed(r.member_id, r.commit_txid)
         order by r.row_number
      $$`);
    this.addSql(`revoke all on function hoso_import_blockers(bigint, integer) from public`);
    this.addSql(`grant execute on function hoso_import_blockers(bigint, integer) to hoso_api`);

    // The weeks' refresh gives way to writers: a pass finding the snapshots' settings held by a
    // writer (a load's chunk) stops there instead of queueing ahead of the next chunk, and the
    // next pass (the API's hourly one, or the load's own rebuild at its end) goes on. A load marks
    // the weeks stale again at every chunk, so building them during it was wasted, and each chunk
    // waited for a build of several weeks.
    this.addSql(`
      do $$
      declare v_def text;
      begin
        select pg_get_functiondef('hoso_statistics_refresh(integer)'::regprocedure) into v_def;
        if position('from stat_config for update;' in v_def) = 0 then raise exception 'hoso_statistics_refresh changed'; end if;
        execute replace(v_def, 'from stat_config for update;', 'from stat_config for update skip locked;');
      end $$`);

    // Migration 7's rule, checked without converting rows to JSON: sealing may set the chain
    // columns once, and nothing else; every other change needs the maintenance role.
    this.addSql(`
      create or replace function hoso_audit_append_only() returns trigger language plpgsql as $$
      declare v_sealed audit_event;
      begin
        if tg_op = 'UPDATE' and old.hash is null and new.hash is not null then
          v_sealed := old;
          v_sealed.chain_seq := new.chain_seq;
          v_sealed.prev_hash := new.prev_hash;
          v_sealed.hash := new.hash;
          if v_sealed is not distinct from new then return new; end if;
        end if;
        if current_user <> 'hoso_audit_maintenance' then
          raise exception 'audit events cannot be changed or removed' using errcode = 'insufficient_privilege';
        end if;
        return case when tg_op = 'DELETE' then old else new end;
      end $$`);
    // Migration 9's pass: the same chain, computed event by event in id order, written at once.
    this.addSql(`
      create or replace function hoso_audit_seal() returns integer
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare
        v_prev bytea;
        v_ids bigint[] := '{}';
        v_seqs bigint[] := '{}';
        v_prevs bytea[] := '{}';
        v_hashes bytea[] := '{}';
        e audit_event;
      begin
        -- One sealer at a time; a second caller simply waits for the first to finish.
        perform pg_advisory_xact_lock(7355608);
        select hash into v_prev from audit_event where chain_seq = (select max(chain_seq) from audit_event);
        -- Only committed events are visible here; each joins the chain after the last sealed one.
        for e in select * from audit_event where hash is null order by id loop
          e.chain_seq := nextval('audit_chain_seq');
          e.prev_hash := v_prev;
          e.hash := digest(coalesce(v_prev, '') || hoso_audit_content(e), 'sha256');
          v_ids := v_ids || e.id;
          v_seqs := v_seqs || e.chain_seq;
          v_prevs := v_prevs || e.prev_hash;
          v_hashes := v_hashes || e.hash;
          v_prev := e.hash;
        end loop;
        update audit_event a set chain_seq = u.seq, prev_hash = u.prev, hash = u.hash
          from unnest(v_ids, v_seqs, v_prevs, v_hashes) as u(id, seq, prev, hash)
         where a.id = u.id;
        return cardinality(v_ids);
      end $$`);
  }
}
