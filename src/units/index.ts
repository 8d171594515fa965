import type { EntityManager } from '@mikro-orm/postgresql';
import { requireAccount, type ServiceFactories } from '../access/context';
import { OrgUnit } from './org-unit.entity';
import { createUnitLoaders, type UnitLoaders } from './units.loaders';
import { UnitResolver } from './units.resolver';
import { UnitsService } from './units.service';
import { ReorganisationResolver } from './reorganisation.resolver';
import { ReorganisationService } from './reorganisation.service';

/** The unit tree: what this feature adds to the API. */
export const resolvers = [UnitResolver, ReorganisationResolver] as const;
export const entities = [OrgUnit];
export const createLoaders = (em: EntityManager): UnitLoaders => createUnitLoaders(em);

export interface UnitServices {
  units: UnitsService;
  reorganisation: ReorganisationService;
}
export const services: ServiceFactories<UnitServices> = {
  units: (ctx, em) => new UnitsService(em, ctx.loaders),
  reorganisation: (ctx, em) => new ReorganisationService(em, requireAccount(ctx), ctx.app.clock.today()),
};

declare module '../access/context' {
  interface Loaders extends UnitLoaders {}
  interface Services extends UnitServices {}
}

export { queryExamples } from './units.queries';
export { reorganisationQueryExamples } from './reorganisation.queries';
