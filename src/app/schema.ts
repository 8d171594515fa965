import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { applyPermissions } from '../access/guard';
import { applyInputLimits } from '../graphql/input-limits';
import { resolvers } from './features';

export { resolvers };

let bare: GraphQLSchema | undefined;
let guarded: GraphQLSchema | undefined;

/** The schema as the TypeGraphQL classes declare it, without permissions (for printing and tests). */
export function buildBareSchema(): GraphQLSchema {
  bare ??= applyInputLimits(buildSchemaSync({ resolvers, validate: false }));
  return bare;
}

/** The executable schema: the classes with the permissions of access/permissions.ts enforced. */
export function buildAppSchema(): GraphQLSchema {
  // A schema of its own: the guard wraps resolvers in place.
  guarded ??= applyPermissions(applyInputLimits(buildSchemaSync({ resolvers, validate: false })));
  return guarded;
}

/** The SDL committed as schema.graphql: sorted, so the diff of a change shows only what changed. */
export function printAppSchema(): string {
  return printSchema(lexicographicSortSchema(buildBareSchema())) + '\n';
}
