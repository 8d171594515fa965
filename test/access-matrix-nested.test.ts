import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse } from './support/app';
import {
  OUTCOME_WORDS,
  RIGHTS,
  UNITS,
  mapLimit,
  within,
  type MatrixUnit,
  type Outcome,
} from './support/matrix';
import {
  ACCOUNTS,
  CONCURRENCY,
  PAGE,
  account,
  buildWorld,
  caseCounter,
  expectNoLeak,
  expectOnly,
  memberSecrets,
  membersUnder,
  unitOf,
  unitSecrets,
  where,
  type MatrixAccountSpec,
  type World,
} from './support/matrix-world';

/**
 * The access matrix (docs/access.md), generated: nested paths stay in scope. One of the topic
 * files test/access-matrix-*.test.ts, each on its own world (accounts per role and unit, sign-ins,
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
  describe('nested paths stay in scope: member.unit.parent, unit.members, member.unit.members, me.unit.parent', () => {
    const CHAIN = `query($id: ID) { member(id: $id) { unit { id parent { id parent { id parent { id } } } } } }`;
    const UNIT_MEMBERS = `query($id: ID) { unit(id: $id) { members(first: ${PAGE}) { totalCount edges { node { id unit { code } } } } } }`;
    const MEMBER_UNIT_MEMBERS = `query($id: ID) { member(id: $id) { unit { code members(first: ${PAGE}) { totalCount edges { node { id unit { code } } } } } } }`;
    const ME_PARENT = `{ me { unit { id parent { id name } } } }`;

    interface C { kind: 'chain' | 'unitMembers' | 'memberUnitMembers'; spec: MatrixAccountSpec; target: MatrixUnit }
    const list: C[] = (['chain', 'unitMembers', 'memberUnitMembers'] as const).flatMap((kind) =>
      ACCOUNTS.flatMap((spec) => UNITS.map((target) => ({ kind, spec, target }))),
    );
    let responses: Map<C, GraphQLResponse>;
    let meResponses: Map<MatrixAccountSpec, GraphQLResponse>;
    beforeAll(async () => {
      responses = new Map();
      await mapLimit(list, CONCURRENCY, async (c) => {
        const query = c.kind === 'chain' ? CHAIN : c.kind === 'unitMembers' ? UNIT_MEMBERS : MEMBER_UNIT_MEMBERS;
        const id = c.kind === 'unitMembers' ? unitOf(world, c.target).id : world.targets.get(c.target)!.id;
        responses.set(c, await world.t.gql(query, { id }, account(world, c.spec).token));
      });
      meResponses = new Map();
      await mapLimit(ACCOUNTS, CONCURRENCY, async (spec) => {
        meResponses.set(spec, await world.t.gql(ME_PARENT, {}, account(world, spec).token));
      });
    });

    /** The unit chain as an account in `scopeCode` must see it: each level present only in scope. */
    function chain(unitId: string | null, scopeCode: string, depth: number): unknown {
      if (!unitId) return null;
      const unit = world.unitsById.get(unitId)!;
      if (!within(unit.code, scopeCode)) return null;
      return depth === 0 ? { id: unit.id } : { id: unit.id, parent: chain(unit.parentId, scopeCode, depth - 1) };
    }

    /** A page of members must lie under `under` and inside the reader's scope, and count all of them. */
    function checkMemberPage(page: any, under: string, scopeCode: string) {
      const outside = page.edges
        .map((e: { node: { id: string; unit: { code: string } } }) => e.node)
        .filter((n: { unit: { code: string } }) => !within(n.unit.code, under) || !within(n.unit.code, scopeCode));
      expect(outside, 'members outside the unit or outside scope').toEqual([]);
      expect(page.totalCount).toBe(membersUnder(world, under).length);
      expect(page.edges.length).toBe(Math.min(PAGE, membersUnder(world, under).length));
    }

    for (const c of list) {
      const readable = RIGHTS[c.spec.role].records;
      const inScope = within(c.target, c.spec.unit);
      const outcome: Outcome = c.kind === 'unitMembers'
        ? (!inScope ? 'absent' : !readable ? 'forbidden' : 'visible')
        : (!readable ? 'forbidden' : !inScope ? 'absent' : 'visible');
      const title = {
        chain: `member.unit.parent… of a member in ${where(c.target, c.spec)} reaches only units in scope`,
        unitMembers: `unit.members of ${where(c.target, c.spec)} lists only members in scope`,
        memberUnitMembers: `member.unit.members of a member in ${where(c.target, c.spec)} lists only members in scope`,
      }[c.kind];
      matrixCase(`${c.spec.who}: ${title} (${OUTCOME_WORDS[outcome]})`, () => {
        const response = responses.get(c)!;
        const a = account(world, c.spec);
        const member = world.targets.get(c.target)!;
        const unit = unitOf(world, c.target);
        const secrets = c.kind === 'unitMembers' ? unitSecrets(unit) : memberSecrets(member);
        const data = c.kind === 'unitMembers' ? response.data?.unit ?? null : response.data?.member ?? null;
        if (outcome === 'forbidden') {
          expectOnly(response.errors, 'FORBIDDEN');
          expect(data).toBeNull();
          expectNoLeak(response, secrets);
          return;
        }
        expect(response.errors).toBeUndefined();
        if (outcome === 'absent') {
          expect(data).toBeNull();
          expectNoLeak(response, secrets);
          return;
        }
        if (c.kind === 'chain') {
          // The member's cell, then ward, district, city: each present only inside the scope.
          const cellId = String(member.cols.unit_id);
          expect(data).toEqual({ unit: chain(cellId, a.unit, 3) });
        } else if (c.kind === 'unitMembers') {
          checkMemberPage(data.members, unit.code, a.unit);
        } else {
          expect(data.unit.code).toBe(member.code);
          checkMemberPage(data.unit.members, member.code, a.unit);
        }
      });
    }

    for (const spec of ACCOUNTS) {
      matrixCase(`${spec.who}: me.unit.parent is null (the unit above its own is outside its scope)`, () => {
        const response = meResponses.get(spec)!;
        const a = account(world, spec);
        expect(response.errors).toBeUndefined();
        expect(response.data?.me?.unit).toEqual({ id: a.unitId, parent: null });
        const parentId = world.unitsById.get(a.unitId)!.parentId;
        if (parentId) expectNoLeak(response, unitSecrets(world.unitsById.get(parentId)!));
      });
    }
  });


  // -------------------------------------------------------------------------------------------
  // A floor, not the exact count: it fails if generation silently produces far fewer cases.
  it('ran at least 360 generated cases (90 % of the 400 this file generates today)', () => {
    expect(count()).toBeGreaterThanOrEqual(360);
  });
});
