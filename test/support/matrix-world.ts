import { catalogueItem, type CatalogueKind } from '../../src/catalogues/catalogues';
import { getNamedType, isListType, isNonNullType, isObjectType, type GraphQLField } from 'graphql';
import { expect, it } from 'vitest';
import { hashPassword } from '../../src/access/passwords';
import { buildBareSchema } from '../../src/app/schema';
import { startTestApp, type GraphQLResponse, type TestApp } from './app';
import { ownerQuery } from './db';
import {
  ROLES,
  UNITS,
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
} from './matrix';

/**
 * The world of the generated access matrix (test/access-matrix-*.test.ts): every role at the city,
 * two districts and two wards, against a member and a unit at each of those places. Each topic
 * file builds its own world (buildWorld) on its own cloned database; the helpers here take it as
 * a parameter. Expectations come from the oracle (./matrix.ts) and from the database read as the
 * owner, never from the API's own answers.
 */

export const PASSWORD = 'matrix-password-not-a-demo-one';
/** Requests in flight at once: enough to keep two cores busy, few enough for a pool of ten. */
export const CONCURRENCY = 6;
/** Aliases per request; the server refuses more than 15. */
export const ALIAS_BUDGET = 14;
/** The API's largest page. */
export const PAGE = 100;

export const schema = buildBareSchema();
export const QUERY = objectType(schema, 'Query');

// ---------------------------------------------------------------------------------------------
// The accounts and targets, known before anything runs so every case can be named.

export interface MatrixAccountSpec {
  role: MatrixRole;
  unit: MatrixUnit;
  username: string;
  /** e.g. "a ward COMMITTEE_VIEWER (DN.HAICHAU.THACHTHANG)" */
  who: string;
}

export const LEVEL: Record<MatrixUnit, string> = {
  DN: 'city',
  'DN.HAICHAU': 'district',
  'DN.SONTRA': 'district',
  'DN.HAICHAU.THACHTHANG': 'ward',
  'DN.SONTRA.MANTHAI': 'ward',
};

export const ACCOUNTS: MatrixAccountSpec[] = ROLES.flatMap((role) =>
  UNITS.map((unit) => ({
    role,
    unit,
    username: `mx.${role.toLowerCase()}.${unit.toLowerCase()}`,
    who: `a ${LEVEL[unit]} ${role} (${unit})`,
  })),
);

/** Where a target sits relative to an account, for case names. */
export function where(target: MatrixUnit, account: MatrixAccountSpec): string {
  if (target === account.unit) return `its own ${LEVEL[target]}`;
  if (within(target, account.unit)) return `a ${LEVEL[target]} below it (${target})`;
  if (within(account.unit, target)) return `the ${LEVEL[target]} above it (${target})`;
  return `another ${LEVEL[target]} (${target})`;
}

// Filled by the top-level beforeAll.
export interface AccountInfo extends MatrixAccountSpec {
  id: string;
  unitId: string;
  token: string;
  cols: Row;
}
export interface UnitRow {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  cols: Row;
}
export interface MemberTarget {
  id: string;
  /** Code of the cell the member is registered in. */
  code: string;
  fullName: string;
  card: string;
  nationalId: string;
  cols: Row;
}
export interface World {
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
  /** API keys and transfers as the owner reads them, taken by the root-field cases before they run. */
  apiKeysNow: { id: string; code: string }[];
  /** Transfers and the codes of both ends: visible where either end is in scope. */
  transfersNow: { id: string; from_code: string; to_code: string }[];
  /** Stops the test app and drops its database. */
  close(): Promise<void>;
}

export const account = (w: World, spec: MatrixAccountSpec) => w.accounts.get(spec.username)!;
export const unitOf = (w: World, code: MatrixUnit) => w.unitsByCode.get(code)!;
export const membersUnder = (w: World, code: string) => w.members.filter((m) => within(m.code, code)).map((m) => m.id);
export const unitsUnder = (w: World, code: string) => [...w.unitsById.values()].filter((u) => within(u.code, code)).map((u) => u.id);
export const childrenOf = (w: World, id: string) => [...w.unitsById.values()].filter((u) => u.parentId === id).map((u) => u.id);

/** Identifying text of a target: none of it may appear where the target is out of reach. */
export const memberSecrets = (m: MemberTarget) => [m.fullName, m.card, m.nationalId];
export const unitSecrets = (u: UnitRow) => [u.name, u.code];

/** A whole row as JSON (dates as YYYY-MM-DD, instants ISO 8601, arrays as arrays), to compare any field generically. */
export type Row = Record<string, unknown>;
export const ROW_JSON = `to_jsonb(x)`;

export const anonymousKeyName = (code: MatrixUnit) => `matrix anonymous revoke ${code}`;
export const revokeKeyName = (spec: MatrixAccountSpec, code: MatrixUnit) => `matrix revoke ${spec.username} ${code}`;

/**
 * `it`s that count themselves: the matrix must really run what it claims. One counter per topic
 * file; the file's last test checks `count()` against a floor for that file.
 */
export function caseCounter() {
  let cases = 0;
  return {
    matrixCase(title: string, fn: () => void | Promise<void>) {
      it(title, async () => {
        cases++;
        await fn();
      });
    },
    count: () => cases,
  };
}

export function expectOnly(errors: Parameters<typeof codesOf>[0] | undefined, code: string) {
  const codes = codesOf(errors ?? []);
  expect(codes.length, `expected a ${code} error`).toBeGreaterThan(0);
  expect(codes).toEqual(codes.map(() => code));
}

export function expectNoLeak(response: unknown, secrets: readonly (string | null | undefined)[]) {
  expect(leaked(JSON.stringify(response), secrets), 'identifying text of an unreachable record').toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Field rules derived from the schema.

export interface FieldSpec {
  typeName: string;
  field: GraphQLField<unknown, unknown>;
  selection: string;
  need: Need;
}

/** Fields of Member, OrgUnit and Account the matrix cannot select: must stay empty (checked by the oracle file). */
export const uncoveredFields: string[] = [];

export function fieldSpecs(typeName: string): FieldSpec[] {
  return fieldsOf(schema, typeName).flatMap((field) => {
    const selection = minimalSelection(field);
    if (!selection) {
      uncoveredFields.push(`${typeName}.${field.name}`);
      return [];
    }
    return [{ typeName, field, selection, need: fieldNeed(typeName, field) }];
  });
}

/** Member fields shown as the label of the catalogue code stored in the column of the same name. */
export const LABELLED: Record<string, CatalogueKind> = { ethnicity: 'ETHNIC_GROUP', religion: 'RELIGION' };

export const MEMBER_FIELDS = fieldSpecs('Member');
export const UNIT_FIELDS = fieldSpecs('OrgUnit');
export const ACCOUNT_FIELDS = fieldSpecs('Account');

/**
 * The stored value of a field of a row, as the API should print it; `known: false` when the
 * field maps to nothing the matrix can compute (then only its access is checked).
 * Scalars map to the column of the same name; `x { id }` to the column `x_id`, seen only when the
 * unit it names is in the reader's scope; connections of a unit to its children or members.
 */
export function storedValue(w: World, spec: FieldSpec, row: Row, scopeCode: string): { known: true; value: unknown } | { known: false } {
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
    if (reaches(named, 'OrgUnit')) return { known: true, value: { totalCount: childrenOf(w, String(row.id)).length } };
    if (reaches(named, 'Member')) return { known: true, value: { totalCount: membersUnder(w, String(row.code)).length } };
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
export function normalized(spec: FieldSpec, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => normalized(spec, item));
  if (typeof value === 'object') return value;
  if (getNamedType(spec.field.type).name === 'DateTime') return new Date(String(value)).toISOString();
  return String(value);
}

/** Checks one alias of a batched query against the outcome the oracle gave. */
export function checkAlias(
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
export async function runAliased<C>(
  w: World,
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
// The world: the accounts signed in, the targets picked, the API keys made, all as the owner.

/**
 * Builds one matrix world on a fresh test app: the matrix accounts (five roles at five units),
 * their sign-ins, one member target per unit, the unit tree and every member (the ground truth
 * of scope), and API keys for the anonymous and revoke cases.
 */
export async function buildWorld(): Promise<World> {
  const w = { apiKeysNow: [], transfersNow: [] } as unknown as World;
  w.t = await startTestApp();
  w.close = () => w.t.close();
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
  return w;
}
