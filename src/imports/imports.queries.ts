import { scopeSql } from '../access/scope';
import { UPDATABLE } from './import-rules';

/**
 * The SQL the imports feature sends: the lookups of a dry run (cells, members by number, by name
 * and birth date, numbers held elsewhere), the batch and its rows, and the set-based writes of a
 * commit and an undo (one statement per kind of row per chunk, whatever the chunk's size).
 * Values are `?` placeholders bound in order; every read of records names the scope as well as
 * row-level security binding it. src/imports/imports.queries.sql is the committed text.
 */

/** Columns an import may correct, in one fixed order (the SET lists below). */
const UPDATABLE_COLUMNS = UPDATABLE.map(([, column]) => column);

/** The member columns a dry run compares and reports, dates as text. */
const MEMBER_MATCH_COLUMNS = [
  'm.id::text as id',
  'm.version',
  'm.status',
  'm.transferred_out_on::text as transferred_out_on',
  'm.unit_id::text as unit_id',
  'm.joined_on::text as joined_on',
  'm.official_on::text as official_on',
  ...UPDATABLE_COLUMNS.map((c) => (c === 'date_of_birth' ? 'm.date_of_birth::text as date_of_birth' : `m.${c}`)),
].join(', ');

/** Cells under the import's unit (path bound first), in the caller's scope. */
export function cellsUnderSql(): string {
  return `select u.id::text as id, u.code, u.name, u.valid_from::text as valid_from, u.valid_to::text as valid_to
  from org_unit u
 where u.kind = 'CELL'
   and u.path <@ ?::ltree
   and ${scopeSql('u.path')}
 order by u.code`;
}

/**
 * Members under the import's unit (path bound last) holding one of the party card numbers or
 * national IDs given: an import's verdicts are read by everyone whose scope holds its unit, so
 * they are made in the unit, whoever uploads.
 */
export function membersByNumbersSql(): string {
  return `select ${MEMBER_MATCH_COLUMNS}
  from member m
 where (m.party_card_number = any(?::text[]) or m.national_id = any(?::text[]))
   and m.unit_path <@ ?::ltree`;
}

/** Members under the import's unit with the same folded name and birth date as a row (k.ord: the row's place in the arrays). */
export function membersByNameAndBirthSql(): string {
  return `select k.ord::int as ord, m.id::text as id
  from unnest(?::text[], ?::date[]) with ordinality k(name, born, ord)
  join member m on m.date_of_birth = k.born and m.search_name = hoso_fold(k.name)
 where m.unit_path <@ ?::ltree
 order by k.ord, m.id`;
}

/** The numbers held outside the import's unit (only the numbers; those outside the caller's scope are access events). */
export function numbersElsewhereSql(): string {
  return `select field, value from hoso_numbers_held_elsewhere(?::ltree, ?::text[], ?::text[])`;
}

/** A new batch (the dry run's), with its file. */
export function insertBatchSql(): string {
  return `insert into import_batch (unit_id, created_by, file_name, file_format, file_encoding, file, file_sha256, ignored_columns)
values (?, nullif(current_setting('app.account_id', true), '')::bigint, ?, ?, ?, ?, sha256(?::bytea), ?::text[])
returning id::text as id`;
}

/** Rows of the dry run, as a JSON array of objects (one statement per chunk). */
export function insertRowsSql(): string {
  return `insert into import_row (batch_id, row_number, outcome, member_id, member_version, duplicate_of_row, "values", changes, problems)
select ?::bigint, r.row_number, r.outcome, r.member_id, r.member_version, r.duplicate_of_row, coalesce(r."values", '{}'), r.changes, r.problems
  from jsonb_to_recordset(?::jsonb) as r(row_number integer, outcome text, member_id bigint, member_version integer,
                                         duplicate_of_row integer, "values" jsonb, changes jsonb, problems jsonb)`;
}

/** The batch's counts per outcome, written once the dry run's rows are. */
export function setCountsSql(): string {
  return `update import_batch b
   set counts = (select coalesce(jsonb_object_agg(outcome, n), '{}') from (select outcome, count(*) as n from import_row where batch_id = b.id group by outcome) c)
 where b.id = ?`;
}

/** Columns of a batch as the API reads it (never the file); its unit's path is today's. */
const BATCH_COLUMNS = `b.id::text as id, b.unit_id::text as unit_id, u.path::text as unit_path, b.created_by::text as created_by, b.created_at, b.file_name,
       b.file_format, b.file_encoding, b.status, b.position, b.counts, b.ignored_columns, b.reason, b.committed_at,
       b.undone_at, b.undo_reason, length(b.file) as file_bytes, encode(b.file_sha256, 'hex') as file_sha256`;

/** One batch in scope; `forUpdate`: locked, so commits and undos of one batch run one at a time. */
export function batchSql(forUpdate: boolean): string {
  return `select ${BATCH_COLUMNS}
  from import_batch b
  join org_unit u on u.id = b.unit_id
 where b.id = ?
   and ${scopeSql('u.path')}${forUpdate ? '\n   for update of b' : ''}`;
}

/** The stored file of a batch in scope. */
export function batchFileSql(): string {
  return `select b.file_name, b.file_format, b.file
  from import_batch b
  join org_unit u on u.id = b.unit_id
 where b.id = ?
   and ${scopeSql('u.path')}`;
}

/** A page of a batch's rows after a row number, optionally of one outcome. */
export function rowsPageSql(byOutcome: boolean): string {
  return `select r.row_number, r.outcome, r.member_id::text as member_id, r.duplicate_of_row, r."values", r.changes, r.problems
  from import_row r
 where r.batch_id = ?
   and r.row_number > ?${byOutcome ? '\n   and r.outcome = ?' : ''}
 order by r.row_number
 limit ?`;
}

/** Every row's verdict of a batch, for its report. */
export function verdictsSql(): string {
  return `select r.row_number, r.outcome, r.member_id::text as member_id, r.duplicate_of_row, r.changes, r.problems
  from import_row r
 where r.batch_id = ?
 order by r.row_number`;
}

/** The next rows a commit applies: after its position, CREATE and UPDATE only. */
export function rowsToCommitSql(): string {
  return `select r.row_number, r.outcome, r.member_id::text as member_id, r.member_version, r."values", r.changes
  from import_row r
 where r.batch_id = ?
   and r.row_number > ?
   and r.outcome in ('CREATE', 'UPDATE')
 order by r.row_number
 limit ?`;
}

/** Ids for the members a chunk creates. */
export function nextMemberIdsSql(): string {
  return `select id::text as id from hoso_next_member_ids(?) as id`;
}

/** The member rows a chunk creates, from a JSON array (ids taken by nextMemberIdsSql). */
export function insertMembersSql(): string {
  return `insert into member (id, full_name, gender, date_of_birth, joined_on, admission_ceremony_on, official_on, status, unit_id,
                    party_card_number, national_id, ethnicity, religion, place_of_birth, home_town, permanent_address,
                    temporary_address, phone, occupation, general_education, professional_level, political_theory, admitted_by)
overriding system value
select r.id, r.full_name, r.gender, r.date_of_birth, r.joined_on, r.admission_ceremony_on, r.official_on, r.status, r.unit_id,
       r.party_card_number, r.national_id, r.ethnicity, r.religion, r.place_of_birth, r.home_town, r.permanent_address,
       r.temporary_address, r.phone, r.occupation, r.general_education, r.professional_level, r.political_theory, r.admitted_by
  from jsonb_to_recordset(?::jsonb) as r(id bigint, full_name text, gender text, date_of_birth date, joined_on date,
                                         admission_ceremony_on date, official_on date, status text, unit_id bigint,
                                         party_card_number text, national_id text, ethnicity text, religion text,
                                         place_of_birth text, home_town text, permanent_address text, temporary_address text,
                                         phone text, occupation text, general_education text, professional_level text,
                                         political_theory text, admitted_by text)`;
}

/** The status periods of the members a chunk creates (probation, then official when dated). */
export function insertStatusPeriodsSql(): string {
  return `insert into member_status_period (member_id, status, valid_from, valid_to, decision_number, decision_date, decision_body, reason)
select r.member_id, r.status, r.valid_from, r.valid_to, r.decision_number, r.decision_date, r.decision_body, nullif(current_setting('app.reason', true), '')
  from jsonb_to_recordset(?::jsonb) as r(member_id bigint, status text, valid_from date, valid_to date,
                                         decision_number text, decision_date date, decision_body text)`;
}

/** The unit periods of the members a chunk creates: in their cell from admission. */
export function insertUnitPeriodsSql(): string {
  return `insert into member_unit_period (member_id, unit_id, valid_from, decision_number, decision_date, decision_body, reason)
select r.member_id, r.unit_id, r.valid_from, r.decision_number, r.decision_date, r.decision_body, nullif(current_setting('app.reason', true), '')
  from jsonb_to_recordset(?::jsonb) as r(member_id bigint, unit_id bigint, valid_from date,
                                         decision_number text, decision_date date, decision_body text)`;
}

/**
 * Corrections of matched members: each row's `apply` (column → value) over its member, at the
 * version the dry run read, one statement for the chunk; the members written come back.
 */
export function updateMembersSql(): string {
  return `update member m
   set (${UPDATABLE_COLUMNS.join(', ')}) =
       (select ${UPDATABLE_COLUMNS.map((c) => `p.${c}`).join(', ')} from jsonb_populate_record(m, r.apply) p),
       version = m.version + 1
  from jsonb_to_recordset(?::jsonb) as r(id bigint, version integer, apply jsonb)
 where m.id = r.id
   and m.version = r.version
   and ${scopeSql('m.unit_path')}
returning m.id::text as id`;
}

/** What the commit did to each row (the member, the values it replaced), checked and written by the database. */
export function markRowsCommittedSql(): string {
  return `select hoso_import_mark_committed(?, ?::jsonb) as marked`;
}

/** The batch after a chunk: its position, status and the reason of its commit. */
export function advanceBatchSql(): string {
  return `update import_batch
   set position = ?, status = ?, reason = coalesce(reason, ?), committed_at = case when ? = 'COMMITTED' then now() end
 where id = ?`;
}

/** Members of a committed batch changed since by anyone (they block its undo): of its rows after a row number (0: all). */
export function blockersSql(): string {
  return `select row_number, member_id::text as member_id from hoso_import_blockers(?, ?::int) order by row_number limit 100`;
}

/**
 * The rows an undo takes back in one call: the last committed ones (at or before the batch's
 * position), newest first, their members locked in id order so that no one changes them
 * between the check and the write.
 */
export function rowsToUndoSql(): string {
  return `select r.row_number, r.outcome, r.member_id::text as member_id, r.member_version
  from import_row r
  join member m on m.id = r.member_id
 where r.batch_id = ?
   and r.row_number <= ?
   and r.outcome in ('CREATE', 'UPDATE')
   and ${scopeSql('m.unit_path')}
 order by r.row_number desc
 limit ?
   for update of m`;
}

/** Undo: the corrected members get back the values the commit replaced, at the version the commit left. */
export function restoreMembersSql(): string {
  return `update member m
   set (${UPDATABLE_COLUMNS.join(', ')}) =
       (select ${UPDATABLE_COLUMNS.map((c) => `p.${c}`).join(', ')} from jsonb_populate_record(m, r.replaced) p),
       version = m.version + 1
  from import_row r
 where r.batch_id = ?
   and r.row_number = any(?::int[])
   and r.outcome = 'UPDATE'
   and r.member_id = m.id
   and r.replaced is not null
   and m.version = r.member_version + 1
   and ${scopeSql('m.unit_path')}
returning m.id::text as id`;
}

/** Undo: the members the rows created are removed together (hoso_import_remove_members checks each again); how many. */
export function removeCreatedSql(): string {
  return `select hoso_import_remove_members(?, ?::bigint[]) as removed`;
}

/** The batch after a chunk of an undo: its position back, and UNDONE when nothing is left. */
export function stepUndoSql(): string {
  return `update import_batch
   set position = ?, status = ?, undone_at = case when ? = 'UNDONE' then now() end, undo_reason = coalesce(undo_reason, ?)
 where id = ?`;
}

/** An upload, commit or undo as an access event. */
export function recordImportSql(): string {
  return `select hoso_record_import(?, ?, ?::jsonb)`;
}

/** The statements of this file as the snapshot shows them (src/imports/imports.queries.sql). */
export function queryExamples(): { name: string; text: string }[] {
  return [
    { name: 'cells under the import unit', text: cellsUnderSql() },
    { name: 'members by card number or national ID', text: membersByNumbersSql() },
    { name: 'members by name and birth date', text: membersByNameAndBirthSql() },
    { name: 'numbers held outside the scope', text: numbersElsewhereSql() },
    { name: 'new batch', text: insertBatchSql() },
    { name: 'dry-run rows', text: insertRowsSql() },
    { name: 'batch counts', text: setCountsSql() },
    { name: 'batch', text: batchSql(false) },
    { name: 'batch, locked', text: batchSql(true) },
    { name: 'batch file', text: batchFileSql() },
    { name: 'rows page', text: rowsPageSql(false) },
    { name: 'rows page of one outcome', text: rowsPageSql(true) },
    { name: 'verdicts', text: verdictsSql() },
    { name: 'rows to commit', text: rowsToCommitSql() },
    { name: 'member ids', text: nextMemberIdsSql() },
    { name: 'insert members', text: insertMembersSql() },
    { name: 'insert status periods', text: insertStatusPeriodsSql() },
    { name: 'insert unit periods', text: insertUnitPeriodsSql() },
    { name: 'update members', text: updateMembersSql() },
    { name: 'mark rows committed', text: markRowsCommittedSql() },
    { name: 'advance batch', text: advanceBatchSql() },
    { name: 'undo blockers', text: blockersSql() },
    { name: 'rows to undo', text: rowsToUndoSql() },
    { name: 'restore members', text: restoreMembersSql() },
    { name: 'remove created members', text: removeCreatedSql() },
    { name: 'undo step', text: stepUndoSql() },
    { name: 'record import event', text: recordImportSql() },
  ];
}
