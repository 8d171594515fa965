import { scopeSql } from '../access/scope';

/**
 * The SQL the units feature sends on its hot reads: units by id and the children of units (the
 * loaders every list's `unit` goes through), the same as of a date (the tree of that date, from
 * unit_period), a unit's lineage, and a unit as JSON for a member's preloaded `unit`.
 * Values are `?` placeholders bound in order; src/units/units.queries.sql is the committed text.
 */

/** The columns a unit is read with (the path as text, as the entity's formula reads it). */
const UNIT_COLUMNS = 'u.id, u.code, u.name, u.kind, u.parent_id, u.version, u.path::text as path, u.valid_from, u.valid_to';

/**
 * Units in scope whose id (or parent id) is one of an array literal's, ordered by code. Children
 * are those of today's tree: a unit that ended (merged, split, dissolved) is no one's child.
 */
export function unitsSql(by: 'id' | 'parent_id'): string {
  return `select ${UNIT_COLUMNS}
  from org_unit u
 where u.${by} = any(?::bigint[])
   and ${scopeSql('u.path')}${by === 'parent_id' ? '\n   and u.valid_to is null' : ''}
 order by u.code`;
}

/**
 * The same as of a date: each unit with the name, parent and path it had that day, only units
 * that existed then. Scope is today's (the unit's row), as for every read.
 */
export function unitsOnSql(by: 'id' | 'parent_id'): string {
  return `select u.id, u.code, p.name, u.kind, p.parent_id, u.version, p.path::text as path, u.valid_from, u.valid_to
  from unit_period p
  join org_unit u on u.id = p.unit_id
 where p.${by === 'id' ? 'unit_id' : 'parent_id'} = any(?::bigint[])
   and daterange(p.valid_from, p.valid_to) @> ?::date
   and ${scopeSql('u.path')}
 order by u.code`;
}

/**
 * The steps of reorganisations a unit took part in, from it (successors) and into it
 * (predecessors), oldest first, with the other unit's code and name and the decision.
 */
export function lineageSql(): string {
  // The step carries both units' codes and names (migration 29): the unit at the other end may
  // lie outside the reader's scope (a merged ward ends under its old district).
  return `select l.id, l.kind, l.unit_id, l.to_unit_id, r.effective_on, r.decision_number, r.decision_date, r.decision_body, r.reason,
       l.from_code, l.from_name, l.to_code, l.to_name
  from unit_lineage l
  join reorganisation r on r.id = l.reorganisation_id
 where l.unit_id = ? or l.to_unit_id = ?
 order by r.effective_on, l.reorganisation_id, l.step, l.id`;
}

/** One unit as a JSON object (null when row-level security hides it), for the row whose unit id is `unitId`. */
export function unitJson(unitId: string): string {
  return `(select row_to_json(u) from (select ${UNIT_COLUMNS} from org_unit u where u.id = ${unitId}) u)`;
}

/** The statements of this file as the snapshot shows them (src/units/units.queries.sql). */
export function queryExamples(): { name: string; text: string }[] {
  return [
    { name: 'units by id (the unitById loader)', text: unitsSql('id') },
    { name: 'children of units (the childrenOf loader)', text: unitsSql('parent_id') },
    { name: 'units by id as of a date (the unitOn loader)', text: unitsOnSql('id') },
    { name: 'children of units as of a date (the childrenOn loader)', text: unitsOnSql('parent_id') },
    { name: "a unit's lineage", text: lineageSql() },
  ];
}
