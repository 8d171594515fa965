import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { OrgUnit } from './org-unit.entity';

/** Per-request batching of unit look-ups; the scope filter applies, so an out-of-scope unit loads as null. */
export interface UnitLoaders {
  unitById: DataLoader<string, OrgUnit | null>;
}

export function createUnitLoaders(em: EntityManager): UnitLoaders {
  return {
    unitById: new DataLoader<string, OrgUnit | null>(async (ids) => {
      const units = await em.find(OrgUnit, { id: { $in: [...ids] } });
      const byId = new Map(units.map((u) => [u.id, u]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
