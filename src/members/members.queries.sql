-- Written by `npm run queries` from src/members/members.queries.ts: do not edit; a test compares.

-- members page: first page by name, with the total and each member’s unit (a district’s list)
with page as (
  select m.id, m.unit_id, m.full_name, m.gender, m.date_of_birth, m.status, m.party_card_number, m.sort_name, m.sort_name::text as sort_key
    from member m
   where m.unit_path <@ $1::ltree
     and m.transferred_out_on is null
   order by m.sort_name asc, m.id asc
   limit $2
)
select hoso_member_count($3::bigint, $4::boolean, $5::text[], $6::boolean) as total_count,
       coalesce((select json_agg(p order by p.sort_name asc, p.id asc)
                   from (select page.*,
                         (select row_to_json(u) from (select u.id, u.code, u.name, u.kind, u.parent_id, u.version, u.path::text as path, u.valid_from, u.valid_to from org_unit u where u.id = page.unit_id) u) as "preload_unit"
                           from page) p), '[]') as members;

-- members page: name search, with the total and units (a role that may read national IDs)
with matches as materialized (
  select n.id, n.sort_name from hoso_member_name_matches(hoso_fold($1), $2::boolean) n
   union all
  select s.id, s.sort_name from member s
   where (s.party_card_number = $3 or s.national_id = $4)
     and s.transferred_out_on is null
     and s.unit_path <@ hoso_scope()
),
counted as (
  select count(*) as found, count(distinct x.id) as members from matches x
),
page as (
  select m.id, m.unit_id, m.full_name, m.gender, m.date_of_birth, m.status, m.party_card_number, m.sort_name, m.sort_name::text as sort_key
    from member m
   where m.unit_path <@ $5::ltree
     and m.id = any(array(select x.id from matches x
                          order by x.sort_name asc, x.id asc
                          limit $6 + (select c.found - c.members from counted c)))
   order by m.sort_name asc, m.id asc
   limit $7
)
select (select c.members from counted c) as total_count,
       coalesce((select json_agg(p order by p.sort_name asc, p.id asc)
                   from (select page.*,
                         (select row_to_json(u) from (select u.id, u.code, u.name, u.kind, u.parent_id, u.version, u.path::text as path, u.valid_from, u.valid_to from org_unit u where u.id = page.unit_id) u) as "preload_unit"
                           from page) p), '[]') as members;

-- members page: every filter, by date of birth descending, after a cursor, the whole row, without the total or nested lists
with matches as materialized (
  select m.id, m.date_of_birth
    from member m
   where m.unit_path <@ $1::ltree
     and m.unit_path <@ (select u.path from org_unit u where u.id = $2::bigint)
     and m.id = any(array(select n.id from hoso_member_name_matches(hoso_fold($3), $4::boolean) n
                          union all
                          select s.id from member s where s.party_card_number = $5 or s.national_id = $6))
     and m.transferred_out_on is null
     and m.status = any($7::text[])
     and m.gender = $8
     and m.date_of_birth >= $9::date
     and m.date_of_birth <= $10::date
     and m.national_id is null
     and m.status = 'PROBATIONARY'
     and (coalesce(m.readmitted_on, m.admission_ceremony_on) + interval '12 months')::date <= $11::date
),
counted as (
  select count(*) as found, count(distinct x.id) as members from matches x
),
page as (
  select m.*, m.date_of_birth::text as sort_key
    from member m
   where m.unit_path <@ $12::ltree
     and m.id = any(array(select x.id from matches x
                          where (x.date_of_birth, x.id) < ($13, $14::bigint)
                          order by x.date_of_birth desc, x.id desc
                          limit $15 + (select c.found - c.members from counted c)))
   order by m.date_of_birth desc, m.id desc
   limit $16
)
select null::bigint as total_count,
       coalesce((select json_agg(p order by p.date_of_birth desc, p.id desc)
                   from (select page.*
                           from page) p), '[]') as members;

-- member by party card number, with unit, posts, awards and ratings
select m.id, m.unit_id, m.full_name, m.gender, m.date_of_birth, m.status, m.party_card_number, m.joined_on, m.official_on,
       coalesce((select json_agg(x order by x.id) from award x where x.member_id = m.id), '[]') as "preload_awards",
       coalesce((select json_agg(x order by x.start_on, x.id) from post x where x.member_id = m.id), '[]') as "preload_posts",
       coalesce((select json_agg(x order by x.id) from quality_rating x where x.member_id = m.id), '[]') as "preload_ratings",
       (select row_to_json(u) from (select u.id, u.code, u.name, u.kind, u.parent_id, u.version, u.path::text as path, u.valid_from, u.valid_to from org_unit u where u.id = m.unit_id) u) as "preload_unit"
  from member m
 where m.unit_path <@ $1::ltree
   and m.party_card_number = $2;

-- member by id, the whole row (as read for an earlier instant), with every nested list
select m.*,
       coalesce((select json_agg(x order by x.id) from award x where x.member_id = m.id), '[]') as "preload_awards",
       coalesce((select json_agg(x order by x.id) from discipline x where x.member_id = m.id), '[]') as "preload_disciplines",
       coalesce((select json_agg(x order by x.id) from family_relation x where x.member_id = m.id), '[]') as "preload_family",
       coalesce((select json_agg(x order by x.period_start, x.id) from planning_entry x where x.member_id = m.id), '[]') as "preload_planning",
       coalesce((select json_agg(x order by x.start_on, x.id) from post x where x.member_id = m.id), '[]') as "preload_posts",
       coalesce((select json_agg(x order by x.id) from quality_rating x where x.member_id = m.id), '[]') as "preload_ratings",
       coalesce((select json_agg(x order by x.valid_from, x.id) from member_status_period x where x.member_id = m.id), '[]') as "preload_statusPeriods",
       coalesce((select json_agg(x order by x.id) from training x where x.member_id = m.id), '[]') as "preload_training",
       (select row_to_json(u) from (select u.id, u.code, u.name, u.kind, u.parent_id, u.version, u.path::text as path, u.valid_from, u.valid_to from org_unit u where u.id = m.unit_id) u) as "preload_unit",
       coalesce((select json_agg(x order by x.valid_from, x.id) from member_unit_period x where x.member_id = m.id), '[]') as "preload_unitPeriods",
       coalesce((select json_agg(x order by x.id) from work_history x where x.member_id = m.id), '[]') as "preload_workHistory"
  from member m
 where m.unit_path <@ $1::ltree
   and m.id = $2::bigint;

-- updateMember: the member to correct, locked before its version is compared (sent with the savepoint, its values written in)
select m.*
  from member m
 where m.unit_path <@ '1'::ltree
   and m.id = 1::bigint
   for update;

-- updateMember: a phone correction (the changed columns and the next version, if the version is still the one read)
update member m
   set phone = $1,
       version = m.version + 1
 where m.unit_path <@ $2::ltree
   and m.id = $3::bigint
   and m.version = $4
returning m.version;
