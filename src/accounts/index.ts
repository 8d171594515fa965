import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceFactories } from '../access/context';
import { Account } from './account.entity';
import { createAccountLoaders, type AccountLoaders } from './accounts.loaders';
import { ApiKey } from './api-key.entity';
import { ApiKeyResolver } from './api-keys.resolver';
import { ApiKeysService } from './api-keys.service';
import { AuthResolver } from './auth.resolver';

/** Accounts, login and API keys: what this feature adds to the API. */
export const resolvers = [AuthResolver, ApiKeyResolver] as const;
export const entities = [Account, ApiKey];
export const createLoaders = (em: EntityManager): AccountLoaders => createAccountLoaders(em);

export interface AccountServices {
  apiKeys: ApiKeysService;
}
export const services: ServiceFactories<AccountServices> = {
  apiKeys: (ctx, em) => new ApiKeysService(em, ctx.account),
};

declare module '../access/context' {
  interface Loaders extends AccountLoaders {}
  interface Services extends AccountServices {}
}
