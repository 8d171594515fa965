import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { Account } from './account.entity';

/** Accounts by id, batched per request; scoped like everything else (null outside scope). */
export interface AccountLoaders {
  accountById: DataLoader<string, Account | null>;
}

export function createAccountLoaders(em: EntityManager): AccountLoaders {
  return {
    accountById: new DataLoader(async (ids) => {
      const accounts = await em.find(Account, { id: { $in: [...ids] } });
      const byId = new Map(accounts.map((a) => [a.id, a]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
