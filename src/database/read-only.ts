import type { EntityManager } from '@mikro-orm/postgresql';

/** How one column becomes a property: plain, a reference ({ id }), a timestamp (Date), or part of an embedded object. */
interface Column {
  column: string;
  property: string;
  kind: 'plain' | 'reference' | 'timestamp';
  /** For a column of an embedded object (e.g. a decision): the object's property and its class. */
  embedded?: { property: string; prototype: object };
}
const cache = new Map<string, Column[]>();

/** Column → property of an entity, read once from the ORM's metadata. */
export function columnsOf(em: EntityManager, entity: { name: string }): Column[] {
  let columns = cache.get(entity.name);
  if (!columns) {
    const meta = em.getMetadata().find(entity.name)!;
    columns = meta.props
      .filter((p) => p.fieldNames?.length === 1 && p.persist !== false && p.kind !== 'embedded')
      .map((p): Column => {
        const column: Column = {
          column: p.fieldNames[0],
          property: p.embedded ? p.embedded[1] : p.name,
          kind: p.kind === 'm:1' ? 'reference' : p.runtimeType === 'Date' ? 'timestamp' : 'plain',
        };
        if (p.embedded) {
          const owner = meta.properties[p.embedded[0]];
          column.embedded = { property: owner.name, prototype: (owner.embeddable as { prototype: object }).prototype };
        }
        return column;
      });
    cache.set(entity.name, columns);
  }
  return columns;
}

/**
 * The prototype read-only instances of a class are made from: the class's own prototype, under a
 * layer where each of the given properties is a plain writable value. MikroORM puts a setter per
 * property on an entity's prototype (change tracking: the first write builds the entity's helper
 * and moves the value into it); assigning a row's values through those setters made reading a
 * page cost more in the ORM than in the query. Under this layer a value assigned is a plain own
 * property of the instance, and the instance is still an instance of its class (its getters and
 * methods work, `instanceof` holds).
 */
const readOnlyPrototypes = new WeakMap<object, object>();

function readOnlyPrototype(prototype: object, properties: Iterable<string>): object {
  let layer = readOnlyPrototypes.get(prototype);
  if (!layer) {
    layer = Object.create(prototype) as object;
    for (const property of properties) {
      Object.defineProperty(layer, property, { value: null, writable: true, enumerable: false, configurable: true });
    }
    readOnlyPrototypes.set(prototype, layer);
  }
  return layer;
}

/** The read-only prototypes of an entity and of each of its embedded objects, by column. */
function readOnlyLayers(columns: Column[], prototype: object): { entity: object; embedded: Map<object, object> } {
  const own = new Set(['id']);
  const byEmbedded = new Map<object, Set<string>>();
  for (const { property, embedded } of columns) {
    if (!embedded) {
      own.add(property);
      continue;
    }
    own.add(embedded.property);
    if (!byEmbedded.has(embedded.prototype)) byEmbedded.set(embedded.prototype, new Set());
    byEmbedded.get(embedded.prototype)!.add(property);
  }
  return {
    entity: readOnlyPrototype(prototype, own),
    embedded: new Map([...byEmbedded].map(([embeddedPrototype, properties]) => [embeddedPrototype, readOnlyPrototype(embeddedPrototype, properties)])),
  };
}

const layersByEntity = new Map<string, { entity: object; embedded: Map<object, object> }>();

/**
 * A database row as a read-only instance of the entity class: plain properties, not tracked by
 * the unit of work. Used for lists and preloaded sub-records (full hydration was most of a page's
 * cost) and for records reconstructed as they were at an earlier instant. The row may come from
 * the driver or from JSON built in SQL (timestamps then arrive as text and become Dates).
 */
export function readOnlyFromRow<T extends object>(em: EntityManager, entity: { name: string; prototype: T }, row: Record<string, unknown>): T {
  const columns = columnsOf(em, entity);
  let layers = layersByEntity.get(entity.name);
  if (!layers) layersByEntity.set(entity.name, (layers = readOnlyLayers(columns, entity.prototype)));
  const instance = Object.create(layers.entity) as Record<string, unknown>;
  for (const { column, property, kind, embedded } of columns) {
    let value = row[column] ?? null;
    if (value !== null && kind === 'reference') value = { id: String(value) };
    else if (kind === 'timestamp' && typeof value === 'string') value = new Date(value);
    if (embedded) {
      const owner = (instance[embedded.property] ??= Object.create(layers.embedded.get(embedded.prototype)!)) as Record<string, unknown>;
      owner[property] = value;
    } else instance[property] = value;
  }
  if ('id' in row) instance.id = String(row.id);
  return instance as T;
}

/** The row an entity instance stands for (columns → values), the inverse of readOnlyFromRow. */
export function rowOf(em: EntityManager, entity: { name: string }, instance: object): Record<string, unknown> {
  const source = instance as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const { column, property, kind, embedded } of columnsOf(em, entity)) {
    const value = embedded ? (source[embedded.property] as Record<string, unknown> | null | undefined)?.[property] : source[property];
    row[column] = kind === 'reference' ? ((value as { id?: string } | null)?.id ?? null) : value;
  }
  return row;
}
