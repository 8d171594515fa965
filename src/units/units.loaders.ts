import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { OrgUnit } from './org-unit.entity';

/** Per-request batching of unit look-ups; the scope filter applies, so an out-of-scope unit loads as null. */
export interface UnitLoaders {
  unitById: DataLoader<string, OrgUnit | null>;
  /** All children in scope of each unit, ordered by code (a unit has tens of children, not thousands). */
  childrenOf: DataLoader<string, OrgUnit[]>;
}

export function createUnitLoaders(em: EntityManager): UnitLoaders {
  return {
    unitById: new DataLoader<string, OrgUnit | null>(async (ids) => {
      const units = await em.find(OrgUnit, { id: { $in: [...ids] } });
      const byId = new Map(units.map((u) => [u.id, u]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    childrenOf: new DataLoader<string, OrgUnit[]>(async (parentIds) => {
      const units = await em.find(OrgUnit, { parent: { $in: [...parentIds] } }, { orderBy: { code: 'asc' } });
      const byParent = new Map<string, OrgUnit[]>(parentIds.map((id) => [id, []]));
      for (const unit of units) byParent.get(unit.parent!.id)?.push(unit);
      return parentIds.map((id) => byParent.get(id)!);
    }),
  };
}
