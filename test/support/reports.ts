import { expect } from 'vitest';
import { hashPassword } from '../../src/access/passwords';
import { fixedClock } from '../../src/clock';
import { ownerQuery } from './db';
import { startTestApp, type TestApp } from './app';

/**
 * The shared set-up of the report tests (test/reports-*.test.ts): reports (statistics, flows,
 * badge list, operational lists) through GraphQL, checked against the unit tree, independent SQL
 * over the dated periods, and members made by hand through the mutations (so the triggers that
 * keep the reporting facts run as they do in production).
 */
export const TODAY = '2026-11-20';
export const AS_OF = '2026-11-01';
export const CEREMONY = '2027-02-03';

export const ACTIVE = ['PROBATIONARY', 'OFFICIAL', 'RELEASED'];
export const BREAKDOWNS = [
  'byStatus', 'byGender', 'byAgeBand', 'byPartyAgeBand', 'byEthnicity', 'byReligion', 'byGeneralEducation',
  'byProfessionalLevel', 'byPoliticalTheory', 'byOccupation',
] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export interface Count {
  key: string;
  label: string;
  count: number;
}
export type Stats = { unit: { id: string; code: string }; asOf: string; total: number; averageAge: number | null; registeredDirectly: number } & Record<Breakdown, Count[]> & {
  children: { unit: { id: string }; total: number; byStatus: Count[] }[];
};
export interface Flows {
  unit: { id: string };
  from: string;
  to: string;
  opening: number;
  admissions: number;
  readmissions: number;
  officialConfirmations: number;
  transfersIn: number;
  transfersOut: number;
  reorganisedIn: number;
  reorganisedOut: number;
  departures: Count[];
  closing: number;
}

export const STATS_FRAGMENT = `fragment S on UnitStatistics {
  unit { id code } asOf total averageAge registeredDirectly
  ${BREAKDOWNS.map((b) => `${b} { key label count }`).join(' ')}
  children { unit { id } total byStatus { key label count } }
}`;
export const FLOWS_FRAGMENT = `fragment F on UnitFlows {
  unit { id } from to opening admissions readmissions officialConfirmations transfersIn transfersOut reorganisedIn reorganisedOut departures { key label count } closing
}`;

export const MEMBER_FIELDS = `id version status joinedOn officialOn leftOn readmittedOn partyAge { years months }`;
export const PAYLOAD = `member { ${MEMBER_FIELDS} } userErrors { field message code }`;
export const CREATE = `mutation($input: CreateMemberInput!) { createMember(input: $input) { ${PAYLOAD} } }`;
export const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { ${PAYLOAD} } }`;
export const CHANGE = `mutation($input: ChangeMemberStatusInput!) { changeMemberStatus(input: $input) { ${PAYLOAD} } }`;
export const CONFIRM_OFFICIAL = `mutation($input: ConfirmOfficialInput!) { confirmOfficial(input: $input) { ${PAYLOAD} } }`;
export const READMIT = `mutation($input: ReadmitMemberInput!) { readmitMember(input: $input) { ${PAYLOAD} } }`;
export const ADD = `mutation($input: AddSubRecordInput!) { addSubRecord(input: $input) { record { ... on Award { id } ... on DisciplineRecord { id } } userErrors { field message code } } }`;
export const ISSUE = `mutation($input: TransferMemberInput!) { transferMember(input: $input) { transfer { id status } userErrors { field code message } } }`;
export const CONFIRM_TRANSFER = `mutation($input: ConfirmTransferInput!) { confirmTransfer(input: $input) { transfer { id status confirmedOn } userErrors { field code message } } }`;
export const BADGES = `query($unitId: ID, $ceremonyOn: Date, $rules: BadgeRules, $after: String) {
  badgesDue(unitId: $unitId, ceremonyOn: $ceremonyOn, rules: $rules, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { member { id } badgeYears partyAgeYears reason } }
  }
}`;
export const DUPLICATES = `query($unitId: ID, $after: String) {
  duplicateMembers(unitId: $unitId, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id members { id fullName dateOfBirth } } }
  }
}`;

export const decision = (date: string) => ({ number: '12-QĐ/ĐU', date, issuedBy: 'Đảng ủy phường Thạch Thang' });

// ——— Date arithmetic done here, by hand, independently of the code under test. ———
export function ymd(iso: string): [number, number, number] {
  const [y, m, d] = iso.split('-').map(Number);
  return [y, m, d];
}
/** Completed years from `from` to `on`. */
export function completedYears(from: string, on: string): number {
  const [fy, fm, fd] = ymd(from);
  const [ty, tm, td] = ymd(on);
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}
export function plusDays(iso: string, days: number): string {
  const [y, m, d] = ymd(iso);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}
/** Party age in completed years on `on`, counting only the given spans inside the party. */
export function partyYears(spans: [string, string | null][], on: string): number {
  let days = 0;
  for (const [from, to] of spans) if (from < on) days += daysBetween(from, to && to < on ? to : on);
  return completedYears(plusDays(on, -days), on);
}
export function ageBand(age: number): string {
  if (age <= 30) return 'UP_TO_30';
  if (age <= 40) return 'FROM_31_TO_40';
  if (age <= 50) return 'FROM_41_TO_50';
  if (age <= 60) return 'FROM_51_TO_60';
  if (age <= 70) return 'FROM_61_TO_70';
  return 'OVER_70';
}
export function partyAgeBand(years: number): string {
  if (years < 10) return 'UNDER_10';
  if (years < 20) return 'FROM_10_TO_19';
  if (years < 30) return 'FROM_20_TO_29';
  if (years < 40) return 'FROM_30_TO_39';
  if (years < 50) return 'FROM_40_TO_49';
  return 'FROM_50';
}

/** A breakdown as key → count, zero entries left out (catalogue breakdowns omit empty categories). */
export function counts(list: Count[]): Record<string, number> {
  return Object.fromEntries(list.filter((c) => c.count !== 0).map((c) => [c.key, c.count]));
}
export function bump(map: Record<string, number>, key: string, by: number) {
  map[key] = (map[key] ?? 0) + by;
  if (map[key] === 0) delete map[key];
}
export const sum = (list: { count: number }[]) => list.reduce((a, c) => a + c.count, 0);

export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}


export type MemberRow = { id: string; version: number; status: string; partyAge: { years: number; months: number } };

/**
 * One report test file's app and the helpers bound to it: call `start()` in the file's beforeAll
 * and close the returned app in its afterAll. The helpers' default token is the admin's.
 */
export function reportsHarness() {
  let t: TestApp;
  let admin: string;
  let staff: string; // thachthang: ORG_STAFF of DN.HAICHAU.THACHTHANG
  let receiver: string; // ORG_STAFF of DN.SONTRA.MANTHAI, made for the transfer
  const unitIds: Record<string, string> = {};
  const used: string[] = []; // demo members this file has changed
  let serial = 0;

  const unitId = async (code: string) => {
    if (!unitIds[code]) {
      const [row] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = $1`, [code]);
      if (!row) throw new Error(`no unit ${code}`);
      unitIds[code] = row.id;
    }
    return unitIds[code];
  };

  /** statistics of several units in one request per 15 (the alias limit). */
  async function statistics(ids: string[], asOf: string | null, token = admin): Promise<Stats[]> {
    const pages = await mapLimit(chunks(ids, 15), 4, async (page) => {
      const defs = page.map((_, i) => `$u${i}: ID!`).join(' ');
      const fields = page.map((_, i) => `s${i}: statistics(unitId: $u${i}, asOf: $asOf) { ...S }`).join('\n');
      const vars: Record<string, unknown> = { asOf };
      page.forEach((id, i) => (vars[`u${i}`] = id));
      const result = await t.gql(`query(${defs} $asOf: Date) { ${fields} } ${STATS_FRAGMENT}`, vars, token);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return page.map((_, i) => result.data[`s${i}`] as Stats);
    });
    return pages.flat();
  }
  const stat = async (id: string, asOf: string | null, token = admin) => (await statistics([id], asOf, token))[0];

  async function flows(requests: { unitId: string; from: string; to: string }[], token = admin): Promise<Flows[]> {
    const pages = await mapLimit(chunks(requests, 15), 4, async (page) => {
      const defs = page.map((_, i) => `$u${i}: ID! $f${i}: Date! $t${i}: Date!`).join(' ');
      const fields = page.map((_, i) => `f${i}: flows(unitId: $u${i}, from: $f${i}, to: $t${i}) { ...F }`).join('\n');
      const vars: Record<string, unknown> = {};
      page.forEach((r, i) => Object.assign(vars, { [`u${i}`]: r.unitId, [`f${i}`]: r.from, [`t${i}`]: r.to }));
      const result = await t.gql(`query(${defs}) { ${fields} } ${FLOWS_FRAGMENT}`, vars, token);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return page.map((_, i) => result.data[`f${i}`] as Flows);
    });
    return pages.flat();
  }

  /** Active members of each unit by the members list (current records), one request per 15 units. */
  async function activeListed(ids: string[], token = admin): Promise<number[]> {
    const pages = await mapLimit(chunks(ids, 15), 4, async (page) => {
      const defs = page.map((_, i) => `$u${i}: ID!`).join(' ');
      const fields = page.map((_, i) => `m${i}: members(filter: { unitId: $u${i}, status: [PROBATIONARY, OFFICIAL, RELEASED] }, first: 0) { totalCount }`).join('\n');
      const vars: Record<string, unknown> = {};
      page.forEach((id, i) => (vars[`u${i}`] = id));
      const result = await t.gql(`query(${defs}) { ${fields} }`, vars, token);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return page.map((_, i) => result.data[`m${i}`].totalCount as number);
    });
    return pages.flat();
  }
  async function expectStatisticsMatchLists(ids: string[], token: string, soft = false) {
    const [stats, listed] = await Promise.all([statistics(ids, null, token), activeListed(ids, token)]);
    const mismatches = ids.flatMap((id, i) => (stats[i].total === listed[i] ? [] : [`${stats[i].unit.code}: statistics ${stats[i].total} ≠ members ${listed[i]}`]));
    (soft ? expect.soft(mismatches) : expect(mismatches)).toEqual([]);
  }

  async function allPages<T>(query: string, vars: Record<string, unknown>, token: string, field: string): Promise<{ nodes: T[]; totalCount: number }> {
    const nodes: T[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (;;) {
      const result: { data?: any; errors?: unknown } = await t.gql(query, { ...vars, after }, token);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      const connection: any = result.data[field];
      totalCount = connection.totalCount;
      nodes.push(...connection.edges.map((e: any) => e.node));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    return { nodes, totalCount };
  }

  /** An official demo member of a unit's subtree that this file has not used yet. */
  async function pickMember(code: string) {
    const [row] = await ownerQuery<{ id: string; version: number; gender: string; ethnicity: string | null; political_theory: string | null; unit: string }>(
      t.db,
      `select m.id::text, m.version, m.gender, m.ethnicity, m.political_theory, u.code as unit
         from member m join org_unit u on u.id = m.unit_id
        where u.code like $1 and m.status = 'OFFICIAL' and m.joined_on < '2026-01-01' and not m.under_review
          and not exists (select 1 from transfer x where x.member_id = m.id) and not (m.id = any($2::bigint[]))
        order by m.id limit 1`,
      [`${code}.%`, used],
    );
    used.push(row.id);
    return row;
  }

  async function ok(query: string, input: Record<string, unknown>, field: string, token = staff): Promise<MemberRow> {
    const result = await t.gql(query, { input }, token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data[field].userErrors, JSON.stringify(result.data[field].userErrors)).toEqual([]);
    return result.data[field].member;
  }
  async function admit(cellCode: string, m: { dateOfBirth: string; joinedOn: string; official?: boolean; fullName?: string; gender?: string }, token = staff) {
    serial++;
    const officialOn = m.official ? `${Number(m.joinedOn.slice(0, 4)) + 1}${m.joinedOn.slice(4)}` : undefined;
    return ok(
      CREATE,
      {
        unitId: await unitId(cellCode),
        fullName: m.fullName ?? `Phan Thị Báo Cáo ${serial}`,
        gender: m.gender ?? 'FEMALE',
        dateOfBirth: m.dateOfBirth,
        joinedOn: m.joinedOn,
        ...(officialOn ? { officialOn } : {}),
        decision: decision(m.joinedOn),
      },
      'createMember',
      token,
    );
  }
  /** A departure records its cause (issue 12): one that does not bar readmission; death goes without saying. */
  const CAUSES: Record<string, string> = { REMOVED: 'LOST_QUALITIES', EXPELLED: 'DISCIPLINE', RESIGNED: 'VOLUNTARY_RESIGNATION' };
  const changeStatus = (member: MemberRow, status: string, effectiveOn: string, token = staff) =>
    ok(
      CHANGE,
      {
        id: member.id, expectedVersion: member.version, status, effectiveOn, decision: decision(effectiveOn), reason: 'Theo quyết định',
        ...(CAUSES[status] ? { cause: CAUSES[status] } : {}),
      },
      'changeMemberStatus',
      token,
    );
  const readmit = (member: MemberRow, joinedOn: string) =>
    ok(READMIT, { id: member.id, expectedVersion: member.version, joinedOn, decision: decision(joinedOn), reason: 'Kết nạp lại' }, 'readmitMember');
  const confirmOfficial = (member: MemberRow) =>
    ok(CONFIRM_OFFICIAL, { id: member.id, expectedVersion: member.version, decision: decision(TODAY) }, 'confirmOfficial');

  /** Starts the app on its own database clone (today = TODAY) and signs in admin, thachthang and a Mân Thái staff account. */
  async function start() {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    const hash = await hashPassword('test-password-1');
    await ownerQuery(
      t.db,
      `insert into account (username, password_hash, role, unit_id) select 'manthai.staff', $1, 'ORG_STAFF', id from org_unit where code = 'DN.SONTRA.MANTHAI'`,
      [hash],
    );
    [admin, staff, receiver] = await Promise.all([t.login('admin'), t.login('thachthang'), t.login('manthai.staff', 'test-password-1')]);
    return { t, admin, staff, receiver };
  }

  return {
    start, unitId, statistics, stat, flows, activeListed, expectStatisticsMatchLists, allPages, pickMember,
    ok, admit, changeStatus, readmit, confirmOfficial,
  };
}
