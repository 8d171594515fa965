import type { NonEmptyArray } from 'type-graphql';
import * as accounts from '../accounts';
import * as audit from '../audit';
import * as cadres from '../cadres';
import * as catalogues from '../catalogues';
import * as members from '../members';
import * as reports from '../reports';
import * as transfers from '../transfers';
import * as units from '../units';

/**
 * Every feature, each through its index.ts: the one place the API is assembled from them.
 * The order is the schema's resolver order and the order of MikroORM's entity list.
 */
export const FEATURES = [accounts, catalogues, units, members, transfers, cadres, audit, reports] as const;

/** Every resolver class, for the schema. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers = FEATURES.flatMap((feature) => [...feature.resolvers]) as unknown as NonEmptyArray<Function>;

/** Every MikroORM entity, listed (never discovered by path). */
export const entities = FEATURES.flatMap((feature) => ('entities' in feature ? [...feature.entities] : []));
