import type { EntityManager } from '@mikro-orm/postgresql';

type Column = readonly [column: string, property: string, reference: boolean];
const cache = new Map<string, Column[]>();

/** Column → property of an entity (and whether it is a reference), read once from the ORM's metadata. */
export function columnsOf(em: EntityManager, entity: { name: string }): Column[] {
  let columns = cache.get(entity.name);
  if (!columns) {
    columns = em
      .getMetadata()
      .find(entity.name)!
      .props.filter((p) => p.fieldNames?.length === 1 && p.persist !== false)
      .map((p) => [p.fieldNames[0], p.name, p.kind === 'm:1'] as const);
    cache.set(entity.name, columns);
  }
  return columns;
}

/**
 * A database row as a read-only instance of the entity class: plain properties, not tracked by
 * the unit of work. Used for lists (full hydration was most of a page's cost) and for records
 * reconstructed as they were at an earlier instant.
 */
export function readOnlyFromRow<T extends object>(em: EntityManager, entity: { name: string; prototype: T }, row: Record<string, unknown>): T {
  const instance = Object.create(entity.prototype) as Record<string, unknown>;
  for (const [column, property, reference] of columnsOf(em, entity)) {
    const value = row[column];
    instance[property] = reference ? (value === null || value === undefined ? null : { id: String(value) }) : value === undefined ? null : value;
  }
  if ('id' in row) instance.id = String(row.id);
  return instance as T;
}

/** The row an entity instance stands for (columns → values), the inverse of readOnlyFromRow. */
export function rowOf(em: EntityManager, entity: { name: string }, instance: object): Record<string, unknown> {
  const source = instance as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const [column, property, reference] of columnsOf(em, entity)) {
    const value = source[property];
    row[column] = reference ? ((value as { id?: string } | null)?.id ?? null) : value;
  }
  return row;
}
