import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse } from './support/app';
import { ownerQuery } from './support/db';
import {
  RIGHTS,
  UNITS,
  mapLimit,
  within,
  type MatrixUnit,
} from './support/matrix';
import {
  ACCOUNTS,
  CONCURRENCY,
  account,
  buildWorld,
  caseCounter,
  expectNoLeak,
  expectOnly,
  revokeKeyName,
  unitOf,
  unitSecrets,
  where,
  type MatrixAccountSpec,
  type World,
} from './support/matrix-world';

/**
 * The access matrix (docs/access.md), generated: createApiKey and revokeApiKey, per role and
 * place. One of the topic files test/access-matrix-*.test.ts, each on its own world (accounts per
 * role and unit, sign-ins, targets, API keys) built by test/support/matrix-world.ts; the oracle is
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
  describe('createApiKey: only a CITY_ADMIN, only for a unit in its scope', () => {
    interface C { spec: MatrixAccountSpec; target: MatrixUnit; outcome: 'created' | 'notFound' | 'forbidden' }
    const list: C[] = ACCOUNTS.flatMap((spec) =>
      UNITS.map((target) => ({
        spec,
        target,
        outcome: !RIGHTS[spec.role].manage ? 'forbidden' : within(target, spec.unit) ? 'created' : 'notFound',
      })),
    );
    const nameOf = (c: C) => `matrix create ${c.spec.username} ${c.target}`;
    const responses = new Map<C, GraphQLResponse>();
    let made = new Map<string, { count: number; unitId: string }>();
    let before = 0;
    let after = 0;
    beforeAll(async () => {
      const count = async () => (await ownerQuery<{ n: number }>(world.t.db, `select count(*)::int as n from api_key`))[0].n;
      before = await count();
      await mapLimit(list, CONCURRENCY, async (c) => {
        responses.set(
          c,
          await world.t.gql(
            `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id role unit { id } } userErrors { code field } } }`,
            { input: { name: nameOf(c), role: 'REPORTER', unitId: unitOf(world, c.target).id } },
            account(world, c.spec).token,
          ),
        );
      });
      after = await count();
      const rows = await ownerQuery<{ name: string; n: number; unit_id: string }>(
        world.t.db,
        `select name, count(*)::int as n, min(unit_id)::text as unit_id from api_key where name like 'matrix create %' group by name`,
      );
      made = new Map(rows.map((r) => [r.name, { count: r.n, unitId: r.unit_id }]));
    });
    const words = { created: 'creates the key', notFound: 'gets a NOT_FOUND user error and creates nothing', forbidden: 'gets FORBIDDEN and creates nothing' };
    for (const c of list) {
      matrixCase(`${c.spec.who} creating an API key for ${where(c.target, c.spec)} ${words[c.outcome]}`, () => {
        const response = responses.get(c)!;
        const unit = unitOf(world, c.target);
        const row = made.get(nameOf(c));
        if (c.outcome === 'forbidden') {
          expectOnly(response.errors, 'FORBIDDEN');
          expect(response.data ?? null).toBeNull();
          expect(row).toBeUndefined();
        } else if (c.outcome === 'notFound') {
          // The unit exists, but outside scope it must look exactly like one that does not.
          expect(response.errors).toBeUndefined();
          expect(response.data.createApiKey).toEqual({ key: null, apiKey: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'unitId'] }] });
          expect(row).toBeUndefined();
          expectNoLeak(response, unitSecrets(unit));
        } else {
          expect(response.errors).toBeUndefined();
          const payload = response.data.createApiKey;
          expect(payload.userErrors).toEqual([]);
          expect(typeof payload.key).toBe('string');
          expect(payload.apiKey.role).toBe('REPORTER');
          expect(payload.apiKey.unit).toEqual({ id: unit.id });
          expect(row).toEqual({ count: 1, unitId: unit.id });
        }
      });
    }
    matrixCase('the api_key table grew by exactly the keys CITY_ADMINs were allowed to create', () => {
      expect(after - before).toBe(list.filter((c) => c.outcome === 'created').length);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('revokeApiKey: only a CITY_ADMIN, only for a key in its scope', () => {
    interface C { spec: MatrixAccountSpec; target: MatrixUnit; outcome: 'revoked' | 'notFound' | 'forbidden' }
    const all: C[] = ACCOUNTS.flatMap((spec) =>
      UNITS.map((target) => ({
        spec,
        target,
        outcome: !RIGHTS[spec.role].manage ? 'forbidden' : within(target, spec.unit) ? 'revoked' : 'notFound',
      })),
    );
    // Each case revokes its own key, so cases are independent and can run side by side.
    const responses = new Map<C, GraphQLResponse>();
    let revoked = new Set<string>();
    beforeAll(async () => {
      await mapLimit(all, CONCURRENCY, async (c) => {
        responses.set(
          c,
          await world.t.gql(
            `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id revokedAt unit { id } } userErrors { code field } } }`,
            { input: { id: world.revokeKeys.get(revokeKeyName(c.spec, c.target))! } },
            account(world, c.spec).token,
          ),
        );
      });
      const rows = await ownerQuery<{ name: string }>(
        world.t.db,
        `select name from api_key where name like 'matrix revoke %' and revoked_at is not null`,
      );
      revoked = new Set(rows.map((r) => r.name));
    });
    const words = { revoked: 'revokes it', notFound: 'gets a NOT_FOUND user error and revokes nothing', forbidden: 'gets FORBIDDEN and revokes nothing' };
    for (const c of all) {
      matrixCase(`${c.spec.who} revoking an API key of ${where(c.target, c.spec)} ${words[c.outcome]}`, () => {
        const response = responses.get(c)!;
        const name = revokeKeyName(c.spec, c.target);
        if (c.outcome === 'forbidden') {
          expectOnly(response.errors, 'FORBIDDEN');
          expect(response.data ?? null).toBeNull();
          expect(revoked.has(name)).toBe(false);
        } else if (c.outcome === 'notFound') {
          // Someone else's key looks exactly like a key that does not exist.
          expect(response.errors).toBeUndefined();
          expect(response.data.revokeApiKey).toEqual({ apiKey: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'] }] });
          expect(revoked.has(name)).toBe(false);
          expectNoLeak(response, unitSecrets(unitOf(world, c.target)));
        } else {
          expect(response.errors).toBeUndefined();
          const payload = response.data.revokeApiKey;
          expect(payload.userErrors).toEqual([]);
          expect(payload.apiKey).toMatchObject({ id: world.revokeKeys.get(name), unit: { id: unitOf(world, c.target).id } });
          expect(payload.apiKey.revokedAt).not.toBeNull();
          expect(revoked.has(name)).toBe(true);
        }
      });
    }
  });

  // -------------------------------------------------------------------------------------------
  // A floor, not the exact count: it fails if generation silently produces far fewer cases.
  it('ran at least 225 generated cases (90 % of the 251 this file generates today)', () => {
    expect(count()).toBeGreaterThanOrEqual(225);
  });
});
