import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { SCOPE_FILTER, type Scope } from '../access/scope';
import { readOnlyFromRow } from '../database/read-only';
import { runStatement } from '../database/sql';
import { unitsSql } from './units.queries';
import { OrgUnit } from './org-unit.entity';
import { isId } from '../graphql/ids';

/** Per-request batching of unit look-ups, in scope, so an out-of-scope unit loads as null. */
export interface UnitLoaders {
  unitById: DataLoader<string, OrgUnit | null>;
  /** All children in scope of each unit, ordered by code (a unit has tens of children, not thousands). */
  childrenOf: DataLoader<string, OrgUnit[]>;
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
async function unitsWhere(em: EntityManager, by: 'id' | 'parent_id', ids: readonly string[]): Promise<OrgUnit[]> {
  const scope = em.getFilterParams<Scope>(SCOPE_FILTER);
  if (!scope?.path) throw new Error('No scope entered for this request');
  const rows = await runStatement(em, unitsSql(by), [`{${ids.join(',')}}`, scope.path]);
  return rows.map((row) => unitFromRow(em, row));
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
  };
}
