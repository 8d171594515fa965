import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceFactories } from '../access/context';
import { OrgUnit } from './org-unit.entity';
import { createUnitLoaders, type UnitLoaders } from './units.loaders';
import { UnitResolver } from './units.resolver';
import { UnitsService } from './units.service';

/** The unit tree: what this feature adds to the API. */
export const resolvers = [UnitResolver] as const;
export const entities = [OrgUnit];
export const createLoaders = (em: EntityManager): UnitLoaders => createUnitLoaders(em);

export interface UnitServices {
  units: UnitsService;
}
export const services: ServiceFactories<UnitServices> = {
  units: (_ctx, em) => new UnitsService(em),
};

declare module '../access/context' {
  interface Loaders extends UnitLoaders {}
  interface Services extends UnitServices {}
}

export { queryExamples } from './units.queries';
