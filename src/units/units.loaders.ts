import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { SCOPE_FILTER, type Scope } from '../access/scope';
import { readOnlyFromRow } from '../database/read-only';
import { runStatement } from '../database/sql';
import { unitsOnSql, unitsSql } from './units.queries';
import { OrgUnit } from './org-unit.entity';
import { isId } from '../graphql/ids';

/** Per-request batching of unit look-ups, in scope, so an out-of-scope unit loads as null. */
export interface UnitLoaders {
  unitById: DataLoader<string, OrgUnit | null>;
  /** All children in scope of each unit, ordered by code (a unit has tens of children, not thousands). */
  childrenOf: DataLoader<string, OrgUnit[]>;
  /** A unit as of a date (key `date|id`): its name, parent and path then; null if it did not exist then or is out of scope. */
  unitOn: DataLoader<string, OrgUnit | null>;
  /** The children of a unit as of a date (key `date|id`), ordered by code. */
  childrenOn: DataLoader<string, OrgUnit[]>;
}

/** The key of the dated loaders. */
export const onKey = (date: string, id: string): string => `${date}|${id}`;

/**
 * The date a unit was read as of, set by the dated loaders on every unit they build, so its
 * parent and children are read of that date too, whoever read it (a unit query, a report).
 */
const AS_OF = new WeakMap<OrgUnit, string>();

/** The date `unit` was read as of, if it came from a dated loader. */
export function asOfOf(unit: OrgUnit): string | undefined {
  return AS_OF.get(unit);
}

/** A unit read by units.queries.ts (a row, or a JSON object) as a read-only instance. */
export function unitFromRow(em: EntityManager, row: Record<string, unknown>): OrgUnit {
  return Object.assign(readOnlyFromRow(em, OrgUnit, row), { path: row.path as string });
}

/**
 * Units are read with one plain statement and built as read-only instances: every list shows a
 * unit per row, and tracking them in the unit of work cost more than the query. The scope
 * predicate is the filter's own (scope.ts), written out because this is not an ORM query; with
 * no scope entered the statement fails, as a filtered query would.
 */
async function unitsWhere(em: EntityManager, by: 'id' | 'parent_id', ids: readonly string[], on?: string): Promise<OrgUnit[]> {
  const scope = em.getFilterParams<Scope>(SCOPE_FILTER);
  if (!scope?.path) throw new Error('No scope entered for this request');
  const idArray = `{${ids.join(',')}}`;
  // Units by id keep their prepared plan (the primary key, whatever the values). The children
  // and the dated reads are planned with their values: a generic plan, made without them, cannot
  // tell a scope of a few hundred units from the root's 140,000. At 5,600,000 members it read the
  // children of a province as of a date by walking every unit of the root's scope (5–6 s under
  // load, the API's S4P and S4N in bench/REPORT.md); planned with the values, by the parent, 1.4 ms.
  const prepare = by === 'id' && !on;
  const rows = on
    ? await runStatement(em, unitsOnSql(by), [idArray, on, scope.path], { prepare })
    : await runStatement(em, unitsSql(by), [idArray, scope.path], { prepare });
  return rows.map((row) => unitFromRow(em, row));
}

/** Dated keys (`date|id`) grouped by date: a request asks about one date or a few. */
function byDate(keys: readonly string[]): Map<string, string[]> {
  const dates = new Map<string, string[]>();
  for (const key of keys) {
    const [date, id] = key.split('|');
    if (!isId(id)) continue;
    if (!dates.has(date)) dates.set(date, []);
    dates.get(date)!.push(id);
  }
  return dates;
}

/** Units as of dates, by `date|id` (by: 'id') or the children of `date|parentId` (by: 'parent_id'). */
async function unitsOn(em: EntityManager, by: 'id' | 'parent_id', keys: readonly string[]): Promise<Map<string, OrgUnit[]>> {
  const found = new Map<string, OrgUnit[]>();
  for (const [date, ids] of byDate(keys)) {
    for (const unit of await unitsWhere(em, by, ids, date)) {
      AS_OF.set(unit, date);
      const key = onKey(date, by === 'id' ? unit.id : unit.parent!.id);
      if (!found.has(key)) found.set(key, []);
      found.get(key)!.push(unit);
    }
  }
  return found;
}

export function createUnitLoaders(em: EntityManager): UnitLoaders {
  return {
    unitById: new DataLoader<string, OrgUnit | null>(async (ids) => {
      const units = await unitsWhere(em, 'id', ids.filter(isId));
      const byId = new Map(units.map((u) => [u.id, u]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    childrenOf: new DataLoader<string, OrgUnit[]>(async (parentIds) => {
      const units = await unitsWhere(em, 'parent_id', parentIds.filter(isId));
      const byParent = new Map<string, OrgUnit[]>(parentIds.map((id) => [id, []]));
      for (const unit of units) byParent.get(unit.parent!.id)?.push(unit);
      return parentIds.map((id) => byParent.get(id)!);
    }),
    unitOn: new DataLoader<string, OrgUnit | null>(async (keys) => {
      const found = await unitsOn(em, 'id', keys);
      return keys.map((key) => found.get(key)?.[0] ?? null);
    }),
    childrenOn: new DataLoader<string, OrgUnit[]>(async (keys) => {
      const found = await unitsOn(em, 'parent_id', keys);
      return keys.map((key) => found.get(key) ?? []);
    }),
  };
}
