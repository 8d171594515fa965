import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse } from './support/app';
import { ownerQuery } from './support/db';
import {
  UNITS,
  mapLimit,
} from './support/matrix';
import {
  CONCURRENCY,
  buildWorld,
  caseCounter,
  expectNoLeak,
  expectOnly,
  unitOf,
  unitSecrets,
  type World,
} from './support/matrix-world';
import {
  ROOT_VARIANTS,
  resolveTarget,
  rootQuery,
} from './support/matrix-roots';

/**
 * The access matrix (docs/access.md), generated: without a token. One of the topic files
 * test/access-matrix-*.test.ts, each on its own world (accounts per role and unit, sign-ins,
 * targets, API keys) built by test/support/matrix-world.ts; the oracle is test/support/matrix.ts,
 * the root-field calls test/support/matrix-roots.ts.
 */

const { matrixCase, count } = caseCounter();

describe('access matrix (docs/access.md), generated from the schema', () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld();
  });
  afterAll(() => world?.close());

  // -------------------------------------------------------------------------------------------
  describe('without a token every root field answers UNAUTHENTICATED and changes nothing', () => {
    interface C { label: string; query: string; variables: Record<string, unknown>; secrets: (string | null)[] }
    const list: C[] = [];
    // Built once the world exists (targets need ids); the titles are known now.
    const titles: { label: string; make: () => C }[] = [];
    for (const variants of Object.values(ROOT_VARIANTS)) {
      for (const variant of variants) {
        for (const target of variant.target === 'none' ? [null] : [...UNITS]) {
          const label = `${variant.label}${target ? ` for ${target}` : ''}`;
          titles.push({
            label,
            make: () => {
              const t = resolveTarget(world, variant, target);
              return { label, ...rootQuery([{ alias: 'r', root: variant.root, args: variant.args(t) }]), secrets: variant.secrets(t) };
            },
          });
        }
      }
    }
    for (const target of UNITS) {
      titles.push({
        label: `createApiKey for ${target}`,
        make: () => ({
          label: `createApiKey for ${target}`,
          query: `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } userErrors { code } } }`,
          variables: { input: { name: `matrix anonymous create ${target}`, role: 'CITY_ADMIN', unitId: unitOf(world, target).id } },
          secrets: unitSecrets(unitOf(world, target)),
        }),
      });
      titles.push({
        label: `revokeApiKey of a key of ${target}`,
        make: () => ({
          label: `revokeApiKey of a key of ${target}`,
          query: `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id revokedAt } userErrors { code } } }`,
          variables: { input: { id: world.anonymousKeys.get(target)! } },
          secrets: unitSecrets(unitOf(world, target)),
        }),
      });
    }
    const responses = new Map<string, GraphQLResponse>();
    let anonymousKeys = -1;
    let revokedKeys = -1;
    beforeAll(async () => {
      list.push(...titles.map((t) => t.make()));
      await mapLimit(list, CONCURRENCY, async (c) => {
        responses.set(c.label, await world.t.gql(c.query, c.variables, null));
      });
      [{ anonymousKeys, revokedKeys }] = await ownerQuery<{ anonymousKeys: number; revokedKeys: number }>(
        world.t.db,
        `select (select count(*)::int from api_key where name like 'matrix anonymous create %') as "anonymousKeys",
                (select count(*)::int from api_key where name like 'matrix anonymous revoke %' and revoked_at is not null) as "revokedKeys"`,
      );
    });
    for (const { label } of titles) {
      matrixCase(`an anonymous caller of ${label} gets UNAUTHENTICATED and no data`, () => {
        const c = list.find((x) => x.label === label)!;
        const response = responses.get(label)!;
        expectOnly(response.errors, 'UNAUTHENTICATED');
        expect(response.data ?? null).toBeNull();
        expectNoLeak(response, c.secrets);
      });
    }
    matrixCase('anonymous mutations created and revoked no API key', () => {
      expect(anonymousKeys).toBe(0);
      expect(revokedKeys).toBe(0);
    });
  });


  // -------------------------------------------------------------------------------------------
  // A floor, not the exact count: it fails if generation silently produces far fewer cases.
  it('ran at least 50 generated cases (90 % of the 56 this file generates today)', () => {
    expect(count()).toBeGreaterThanOrEqual(50);
  });
});
