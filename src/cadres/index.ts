import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceFactories } from '../access/context';
import { PlanningEntry, Post } from './cadre.entity';
import { createCadreLoaders, type CadreLoaders } from './cadres.loaders';
import { CadresResolver, PostResolver } from './cadres.resolver';
import { CadresService } from './cadres.service';

/** Posts and planning: what this feature adds to the API. */
export const resolvers = [CadresResolver, PostResolver] as const;
export const entities = [Post, PlanningEntry];
export const createLoaders = (em: EntityManager): CadreLoaders => createCadreLoaders(em);

export interface CadreServices {
  cadres: CadresService;
}
export const services: ServiceFactories<CadreServices> = {
  cadres: (ctx, em) => new CadresService(em, ctx.app.clock.today()),
};

declare module '../access/context' {
  interface Loaders extends CadreLoaders {}
  interface Services extends CadreServices {}
}
