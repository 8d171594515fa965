import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNonNullType } from 'graphql';
import type { GraphQLResponse } from './support/app';
import { ownerQuery } from './support/db';
import {
  errorsAt,
  mapLimit,
} from './support/matrix';
import {
  CONCURRENCY,
  PAGE,
  QUERY,
  account,
  buildWorld,
  caseCounter,
  expectNoLeak,
  expectOnly,
  where,
  type World,
} from './support/matrix-world';
import {
  ROOT_CASES,
  describeExpected,
  resolveTarget,
  rootQuery,
  type Expected,
  type RootCase,
} from './support/matrix-roots';

/**
 * The access matrix (docs/access.md), generated: every root field, per role and place. One of the
 * topic files test/access-matrix-*.test.ts, each on its own world (accounts per role and unit,
 * sign-ins, targets, API keys) built by test/support/matrix-world.ts; the oracle is
 * test/support/matrix.ts, the root-field calls test/support/matrix-roots.ts.
 */

const { matrixCase, count } = caseCounter();

describe('access matrix (docs/access.md), generated from the schema', () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld();
  });
  afterAll(() => world?.close());

  // -------------------------------------------------------------------------------------------
  describe('root fields: role first, then scope; out of scope is indistinguishable from absent', () => {
    let responses: Map<RootCase, GraphQLResponse>;
    let expectations: Map<RootCase, Expected>;
    const aliasOf = new Map<RootCase, string>();
    beforeAll(async () => {
      world.transfersNow = await ownerQuery<{ id: string; from_code: string; to_code: string }>(
        world.t.db,
        `select t.id::text, f.code as from_code, d.code as to_code from transfer t
           join org_unit f on f.id = t.from_unit_id join org_unit d on d.id = t.to_unit_id`,
      );
      world.apiKeysNow = await ownerQuery<{ id: string; code: string }>(
        world.t.db,
        `select k.id::text, u.code from api_key k join org_unit u on u.id = k.unit_id`,
      );
      responses = new Map();
      expectations = new Map();
      // Variants of a nullable root field for one account and target share a request: an error
      // in one alias leaves the others alone. A non-null root (a connection) gets a request of
      // its own, since its error nulls the whole response and hides the other aliases' errors.
      const groups = new Map<string, RootCase[]>();
      for (const [i, c] of ROOT_CASES.entries()) {
        const shareable = !isNonNullType(QUERY.getFields()[c.variant.root].type);
        const key = shareable ? `${c.spec.username}|${c.variant.root}|${c.target}` : String(i);
        groups.set(key, [...(groups.get(key) ?? []), c]);
      }
      await mapLimit([...groups.values()], CONCURRENCY, async (group) => {
        const calls = group.map((c, i) => {
          const target = resolveTarget(world, c.variant, c.target);
          expectations.set(c, c.variant.expected(world, account(world, c.spec), target));
          aliasOf.set(c, `r${i}`);
          return { alias: `r${i}`, root: c.variant.root, args: c.variant.args(target) };
        });
        const { query, variables } = rootQuery(calls);
        const response = await world.t.gql(query, variables, account(world, group[0].spec).token);
        for (const c of group) responses.set(c, response);
      });
    });
    for (const c of ROOT_CASES) {
      const about = c.target ? ` for ${where(c.target, c.spec)}` : '';
      matrixCase(`${c.spec.who} calling ${c.variant.label}${about} gets ${describeExpected(c.spec, c.variant, c.target)}`, () => {
        const response = responses.get(c)!;
        const expected = expectations.get(c)!;
        const alias = aliasOf.get(c)!;
        const data = response.data?.[alias] ?? null;
        const errors = errorsAt(response, alias);
        const outcome = c.variant.outcome(c.spec, c.target);
        const secrets = c.variant.secrets(resolveTarget(world, c.variant, c.target));
        if (outcome === 'forbidden') {
          expectOnly(errors, 'FORBIDDEN');
          expect(data).toBeNull();
          expectNoLeak(response, secrets);
          return;
        }
        expect(errors).toEqual([]);
        if ('one' in expected) {
          expect(data?.id ?? null).toBe(expected.one);
          if (expected.one === null) expectNoLeak(response, secrets);
        } else {
          const ids: string[] = data.edges.map((e: { node: { id: string } }) => e.node.id);
          const allowedIds = new Set(expected.many);
          expect(data.totalCount).toBe(expected.many.length);
          expect(ids.length).toBe(Math.min(PAGE, expected.many.length));
          expect(ids.filter((id) => !allowedIds.has(id)), 'ids outside what the account may see').toEqual([]);
          if (expected.many.length === 0) expectNoLeak(response, secrets);
        }
        // The oracle's static outcome (in the case name) agrees with the computed ids.
        const empty = 'one' in expected ? expected.one === null : expected.many.length === 0;
        if (outcome === 'absent') expect(empty).toBe(true);
      });
    }
  });


  // -------------------------------------------------------------------------------------------
  // A floor, not the exact count: it fails if generation silently produces far fewer cases.
  it('ran at least 1,012 generated cases (90 % of the 1,125 this file generates today)', () => {
    expect(count()).toBeGreaterThanOrEqual(1012);
  });
});
