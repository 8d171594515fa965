import { catalogueItem, type CatalogueKind } from '../src/catalogues/catalogues';
import { getNamedType, isListType, isNonNullType, isObjectType, type GraphQLField } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/access/passwords';
import { buildBareSchema } from '../src/app/schema';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/app';
import { ownerQuery } from './support/db';
import {
  OUTCOME_WORDS,
  RIGHTS,
  ROLES,
  UNITS,
  allowed,
  chunks,
  codesOf,
  columnOf,
  errorsAt,
  fieldNeed,
  fieldsOf,
  isConnection,
  leaked,
  mapLimit,
  minimalSelection,
  objectType,
  reaches,
  within,
  type MatrixRole,
  type MatrixUnit,
  type Need,
  type Outcome,
} from './support/matrix';

/**
 * The access matrix (docs/access.md), generated: every role at the city, two districts and two
 * wards, against a member and a unit at each of those places, through every field the schema
 * declares on Member, OrgUnit and Account and every root field. Expectations come from a small
 * oracle written from docs/access.md (test/support/matrix.ts) and from the database read as the
 * owner, never from the API's own answers.
 */

const PASSWORD = 'matrix-password-not-a-demo-one';
/** Requests in flight at once: enough to keep two cores busy, few enough for a pool of ten. */
const CONCURRENCY = 6;
/** Aliases per request; the server refuses more than 15. */
const ALIAS_BUDGET = 14;
/** The API's largest page. */
const PAGE = 100;

const schema = buildBareSchema();
const QUERY = objectType(schema, 'Query');

// ---------------------------------------------------------------------------------------------
// The accounts and targets, known before anything runs so every case can be named.

interface MatrixAccountSpec {
  role: MatrixRole;
  unit: MatrixUnit;
  username: string;
  /** e.g. "a ward COMMITTEE_VIEWER (DN.HAICHAU.THACHTHANG)" */
  who: string;
}

const LEVEL: Record<MatrixUnit, string> = {
  DN: 'city',
  'DN.HAICHAU': 'district',
  'DN.SONTRA': 'district',
  'DN.HAICHAU.THACHTHANG': 'ward',
  'DN.SONTRA.MANTHAI': 'ward',
};

const ACCOUNTS: MatrixAccountSpec[] = ROLES.flatMap((role) =>
  UNITS.map((unit) => ({
    role,
    unit,
    username: `mx.${role.toLowerCase()}.${unit.toLowerCase()}`,
    who: `a ${LEVEL[unit]} ${role} (${unit})`,
  })),
);

/** Where a target sits relative to an account, for case names. */
function where(target: MatrixUnit, account: MatrixAccountSpec): string {
  if (target === account.unit) return `its own ${LEVEL[target]}`;
  if (within(target, account.unit)) return `a ${LEVEL[target]} below it (${target})`;
  if (within(account.unit, target)) return `the ${LEVEL[target]} above it (${target})`;
  return `another ${LEVEL[target]} (${target})`;
}

// Filled by the top-level beforeAll.
interface AccountInfo extends MatrixAccountSpec {
  id: string;
  unitId: string;
  token: string;
  cols: Row;
}
interface UnitRow {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  cols: Row;
}
interface MemberTarget {
  id: string;
  /** Code of the cell the member is registered in. */
  code: string;
  fullName: string;
  card: string;
  nationalId: string;
  cols: Row;
}
interface World {
  t: TestApp;
  accounts: Map<string, AccountInfo>;
  unitsById: Map<string, UnitRow>;
  unitsByCode: Map<string, UnitRow>;
  /** One member per matrix unit: under it, and not under a matrix unit inside it. */
  targets: Map<MatrixUnit, MemberTarget>;
  /** Every member, by id and the code of its unit: the ground truth of scope. */
  members: { id: string; code: string }[];
  /** Keys for anonymous revoke attempts, one per matrix unit. */
  anonymousKeys: Map<MatrixUnit, string>;
  /** Keys for the revoke matrix, one per account and unit (by key name), so no case depends on another. */
  revokeKeys: Map<string, string>;
}
const w = {} as World;

const account = (spec: MatrixAccountSpec) => w.accounts.get(spec.username)!;
const unitOf = (code: MatrixUnit) => w.unitsByCode.get(code)!;
const membersUnder = (code: string) => w.members.filter((m) => within(m.code, code)).map((m) => m.id);
const unitsUnder = (code: string) => [...w.unitsById.values()].filter((u) => within(u.code, code)).map((u) => u.id);
const childrenOf = (id: string) => [...w.unitsById.values()].filter((u) => u.parentId === id).map((u) => u.id);

/** Identifying text of a target: none of it may appear where the target is out of reach. */
const memberSecrets = (m: MemberTarget) => [m.fullName, m.card, m.nationalId];
const unitSecrets = (u: UnitRow) => [u.name, u.code];

/** A whole row as JSON (dates as YYYY-MM-DD, instants ISO 8601, arrays as arrays), to compare any field generically. */
type Row = Record<string, unknown>;
const ROW_JSON = `to_jsonb(x)`;

let cases = 0;

const anonymousKeyName = (code: MatrixUnit) => `matrix anonymous revoke ${code}`;
const revokeKeyName = (spec: MatrixAccountSpec, code: MatrixUnit) => `matrix revoke ${spec.username} ${code}`;

/** An `it` that counts itself: the matrix must really run what it claims. */
function matrixCase(title: string, fn: () => void | Promise<void>) {
  it(title, async () => {
    cases++;
    await fn();
  });
}

function expectOnly(errors: Parameters<typeof codesOf>[0] | undefined, code: string) {
  const codes = codesOf(errors ?? []);
  expect(codes.length, `expected a ${code} error`).toBeGreaterThan(0);
  expect(codes).toEqual(codes.map(() => code));
}

function expectNoLeak(response: unknown, secrets: readonly (string | null | undefined)[]) {
  expect(leaked(JSON.stringify(response), secrets), 'identifying text of an unreachable record').toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Field rules derived from the schema.

interface FieldSpec {
  typeName: string;
  field: GraphQLField<unknown, unknown>;
  selection: string;
  need: Need;
}

const uncovered: string[] = [];

function fieldSpecs(typeName: string): FieldSpec[] {
  return fieldsOf(schema, typeName).flatMap((field) => {
    const selection = minimalSelection(field);
    if (!selection) {
      uncovered.push(`${typeName}.${field.name}`);
      return [];
    }
    return [{ typeName, field, selection, need: fieldNeed(typeName, field) }];
  });
}

/** Member fields shown as the label of the catalogue code stored in the column of the same name. */
const LABELLED: Record<string, CatalogueKind> = { ethnicity: 'ETHNIC_GROUP', religion: 'RELIGION' };

const MEMBER_FIELDS = fieldSpecs('Member');
const UNIT_FIELDS = fieldSpecs('OrgUnit');
const ACCOUNT_FIELDS = fieldSpecs('Account');

/**
 * The stored value of a field of a row, as the API should print it; `known: false` when the
 * field maps to nothing the matrix can compute (then only its access is checked).
 * Scalars map to the column of the same name; `x { id }` to the column `x_id`, seen only when the
 * unit it names is in the reader's scope; connections of a unit to its children or members.
 */
function storedValue(spec: FieldSpec, row: Row, scopeCode: string): { known: true; value: unknown } | { known: false } {
  // Fields the API prints as the catalogue label of a coded column.
  const labelled = LABELLED[spec.field.name];
  if (spec.typeName === 'Member' && labelled) {
    return { known: true, value: catalogueItem(labelled, row[columnOf(spec.field.name)] as string | null)?.label ?? null };
  }
  if (spec.field.args.length) return { known: false }; // computed for the arguments given
  const named = getNamedType(spec.field.type);
  const list = isListType(isNonNullType(spec.field.type) ? spec.field.type.ofType : spec.field.type);
  if (!isObjectType(named)) {
    const column = columnOf(spec.field.name);
    if (!(column in row)) return { known: false };
    const value = row[column];
    // A column whose shape is not the field's (a list kept as text, a JSON blob) is not guessed at.
    if (value !== null && list !== Array.isArray(value)) return { known: false };
    if (value !== null && !list && typeof value === 'object' && named.name !== 'JSON') return { known: false };
    return { known: true, value: normalized(spec, value) };
  }
  if (list) return { known: false };
  if (isConnection(named)) {
    if (spec.typeName !== 'OrgUnit') return { known: false };
    // Every unit and member below an in-scope unit is in scope too.
    if (reaches(named, 'OrgUnit')) return { known: true, value: { totalCount: childrenOf(String(row.id)).length } };
    if (reaches(named, 'Member')) return { known: true, value: { totalCount: membersUnder(String(row.code)).length } };
    return { known: false };
  }
  const column = `${columnOf(spec.field.name)}_id`;
  if (named.name !== 'OrgUnit' || !(column in row)) return { known: false };
  const ref = row[column] === null ? null : String(row[column]);
  if (ref === null) return { known: true, value: null };
  return { known: true, value: within(w.unitsById.get(ref)!.code, scopeCode) ? { id: ref } : null };
}

/**
 * A value in one comparable form, from the API or from the row: scalars as text (Date is
 * YYYY-MM-DD both ways, numbers and enums print the same), instants as ISO strings, lists item
 * by item, objects (`{ id }`, `{ totalCount }`, JSON) as they are.
 */
function normalized(spec: FieldSpec, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => normalized(spec, item));
  if (typeof value === 'object') return value;
  if (getNamedType(spec.field.type).name === 'DateTime') return new Date(String(value)).toISOString();
  return String(value);
}

/** Checks one alias of a batched query against the outcome the oracle gave. */
function checkAlias(
  response: GraphQLResponse,
  alias: string,
  spec: FieldSpec,
  outcome: Outcome,
  expected: { known: true; value: unknown } | { known: false },
  secrets: readonly (string | null | undefined)[],
) {
  const data = response.data?.[alias] ?? null;
  const errors = errorsAt(response, alias);
  const name = spec.field.name;
  if (outcome === 'forbidden') {
    expectOnly(errors, 'FORBIDDEN');
    expect(data).toBeNull();
  } else if (outcome === 'absent') {
    // Out of scope looks like not there: null, and no error that could tell the two apart.
    expect(errors).toEqual([]);
    expect(data).toBeNull();
  } else if (outcome === 'redacted') {
    expectOnly(errors, 'FORBIDDEN');
    expect(data).toEqual({ [name]: null });
  } else {
    expect(errors).toEqual([]);
    expect(data).not.toBeNull();
    if (expected.known) expect(normalized(spec, data[name])).toEqual(expected.value);
  }
  if (outcome !== 'visible') expectNoLeak({ data, errors }, secrets);
}

/** Sends `alias: root(args) { selection }` for many cases, several aliases to a request. */
async function runAliased<C>(
  items: readonly C[],
  group: (c: C) => string,
  build: (c: C) => { token: string | null; header: string; variables: Record<string, unknown>; alias: string; body: string },
): Promise<Map<C, GraphQLResponse>> {
  const groups = new Map<string, C[]>();
  for (const c of items) groups.set(group(c), [...(groups.get(group(c)) ?? []), c]);
  const batches = [...groups.values()].flatMap((g) => chunks(g, ALIAS_BUDGET));
  const out = new Map<C, GraphQLResponse>();
  await mapLimit(batches, CONCURRENCY, async (batch) => {
    const first = build(batch[0]);
    const query = `query${first.header} { ${batch.map((c) => build(c).body).join('\n')} }`;
    const response = await w.t.gql(query, first.variables, first.token);
    for (const c of batch) out.set(c, response);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Root fields: how to call each one with a target, and what it must return.

type TargetKind = 'none' | 'member' | 'unit';
type Expected = { one: string | null } | { many: string[] };

interface RootVariant {
  root: string;
  label: string;
  target: TargetKind;
  args(target: { member?: MemberTarget; unit?: UnitRow }): Record<string, unknown>;
  /** Static outcome for the case name; `expected` gives the ids. */
  outcome(spec: MatrixAccountSpec, target: MatrixUnit | null): Outcome;
  expected(a: AccountInfo, target: { member?: MemberTarget; unit?: UnitRow }): Expected;
  secrets(target: { member?: MemberTarget; unit?: UnitRow }): (string | null)[];
}

/** What reading a root field needs, from what it returns (same rule as for nested fields). */
function rootNeed(root: string): Need {
  return fieldNeed('Query', QUERY.getFields()[root]);
}

/** Role first (it is the same for every target, so it tells nothing), then scope. */
function rootOutcome(root: string, spec: MatrixAccountSpec, target: MatrixUnit | null): Outcome {
  if (!allowed(spec.role, rootNeed(root))) return 'forbidden';
  if (target && !within(target, spec.unit)) return 'absent';
  return 'visible';
}

let apiKeysNow: { id: string; code: string }[] = [];
/** Transfers and the codes of both ends: visible where either end is in scope. */
let transfersNow: { id: string; from_code: string; to_code: string }[] = [];

const ROOT_VARIANTS: Record<string, RootVariant[]> = {
  me: [
    {
      root: 'me', label: 'me', target: 'none', args: () => ({}),
      outcome: (s) => rootOutcome('me', s, null),
      expected: (a) => ({ one: a.id }),
      secrets: () => [],
    },
  ],
  member: [
    {
      root: 'member', label: 'member(id:)', target: 'member', args: ({ member }) => ({ id: member!.id }),
      outcome: (s, t) => rootOutcome('member', s, t),
      expected: (a, { member }) => ({ one: within(member!.code, a.unit) ? member!.id : null }),
      secrets: ({ member }) => memberSecrets(member!),
    },
    {
      root: 'member', label: 'member(partyCardNumber:)', target: 'member',
      args: ({ member }) => ({ partyCardNumber: member!.card }),
      outcome: (s, t) => rootOutcome('member', s, t),
      expected: (a, { member }) => ({ one: within(member!.code, a.unit) ? member!.id : null }),
      secrets: ({ member }) => memberSecrets(member!),
    },
  ],
  members: [
    {
      root: 'members', label: 'members', target: 'none', args: () => ({ first: PAGE }),
      outcome: (s) => rootOutcome('members', s, null),
      expected: (a) => ({ many: membersUnder(a.unit) }),
      secrets: () => [],
    },
    {
      root: 'members', label: 'members(filter: {unitId:})', target: 'unit',
      args: ({ unit }) => ({ filter: { unitId: unit!.id }, first: PAGE }),
      outcome: (s, t) => rootOutcome('members', s, t),
      expected: (a, { unit }) => ({ many: within(unit!.code, a.unit) ? membersUnder(unit!.code) : [] }),
      secrets: ({ unit }) => unitSecrets(unit!),
    },
    {
      root: 'members', label: 'members(filter: {search: <card number>})', target: 'member',
      args: ({ member }) => ({ filter: { search: member!.card }, first: PAGE }),
      outcome: (s, t) => rootOutcome('members', s, t),
      expected: (a, { member }) => ({ many: within(member!.code, a.unit) ? [member!.id] : [] }),
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
      expected: (a, { member }) => ({
        many: within(member!.code, a.unit) && RIGHTS[a.role].sensitive ? [member!.id] : [],
      }),
      secrets: ({ member }) => memberSecrets(member!),
    },
  ],
  unit: [
    {
      root: 'unit', label: 'unit(id:)', target: 'unit', args: ({ unit }) => ({ id: unit!.id }),
      outcome: (s, t) => rootOutcome('unit', s, t),
      expected: (a, { unit }) => ({ one: within(unit!.code, a.unit) ? unit!.id : null }),
      secrets: ({ unit }) => unitSecrets(unit!),
    },
    {
      root: 'unit', label: 'unit(code:)', target: 'unit', args: ({ unit }) => ({ code: unit!.code }),
      outcome: (s, t) => rootOutcome('unit', s, t),
      expected: (a, { unit }) => ({ one: within(unit!.code, a.unit) ? unit!.id : null }),
      secrets: ({ unit }) => [unit!.name],
    },
  ],
  units: [
    {
      root: 'units', label: 'units', target: 'none', args: () => ({ first: PAGE }),
      outcome: (s) => rootOutcome('units', s, null),
      expected: (a) => ({ many: unitsUnder(a.unit) }),
      secrets: () => [],
    },
    {
      // An out-of-scope parent behaves as a missing one: no children, whatever lies below it.
      root: 'units', label: 'units(parentId:)', target: 'unit',
      args: ({ unit }) => ({ parentId: unit!.id, first: PAGE }),
      outcome: (s, t) => rootOutcome('units', s, t),
      expected: (a, { unit }) => ({ many: within(unit!.code, a.unit) ? childrenOf(unit!.id) : [] }),
      secrets: ({ unit }) => unitSecrets(unit!),
    },
  ],
  transfers: [
    {
      // A transfer carries a member's name: reading transfers is reading records.
      root: 'transfers', label: 'transfers', target: 'none', args: () => ({ first: PAGE }),
      outcome: (s) => (allowed(s.role, 'records') ? 'visible' : 'forbidden'),
      expected: (a) => ({
        many: transfersNow.filter((t) => within(t.from_code, a.unit) || within(t.to_code, a.unit)).map((t) => t.id),
      }),
      secrets: () => [],
    },
  ],
  apiKeys: [
    {
      root: 'apiKeys', label: 'apiKeys', target: 'none', args: () => ({ first: PAGE }),
      outcome: (s) => rootOutcome('apiKeys', s, null),
      expected: (a) => ({ many: apiKeysNow.filter((k) => within(k.code, a.unit)).map((k) => k.id) }),
      secrets: () => [],
    },
  ],
};

/** Root fields that read no record: reference data, the same for every signed-in account (tested in access.test.ts). */
const REFERENCE_ROOTS = [
  'catalogue',
  /* audit trail: scope and roles in audit.test.ts */ 'auditLog', 'auditIntegrity',
  /* reports: counts and lists of a unit, scope and roles in reports-lists-and-scope.test.ts */ 'statistics', 'flows', 'badgesDue', 'duplicateMembers',
];

const uncoveredRoots = Object.keys(QUERY.getFields()).filter((name) => !ROOT_VARIANTS[name] && !REFERENCE_ROOTS.includes(name));

/**
 * One query calling root fields under aliases, each with its own variables (typed as the schema
 * declares the arguments): `query($r0_id: ID) { r0: member(id: $r0_id) { id } }`.
 */
function rootQuery(calls: { alias: string; root: string; args: Record<string, unknown> }[]) {
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

interface RootCase {
  spec: MatrixAccountSpec;
  variant: RootVariant;
  target: MatrixUnit | null;
}

const ROOT_CASES: RootCase[] = Object.values(ROOT_VARIANTS).flatMap((variants) =>
  variants.flatMap((variant) =>
    ACCOUNTS.flatMap((spec) =>
      (variant.target === 'none' ? [null] : [...UNITS]).map((target) => ({ spec, variant, target })),
    ),
  ),
);

function resolveTarget(variant: RootVariant, target: MatrixUnit | null) {
  if (!target) return {};
  return variant.target === 'member' ? { member: w.targets.get(target)! } : { unit: unitOf(target) };
}

function describeExpected(spec: MatrixAccountSpec, variant: RootVariant, target: MatrixUnit | null): string {
  const outcome = variant.outcome(spec, target);
  if (outcome === 'visible') return variant.target === 'none' ? 'exactly its scope' : 'the record, and nothing outside scope';
  return OUTCOME_WORDS[outcome];
}

// ---------------------------------------------------------------------------------------------

describe('access matrix (docs/access.md), generated from the schema', () => {
  beforeAll(async () => {
    w.t = await startTestApp();
    const db = w.t.db;

    const units = await ownerQuery<{ id: string; code: string; name: string; parent_id: string | null; cols: Row }>(
      db,
      `select x.id::text, x.code, x.name, x.parent_id::text, ${ROW_JSON} as cols from org_unit x`,
    );
    w.unitsById = new Map(units.map((u) => [u.id, { id: u.id, code: u.code, name: u.name, parentId: u.parent_id, cols: u.cols }]));
    w.unitsByCode = new Map([...w.unitsById.values()].map((u) => [u.code, u]));
    for (const code of UNITS) expect(w.unitsByCode.has(code), `unit ${code} in the demo seed`).toBe(true);

    w.members = await ownerQuery<{ id: string; code: string }>(
      db,
      `select m.id::text, u.code from member m join org_unit u on u.id = m.unit_id`,
    );

    // Five roles at five units. One hash for all: argon2 is slow on purpose.
    const passwordHash = await hashPassword(PASSWORD);
    await ownerQuery(
      db,
      `insert into account (username, password_hash, role, unit_id)
       select a.username, $4, a.role, u.id
         from unnest($1::text[], $2::text[], $3::text[]) as a(username, role, code)
         join org_unit u on u.code = a.code`,
      [ACCOUNTS.map((a) => a.username), ACCOUNTS.map((a) => a.role), ACCOUNTS.map((a) => a.unit), passwordHash],
    );
    const rows = await ownerQuery<{ id: string; username: string; unit_id: string; cols: Row }>(
      db,
      `select x.id::text, x.username, x.unit_id::text, ${ROW_JSON} as cols from account x where x.username = any($1)`,
      [ACCOUNTS.map((a) => a.username)],
    );
    const tokens = await mapLimit(ACCOUNTS, 4, (a) => w.t.login(a.username, PASSWORD));
    w.accounts = new Map(
      ACCOUNTS.map((spec, i) => {
        const row = rows.find((r) => r.username === spec.username)!;
        return [spec.username, { ...spec, id: row.id, unitId: row.unit_id, token: tokens[i], cols: row.cols }];
      }),
    );

    // A member under each unit but not under a matrix unit inside it, so that it is in scope
    // exactly for the accounts at that unit and above. It needs a card number and a national
    // ID to be searched by; one with a religion makes the sensitive-field check meaningful.
    w.targets = new Map();
    for (const code of UNITS) {
      const inner = UNITS.filter((u) => u !== code && within(u, code)).map((u) => `${u}.%`);
      const [row] = await ownerQuery<{ id: string; code: string; full_name: string; party_card_number: string; national_id: string; cols: Row }>(
        db,
        `select x.id::text, u.code, x.full_name, x.party_card_number, x.national_id, ${ROW_JSON} as cols
           from member x join org_unit u on u.id = x.unit_id
          where u.code like $1 || '.%' and not (u.code like any($2::text[]))
            and x.party_card_number is not null and x.national_id is not null
          order by (x.religion is null), (x.ethnicity is null), x.id limit 1`,
        [code, inner],
      );
      expect(row, `a member with card and national ID under ${code}`).toBeDefined();
      w.targets.set(code, {
        id: row.id, code: row.code, fullName: row.full_name, card: row.party_card_number, nationalId: row.national_id, cols: row.cols,
      });
    }

    // API keys to revoke later, made as the owner so no API path is assumed: one per unit for
    // anonymous callers, and one per account and unit for the revoke matrix.
    const keySpecs = [
      ...UNITS.map((code) => ({ name: anonymousKeyName(code), code })),
      ...ACCOUNTS.flatMap((spec) => UNITS.map((code) => ({ name: revokeKeyName(spec, code), code }))),
    ];
    const keys = await ownerQuery<{ id: string; name: string }>(
      db,
      `insert into api_key (name, secret_hash, role, unit_id)
       select k.name, 'not-a-secret-hash', 'REPORTER', u.id
         from unnest($1::text[], $2::text[]) as k(name, code) join org_unit u on u.code = k.code
       returning id::text, name`,
      [keySpecs.map((k) => k.name), keySpecs.map((k) => k.code)],
    );
    const keyIds = new Map(keys.map((k) => [k.name, k.id]));
    w.anonymousKeys = new Map(UNITS.map((code) => [code, keyIds.get(anonymousKeyName(code))!]));
    w.revokeKeys = keyIds;
  });
  afterAll(() => w.t?.close());

  describe('the oracle knows every field the schema declares', () => {
    // A new field or root field is closed by default in permissions.ts; it must also get a
    // rule here, or the matrix would silently stop covering it.
    it('every field of Member, OrgUnit and Account can be selected by the matrix', () => {
      expect(uncovered).toEqual([]);
    });
    it('every root Query field has a way to call it in the matrix', () => {
      expect(uncoveredRoots).toEqual([]);
    });
  });

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
        list,
        (c) => `${c.spec.username}|${c.target}`,
        (c) => ({
          token: account(c.spec).token,
          header: '($id: ID)',
          variables: { id: w.targets.get(c.target)!.id },
          alias: `f_${c.field.field.name}`,
          body: `f_${c.field.field.name}: member(id: $id) { ${c.field.selection} }`,
        }),
      );
    });
    for (const c of list) {
      matrixCase(
        `${c.spec.who} reading Member.${c.field.field.name} of a member in ${where(c.target, c.spec)} gets ${OUTCOME_WORDS[c.outcome]}`,
        () => {
          const member = w.targets.get(c.target)!;
          const a = account(c.spec);
          // The oracle's outcome must match the member actually picked (its cell, not the target unit).
          expect(within(member.code, a.unit)).toBe(within(c.target, a.unit));
          const stored = member.cols[columnOf(c.field.field.name)];
          const secrets = c.outcome === 'redacted' ? [member.nationalId, typeof stored === 'string' ? stored : null] : memberSecrets(member);
          checkAlias(responses.get(c)!, `f_${c.field.field.name}`, c.field, c.outcome, storedValue(c.field, member.cols, a.unit), secrets);
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
        list,
        (c) => `${c.spec.username}|${c.target}`,
        (c) => ({
          token: account(c.spec).token,
          header: '($id: ID)',
          variables: { id: unitOf(c.target).id },
          alias: `f_${c.field.field.name}`,
          body: `f_${c.field.field.name}: unit(id: $id) { ${c.field.selection} }`,
        }),
      );
    });
    for (const c of list) {
      matrixCase(
        `${c.spec.who} reading OrgUnit.${c.field.field.name} of ${where(c.target, c.spec)} gets ${OUTCOME_WORDS[c.outcome]}`,
        () => {
          const unit = unitOf(c.target);
          checkAlias(responses.get(c)!, `f_${c.field.field.name}`, c.field, c.outcome, storedValue(c.field, unit.cols, c.spec.unit), unitSecrets(unit));
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
        list,
        (c) => c.spec.username,
        (c) => ({
          token: account(c.spec).token,
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
        const a = account(c.spec);
        checkAlias(responses.get(c)!, `f_${c.field.field.name}`, c.field, outcome, storedValue(c.field, a.cols, a.unit), []);
      });
    }
  });

  // -------------------------------------------------------------------------------------------
  describe('root fields: role first, then scope; out of scope is indistinguishable from absent', () => {
    let responses: Map<RootCase, GraphQLResponse>;
    let expectations: Map<RootCase, Expected>;
    const aliasOf = new Map<RootCase, string>();
    beforeAll(async () => {
      transfersNow = await ownerQuery<{ id: string; from_code: string; to_code: string }>(
        w.t.db,
        `select t.id::text, f.code as from_code, d.code as to_code from transfer t
           join org_unit f on f.id = t.from_unit_id join org_unit d on d.id = t.to_unit_id`,
      );
      apiKeysNow = await ownerQuery<{ id: string; code: string }>(
        w.t.db,
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
          const target = resolveTarget(c.variant, c.target);
          expectations.set(c, c.variant.expected(account(c.spec), target));
          aliasOf.set(c, `r${i}`);
          return { alias: `r${i}`, root: c.variant.root, args: c.variant.args(target) };
        });
        const { query, variables } = rootQuery(calls);
        const response = await w.t.gql(query, variables, account(group[0].spec).token);
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
        const secrets = c.variant.secrets(resolveTarget(c.variant, c.target));
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
        const id = c.kind === 'unitMembers' ? unitOf(c.target).id : w.targets.get(c.target)!.id;
        responses.set(c, await w.t.gql(query, { id }, account(c.spec).token));
      });
      meResponses = new Map();
      await mapLimit(ACCOUNTS, CONCURRENCY, async (spec) => {
        meResponses.set(spec, await w.t.gql(ME_PARENT, {}, account(spec).token));
      });
    });

    /** The unit chain as an account in `scopeCode` must see it: each level present only in scope. */
    function chain(unitId: string | null, scopeCode: string, depth: number): unknown {
      if (!unitId) return null;
      const unit = w.unitsById.get(unitId)!;
      if (!within(unit.code, scopeCode)) return null;
      return depth === 0 ? { id: unit.id } : { id: unit.id, parent: chain(unit.parentId, scopeCode, depth - 1) };
    }

    /** A page of members must lie under `under` and inside the reader's scope, and count all of them. */
    function checkMemberPage(page: any, under: string, scopeCode: string) {
      const outside = page.edges
        .map((e: { node: { id: string; unit: { code: string } } }) => e.node)
        .filter((n: { unit: { code: string } }) => !within(n.unit.code, under) || !within(n.unit.code, scopeCode));
      expect(outside, 'members outside the unit or outside scope').toEqual([]);
      expect(page.totalCount).toBe(membersUnder(under).length);
      expect(page.edges.length).toBe(Math.min(PAGE, membersUnder(under).length));
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
        const a = account(c.spec);
        const member = w.targets.get(c.target)!;
        const unit = unitOf(c.target);
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
        const a = account(spec);
        expect(response.errors).toBeUndefined();
        expect(response.data?.me?.unit).toEqual({ id: a.unitId, parent: null });
        const parentId = w.unitsById.get(a.unitId)!.parentId;
        if (parentId) expectNoLeak(response, unitSecrets(w.unitsById.get(parentId)!));
      });
    }
  });

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
          const page: GraphQLResponse = await w.t.gql(
            `query($after: String) { members(first: ${PAGE}, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
            { after },
            account(spec).token,
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
        const expected = membersUnder(spec.unit);
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
              const t = resolveTarget(variant, target);
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
          variables: { input: { name: `matrix anonymous create ${target}`, role: 'CITY_ADMIN', unitId: unitOf(target).id } },
          secrets: unitSecrets(unitOf(target)),
        }),
      });
      titles.push({
        label: `revokeApiKey of a key of ${target}`,
        make: () => ({
          label: `revokeApiKey of a key of ${target}`,
          query: `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id revokedAt } userErrors { code } } }`,
          variables: { input: { id: w.anonymousKeys.get(target)! } },
          secrets: unitSecrets(unitOf(target)),
        }),
      });
    }
    const responses = new Map<string, GraphQLResponse>();
    let anonymousKeys = -1;
    let revokedKeys = -1;
    beforeAll(async () => {
      list.push(...titles.map((t) => t.make()));
      await mapLimit(list, CONCURRENCY, async (c) => {
        responses.set(c.label, await w.t.gql(c.query, c.variables, null));
      });
      [{ anonymousKeys, revokedKeys }] = await ownerQuery<{ anonymousKeys: number; revokedKeys: number }>(
        w.t.db,
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
      const count = async () => (await ownerQuery<{ n: number }>(w.t.db, `select count(*)::int as n from api_key`))[0].n;
      before = await count();
      await mapLimit(list, CONCURRENCY, async (c) => {
        responses.set(
          c,
          await w.t.gql(
            `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id role unit { id } } userErrors { code field } } }`,
            { input: { name: nameOf(c), role: 'REPORTER', unitId: unitOf(c.target).id } },
            account(c.spec).token,
          ),
        );
      });
      after = await count();
      const rows = await ownerQuery<{ name: string; n: number; unit_id: string }>(
        w.t.db,
        `select name, count(*)::int as n, min(unit_id)::text as unit_id from api_key where name like 'matrix create %' group by name`,
      );
      made = new Map(rows.map((r) => [r.name, { count: r.n, unitId: r.unit_id }]));
    });
    const words = { created: 'creates the key', notFound: 'gets a NOT_FOUND user error and creates nothing', forbidden: 'gets FORBIDDEN and creates nothing' };
    for (const c of list) {
      matrixCase(`${c.spec.who} creating an API key for ${where(c.target, c.spec)} ${words[c.outcome]}`, () => {
        const response = responses.get(c)!;
        const unit = unitOf(c.target);
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
          await w.t.gql(
            `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id revokedAt unit { id } } userErrors { code field } } }`,
            { input: { id: w.revokeKeys.get(revokeKeyName(c.spec, c.target))! } },
            account(c.spec).token,
          ),
        );
      });
      const rows = await ownerQuery<{ name: string }>(
        w.t.db,
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
          expectNoLeak(response, unitSecrets(unitOf(c.target)));
        } else {
          expect(response.errors).toBeUndefined();
          const payload = response.data.revokeApiKey;
          expect(payload.userErrors).toEqual([]);
          expect(payload.apiKey).toMatchObject({ id: w.revokeKeys.get(name), unit: { id: unitOf(c.target).id } });
          expect(payload.apiKey.revokedAt).not.toBeNull();
          expect(revoked.has(name)).toBe(true);
        }
      });
    }
  });

  // -------------------------------------------------------------------------------------------
  it('ran at least 1,000 generated cases', () => {
    expect(cases).toBeGreaterThanOrEqual(1000);
  });
});
