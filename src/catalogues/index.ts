import { CatalogueResolver } from './catalogues.resolver';

/** The reference catalogues: what this feature adds to the API (no entities, loaders or services). */
export const resolvers = [CatalogueResolver] as const;
