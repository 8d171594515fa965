import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse } from './support/app';
import {
  RIGHTS,
  mapLimit,
  within,
} from './support/matrix';
import {
  ACCOUNTS,
  CONCURRENCY,
  PAGE,
  account,
  buildWorld,
  caseCounter,
  membersUnder,
  type MatrixAccountSpec,
  type World,
} from './support/matrix-world';

/**
 * The access matrix (docs/access.md), generated: member lists, page by page, per account. One of
 * the topic files test/access-matrix-*.test.ts, each on its own world (accounts per role and unit,
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
  describe('member lists: each account sees exactly its subtree, and ward ⊆ district ⊆ city', () => {
    const readers = ACCOUNTS.filter((spec) => RIGHTS[spec.role].records);
    const seen = new Map<MatrixAccountSpec, { totalCount: number; ids: string[]; errors: unknown[] }>();
    beforeAll(async () => {
      await mapLimit(readers, CONCURRENCY, async (spec) => {
        const ids: string[] = [];
        const errors: unknown[] = [];
        let totalCount = -1;
        let after: string | null = null;
        // Walk every page: a leak on page 17 is as bad as one on page 1.
        for (let guard = 0; guard < 1000; guard++) {
          const page: GraphQLResponse = await world.t.gql(
            `query($after: String) { members(first: ${PAGE}, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
            { after },
            account(world, spec).token,
          );
          if (page.errors) errors.push(...page.errors);
          if (!page.data?.members) break;
          totalCount = page.data.members.totalCount;
          ids.push(...page.data.members.edges.map((e: { node: { id: string } }) => e.node.id));
          if (!page.data.members.pageInfo.hasNextPage) break;
          after = page.data.members.pageInfo.endCursor;
        }
        seen.set(spec, { totalCount, ids, errors });
      });
    });

    for (const spec of readers) {
      matrixCase(`${spec.who} pages through exactly the members under ${spec.unit}, and totalCount says so`, () => {
        const { totalCount, ids, errors } = seen.get(spec)!;
        const expected = membersUnder(world, spec.unit);
        expect(errors).toEqual([]);
        expect(totalCount).toBe(expected.length);
        expect(new Set(ids).size).toBe(ids.length); // no member twice across pages
        expect([...ids].sort()).toEqual([...expected].sort());
      });
    }

    const pairs = readers.flatMap((outer) =>
      readers.filter((inner) => inner.unit !== outer.unit && within(inner.unit, outer.unit)).map((inner) => ({ outer, inner })),
    );
    for (const { outer, inner } of pairs) {
      matrixCase(`${inner.who} sees a subset of what ${outer.who} sees`, () => {
        const a = seen.get(inner)!;
        const b = seen.get(outer)!;
        expect(a.totalCount).toBeLessThanOrEqual(b.totalCount);
        const outerIds = new Set(b.ids);
        expect(a.ids.filter((id) => !outerIds.has(id))).toEqual([]);
      });
    }
  });


  // -------------------------------------------------------------------------------------------
  // A floor, not the exact count: it fails if generation silently produces far fewer cases.
  it('ran at least 104 generated cases (90 % of the 116 this file generates today)', () => {
    expect(count()).toBeGreaterThanOrEqual(104);
  });
});
