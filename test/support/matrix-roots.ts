import { getNamedType } from 'graphql';
import {
  OUTCOME_WORDS,
  RIGHTS,
  UNITS,
  allowed,
  fieldNeed,
  isConnection,
  within,
  type MatrixUnit,
  type Need,
  type Outcome,
} from './matrix';
import {
  ACCOUNTS,
  PAGE,
  QUERY,
  childrenOf,
  memberSecrets,
  membersUnder,
  unitOf,
  unitSecrets,
  unitsUnder,
  type AccountInfo,
  type MatrixAccountSpec,
  type MemberTarget,
  type UnitRow,
  type World,
} from './matrix-world';

/**
 * Root fields of the generated access matrix (test/access-matrix-*.test.ts): how to call each
 * one with a target, and what it must return. Used by the root-field and no-token topic files.
 */

export type TargetKind = 'none' | 'member' | 'unit';
export type Expected = { one: string | null } | { many: string[] };

export interface RootVariant {
  root: string;
  label: string;
  target: TargetKind;
  args(target: { member?: MemberTarget; unit?: UnitRow }): Record<string, unknown>;
  /** Static outcome for the case name; `expected` gives the ids. */
  outcome(spec: MatrixAccountSpec, target: MatrixUnit | null): Outcome;
  expected(w: World, a: AccountInfo, target: { member?: MemberTarget; unit?: UnitRow }): Expected;
  secrets(target: { member?: MemberTarget; unit?: UnitRow }): (string | null)[];
}

/** What reading a root field needs, from what it returns (same rule as for nested fields). */
export function rootNeed(root: string): Need {
  return fieldNeed('Query', QUERY.getFields()[root]);
}

/** Role first (it is the same for every target, so it tells nothing), then scope. */
export function rootOutcome(root: string, spec: MatrixAccountSpec, target: MatrixUnit | null): Outcome {
  if (!allowed(spec.role, rootNeed(root))) return 'forbidden';
  if (target && !within(target, spec.unit)) return 'absent';
  return 'visible';
}

export const ROOT_VARIANTS: Record<string, RootVariant[]> = {
  me: [
    {
      root: 'me', label: 'me', target: 'none', args: () => ({}),
      outcome: (s) => rootOutcome('me', s, null),
      expected: (w, a) => ({ one: a.id }),
      secrets: () => [],
    },
  ],
  member: [
    {
      root: 'member', label: 'member(id:)', target: 'member', args: ({ member }) => ({ id: member!.id }),
      outcome: (s, t) => rootOutcome('member', s, t),
      expected: (w, a, { member }) => ({ one: within(member!.code, a.unit) ? member!.id : null }),
      secrets: ({ member }) => memberSecrets(member!),
    },
    {
      root: 'member', label: 'member(partyCardNumber:)', target: 'member',
      args: ({ member }) => ({ partyCardNumber: member!.card }),
      outcome: (s, t) => rootOutcome('member', s, t),
      expected: (w, a, { member }) => ({ one: within(member!.code, a.unit) ? member!.id : null }),
      secrets: ({ member }) => memberSecrets(member!),
    },
  ],
  members: [
    {
      root: 'members', label: 'members', target: 'none', args: () => ({ first: PAGE }),
      outcome: (s) => rootOutcome('members', s, null),
      expected: (w, a) => ({ many: membersUnder(w, a.unit) }),
      secrets: () => [],
    },
    {
      root: 'members', label: 'members(filter: {unitId:})', target: 'unit',
      args: ({ unit }) => ({ filter: { unitId: unit!.id }, first: PAGE }),
      outcome: (s, t) => rootOutcome('members', s, t),
      expected: (w, a, { unit }) => ({ many: within(unit!.code, a.unit) ? membersUnder(w, unit!.code) : [] }),
      secrets: ({ unit }) => unitSecrets(unit!),
    },
    {
      root: 'members', label: 'members(filter: {search: <card number>})', target: 'member',
      args: ({ member }) => ({ filter: { search: member!.card }, first: PAGE }),
      outcome: (s, t) => rootOutcome('members', s, t),
      expected: (w, a, { member }) => ({ many: within(member!.code, a.unit) ? [member!.id] : [] }),
      secrets: ({ member }) => memberSecrets(member!),
    },
    {
      // A filter is an oracle: finding a member by national ID reveals the ID. Only roles that
      // may read it may find by it; for the others the search finds nothing.
      root: 'members', label: 'members(filter: {search: <national ID>})', target: 'member',
      args: ({ member }) => ({ filter: { search: member!.nationalId }, first: PAGE }),
      outcome: (s, t) => {
        const outcome = rootOutcome('members', s, t);
        return outcome === 'visible' && !RIGHTS[s.role].sensitive ? 'absent' : outcome;
      },
      expected: (w, a, { member }) => ({
        many: within(member!.code, a.unit) && RIGHTS[a.role].sensitive ? [member!.id] : [],
      }),
      secrets: ({ member }) => memberSecrets(member!),
    },
  ],
  unit: [
    {
      root: 'unit', label: 'unit(id:)', target: 'unit', args: ({ unit }) => ({ id: unit!.id }),
      outcome: (s, t) => rootOutcome('unit', s, t),
      expected: (w, a, { unit }) => ({ one: within(unit!.code, a.unit) ? unit!.id : null }),
      secrets: ({ unit }) => unitSecrets(unit!),
    },
    {
      root: 'unit', label: 'unit(code:)', target: 'unit', args: ({ unit }) => ({ code: unit!.code }),
      outcome: (s, t) => rootOutcome('unit', s, t),
      expected: (w, a, { unit }) => ({ one: within(unit!.code, a.unit) ? unit!.id : null }),
      secrets: ({ unit }) => [unit!.name],
    },
  ],
  units: [
    {
      root: 'units', label: 'units', target: 'none', args: () => ({ first: PAGE }),
      outcome: (s) => rootOutcome('units', s, null),
      expected: (w, a) => ({ many: unitsUnder(w, a.unit) }),
      secrets: () => [],
    },
    {
      // An out-of-scope parent behaves as a missing one: no children, whatever lies below it.
      root: 'units', label: 'units(parentId:)', target: 'unit',
      args: ({ unit }) => ({ parentId: unit!.id, first: PAGE }),
      outcome: (s, t) => rootOutcome('units', s, t),
      expected: (w, a, { unit }) => ({ many: within(unit!.code, a.unit) ? childrenOf(w, unit!.id) : [] }),
      secrets: ({ unit }) => unitSecrets(unit!),
    },
  ],
  transfers: [
    {
      // A transfer carries a member's name: reading transfers is reading records.
      root: 'transfers', label: 'transfers', target: 'none', args: () => ({ first: PAGE }),
      outcome: (s) => (allowed(s.role, 'records') ? 'visible' : 'forbidden'),
      expected: (w, a) => ({
        many: w.transfersNow.filter((t) => within(t.from_code, a.unit) || within(t.to_code, a.unit)).map((t) => t.id),
      }),
      secrets: () => [],
    },
  ],
  apiKeys: [
    {
      root: 'apiKeys', label: 'apiKeys', target: 'none', args: () => ({ first: PAGE }),
      outcome: (s) => rootOutcome('apiKeys', s, null),
      expected: (w, a) => ({ many: w.apiKeysNow.filter((k) => within(k.code, a.unit)).map((k) => k.id) }),
      secrets: () => [],
    },
  ],
};

/** Root fields that read no record: reference data, the same for every signed-in account (tested in access.test.ts). */
export const REFERENCE_ROOTS = [
  'catalogue',
  /* audit trail: scope and roles in audit.test.ts */ 'auditLog', 'auditIntegrity',
  /* reports: counts and lists of a unit, scope and roles in reports-lists-and-scope.test.ts */ 'statistics', 'flows', 'badgesDue', 'duplicateMembers',
  /* cadres: scope and roles in register-cadres.test.ts */ 'postsDueForReappointment',
  /* data quality: scope and roles in data-quality.test.ts */ 'dataQualityIssues',
  /* imports: scope and roles in imports.test.ts */ 'importBatch',
];

export const uncoveredRoots = Object.keys(QUERY.getFields()).filter((name) => !ROOT_VARIANTS[name] && !REFERENCE_ROOTS.includes(name));

/**
 * One query calling root fields under aliases, each with its own variables (typed as the schema
 * declares the arguments): `query($r0_id: ID) { r0: member(id: $r0_id) { id } }`.
 */
export function rootQuery(calls: { alias: string; root: string; args: Record<string, unknown> }[]) {
  const defs: string[] = [];
  const bodies: string[] = [];
  const variables: Record<string, unknown> = {};
  for (const { alias, root, args } of calls) {
    const field = QUERY.getFields()[root];
    const names = Object.keys(args);
    for (const n of names) {
      defs.push(`$${alias}_${n}: ${field.args.find((a) => a.name === n)!.type.toString()}`);
      variables[`${alias}_${n}`] = args[n];
    }
    const call = names.length ? `(${names.map((n) => `${n}: $${alias}_${n}`).join(', ')})` : '';
    const selection = isConnection(getNamedType(field.type)) ? '{ totalCount edges { node { id } } }' : '{ id }';
    bodies.push(`${alias}: ${root}${call} ${selection}`);
  }
  return { query: `query${defs.length ? `(${defs.join(', ')})` : ''} { ${bodies.join(' ')} }`, variables };
}

export interface RootCase {
  spec: MatrixAccountSpec;
  variant: RootVariant;
  target: MatrixUnit | null;
}

export const ROOT_CASES: RootCase[] = Object.values(ROOT_VARIANTS).flatMap((variants) =>
  variants.flatMap((variant) =>
    ACCOUNTS.flatMap((spec) =>
      (variant.target === 'none' ? [null] : [...UNITS]).map((target) => ({ spec, variant, target })),
    ),
  ),
);

export function resolveTarget(w: World, variant: RootVariant, target: MatrixUnit | null) {
  if (!target) return {};
  return variant.target === 'member' ? { member: w.targets.get(target)! } : { unit: unitOf(w, target) };
}

export function describeExpected(spec: MatrixAccountSpec, variant: RootVariant, target: MatrixUnit | null): string {
  const outcome = variant.outcome(spec, target);
  if (outcome === 'visible') return variant.target === 'none' ? 'exactly its scope' : 'the record, and nothing outside scope';
  return OUTCOME_WORDS[outcome];
}
