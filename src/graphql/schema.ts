import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { ApiKeyResolver } from '../accounts/api-keys.resolver';
import { AuthResolver } from '../accounts/auth.resolver';
import { applyPermissions } from '../access/guard';
import { AuditResolver, MemberHistoryResolver } from '../audit/audit.resolver';
import { CadresResolver, PostResolver } from '../cadres/cadres.resolver';
import { CatalogueResolver } from '../catalogues/catalogues.resolver';
import { MemberMutationsResolver } from '../members/member-mutations.resolver';
import { MemberResolver, MemberUnitPeriodResolver } from '../members/members.resolver';
import { SubRecordsResolver } from '../members/sub-records.resolver';
import { ReportsResolver } from '../reports/reports.resolver';
import { TransferResolver } from '../transfers/transfers.resolver';
import { UnitResolver } from '../units/units.resolver';
import { applyInputLimits } from './input-limits';

export const resolvers = [
  AuthResolver,
  ApiKeyResolver,
  CatalogueResolver,
  UnitResolver,
  MemberResolver,
  MemberUnitPeriodResolver,
  MemberMutationsResolver,
  SubRecordsResolver,
  TransferResolver,
  CadresResolver,
  PostResolver,
  AuditResolver,
  MemberHistoryResolver,
  ReportsResolver,
] as const;

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
