import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse } from './support/app';
import {
  OUTCOME_WORDS,
  RIGHTS,
  UNITS,
  allowed,
  columnOf,
  errorsAt,
  within,
  type MatrixUnit,
  type Outcome,
} from './support/matrix';
import {
  ACCOUNTS,
  ACCOUNT_FIELDS,
  MEMBER_FIELDS,
  UNIT_FIELDS,
  account,
  buildWorld,
  caseCounter,
  checkAlias,
  expectNoLeak,
  memberSecrets,
  runAliased,
  storedValue,
  unitOf,
  unitSecrets,
  where,
  type FieldSpec,
  type MatrixAccountSpec,
  type World,
} from './support/matrix-world';

/**
 * The access matrix (docs/access.md), generated: every field of Member, OrgUnit and Account, per
 * role and place. One of the topic files test/access-matrix-*.test.ts, each on its own world
 * (accounts per role and unit, sign-ins, targets, API keys) built by test/support/matrix-world.ts;
 * the oracle is test/support/matrix.ts, the root-field calls test/support/matrix-roots.ts.
 */

const { matrixCase, count } = caseCounter();

describe('access matrix (docs/access.md), generated from the schema', () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld();
  });
  afterAll(() => world?.close());

  // -------------------------------------------------------------------------------------------
  describe('Member fields: records in scope only, sensitive fields only for CITY_ADMIN and ORG_STAFF', () => {
    interface C { spec: MatrixAccountSpec; target: MatrixUnit; field: FieldSpec; outcome: Outcome }
    const list: C[] = ACCOUNTS.flatMap((spec) =>
      UNITS.flatMap((target) =>
        MEMBER_FIELDS.map((field) => {
          let outcome: Outcome = 'visible';
          if (!allowed(spec.role, 'records')) outcome = 'forbidden'; // Query.member is closed to the role
          else if (!within(target, spec.unit)) outcome = 'absent';
          else if (!allowed(spec.role, field.need)) outcome = 'redacted';
          return { spec, target, field, outcome };
        }),
      ),
    );
    let responses: Map<C, GraphQLResponse>;
    beforeAll(async () => {
      responses = await runAliased(
        world,
        list,
        (c) => `${c.spec.username}|${c.target}`,
        (c) => ({
          token: account(world, c.spec).token,
          header: '($id: ID)',
          variables: { id: world.targets.get(c.target)!.id },
          alias: `f_${c.field.field.name}`,
          body: `f_${c.field.field.name}: member(id: $id) { ${c.field.selection} }`,
        }),
      );
    });
    for (const c of list) {
      matrixCase(
        `${c.spec.who} reading Member.${c.field.field.name} of a member in ${where(c.target, c.spec)} gets ${OUTCOME_WORDS[c.outcome]}`,
        () => {
          const member = world.targets.get(c.target)!;
          const a = account(world, c.spec);
          // The oracle's outcome must match the member actually picked (its cell, not the target unit).
          expect(within(member.code, a.unit)).toBe(within(c.target, a.unit));
          const stored = member.cols[columnOf(c.field.field.name)];
          const secrets = c.outcome === 'redacted' ? [member.nationalId, typeof stored === 'string' ? stored : null] : memberSecrets(member);
          checkAlias(responses.get(c)!, `f_${c.field.field.name}`, c.field, c.outcome, storedValue(world, c.field, member.cols, a.unit), secrets);
          // A role without the sensitive right never sees the national ID, in any field or error.
          const alias = `f_${c.field.field.name}`;
          if (!RIGHTS[c.spec.role].sensitive) {
            expectNoLeak({ data: responses.get(c)!.data?.[alias], errors: errorsAt(responses.get(c)!, alias) }, [member.nationalId]);
          }
        },
      );
    }
  });

  // -------------------------------------------------------------------------------------------
  describe('OrgUnit fields: the unit tree of the subtree for every role, its members only with the records right', () => {
    interface C { spec: MatrixAccountSpec; target: MatrixUnit; field: FieldSpec; outcome: Outcome }
    const list: C[] = ACCOUNTS.flatMap((spec) =>
      UNITS.flatMap((target) =>
        UNIT_FIELDS.map((field) => {
          let outcome: Outcome = 'visible';
          if (!within(target, spec.unit)) outcome = 'absent';
          // A denied non-null field nulls the unit it hangs on: FORBIDDEN, no data.
          else if (!allowed(spec.role, field.need)) outcome = 'forbidden';
          return { spec, target, field, outcome };
        }),
      ),
    );
    let responses: Map<C, GraphQLResponse>;
    beforeAll(async () => {
      responses = await runAliased(
        world,
        list,
        (c) => `${c.spec.username}|${c.target}`,
        (c) => ({
          token: account(world, c.spec).token,
          header: '($id: ID)',
          variables: { id: unitOf(world, c.target).id },
          alias: `f_${c.field.field.name}`,
          body: `f_${c.field.field.name}: unit(id: $id) { ${c.field.selection} }`,
        }),
      );
    });
    for (const c of list) {
      matrixCase(
        `${c.spec.who} reading OrgUnit.${c.field.field.name} of ${where(c.target, c.spec)} gets ${OUTCOME_WORDS[c.outcome]}`,
        () => {
          const unit = unitOf(world, c.target);
          checkAlias(responses.get(c)!, `f_${c.field.field.name}`, c.field, c.outcome, storedValue(world, c.field, unit.cols, c.spec.unit), unitSecrets(unit));
        },
      );
    }
  });

  // -------------------------------------------------------------------------------------------
  describe('Account fields: every role reads its own account through me', () => {
    interface C { spec: MatrixAccountSpec; field: FieldSpec }
    const list: C[] = ACCOUNTS.flatMap((spec) => ACCOUNT_FIELDS.map((field) => ({ spec, field })));
    let responses: Map<C, GraphQLResponse>;
    beforeAll(async () => {
      responses = await runAliased(
        world,
        list,
        (c) => c.spec.username,
        (c) => ({
          token: account(world, c.spec).token,
          header: '',
          variables: {},
          alias: `f_${c.field.field.name}`,
          body: `f_${c.field.field.name}: me { ${c.field.selection} }`,
        }),
      );
    });
    for (const c of list) {
      const outcome: Outcome = allowed(c.spec.role, c.field.need) ? 'visible' : 'forbidden';
      matrixCase(`${c.spec.who} reading Account.${c.field.field.name} of itself gets ${OUTCOME_WORDS[outcome]}`, () => {
        const a = account(world, c.spec);
        checkAlias(responses.get(c)!, `f_${c.field.field.name}`, c.field, outcome, storedValue(world, c.field, a.cols, a.unit), []);
      });
    }
  });


  // -------------------------------------------------------------------------------------------
  // A floor, not the exact count: it fails if generation silently produces far fewer cases.
  it('ran at least 6,502 generated cases (90 % of the 7,225 this file generates today)', () => {
    expect(count()).toBeGreaterThanOrEqual(6502);
  });
});
