-- Written by `npm run queries` from src/units/units.queries.ts: do not edit; a test compares.

-- units by id (the unitById loader)
select u.id, u.code, u.name, u.kind, u.parent_id, u.version, u.path::text as path, u.valid_from, u.valid_to
  from org_unit u
 where u.id = any($1::bigint[])
   and u.path <@ $2::ltree
 order by u.code;

-- children of units (the childrenOf loader)
select u.id, u.code, u.name, u.kind, u.parent_id, u.version, u.path::text as path, u.valid_from, u.valid_to
  from org_unit u
 where u.parent_id = any($1::bigint[])
   and u.path <@ $2::ltree
   and u.valid_to is null
 order by u.code;

-- units by id as of a date (the unitOn loader)
select u.id, u.code, p.name, u.kind, p.parent_id, u.version, p.path::text as path, u.valid_from, u.valid_to
  from unit_period p
  join org_unit u on u.id = p.unit_id
 where p.unit_id = any($1::bigint[])
   and daterange(p.valid_from, p.valid_to) @> $2::date
   and u.path <@ $3::ltree
 order by u.code;

-- children of units as of a date (the childrenOn loader)
select u.id, u.code, p.name, u.kind, p.parent_id, u.version, p.path::text as path, u.valid_from, u.valid_to
  from unit_period p
  join org_unit u on u.id = p.unit_id
 where p.parent_id = any($1::bigint[])
   and daterange(p.valid_from, p.valid_to) @> $2::date
   and u.path <@ $3::ltree
 order by u.code;

-- a unit's lineage
select l.id, l.kind, l.unit_id, l.to_unit_id, r.effective_on, r.decision_number, r.decision_date, r.decision_body, r.reason,
       l.from_code, l.from_name, l.to_code, l.to_name
  from unit_lineage l
  join reorganisation r on r.id = l.reorganisation_id
 where l.unit_id = $1 or l.to_unit_id = $2
 order by r.effective_on, l.reorganisation_id, l.step, l.id;
