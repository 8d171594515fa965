import {
  getNamedType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { GraphQLResponse } from './app';

/**
 * The pieces of the generated access matrix (test/access-matrix-*.test.ts): an oracle written
 * from docs/access.md alone, and query builders that read the schema. Nothing here imports the
 * access code it checks (capabilities.ts, permissions.ts): an expectation copied from the
 * implementation would agree with its bugs.
 */

export const ROLES = ['CITY_ADMIN', 'ORG_STAFF', 'COMMITTEE_VIEWER', 'REPORTER', 'AUDITOR'] as const;
export type MatrixRole = (typeof ROLES)[number];

/** The city, two districts and one ward under each: enough for "inside", "above", "beside". */
export const UNITS = ['DN', 'DN.HAICHAU', 'DN.SONTRA', 'DN.HAICHAU.THACHTHANG', 'DN.SONTRA.MANTHAI'] as const;
export type MatrixUnit = (typeof UNITS)[number];

/** docs/access.md, "Roles and capabilities", read as three yes/no questions per role. */
export const RIGHTS: Record<MatrixRole, { records: boolean; sensitive: boolean; manage: boolean }> = {
  // "everything, plus units and accounts"
  CITY_ADMIN: { records: true, sensitive: true, manage: true },
  // "full records incl. sensitive fields"
  ORG_STAFF: { records: true, sensitive: true, manage: false },
  // "records without sensitive fields"
  COMMITTEE_VIEWER: { records: true, sensitive: false, manage: false },
  // "statistics, operational lists, non-sensitive list fields"
  REPORTER: { records: true, sensitive: false, manage: false },
  // "audit history, verification" — no member records at all
  AUDITOR: { records: false, sensitive: false, manage: false },
};

/** What reading a field needs: anyone signed in, the records right, the sensitive right, or management. */
export type Need = 'any' | 'records' | 'sensitive' | 'manage';

export function allowed(role: MatrixRole, need: Need): boolean {
  if (need === 'any') return true;
  return RIGHTS[role][need];
}

/**
 * Scope by unit code: codes are the parent's code, a dot and a name (docs/api.md), so the subtree
 * of a unit is its code and every code starting with it and a dot. Independent of ltree paths.
 */
export function within(code: string, scopeCode: string): boolean {
  return code === scopeCode || code.startsWith(`${scopeCode}.`);
}

/**
 * The sensitive fields of docs/access.md: national ID, religion, ethnicity of a named person, discipline,
 * family, addresses, phone, health (a serious illness, an early badge's ground), how a member left
 * (the cause, a conviction's expungement). Matched by stem, so `religionId` or `familyMembers` stay sensitive.
 */
// hasNationalId, whether a CCCD is recorded (docs/access.md), is not: the list filter tells it to every reader.
const SENSITIVE = /(?<!has)nationalId|religio|ethnic|disciplin|family|address|phone|seriousIllness|^ground$|^cause$|conviction/i;

export function isSensitive(fieldName: string): boolean {
  return SENSITIVE.test(fieldName);
}

/** True when a type is (or is a connection of) the named type. */
export function reaches(type: GraphQLNamedType, name: string): boolean {
  if (type.name === name) return true;
  if (!isObjectType(type)) return false;
  const edges = type.getFields().edges;
  if (!edges) return false;
  const edge = getNamedType(edges.type);
  return isObjectType(edge) && !!edge.getFields().node && getNamedType(edge.getFields().node.type).name === name;
}

/**
 * The oracle for one field of an object type:
 * - every field of a member is part of its record; sensitive ones need the sensitive right;
 * - a field of any other type that leads to members (OrgUnit.members) lists member records;
 * - a field leading to API keys is account management;
 * - the rest (unit tree, one's own account) is structure any signed-in role may read.
 */
export function fieldNeed(typeName: string, field: GraphQLField<unknown, unknown>): Need {
  if (typeName === 'Member') return isSensitive(field.name) ? 'sensitive' : 'records';
  const named = getNamedType(field.type);
  if (reaches(named, 'Member')) return 'records';
  if (reaches(named, 'ApiKey')) return 'manage';
  return 'any';
}

export function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`schema has no object type ${name}`);
  return type;
}

export function fieldsOf(schema: GraphQLSchema, name: string): GraphQLField<unknown, unknown>[] {
  return Object.values(objectType(schema, name).getFields());
}

export function isConnection(type: GraphQLNamedType): boolean {
  return isObjectType(type) && !!type.getFields().totalCount && !!type.getFields().edges;
}

/**
 * The smallest selection of a field: a scalar or enum itself, a connection `{ totalCount }`,
 * another object `{ id }`. Null when the field needs an argument the matrix cannot invent.
 */
export function minimalSelection(field: GraphQLField<unknown, unknown>): string | null {
  // Required arguments the matrix can fill: a Date (any day serves to test access).
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  if (required.some((a) => getNamedType(a.type).name !== 'Date')) return null;
  const call = required.length ? `${field.name}(${required.map((a) => `${a.name}: "2020-01-01"`).join(', ')})` : field.name;
  const named = getNamedType(field.type);
  if (!isObjectType(named)) return call;
  const fields = named.getFields();
  if (fields.totalCount) return `${call} { totalCount }`;
  if (fields.id) return `${call} { id }`;
  const scalar = Object.values(fields).find((f) => !isObjectType(getNamedType(f.type)));
  if (scalar) return `${call} { ${scalar.name} }`;
  // A type of lists only (UnitLineage): one of them, by a scalar of its items.
  for (const f of Object.values(fields)) {
    const item = getNamedType(f.type);
    const itemScalar = isObjectType(item) ? Object.values(item.getFields()).find((g) => !isObjectType(getNamedType(g.type))) : undefined;
    if (itemScalar) return `${call} { ${f.name} { ${itemScalar.name} } }`;
  }
  return null;
}

/** camelCase field → snake_case column (partyCardNumber → party_card_number). */
export function columnOf(fieldName: string): string {
  return fieldName.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Runs fn over items with at most `limit` in flight: the server is real, the machine small. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Splits a list into chunks (aliases per request stay under the server's alias limit). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type ResponseError = NonNullable<GraphQLResponse['errors']>[number];

/** Errors whose path starts at the given response key (one alias of a batched query). */
export function errorsAt(response: GraphQLResponse, key: string): ResponseError[] {
  return (response.errors ?? []).filter((e) => (e.path as unknown[] | undefined)?.[0] === key);
}

export function codesOf(errors: readonly ResponseError[]): (string | undefined)[] {
  return errors.map((e) => e.extensions?.code);
}

/** The strings of `secrets` (non-empty ones) that occur in the text; empty means nothing leaked. */
export function leaked(text: string, secrets: readonly (string | null | undefined)[]): string[] {
  return secrets.filter((s): s is string => !!s && text.includes(s));
}

/** How a request must come out, in the words of docs/access.md. */
export type Outcome = 'forbidden' | 'absent' | 'redacted' | 'visible';

export const OUTCOME_WORDS: Record<Outcome, string> = {
  forbidden: 'FORBIDDEN and no data',
  absent: 'absent (null or empty, no error)',
  redacted: 'null with FORBIDDEN (sensitive)',
  visible: 'the stored value',
};
