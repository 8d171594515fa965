import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserError } from './errors';

class RollbackWithUserErrors<T> extends Error {
  constructor(readonly payload: T) {
    super('rolled back because of user errors');
  }
}

/**
 * Runs one mutation in its own savepoint inside the request's transaction: if it returns user
 * errors or throws, everything it wrote is undone, so "a user error changes nothing" holds
 * for every mutation, whatever it did before finding the error.
 */
export async function mutation<T extends { userErrors: UserError[] }>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await em.transactional(async (tx) => {
      const payload = await work(tx);
      if (payload.userErrors.length) throw new RollbackWithUserErrors(payload);
      return payload;
    });
  } catch (error) {
    if (error instanceof RollbackWithUserErrors) return error.payload as T;
    throw error;
  }
}
