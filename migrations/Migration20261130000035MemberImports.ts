import { Migration } from '@mikro-orm/migrations';

/**
 * Spreadsheet imports (src/imports/, docs/imports.md): the uploaded file, its dry run row by
 * row, and what the commit did, so a batch can be reviewed, committed in resumable chunks and
 * undone.
 *
 * - import_batch keeps the file itself (bytea) for the audit. It is seen where its unit is today
 *   (row-level security through org_unit, so it follows the unit through a reorganisation).
 *   Whether a role may see or run imports at all is the API's permission (src/access/).
 * - import_row holds each data row's verdict: CREATE, UPDATE (with the changes), UNCHANGED,
 *   DUPLICATE (a probable duplicate, left out) or REFUSED (with the problems, each naming its
 *   column). What the commit wrote (the member created, the values replaced, its transaction)
 *   is written only by hoso_import_mark_committed: undo trusts nothing the API role could forge.
 * - Uploads, commits, undos and downloads are access events in the hash chain (action IMPORT).
 * - Definer functions answer what the API role may not read itself, telling nothing more:
 *   which numbers of a file are held outside the import's unit (not by whom), which members of
 *   a committed batch were changed since by anyone, and the removal of a member the batch
 *   created (members are never deleted otherwise).
 * - A new member's first profile period is written once per statement (an import inserts a
 *   chunk of members in one statement).
 */
export class Migration20261130000035MemberImports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table import_batch (
        id bigint generated always as identity primary key,
        unit_id bigint not null references org_unit (id),
        created_by bigint references account (id),
        created_at timestamptz not null default now(),
        file_name text not null check (length(file_name) between 1 and 255),
        file_format text not null check (file_format in ('xlsx', 'csv')),
        file_encoding text,
        file bytea not null,
        file_sha256 bytea not null,
        status text not null default 'DRY_RUN' check (status in ('DRY_RUN', 'COMMITTING', 'COMMITTED', 'UNDOING', 'UNDONE')),
        -- The last row number committed: a commit goes on from here after an interruption, an
        -- undo goes back from here.
        position integer not null default 0,
        counts jsonb not null default '{}',
        ignored_columns text[] not null default '{}',
        reason text,
        committed_at timestamptz,
        undone_at timestamptz,
        undo_reason text
      )`);
    this.addSql(`create index import_batch_unit_idx on import_batch (unit_id)`);
    this.addSql(`
      create table import_row (
        batch_id bigint not null references import_batch (id),
        row_number integer not null,
        outcome text not null check (outcome in ('CREATE', 'UPDATE', 'UNCHANGED', 'DUPLICATE', 'REFUSED')),
        -- No foreign key: after an undo the row still names the member it had created.
        member_id bigint,
        -- The matched member's version at the dry run: a commit refuses a row whose member changed since.
        member_version integer,
        duplicate_of_row integer,
        "values" jsonb not null default '{}',
        changes jsonb,
        problems jsonb,
        -- Written only by hoso_import_mark_committed: the transaction that wrote the row, the
        -- member it created, the values it replaced.
        commit_txid bigint,
        replaced jsonb,
        primary key (batch_id, row_number)
      )`);
    this.addSql(`create index import_row_member_idx on import_row (member_id) where member_id is not null`);

    // A batch is seen where its unit is today (through org_unit, whose own policy applies), so it
    // follows its unit through a reorganisation as the unit's members do.
    for (const [table, predicate] of [
      ['import_batch', 'exists (select 1 from org_unit u where u.id = unit_id and u.path <@ hoso_scope())'],
      ['import_row', 'exists (select 1 from import_batch b join org_unit u on u.id = b.unit_id where b.id = batch_id and u.path <@ hoso_scope())'],
    ]) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`create policy ${table}_scope on ${table} to hoso_api using (${predicate}) with check (${predicate})`);
    }
    this.addSql(`grant select, insert, update on import_batch to hoso_api`);
    // The rows' commit columns are the proof undo trusts: the API role cannot write them.
    this.addSql(`grant select on import_row to hoso_api`);
    this.addSql(`grant insert (batch_id, row_number, outcome, member_id, member_version, duplicate_of_row, "values", changes, problems) on import_row to hoso_api`);

    this.addSql(`alter table audit_event drop constraint audit_event_action_check`);
    this.addSql(`alter table audit_event add constraint audit_event_action_check
      check (action in ('INSERT', 'UPDATE', 'DELETE', 'READ_SENSITIVE', 'EXPORT', 'UNIQUE_CONFLICT_OUTSIDE_SCOPE', 'IMPORT'))`);
    // An upload, commit, undo or download: who, which batch, in which unit, what it did.
    this.addSql(`
      create function hoso_record_import(p_batch bigint, p_what text, p_details jsonb) returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        insert into audit_event (at, txid, account_id, api_key_id, request_id, reason, action, entity_type, entity_id,
                                 member_id, scope_path, changes)
        select clock_timestamp(), txid_current(), nullif(current_setting('app.account_id', true), '')::bigint,
               nullif(current_setting('app.api_key_id', true), '')::bigint, nullif(current_setting('app.request_id', true), ''),
               nullif(current_setting('app.reason', true), ''), 'IMPORT', 'import_batch', b.id::text, null, u.path,
               jsonb_build_object('what', p_what) || p_details
          from import_batch b join org_unit u on u.id = b.unit_id
         where b.id = p_batch and u.path <@ hoso_scope()
      $$`);

    // The numbers of a file held by a member outside the import's unit: only the numbers, so
    // the dry run refuses the row without saying where (createMember's answer), whoever uploads
    // (a district's staff see the whole district, but the import's rows are read in its unit).
    // Numbers held outside the caller's own scope are recorded as UNIQUE_CONFLICT_OUTSIDE_SCOPE
    // access events, as createMember's are.
    this.addSql(`
      create function hoso_numbers_held_elsewhere(p_unit_path ltree, p_cards text[], p_national_ids text[])
      returns table (field text, value text)
      language plpgsql volatile security definer set search_path = public, pg_temp
      as $$
      declare h record;
      begin
        if not (p_unit_path <@ hoso_scope()) then return; end if;
        for h in
          select 'partyCardNumber' as f, m.party_card_number as v from member m
           where m.party_card_number = any (p_cards) and not (m.unit_path <@ p_unit_path)
          union all
          select 'nationalId', m.national_id from member m
           where m.national_id = any (p_national_ids) and not (m.unit_path <@ p_unit_path)
        loop
          field := h.f;
          value := h.v;
          return next;
          perform hoso_record_unique_conflict(h.f, h.v);
        end loop;
      end $$`);

    // Whether a member was changed by anyone after an import's commit wrote it: an audit event
    // of the member from another transaction than the commit's, after the commit's last one.
    // A row with no commit transaction counts as changed (it was never committed by us).
    this.addSql(`
      create function hoso_import_member_changed(p_member bigint, p_commit_txid bigint) returns boolean
      language sql stable security definer set search_path = public, pg_temp
      as $$
        select p_commit_txid is null or exists (
          select 1 from audit_event e
           where e.member_id = p_member and e.action in ('INSERT', 'UPDATE', 'DELETE') and e.txid is distinct from p_commit_txid
             and e.id > coalesce((select max(c.id) from audit_event c where c.member_id = p_member and c.txid = p_commit_txid), 0))
      $$`);

    // The rows of a batch whose members were changed since the commit: they block its undo.
    this.addSql(`
      create function hoso_import_blockers(p_batch bigint) returns table (row_number integer, member_id bigint)
      language sql stable security definer set search_path = public, pg_temp
      as $$
        select r.row_number, r.member_id
          from import_row r join import_batch b on b.id = r.batch_id join org_unit u on u.id = b.unit_id
         where r.batch_id = p_batch and u.path <@ hoso_scope() and b.status in ('COMMITTING', 'COMMITTED', 'UNDOING')
           and r.row_number <= b.position and r.outcome in ('CREATE', 'UPDATE') and r.member_id is not null
           and hoso_import_member_changed(r.member_id, r.commit_txid)
         order by r.row_number
      $$`);

    // What a commit wrote, row by row, in the committing transaction: for a CREATE row, the
    // member it created (its INSERT audit event is this transaction's); for an UPDATE row, the
    // member the dry run matched. The only writer of the columns undo trusts.
    this.addSql(`
      create function hoso_import_mark_committed(p_batch bigint, p_rows jsonb) returns integer
      language plpgsql volatile security definer set search_path = public, pg_temp
      as $$
      declare v_marked integer;
      begin
        update import_row t
           set member_id = case when t.outcome = 'CREATE' then r.member_id else t.member_id end,
               commit_txid = txid_current(), replaced = r.replaced
          from jsonb_to_recordset(p_rows) as r(row_number integer, member_id bigint, replaced jsonb),
               import_batch b join org_unit u on u.id = b.unit_id
         where t.batch_id = p_batch and t.row_number = r.row_number and b.id = p_batch and u.path <@ hoso_scope()
           and t.commit_txid is null
           and (t.outcome = 'UPDATE' and t.member_id = r.member_id
                or t.outcome = 'CREATE' and exists (select 1 from audit_event e where e.entity_type = 'member' and e.action = 'INSERT'
                                                     and e.entity_id = r.member_id::text and e.txid = txid_current()));
        get diagnostics v_marked = row_count;
        return v_marked;
      end $$`);

    // Removes a member the batch created, with the periods its creation wrote and what was
    // derived from them: only a member in the caller's scope, created by the transaction that
    // committed this batch's row, unchanged since (checked under the member's lock). Members are
    // never deleted otherwise; the deletions are audited as any.
    this.addSql(`
      create function hoso_import_remove_member(p_batch bigint, p_member bigint) returns boolean
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare v_txid bigint;
      begin
        select r.commit_txid into v_txid
          from import_row r join import_batch b on b.id = r.batch_id join org_unit u on u.id = b.unit_id
         where r.batch_id = p_batch and r.member_id = p_member and r.outcome = 'CREATE' and r.commit_txid is not null
           and u.path <@ hoso_scope() and b.status in ('COMMITTING', 'COMMITTED', 'UNDOING');
        if v_txid is null then return false; end if;
        perform 1 from member m where m.id = p_member and m.unit_path <@ hoso_scope() for update;
        if not found then return false; end if;
        if not exists (select 1 from audit_event e where e.entity_type = 'member' and e.action = 'INSERT'
                        and e.entity_id = p_member::text and e.txid = v_txid)
           or hoso_import_member_changed(p_member, v_txid) then
          return false;
        end if;
        delete from member_status_period where member_id = p_member;
        delete from member_unit_period where member_id = p_member;
        delete from member_fact_stale where member_id = p_member;
        delete from member_fact where member_id = p_member;
        delete from member_profile_period where member_id = p_member;
        delete from member where id = p_member;
        return true;
      end $$`);

    // Ids for the members a commit creates, taken before the insert so each row of the file
    // knows its member without relying on the order of RETURNING.
    this.addSql(`
      create function hoso_next_member_ids(p_count integer) returns setof bigint
      language sql volatile security definer set search_path = public, pg_temp
      as $$ select nextval(pg_get_serial_sequence('member', 'id')) from generate_series(1, least(greatest(p_count, 0), 10000)) $$`);

    // A new member's first profile period, once per statement rather than once per row: an
    // import's chunk inserts 2,000 members in one statement, and the row trigger rebuilt each
    // one's facts on its own (with the statistics' bookkeeping of migration 33 each time), about
    // 20 ms a member; one rebuild of the statement's members is the bulk path migration 33 has
    // (past its batch size it marks the weeks stale instead of adjusting them one by one).
    // Same rows, same facts: createMember inserts one member per statement, as before.
    this.addSql(`
      create function hoso_member_profiles_inserted() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        insert into member_profile_period (member_id, valid_from, gender, date_of_birth, ethnicity, religion, general_education,
                                           professional_level, political_theory, occupation)
        select n.id, null, n.gender, n.date_of_birth, n.ethnicity, n.religion, n.general_education, n.professional_level,
               n.political_theory, n.occupation
          from new_rows n;
        perform hoso_rebuild_member_facts(array(select n.id from new_rows n order by n.id));
        return null;
      end $$`);
    this.addSql(`drop trigger member_profile_insert on member`);
    this.addSql(`
      create trigger member_profile_insert after insert on member referencing new table as new_rows
      for each statement when (current_user <> 'hoso_owner' or current_setting('hoso.bulk_load', true) is distinct from 'on')
      execute function hoso_member_profiles_inserted()`);

    for (const fn of [
      'hoso_next_member_ids(integer)',
      'hoso_record_import(bigint, text, jsonb)',
      'hoso_numbers_held_elsewhere(ltree, text[], text[])',
      'hoso_import_member_changed(bigint, bigint)',
      'hoso_import_blockers(bigint)',
      'hoso_import_mark_committed(bigint, jsonb)',
      'hoso_import_remove_member(bigint, bigint)',
    ]) {
      this.addSql(`revoke all on function ${fn} from public`);
      this.addSql(`grant execute on function ${fn} to hoso_api`);
    }
  }
}
