-- Written by `npm run queries` from src/units/reorganisation.queries.ts: do not edit; a test compares.

-- reorganiseUnits: setEffectiveOn
select set_config('app.effective_on', $1, true), set_config('gin_pending_list_limit', '65536', true);

-- reorganiseUnits: clearEffectiveOn
select set_config('app.effective_on', '', true);

-- reorganiseUnits: units
select u.id::text as id, u.code, u.name, u.kind, u.parent_id::text as "parentId", u.path::text as path, u.valid_to::text as "validTo",
       (select max(p.valid_from)::text from unit_period p where p.unit_id = u.id) as "periodFrom",
       (select max(p.valid_from)::text from org_unit d join unit_period p on p.unit_id = d.id
         where d.path <@ u.path and d.id <> u.id) as "subtreeFrom"
  from org_unit u
 where (u.path @> any(array(select r.path from org_unit r where r.id = any($1::bigint[])))
        or (u.parent_id = any($2::bigint[]) and u.valid_to is null))
   and u.path <@ $3::ltree;

-- reorganiseUnits: members
select p.member_id::text as id, p.unit_id::text as "unitId", p.valid_from::text as "periodFrom"
  from member_unit_period p
  join member m on m.id = p.member_id
 where p.unit_id = any($1::bigint[]) and p.valid_to is null
   and m.unit_path <@ $2::ltree
 order by p.member_id;

-- reorganiseUnits: accounts
select a.id::text as id, a.username, a.unit_id::text as "unitId", a.active
  from account a
  join org_unit u on u.id = a.unit_id
 where ((a.unit_id = any($1::bigint[]) and a.active) or a.id = any($2::bigint[]))
   and u.path <@ $3::ltree
 order by a.id;

-- reorganiseUnits: pendingTransfersTo
select t.id::text as id, t.to_unit_id::text as "toUnitId"
  from transfer t
 where t.status = 'PENDING' and t.to_unit_id = any($1::bigint[])
   and t.to_path <@ $2::ltree
 order by t.id;

-- reorganiseUnits: report
select u.id::text as id, u.code, u.name, u.kind, u.valid_to::text as "validTo",
       hoso_member_count(u.id, true, $1::text[], false)::int as members,
       (select count(*)::int from org_unit c where c.path <@ u.path and c.kind = 'CELL' and c.valid_to is null) as cells
  from org_unit u
 where u.id = any($2::bigint[])
   and u.path <@ $3::ltree;

-- reorganiseUnits: insertUnit
insert into org_unit (code, name, kind, parent_id, valid_from)
values ($1, $2, $3, $4, $5)
on conflict (code) do nothing
returning id::text as id, code;

-- reorganiseUnits: setParent
update org_unit set parent_id = $1, version = version + 1, updated_at = now() where id = $2;

-- reorganiseUnits: rename
update org_unit set name = $1, version = version + 1, updated_at = now() where id = $2;

-- reorganiseUnits: end
update org_unit set valid_to = $1, version = version + 1, updated_at = now() where id = $2;

-- reorganiseUnits: closeMemberPeriods
update member_unit_period set valid_to = $1
 where member_id = any($2::bigint[]) and valid_to is null and valid_from < $3;

-- reorganiseUnits: correctMemberPeriods
update member_unit_period set unit_id = $1
 where member_id = any($2::bigint[]) and valid_to is null and valid_from = $3;

-- reorganiseUnits: openMemberPeriods
insert into member_unit_period (member_id, unit_id, valid_from, decision_number, decision_date, decision_body, reason, reorganisation_id)
select m.id, $1, $2, $3, $4, $5, $6, $7
  from unnest($8::bigint[]) as m (id)
 where not exists (select 1 from member_unit_period p where p.member_id = m.id and p.valid_to is null);

-- reorganiseUnits: setMemberUnit
update member set unit_id = $1, version = version + 1, updated_at = now() where id = any($2::bigint[]);

-- reorganiseUnits: redirectTransfers
update transfer set to_unit_id = $1, version = version + 1 where id = any($2::bigint[]) and status = 'PENDING';

-- reorganiseUnits: resendTransfers
update transfer t set from_unit_id = m.unit_id, version = t.version + 1
  from member m
 where m.id = t.member_id and t.status = 'PENDING' and t.from_unit_id = any($1::bigint[]) and m.unit_id <> t.from_unit_id;

-- reorganiseUnits: endPosts
update post set end_on = greatest(start_on, $1::date), reason = $2, version = version + 1
 where unit_id = any($3::bigint[]) and end_on is null;

-- reorganiseUnits: handOverPosts
update post p set managed_by_unit_id = a.id, version = p.version + 1
  from org_unit h
  cross join lateral (select a.id from org_unit a
                       where a.path @> h.path and a.id <> h.id and a.valid_to is null
                       order by nlevel(a.path) desc limit 1) a
 where h.id = p.unit_id and p.managed_by_unit_id = any($1::bigint[]) and p.end_on is null;

-- reorganiseUnits: handOverPlanning
update planning_entry e set managed_by_unit_id = a.id, version = e.version + 1
  from member m
  join org_unit h on h.id = m.unit_id
  cross join lateral (select a.id from org_unit a
                       where a.path @> h.path and a.id <> h.id and a.valid_to is null
                       order by nlevel(a.path) desc limit 1) a
 where m.id = e.member_id and e.managed_by_unit_id = any($1::bigint[]) and e.period_end >= $2;

-- reorganiseUnits: rebuildMovedFacts
select hoso_rebuild_stale_facts_now(1000) as remaining;

-- reorganiseUnits: deactivateAccounts
update account set active = false, version = version + 1, updated_at = now() where id = any($1::bigint[]);

-- reorganiseUnits: rehomeAccount
update account set unit_id = $1, version = version + 1, updated_at = now() where id = $2;

-- reorganiseUnits: insertReorganisation
insert into reorganisation (effective_on, decision_number, decision_date, decision_body, reason, unit_id, account_id)
values ($1, $2, $3, $4, $5, $6, $7)
returning id::text as id;

-- reorganiseUnits: insertLineage
insert into unit_lineage (reorganisation_id, step, kind, unit_id, to_unit_id)
select $1, l.step, l.kind, l.unit_id, l.to_unit_id
  from unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[]) as l (step, kind, unit_id, to_unit_id);
