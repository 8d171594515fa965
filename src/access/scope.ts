import { raw, type Filter } from '@mikro-orm/core';

type FilterDef = Parameters<typeof Filter>[0];

/**
 * An account's scope: the ltree path of its unit. Everything it reads or changes lies in
 * that unit's subtree (docs/access.md, "Scope").
 */
export interface Scope {
  /** Path of the account's unit, e.g. "1.3.40". */
  path: string;
}

/** Whether a unit path lies in the scope (the same test as ltree's `path <@ scope`). */
export function withinScope(path: string, scope: Scope): boolean {
  return path === scope.path || path.startsWith(`${scope.path}.`);
}

/** Name of the MikroORM filter that carries the scope; set per request with em.setFilterParams. */
export const SCOPE_FILTER = 'scope';

/**
 * The one scope predicate, as SQL over a path column: the column lies in the subtree of the path
 * bound to its `?` (the scope's). The ORM's filter below and the statements of the queries files
 * both write it with this.
 */
export function scopeSql(pathColumn: string): string {
  return `${pathColumn} <@ ?::ltree`;
}

/**
 * The scope predicate as a MikroORM filter. Entities with a path column declare it with this filter; it is on by
 * default and takes the request's scope as its argument, so a query made without a scope fails
 * ("No arguments provided for filter 'scope'") instead of reading everything.
 */
export function scopeFilter(pathColumn: string): FilterDef {
  return {
    name: SCOPE_FILTER,
    default: true,
    cond: (args: Scope) => ({
      [raw((alias: string) => scopeSql(`${alias}.${pathColumn}`), [args.path])]: [],
    }),
  };
}

/** The same predicate for records that belong to a unit but have no path of their own (accounts, API keys). */
export function scopeFilterByUnit(unitColumn: string): FilterDef {
  return {
    name: SCOPE_FILTER,
    default: true,
    cond: (args: Scope) => ({
      [raw((alias: string) => `${alias}.${unitColumn} in (select id from org_unit where path <@ ?::ltree)`, [args.path])]: [],
    }),
  };
}

/** The same predicate for the parts of a member's file (periods, sub-records): through the member. */
export function scopeFilterByMember(memberColumn: string): FilterDef {
  return {
    name: SCOPE_FILTER,
    default: true,
    cond: (args: Scope) => ({
      [raw((alias: string) => `${alias}.${memberColumn} in (select id from member where unit_path <@ ?::ltree)`, [args.path])]: [],
    }),
  };
}

/** For records with two ends (transfers): visible where either end lies in scope. */
export function scopeFilterEitherEnd(fromColumn: string, toColumn: string): FilterDef {
  return {
    name: SCOPE_FILTER,
    default: true,
    cond: (args: Scope) => ({
      // ltree[] <@ ltree: does either path lie under the scope (one parameter, used once).
      [raw((alias: string) => `array[${alias}.${fromColumn}, ${alias}.${toColumn}] <@ ?::ltree`, [args.path])]: [],
    }),
  };
}

/**
 * For cadre records: the member in scope, and the managing unit's level at or below the
 * account's unit, so a post managed by the city is seen only by city accounts.
 */
export function scopeFilterManaged(memberColumn: string, managedPathColumn: string): FilterDef {
  return {
    name: SCOPE_FILTER,
    default: true,
    cond: (args: Scope) => ({
      [raw(
        (alias: string) =>
          `${alias}.${managedPathColumn} <@ ?::ltree and ${alias}.${memberColumn} in (select id from member where unit_path <@ ?::ltree)`,
        [args.path, args.path],
      )]: [],
    }),
  };
}
