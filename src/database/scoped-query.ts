import type { EntityName } from '@mikro-orm/core';
import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';

/**
 * A QueryBuilder over a scoped entity with the request's filters (the scope predicate among
 * them) already applied. MikroORM applies filters to em.find() itself but not to a
 * QueryBuilder, so every hand-built query starts here.
 */
export async function scopedQuery<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  alias: string,
): Promise<{ qb: QueryBuilder<T> }> {
  const qb = em.createQueryBuilder(entity, alias);
  await qb.applyFilters();
  // Wrapped because a QueryBuilder is thenable: returning it bare would run it.
  return { qb };
}
