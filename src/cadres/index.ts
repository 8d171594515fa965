import type { EntityManager } from '@mikro-orm/postgresql';
import { requireAccount, type ServiceFactories } from '../access/context';
import { PlanningEntry, Post } from './cadre.entity';
import { cadrePreloads, createCadreLoaders, type CadreLoaders } from './cadres.loaders';
import { CadresResolver, PlanningEntryResolver, PostResolver } from './cadres.resolver';
import { cadreRules } from './cadre-rules';
import { CadresService } from './cadres.service';

/** Posts and planning: what this feature adds to the API. */
export const resolvers = [CadresResolver, PostResolver, PlanningEntryResolver] as const;
export const entities = [Post, PlanningEntry];
export const createLoaders = (em: EntityManager): CadreLoaders => createCadreLoaders(em);
export const preloads = cadrePreloads;

/** The configurable rules this feature reads from HOSO_RULES_FILE, by section (checked at start). */
export const ruleSections = { cadres: cadreRules };

export interface CadreServices {
  cadres: CadresService;
}
export const services: ServiceFactories<CadreServices> = {
  cadres: (ctx, em) => new CadresService(em, ctx.app.clock.today(), cadreRules(ctx.app.config), requireAccount(ctx), ctx.loaders),
};

declare module '../access/context' {
  interface Loaders extends CadreLoaders {}
  interface Services extends CadreServices {}
}
