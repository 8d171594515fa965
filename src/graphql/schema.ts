import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { AuthResolver } from '../accounts/auth.resolver';
import { MemberResolver } from '../members/members.resolver';
import { UnitResolver } from '../units/units.resolver';

export const resolvers = [AuthResolver, UnitResolver, MemberResolver] as const;

let schema: GraphQLSchema | undefined;

/** The executable schema, built once from the TypeGraphQL classes. */
export function buildAppSchema(): GraphQLSchema {
  schema ??= buildSchemaSync({ resolvers, validate: false });
  return schema;
}

/** The SDL committed as schema.graphql: sorted, so the diff of a change shows only what changed. */
export function printAppSchema(): string {
  return printSchema(lexicographicSortSchema(buildAppSchema())) + '\n';
}
