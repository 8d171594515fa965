import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { applyShield } from '../access/shield';
import { applyInputLimits } from '../graphql/input-limits';
import { resolvers } from './features';

export { resolvers };

let bare: GraphQLSchema | undefined;
let shielded: GraphQLSchema | undefined;

/** The schema as the TypeGraphQL classes declare it, without permissions (for printing and tests). */
export function buildBareSchema(): GraphQLSchema {
  bare ??= applyInputLimits(buildSchemaSync({ resolvers, validate: false }));
  return bare;
}

/** The executable schema: the classes with the permissions of access/permissions.ts enforced by graphql-shield. */
export function buildAppSchema(): GraphQLSchema {
  // graphql-shield over the rules of PERMISSIONS (access/shield.ts); applyShield returns a new schema.
  shielded ??= applyShield(buildBareSchema());
  return shielded;
}

/** The SDL committed as schema.graphql: sorted, so the diff of a change shows only what changed. */
export function printAppSchema(): string {
  return printSchema(lexicographicSortSchema(buildBareSchema())) + '\n';
}
