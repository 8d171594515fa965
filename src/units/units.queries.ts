import { scopeSql } from '../access/scope';

/**
 * The SQL the units feature sends on its hot reads: units by id and the children of units (the
 * loaders every list's `unit` goes through), and a unit as JSON for a member's preloaded `unit`.
 * Values are `?` placeholders bound in order; src/units/units.queries.sql is the committed text.
 */

/** The columns a unit is read with (the path as text, as the entity's formula reads it). */
const UNIT_COLUMNS = 'u.id, u.code, u.name, u.kind, u.parent_id, u.version, u.path::text as path';

/** Units in scope whose id (or parent id) is one of an array literal's, ordered by code. */
export function unitsSql(by: 'id' | 'parent_id'): string {
  return `select ${UNIT_COLUMNS}
  from org_unit u
 where u.${by} = any(?::bigint[])
   and ${scopeSql('u.path')}
 order by u.code`;
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
  ];
}
