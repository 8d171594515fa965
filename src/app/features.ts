import type { NonEmptyArray } from 'type-graphql';
import { ConfigError, type Config } from '../config';
import type { Loaders } from '../access/context';
import type { Preload } from '../graphql/preload';
import * as accounts from '../accounts';
import * as audit from '../audit';
import * as cadres from '../cadres';
import * as catalogues from '../catalogues';
import * as dataQuality from '../data-quality';
import * as imports from '../imports';
import * as members from '../members';
import * as reports from '../reports';
import * as transfers from '../transfers';
import * as units from '../units';

/**
 * Every feature, each through its index.ts: the one place the API is assembled from them.
 * The order is the schema's resolver order and the order of MikroORM's entity list.
 */
export const FEATURES = [accounts, catalogues, units, members, transfers, cadres, audit, reports, dataQuality, imports] as const;

/** Every resolver class, for the schema. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers = FEATURES.flatMap((feature) => [...feature.resolvers]) as unknown as NonEmptyArray<Function>;

/** Every MikroORM entity, listed (never discovered by path). */
export const entities = FEATURES.flatMap((feature) => ('entities' in feature ? [...feature.entities] : []));

/** Every feature's preloads: fields whose values come with their parent's statement (graphql/preload.ts). */
export const preloads: readonly Preload<Loaders>[] = FEATURES.flatMap((feature) => ('preloads' in feature ? [...(feature.preloads as readonly Preload<Loaders>[])] : []));

/**
 * Reads every section of HOSO_RULES_FILE through the feature that owns it, so a bad figure, an
 * unknown key or an unknown section stops the start instead of the first request that needs it.
 */
export function checkRuleSettings(config: Pick<Config, 'ruleOverrides'>): void {
  const sections = new Map<string, (config: Pick<Config, 'ruleOverrides'>) => unknown>();
  for (const feature of FEATURES) {
    if ('ruleSections' in feature) for (const [name, read] of Object.entries(feature.ruleSections)) sections.set(name, read);
  }
  for (const name of Object.keys(config.ruleOverrides)) {
    if (!sections.has(name)) throw new ConfigError(`HOSO_RULES_FILE has no section "${name}" (known: ${[...sections.keys()].join(', ')}).`);
  }
  for (const read of sections.values()) read(config);
}
