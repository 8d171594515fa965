-- Written by `npm run queries` from src/units/units.queries.ts: do not edit; a test compares.

-- units by id (the unitById loader)
select u.id, u.code, u.name, u.kind, u.parent_id, u.version, u.path::text as path
  from org_unit u
 where u.id = any($1::bigint[])
   and u.path <@ $2::ltree
 order by u.code;

-- children of units (the childrenOf loader)
select u.id, u.code, u.name, u.kind, u.parent_id, u.version, u.path::text as path
  from org_unit u
 where u.parent_id = any($1::bigint[])
   and u.path <@ $2::ltree
 order by u.code;
