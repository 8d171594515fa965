-- Written by `npm run queries` from src/imports/imports.queries.ts: do not edit; a test compares.

-- cells under the import unit
select u.id::text as id, u.code, u.name, u.valid_from::text as valid_from, u.valid_to::text as valid_to
  from org_unit u
 where u.kind = 'CELL'
   and u.path <@ $1::ltree
   and u.path <@ $2::ltree
 order by u.code;

-- members by card number or national ID
select m.id::text as id, m.version, m.status, m.transferred_out_on::text as transferred_out_on, m.unit_id::text as unit_id, m.joined_on::text as joined_on, m.official_on::text as official_on, m.full_name, m.date_of_birth::text as date_of_birth, m.gender, m.party_card_number, m.national_id, m.ethnicity, m.religion, m.place_of_birth, m.home_town, m.permanent_address, m.temporary_address, m.phone, m.occupation, m.general_education, m.professional_level, m.political_theory
  from member m
 where (m.party_card_number = any($1::text[]) or m.national_id = any($2::text[]))
   and m.unit_path <@ $3::ltree;

-- members by name and birth date
select k.ord::int as ord, m.id::text as id
  from unnest($1::text[], $2::date[]) with ordinality k(name, born, ord)
  join member m on m.date_of_birth = k.born and m.search_name = hoso_fold(k.name)
 where m.unit_path <@ $3::ltree
 order by k.ord, m.id;

-- numbers held outside the scope
select field, value from hoso_numbers_held_elsewhere($1::ltree, $2::text[], $3::text[]);

-- new batch
insert into import_batch (unit_id, created_by, file_name, file_format, file_encoding, file, file_sha256, ignored_columns)
values ($1, nullif(current_setting('app.account_id', true), '')::bigint, $2, $3, $4, $5, sha256($6::bytea), $7::text[])
returning id::text as id;

-- dry-run rows
insert into import_row (batch_id, row_number, outcome, member_id, member_version, duplicate_of_row, "values", changes, problems)
select $1::bigint, r.row_number, r.outcome, r.member_id, r.member_version, r.duplicate_of_row, coalesce(r."values", '{}'), r.changes, r.problems
  from jsonb_to_recordset($2::jsonb) as r(row_number integer, outcome text, member_id bigint, member_version integer,
                                         duplicate_of_row integer, "values" jsonb, changes jsonb, problems jsonb);

-- batch counts
update import_batch b
   set counts = (select coalesce(jsonb_object_agg(outcome, n), '{}') from (select outcome, count(*) as n from import_row where batch_id = b.id group by outcome) c)
 where b.id = $1;

-- batch
select b.id::text as id, b.unit_id::text as unit_id, u.path::text as unit_path, b.created_by::text as created_by, b.created_at, b.file_name,
       b.file_format, b.file_encoding, b.status, b.position, b.counts, b.ignored_columns, b.reason, b.committed_at,
       b.undone_at, b.undo_reason, length(b.file) as file_bytes, encode(b.file_sha256, 'hex') as file_sha256
  from import_batch b
  join org_unit u on u.id = b.unit_id
 where b.id = $1
   and u.path <@ $2::ltree;

-- batch, locked
select b.id::text as id, b.unit_id::text as unit_id, u.path::text as unit_path, b.created_by::text as created_by, b.created_at, b.file_name,
       b.file_format, b.file_encoding, b.status, b.position, b.counts, b.ignored_columns, b.reason, b.committed_at,
       b.undone_at, b.undo_reason, length(b.file) as file_bytes, encode(b.file_sha256, 'hex') as file_sha256
  from import_batch b
  join org_unit u on u.id = b.unit_id
 where b.id = $1
   and u.path <@ $2::ltree
   for update of b;

-- batch file
select b.file_name, b.file_format, b.file
  from import_batch b
  join org_unit u on u.id = b.unit_id
 where b.id = $1
   and u.path <@ $2::ltree;

-- rows page
select r.row_number, r.outcome, r.member_id::text as member_id, r.duplicate_of_row, r."values", r.changes, r.problems
  from import_row r
 where r.batch_id = $1
   and r.row_number > $2
 order by r.row_number
 limit $3;

-- rows page of one outcome
select r.row_number, r.outcome, r.member_id::text as member_id, r.duplicate_of_row, r."values", r.changes, r.problems
  from import_row r
 where r.batch_id = $1
   and r.row_number > $2
   and r.outcome = $3
 order by r.row_number
 limit $4;

-- verdicts
select r.row_number, r.outcome, r.member_id::text as member_id, r.duplicate_of_row, r.changes, r.problems
  from import_row r
 where r.batch_id = $1
 order by r.row_number;

-- rows to commit
select r.row_number, r.outcome, r.member_id::text as member_id, r.member_version, r."values", r.changes
  from import_row r
 where r.batch_id = $1
   and r.row_number > $2
   and r.outcome in ('CREATE', 'UPDATE')
 order by r.row_number
 limit $3;

-- member ids
select id::text as id from hoso_next_member_ids($1) as id;

-- insert members
insert into member (id, full_name, gender, date_of_birth, joined_on, admission_ceremony_on, official_on, status, unit_id,
                    party_card_number, national_id, ethnicity, religion, place_of_birth, home_town, permanent_address,
                    temporary_address, phone, occupation, general_education, professional_level, political_theory, admitted_by)
overriding system value
select r.id, r.full_name, r.gender, r.date_of_birth, r.joined_on, r.admission_ceremony_on, r.official_on, r.status, r.unit_id,
       r.party_card_number, r.national_id, r.ethnicity, r.religion, r.place_of_birth, r.home_town, r.permanent_address,
       r.temporary_address, r.phone, r.occupation, r.general_education, r.professional_level, r.political_theory, r.admitted_by
  from jsonb_to_recordset($1::jsonb) as r(id bigint, full_name text, gender text, date_of_birth date, joined_on date,
                                         admission_ceremony_on date, official_on date, status text, unit_id bigint,
                                         party_card_number text, national_id text, ethnicity text, religion text,
                                         place_of_birth text, home_town text, permanent_address text, temporary_address text,
                                         phone text, occupation text, general_education text, professional_level text,
                                         political_theory text, admitted_by text);

-- insert status periods
insert into member_status_period (member_id, status, valid_from, valid_to, decision_number, decision_date, decision_body, reason)
select r.member_id, r.status, r.valid_from, r.valid_to, r.decision_number, r.decision_date, r.decision_body, nullif(current_setting('app.reason', true), '')
  from jsonb_to_recordset($1::jsonb) as r(member_id bigint, status text, valid_from date, valid_to date,
                                         decision_number text, decision_date date, decision_body text);

-- insert unit periods
insert into member_unit_period (member_id, unit_id, valid_from, decision_number, decision_date, decision_body, reason)
select r.member_id, r.unit_id, r.valid_from, r.decision_number, r.decision_date, r.decision_body, nullif(current_setting('app.reason', true), '')
  from jsonb_to_recordset($1::jsonb) as r(member_id bigint, unit_id bigint, valid_from date,
                                         decision_number text, decision_date date, decision_body text);

-- update members
update member m
   set (full_name, date_of_birth, gender, party_card_number, national_id, ethnicity, religion, place_of_birth, home_town, permanent_address, temporary_address, phone, occupation, general_education, professional_level, political_theory) =
       (select p.full_name, p.date_of_birth, p.gender, p.party_card_number, p.national_id, p.ethnicity, p.religion, p.place_of_birth, p.home_town, p.permanent_address, p.temporary_address, p.phone, p.occupation, p.general_education, p.professional_level, p.political_theory from jsonb_populate_record(m, r.apply) p),
       version = m.version + 1
  from jsonb_to_recordset($1::jsonb) as r(id bigint, version integer, apply jsonb)
 where m.id = r.id
   and m.version = r.version
   and m.unit_path <@ $2::ltree
returning m.id::text as id;

-- mark rows committed
select hoso_import_mark_committed($1, $2::jsonb) as marked;

-- advance batch
update import_batch
   set position = $1, status = $2, reason = coalesce(reason, $3), committed_at = case when $4 = 'COMMITTED' then now() end
 where id = $5;

-- undo blockers
select row_number, member_id::text as member_id from hoso_import_blockers($1, $2::int) order by row_number limit 100;

-- rows to undo
select r.row_number, r.outcome, r.member_id::text as member_id, r.member_version
  from import_row r
  join member m on m.id = r.member_id
 where r.batch_id = $1
   and r.row_number <= $2
   and r.outcome in ('CREATE', 'UPDATE')
   and m.unit_path <@ $3::ltree
 order by r.row_number desc
 limit $4
   for update of m;

-- restore members
update member m
   set (full_name, date_of_birth, gender, party_card_number, national_id, ethnicity, religion, place_of_birth, home_town, permanent_address, temporary_address, phone, occupation, general_education, professional_level, political_theory) =
       (select p.full_name, p.date_of_birth, p.gender, p.party_card_number, p.national_id, p.ethnicity, p.religion, p.place_of_birth, p.home_town, p.permanent_address, p.temporary_address, p.phone, p.occupation, p.general_education, p.professional_level, p.political_theory from jsonb_populate_record(m, r.replaced) p),
       version = m.version + 1
  from import_row r
 where r.batch_id = $1
   and r.row_number = any($2::int[])
   and r.outcome = 'UPDATE'
   and r.member_id = m.id
   and r.replaced is not null
   and m.version = r.member_version + 1
   and m.unit_path <@ $3::ltree
returning m.id::text as id;

-- remove created members
select hoso_import_remove_members($1, $2::bigint[]) as removed;

-- undo step
update import_batch
   set position = $1, status = $2, undone_at = case when $3 = 'UNDONE' then now() end, undo_reason = coalesce(undo_reason, $4)
 where id = $5;

-- record import event
select hoso_record_import($1, $2, $3::jsonb);
