import type { EntityManager } from '@mikro-orm/postgresql';
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  type FieldNode,
  type FragmentSpreadNode,
  type GraphQLResolveInfo,
  type InlineFragmentNode,
} from 'graphql';

/**
 * A field whose value can travel with its parent's own statement.
 *
 * A member read with its unit, posts, awards and ratings would cost a statement for the member
 * and one per list (each list's DataLoader batches over members, not over lists). Instead, the
 * resolver that reads the members looks at what the query asks under them (`selectedFields`),
 * adds each asked field's `sql` to its one statement as a JSON column, and hands the values to
 * the field's DataLoader (`prime`); the field's resolver then finds them there and sends nothing.
 * A field asked in a way its preload does not cover simply loads as before.
 *
 * Each feature declares the preloads of the fields it answers (its `preloads` export, SQL in its
 * queries file); the composition root gathers them. Row-level security binds the preload's
 * subquery as it binds any statement of the request.
 */
export interface Preload<L> {
  /** The parent type, e.g. `Member`. */
  type: string;
  /** Names the preload's column (unique per type), e.g. `posts`. */
  name: string;
  /** The fields of the type whose resolvers read the loader it primes (any one asked brings it). */
  fields: readonly string[];
  /** An SQL expression, without parameters, giving the field's rows as JSON for the parent row of alias `parent`. */
  sql(parent: string): string;
  /** Gives the parent's value (the JSON, parsed) to the loader the field's resolver reads. */
  prime(loaders: L, em: EntityManager, parentId: string, value: unknown): void;
}

/** The preloads of `type` one of whose fields is among `fields`, in a stable order (the statement's text depends on it). */
export function preloadsFor<L>(all: readonly Preload<L>[], type: string, fields: ReadonlySet<string>): Preload<L>[] {
  return all.filter((p) => p.type === type && p.fields.some((f) => fields.has(f))).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The column alias a preload's JSON comes back under. */
export function preloadColumn(preload: { name: string }): string {
  return `preload_${preload.name}`;
}

/** Primes each preload's loader with the value its column brought for one parent row. */
export function primePreloads<L>(preloads: readonly Preload<L>[], loaders: L, em: EntityManager, parentId: string, row: Record<string, unknown>): void {
  for (const preload of preloads) preload.prime(loaders, em, parentId, row[preloadColumn(preload)]);
}

/** The SQL of the preloads as extra columns of a select over the parent alias. */
export function preloadColumnsSql(preloads: readonly Preload<unknown>[], parent: string): string {
  return preloads.map((p) => `,\n       ${p.sql(parent)} as "${preloadColumn(p)}"`).join('');
}

function included(node: FieldNode | FragmentSpreadNode | InlineFragmentNode, variables: GraphQLResolveInfo['variableValues']): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

function childFields(nodes: readonly FieldNode[], info: Pick<GraphQLResolveInfo, 'fragments' | 'variableValues'>): FieldNode[] {
  const fields: FieldNode[] = [];
  const visit = (selections: readonly (FieldNode | FragmentSpreadNode | InlineFragmentNode)[] | undefined) => {
    for (const selection of selections ?? []) {
      if (!included(selection, info.variableValues)) continue;
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet.selections);
      else visit(info.fragments[selection.name.value]?.selectionSet.selections);
    }
  };
  for (const node of nodes) visit(node.selectionSet?.selections);
  return fields;
}

/**
 * The names of the fields the query selects on the object reached from the resolver's field by
 * `path` (e.g. ['edges', 'node'] for the items of a connection), through fragments, honouring
 * @skip and @include.
 */
export function selectedFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments' | 'variableValues'>, path: readonly string[] = []): Set<string> {
  let nodes: readonly FieldNode[] = info.fieldNodes;
  for (const step of path) nodes = childFields(nodes, info).filter((node) => node.name.value === step);
  return new Set(childFields(nodes, info).map((node) => node.name.value));
}
