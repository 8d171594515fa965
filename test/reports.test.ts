import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/access/passwords';
import { fixedClock } from '../src/clock';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/**
 * Reports (statistics, flows, badge list, operational lists) through GraphQL, checked against
 * the unit tree, independent SQL over the dated periods, and members made by hand through the
 * mutations (so the triggers that keep the reporting facts run as they do in production).
 */
const TODAY = '2026-11-20';
const AS_OF = '2026-11-01';
const CEREMONY = '2027-02-03';

const ACTIVE = ['PROBATIONARY', 'OFFICIAL', 'RELEASED'];
const BREAKDOWNS = [
  'byStatus', 'byGender', 'byAgeBand', 'byPartyAgeBand', 'byEthnicity', 'byReligion', 'byGeneralEducation',
  'byProfessionalLevel', 'byPoliticalTheory', 'byOccupation',
] as const;
type Breakdown = (typeof BREAKDOWNS)[number];

interface Count {
  key: string;
  label: string;
  count: number;
}
type Stats = { unit: { id: string; code: string }; asOf: string; total: number; registeredDirectly: number } & Record<Breakdown, Count[]> & {
  children: { unit: { id: string }; total: number; byStatus: Count[] }[];
};
interface Flows {
  unit: { id: string };
  from: string;
  to: string;
  opening: number;
  admissions: number;
  readmissions: number;
  officialConfirmations: number;
  transfersIn: number;
  transfersOut: number;
  departures: Count[];
  closing: number;
}

const STATS_FRAGMENT = `fragment S on UnitStatistics {
  unit { id code } asOf total registeredDirectly
  ${BREAKDOWNS.map((b) => `${b} { key label count }`).join(' ')}
  children { unit { id } total byStatus { key label count } }
}`;
const FLOWS_FRAGMENT = `fragment F on UnitFlows {
  unit { id } from to opening admissions readmissions officialConfirmations transfersIn transfersOut departures { key label count } closing
}`;

const MEMBER_FIELDS = `id version status joinedOn officialOn leftOn readmittedOn partyAge { years months }`;
const PAYLOAD = `member { ${MEMBER_FIELDS} } userErrors { field message code }`;
const CREATE = `mutation($input: CreateMemberInput!) { createMember(input: $input) { ${PAYLOAD} } }`;
const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { ${PAYLOAD} } }`;
const CHANGE = `mutation($input: ChangeMemberStatusInput!) { changeMemberStatus(input: $input) { ${PAYLOAD} } }`;
const CONFIRM_OFFICIAL = `mutation($input: ConfirmOfficialInput!) { confirmOfficial(input: $input) { ${PAYLOAD} } }`;
const READMIT = `mutation($input: ReadmitMemberInput!) { readmitMember(input: $input) { ${PAYLOAD} } }`;
const ADD = `mutation($input: AddSubRecordInput!) { addSubRecord(input: $input) { record { ... on Award { id } ... on DisciplineRecord { id } } userErrors { field message code } } }`;
const ISSUE = `mutation($input: TransferMemberInput!) { transferMember(input: $input) { transfer { id status } userErrors { field code message } } }`;
const CONFIRM_TRANSFER = `mutation($input: ConfirmTransferInput!) { confirmTransfer(input: $input) { transfer { id status confirmedOn } userErrors { field code message } } }`;
const BADGES = `query($unitId: ID, $ceremonyOn: Date, $rules: BadgeRules, $after: String) {
  badgesDue(unitId: $unitId, ceremonyOn: $ceremonyOn, rules: $rules, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { member { id } badgeYears partyAgeYears reason } }
  }
}`;
const DUPLICATES = `query($unitId: ID, $after: String) {
  duplicateMembers(unitId: $unitId, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id members { id fullName dateOfBirth } } }
  }
}`;

const decision = (date: string) => ({ number: '12-QĐ/ĐU', date, issuedBy: 'Đảng ủy phường Thạch Thang' });

// ——— Date arithmetic done here, by hand, independently of the code under test. ———
function ymd(iso: string): [number, number, number] {
  const [y, m, d] = iso.split('-').map(Number);
  return [y, m, d];
}
/** Completed years from `from` to `on`. */
function completedYears(from: string, on: string): number {
  const [fy, fm, fd] = ymd(from);
  const [ty, tm, td] = ymd(on);
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}
function plusDays(iso: string, days: number): string {
  const [y, m, d] = ymd(iso);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}
/** Party age in completed years on `on`, counting only the given spans inside the party. */
function partyYears(spans: [string, string | null][], on: string): number {
  let days = 0;
  for (const [from, to] of spans) if (from < on) days += daysBetween(from, to && to < on ? to : on);
  return completedYears(plusDays(on, -days), on);
}
function ageBand(age: number): string {
  if (age <= 30) return 'UP_TO_30';
  if (age <= 40) return 'FROM_31_TO_40';
  if (age <= 50) return 'FROM_41_TO_50';
  if (age <= 60) return 'FROM_51_TO_60';
  if (age <= 70) return 'FROM_61_TO_70';
  return 'OVER_70';
}
function partyAgeBand(years: number): string {
  if (years < 10) return 'UNDER_10';
  if (years < 20) return 'FROM_10_TO_19';
  if (years < 30) return 'FROM_20_TO_29';
  if (years < 40) return 'FROM_30_TO_39';
  if (years < 50) return 'FROM_40_TO_49';
  return 'FROM_50';
}

/** A breakdown as key → count, zero entries left out (catalogue breakdowns omit empty categories). */
function counts(list: Count[]): Record<string, number> {
  return Object.fromEntries(list.filter((c) => c.count !== 0).map((c) => [c.key, c.count]));
}
function bump(map: Record<string, number>, key: string, by: number) {
  map[key] = (map[key] ?? 0) + by;
  if (map[key] === 0) delete map[key];
}
const sum = (list: { count: number }[]) => list.reduce((a, c) => a + c.count, 0);

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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
function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

describe('reports', () => {
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

  type MemberRow = { id: string; version: number; status: string; partyAge: { years: number; months: number } };
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
  const changeStatus = (member: MemberRow, status: string, effectiveOn: string, token = staff) =>
    ok(CHANGE, { id: member.id, expectedVersion: member.version, status, effectiveOn, decision: decision(effectiveOn), reason: 'Theo quyết định' }, 'changeMemberStatus', token);
  const readmit = (member: MemberRow, joinedOn: string) =>
    ok(READMIT, { id: member.id, expectedVersion: member.version, joinedOn, decision: decision(joinedOn), reason: 'Kết nạp lại' }, 'readmitMember');
  const confirmOfficial = (member: MemberRow) =>
    ok(CONFIRM_OFFICIAL, { id: member.id, expectedVersion: member.version, decision: decision(TODAY) }, 'confirmOfficial');

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    const hash = await hashPassword('test-password-1');
    await ownerQuery(
      t.db,
      `insert into account (username, password_hash, role, unit_id) select 'manthai.staff', $1, 'ORG_STAFF', id from org_unit where code = 'DN.SONTRA.MANTHAI'`,
      [hash],
    );
    [admin, staff, receiver] = await Promise.all([t.login('admin'), t.login('thachthang'), t.login('manthai.staff', 'test-password-1')]);
  });
  afterAll(() => t.close());

  describe('statistics add up over the whole tree', () => {
    let units: { id: string; code: string; kind: string; parent: { id: string } | null }[];
    let byId: Map<string, Stats>;

    beforeAll(async () => {
      const listed = await allPages<{ id: string; code: string; kind: string; parent: { id: string } | null }>(
        `query($after: String) { units(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id code kind parent { id } } } } }`,
        {},
        admin,
        'units',
      );
      units = listed.nodes;
      expect(units.length).toBe(listed.totalCount);
      const stats = await statistics(units.map((u) => u.id), AS_OF);
      byId = new Map(stats.map((s) => [s.unit.id, s]));
    });

    it('every unit of the tree is reported on, with the asked date', async () => {
      const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from org_unit`);
      expect(units.length).toBe(n);
      expect(byId.size).toBe(n);
      for (const u of units) {
        expect(byId.get(u.id)).toMatchObject({ unit: { id: u.id, code: u.code }, asOf: AS_OF });
      }
    });

    it('for every unit: children + registeredDirectly = total, and each child total is that child’s own statistics', () => {
      const problems: string[] = [];
      for (const u of units) {
        const s = byId.get(u.id)!;
        const childSum = s.children.reduce((a, c) => a + c.total, 0);
        if (childSum + s.registeredDirectly !== s.total) problems.push(`${u.code}: children ${childSum} + direct ${s.registeredDirectly} ≠ ${s.total}`);
        const expectedChildren = units.filter((c) => c.parent?.id === u.id).map((c) => c.id).sort();
        const reported = s.children.map((c) => c.unit.id).sort();
        if (JSON.stringify(reported) !== JSON.stringify(expectedChildren)) problems.push(`${u.code}: children ${reported} ≠ tree ${expectedChildren}`);
        for (const child of s.children) {
          const own = byId.get(child.unit.id)!;
          if (child.total !== own.total) problems.push(`${u.code} → child ${own.unit.code}: ${child.total} ≠ ${own.total}`);
          if (JSON.stringify(counts(child.byStatus)) !== JSON.stringify(counts(own.byStatus))) {
            problems.push(`${u.code} → child ${own.unit.code}: byStatus differs`);
          }
        }
        // A cell has no children: everything in it is registered directly.
        if (u.kind === 'CELL' && s.registeredDirectly !== s.total) problems.push(`${u.code}: a cell registers its members directly`);
      }
      expect(problems).toEqual([]);
    });

    it('for every unit: each of the ten breakdowns adds up to total', () => {
      const problems: string[] = [];
      for (const u of units) {
        const s = byId.get(u.id)!;
        for (const b of BREAKDOWNS) if (sum(s[b]) !== s.total) problems.push(`${u.code}.${b}: ${sum(s[b])} ≠ ${s.total}`);
        for (const b of BREAKDOWNS) for (const c of s[b]) if (c.count < 0 || !c.label) problems.push(`${u.code}.${b}.${c.key}: ${c.count} "${c.label}"`);
      }
      expect(problems).toEqual([]);
      const city = units.find((u) => u.kind === 'CITY')!;
      expect(byId.get(city.id)!.total).toBeGreaterThan(0);
    });

    it('every unit’s total and the city’s statuses match an independent count over the status and unit periods', async () => {
      // On the rolls at the end of AS_OF: an active status period and a unit period covering that day.
      const rows = await ownerQuery<{ id: string; n: number }>(
        t.db,
        `select a.id::text, count(distinct sp.member_id)::int n
           from member_status_period sp
           join member_unit_period up on up.member_id = sp.member_id and up.valid_from <= $1::date and (up.valid_to is null or up.valid_to > $1::date)
           join org_unit u on u.id = up.unit_id
           join org_unit a on u.path <@ a.path
          where sp.status = any($2) and sp.valid_from <= $1::date and (sp.valid_to is null or sp.valid_to > $1::date)
          group by a.id`,
        [AS_OF, ACTIVE],
      );
      const expected = new Map(rows.map((r) => [r.id, r.n]));
      const mismatches = units.filter((u) => (expected.get(u.id) ?? 0) !== byId.get(u.id)!.total).map((u) => `${u.code}: ${byId.get(u.id)!.total} ≠ ${expected.get(u.id) ?? 0}`);
      expect(mismatches).toEqual([]);

      const city = units.find((u) => u.kind === 'CITY')!;
      const statuses = await ownerQuery<{ status: string; n: number }>(
        t.db,
        `select sp.status, count(*)::int n from member_status_period sp
          where sp.status = any($2) and sp.valid_from <= $1::date and (sp.valid_to is null or sp.valid_to > $1::date) group by sp.status`,
        [AS_OF, ACTIVE],
      );
      expect(counts(byId.get(city.id)!.byStatus)).toEqual(Object.fromEntries(statuses.filter((r) => r.n).map((r) => [r.status, r.n])));
      const [{ n: cityTotal }] = await ownerQuery<{ n: number }>(
        t.db,
        `select count(distinct sp.member_id)::int n from member_status_period sp
          where sp.status = any($2) and sp.valid_from <= $1::date and (sp.valid_to is null or sp.valid_to > $1::date)`,
        [AS_OF, ACTIVE],
      );
      expect(byId.get(city.id)!.total).toBe(cityTotal);
    });

    it('for every unit, statistics as of today count exactly the active members the members list gives for it', async () => {
      await expectStatisticsMatchLists(units.map((u) => u.id), admin);
    });
  });

  describe('a report for a date does not change when data change after it', () => {
    let ward: string;
    let before: { asOf: Stats; today: Stats; city: Stats };
    let m1: Awaited<ReturnType<typeof pickMember>>;
    let m2: Awaited<ReturnType<typeof pickMember>>;
    const newGender = (g: string) => (g === 'MALE' ? 'FEMALE' : 'MALE');
    const newEthnicity = (e: string | null) => (e === '26' ? '01' : '26');
    const newTheory = (p: string | null) => (p === 'CAO_CAP' ? 'SO_CAP' : 'CAO_CAP');

    beforeAll(async () => {
      ward = await unitId('DN.HAICHAU.THACHTHANG');
      const city = await unitId('DN');
      const [asOf, city1101] = await statistics([ward, city], AS_OF);
      before = { asOf, today: await stat(ward, null, staff), city: city1101 };
      m1 = await pickMember('DN.HAICHAU.THACHTHANG');
      m2 = await pickMember('DN.HAICHAU.THACHTHANG');
      await ok(
        UPDATE,
        { id: m1.id, expectedVersion: m1.version, gender: newGender(m1.gender), ethnicityCode: newEthnicity(m1.ethnicity), politicalTheoryCode: newTheory(m1.political_theory), reason: 'Theo CCCD' },
        'updateMember',
      );
      await changeStatus({ id: m2.id, version: m2.version } as MemberRow, 'DECEASED', TODAY);
    });

    it('statistics as of 2026-11-01 are identical after the edits and the death (ward as staff, city as admin)', async () => {
      expect(await stat(ward, AS_OF, staff)).toEqual(before.asOf);
      expect(await stat(await unitId('DN'), AS_OF)).toEqual(before.city);
    });

    it('as of today, the death dated today shows: one fewer on the rolls, one fewer official', async () => {
      const after = await stat(ward, null, staff);
      expect(after.asOf).toBe(TODAY);
      expect(after.total).toBe(before.today.total - 1);
      const status = counts(before.today.byStatus);
      bump(status, 'OFFICIAL', -1);
      expect(counts(after.byStatus)).toEqual(status);
    });

    // "Today" is the API's today (the clock the server runs with, 2026-11-20 here), which is also
    // statistics' default asOf and the day the death above took effect.
    it('as of today, the corrected gender, ethnicity and political theory show', async () => {
      const after = await stat(ward, null, staff);
      expect(after.asOf).toBe(TODAY);
      const expectShift = (b: Breakdown, from1: string, to1: string, from2: string) => {
        const expected = counts(before.today[b]);
        bump(expected, from1, -1);
        bump(expected, to1, +1);
        bump(expected, from2, -1); // the member who died
        expect.soft(counts(after[b]), b).toEqual(expected);
      };
      expectShift('byGender', m1.gender, newGender(m1.gender), m2.gender);
      expectShift('byEthnicity', m1.ethnicity ?? 'UNKNOWN', newEthnicity(m1.ethnicity), m2.ethnicity ?? 'UNKNOWN');
      expectShift('byPoliticalTheory', m1.political_theory ?? 'UNKNOWN', newTheory(m1.political_theory), m2.political_theory ?? 'UNKNOWN');
    });
  });

  describe('a transfer moves the count from its confirmation date', () => {
    const ISSUED = '2026-11-05';
    const CONFIRMED = '2026-11-12';
    const DAY_BEFORE = '2026-11-11';
    let ids: Record<string, string>;
    let member: Awaited<ReturnType<typeof pickMember>>;
    const before: Record<string, Record<string, Stats>> = {};
    let flowsBefore: Flows[];
    const periods = [
      { from: AS_OF, to: TODAY },
      { from: CONFIRMED, to: CONFIRMED },
      { from: AS_OF, to: DAY_BEFORE },
    ];
    const dates = [DAY_BEFORE, CONFIRMED, TODAY];
    const flowRequests = () => ['fromWard', 'toWard', 'fromDistrict', 'toDistrict', 'city'].flatMap((k) => periods.map((p) => ({ unitId: ids[k], ...p })));

    beforeAll(async () => {
      member = await pickMember('DN.HAICHAU.THACHTHANG');
      ids = {
        fromCell: await unitId(member.unit),
        fromWard: await unitId('DN.HAICHAU.THACHTHANG'),
        fromDistrict: await unitId('DN.HAICHAU'),
        toCell: await unitId('DN.SONTRA.MANTHAI.CB01'),
        toWard: await unitId('DN.SONTRA.MANTHAI'),
        toDistrict: await unitId('DN.SONTRA'),
        city: await unitId('DN'),
      };
      const keys = Object.keys(ids);
      for (const date of dates) {
        const stats = await statistics(keys.map((k) => ids[k]), date);
        before[date] = Object.fromEntries(keys.map((k, i) => [k, stats[i]]));
      }
      flowsBefore = await flows(flowRequests());
    });

    it('pending: the member stays on the sender’s rolls; confirmed: moves from the confirmation date only', async () => {
      const [fresh] = await ownerQuery<{ version: number }>(t.db, `select version from member where id = $1`, [member.id]);
      const issued = await t.gql(
        ISSUE,
        { input: { memberId: member.id, expectedVersion: fresh.version, kind: 'PERMANENT', toUnitCode: 'DN.SONTRA.MANTHAI.CB01', issuedOn: ISSUED, decision: decision(ISSUED), reason: 'Chuyển nơi ở' } },
        staff,
      );
      expect(issued.data.transferMember.userErrors).toEqual([]);
      const transferId = issued.data.transferMember.transfer.id;
      const keys = Object.keys(ids);
      const pending = await statistics(keys.map((k) => ids[k]), TODAY);
      keys.forEach((k, i) => expect(pending[i], `pending ${k}`).toEqual(before[TODAY][k]));

      const confirmed = await t.gql(CONFIRM_TRANSFER, { input: { transferId, confirmedOn: CONFIRMED } }, receiver);
      expect(confirmed.data.confirmTransfer.userErrors).toEqual([]);
      expect(confirmed.data.confirmTransfer.transfer).toMatchObject({ status: 'CONFIRMED', confirmedOn: CONFIRMED });

      const moved: Record<string, number> = { fromCell: -1, fromWard: -1, fromDistrict: -1, toCell: +1, toWard: +1, toDistrict: +1, city: 0 };
      for (const date of dates) {
        const after = await statistics(keys.map((k) => ids[k]), date);
        keys.forEach((k, i) => {
          if (date < CONFIRMED) {
            expect(after[i], `${k} as of ${date}`).toEqual(before[date][k]);
          } else {
            expect(after[i].total, `${k} as of ${date}`).toBe(before[date][k].total + moved[k]);
            const status = counts(before[date][k].byStatus);
            bump(status, 'OFFICIAL', moved[k]);
            expect(counts(after[i].byStatus), `${k} byStatus as of ${date}`).toEqual(status);
          }
        });
      }
    });

    it('flows: one transfer out of the sender and into the receiver in a period containing the confirmation date, none before it', async () => {
      const after = await flows(flowRequests());
      const requests = flowRequests();
      const moved: Record<string, number> = { fromWard: -1, fromDistrict: -1, toWard: +1, toDistrict: +1, city: 0 };
      after.forEach((f, i) => {
        const b = flowsBefore[i];
        const r = requests[i];
        const unit = Object.keys(ids).find((k) => ids[k] === r.unitId)!;
        const label = `${unit} ${r.from}..${r.to}`;
        const contains = r.from <= CONFIRMED && CONFIRMED <= r.to;
        expect(f.transfersOut, label).toBe(b.transfersOut + (contains && moved[unit] < 0 ? 1 : 0));
        expect(f.transfersIn, label).toBe(b.transfersIn + (contains && moved[unit] > 0 ? 1 : 0));
        expect(f.opening, label).toBe(b.opening + (r.from > CONFIRMED ? moved[unit] : 0));
        expect(f.closing, label).toBe(b.closing + (r.to >= CONFIRMED ? moved[unit] : 0));
        expect([f.admissions, f.readmissions, f.departures], label).toEqual([b.admissions, b.readmissions, b.departures]);
      });
      // On the confirmation day alone: exactly this one transfer, out of one ward and into the other.
      const day = (unit: string) => after[requests.findIndex((r) => r.unitId === ids[unit] && r.from === CONFIRMED && r.to === CONFIRMED)];
      expect([day('fromWard').transfersOut, day('fromWard').transfersIn]).toEqual([1, 0]);
      expect([day('toWard').transfersOut, day('toWard').transfersIn]).toEqual([0, 1]);
      // The city: a move inside it is not a transfer in or out.
      const city = after.filter((_, i) => requests[i].unitId === ids.city);
      for (const f of city) expect([f.transfersIn, f.transfersOut]).toEqual([0, 0]);
    });

    it('opening + admissions + readmissions + transfersIn − transfersOut − departures = closing, and opening/closing agree with statistics', async () => {
      const units = [
        ids.city, ids.fromDistrict, ids.toDistrict, ids.fromWard, ids.toWard, ids.fromCell, ids.toCell,
        ...(await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where kind = 'DISTRICT' order by code`)).map((r) => r.id),
      ];
      const spans = [
        { from: '2000-01-01', to: AS_OF },
        { from: AS_OF, to: TODAY },
        { from: CONFIRMED, to: CONFIRMED },
        { from: '1990-01-01', to: '2010-12-31' },
        { from: '2025-01-01', to: '2025-12-31' },
        { from: '1950-01-01', to: TODAY },
      ];
      const requests = [...new Set(units)].flatMap((unitId) => spans.map((s) => ({ unitId, ...s })));
      const result = await flows(requests);
      const problems: string[] = [];
      result.forEach((f, i) => {
        const computed = f.opening + f.admissions + f.readmissions + f.transfersIn - f.transfersOut - sum(f.departures);
        if (computed !== f.closing) problems.push(`${requests[i].unitId} ${f.from}..${f.to}: ${JSON.stringify(f)}`);
        expect(f.departures.map((d) => d.key)).toEqual(['REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED']);
      });
      expect(problems).toEqual([]);
      // The whole city since 2000: something actually happened.
      const city = result.find((f, i) => requests[i].unitId === ids.city && f.from === '2000-01-01')!;
      expect(city.admissions).toBeGreaterThan(0);
      expect(sum(city.departures)).toBeGreaterThan(0);

      // Opening is the rolls at the end of the day before; closing at the end of the last day.
      const cityFlows = result.filter((_, i) => requests[i].unitId === ids.city || requests[i].unitId === ids.fromWard);
      for (const f of cityFlows) {
        const [opening, closing] = await Promise.all([stat(f.unit.id, plusDays(f.from, -1)), stat(f.unit.id, f.to)]);
        expect(f.opening, `${f.unit.id} opening ${f.from}`).toBe(opening.total);
        expect(f.closing, `${f.unit.id} closing ${f.to}`).toBe(closing.total);
      }
    });

    it('an internal transfer moves the member between cells of the ward from its date; a temporary one changes no rolls', async () => {
      const m = await pickMember('DN.HAICHAU.THACHTHANG');
      const otherCell = m.unit.endsWith('CB01') ? 'DN.HAICHAU.THACHTHANG.CB02' : 'DN.HAICHAU.THACHTHANG.CB01';
      const ON = '2026-11-15';
      const units = [await unitId(m.unit), await unitId(otherCell), ids.fromWard];
      const [dayBefore, on] = [await statistics(units, '2026-11-14'), await statistics(units, ON)];
      const flowsOn = await flows(units.map((unitId) => ({ unitId, from: ON, to: ON })));
      const internal = await t.gql(
        ISSUE,
        { input: { memberId: m.id, expectedVersion: m.version, kind: 'INTERNAL', toUnitCode: otherCell, issuedOn: ON, decision: decision(ON) } },
        staff,
      );
      expect(internal.data.transferMember.userErrors).toEqual([]);
      expect(internal.data.transferMember.transfer.status).toBe('CONFIRMED');
      expect(await statistics(units, '2026-11-14')).toEqual(dayBefore);
      expect((await statistics(units, ON)).map((s) => s.total)).toEqual([on[0].total - 1, on[1].total + 1, on[2].total]);
      const after = await flows(units.map((unitId) => ({ unitId, from: ON, to: ON })));
      expect(after.map((f) => [f.transfersOut, f.transfersIn])).toEqual([
        [flowsOn[0].transfersOut + 1, flowsOn[0].transfersIn],
        [flowsOn[1].transfersOut, flowsOn[1].transfersIn + 1],
        [flowsOn[2].transfersOut, flowsOn[2].transfersIn],
      ]);

      // Temporary (tạm thời): the member stays registered at home, on the home rolls.
      const away = await pickMember('DN.HAICHAU.THACHTHANG');
      const both = [ids.fromWard, ids.toWard];
      const beforeTemp = await statistics(both, TODAY);
      const flowsTemp = await flows(both.map((unitId) => ({ unitId, from: AS_OF, to: TODAY })));
      const issued = await t.gql(
        ISSUE,
        { input: { memberId: away.id, expectedVersion: away.version, kind: 'TEMPORARY', toUnitCode: 'DN.SONTRA.MANTHAI.CB02', issuedOn: ISSUED, decision: decision(ISSUED) } },
        staff,
      );
      expect(issued.data.transferMember.userErrors).toEqual([]);
      const confirmed = await t.gql(CONFIRM_TRANSFER, { input: { transferId: issued.data.transferMember.transfer.id, confirmedOn: CONFIRMED } }, receiver);
      expect(confirmed.data.confirmTransfer.userErrors).toEqual([]);
      expect(await statistics(both, TODAY)).toEqual(beforeTemp);
      expect(await flows(both.map((unitId) => ({ unitId, from: AS_OF, to: TODAY })))).toEqual(flowsTemp);
    });

    it('flows of a period that ends before it starts is BAD_USER_INPUT', async () => {
      const result = await t.gql(`query($u: ID!) { flows(unitId: $u, from: "2026-11-02", to: "2026-11-01") { closing } }`, { u: ids.city }, admin);
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('age and party age are taken on the date asked', () => {
    const CELL = 'DN.HAICHAU.THACHTHANG.CB03';
    const BORN = '1985-07-20';
    const JOINED = '2016-06-10';
    // Straddling the 41st birthday (2026-07-20) and the 10th year in the party (2026-06-10).
    const DATES = ['2016-06-09', '2026-06-09', '2026-06-10', '2026-07-19', '2026-07-20', AS_OF];

    it('a member made by hand falls in the bands computed from the dates, on each date', async () => {
      const cell = await unitId(CELL);
      const before = await Promise.all(DATES.map((d) => stat(cell, d)));
      await admit(CELL, { dateOfBirth: BORN, joinedOn: JOINED, official: true });
      const after = await Promise.all(DATES.map((d) => stat(cell, d)));
      DATES.forEach((date, i) => {
        const onRolls = date >= JOINED;
        expect(after[i].total, date).toBe(before[i].total + (onRolls ? 1 : 0));
        const ages = counts(before[i].byAgeBand);
        const partyAges = counts(before[i].byPartyAgeBand);
        if (onRolls) {
          bump(ages, ageBand(completedYears(BORN, date)), 1);
          bump(partyAges, partyAgeBand(partyYears([[JOINED, null]], date)), 1);
        }
        expect(counts(after[i].byAgeBand), `age band on ${date}`).toEqual(ages);
        expect(counts(after[i].byPartyAgeBand), `party age band on ${date}`).toEqual(partyAges);
      });
      // The dates really straddle the boundaries.
      expect(ageBand(completedYears(BORN, '2026-07-19'))).not.toBe(ageBand(completedYears(BORN, '2026-07-20')));
      expect(partyAgeBand(partyYears([[JOINED, null]], '2026-06-09'))).not.toBe(partyAgeBand(partyYears([[JOINED, null]], '2026-06-10')));
    });

    it('party age leaves out the time outside the party (removed, readmitted after 36 months)', async () => {
      const GAP_CELL = 'DN.HAICHAU.THACHTHANG.CB01';
      const cell = await unitId(GAP_CELL);
      const joined = '1994-01-10';
      const removedOn = '2000-01-10';
      const readmittedOn = '2004-01-10';
      const dates = ['1999-01-10', '2002-06-01', AS_OF];
      const before = await Promise.all(dates.map((d) => stat(cell, d)));
      const flowsBefore = await flows(['1994', '1995', '2000', '2004', '2005'].map((y) => ({ unitId: cell, from: `${y}-01-01`, to: `${y}-12-31` })));
      let m = await admit(GAP_CELL, { dateOfBirth: '1968-01-01', joinedOn: joined, official: true });
      m = await changeStatus(m, 'REMOVED', removedOn);
      m = await readmit(m, readmittedOn);
      m = await confirmOfficial(m);
      const after = await Promise.all(dates.map((d) => stat(cell, d)));
      const spans: [string, string | null][] = [[joined, removedOn], [readmittedOn, null]];
      // Each step of the story is one movement in the flows of its year.
      const years = ['1994', '1995', '2000', '2004', '2005'].map((y) => ({ unitId: cell, from: `${y}-01-01`, to: `${y}-12-31` }));
      const flowsAfter = await flows(years);
      const delta = flowsAfter.map((f, i) => ({
        admissions: f.admissions - flowsBefore[i].admissions,
        officialConfirmations: f.officialConfirmations - flowsBefore[i].officialConfirmations,
        removed: f.departures.find((d) => d.key === 'REMOVED')!.count - flowsBefore[i].departures.find((d) => d.key === 'REMOVED')!.count,
        readmissions: f.readmissions - flowsBefore[i].readmissions,
      }));
      const none = { admissions: 0, officialConfirmations: 0, removed: 0, readmissions: 0 };
      expect(delta).toEqual([
        { ...none, admissions: 1 }, // 1994-01-10 admitted
        { ...none, officialConfirmations: 1 }, // 1995-01-10 official
        { ...none, removed: 1 }, // 2000-01-10 removed
        { ...none, readmissions: 1 }, // 2004-01-10 readmitted
        { ...none, officialConfirmations: 1 }, // 2005-01-10 official again
      ]);
      dates.forEach((date, i) => {
        const onRolls = !(date >= removedOn && date < readmittedOn);
        expect(after[i].total, date).toBe(before[i].total + (onRolls ? 1 : 0));
        const partyAges = counts(before[i].byPartyAgeBand);
        if (onRolls) bump(partyAges, partyAgeBand(partyYears(spans, date)), 1);
        expect(counts(after[i].byPartyAgeBand), `party age band on ${date}`).toEqual(partyAges);
      });
      // Calendar time since admission is in another band than the party age: the gap matters.
      expect(partyAgeBand(completedYears(joined, AS_OF))).not.toBe(partyAgeBand(partyYears(spans, AS_OF)));
    });
  });

  describe('badgesDue against hand-computed cases', () => {
    const CELL = 'DN.HAICHAU.THACHTHANG.CB02';
    const mine: Record<string, string> = {};
    const joined = {
      due: '1996-12-15', // 30 years on 2026-12-15: due at 2027-02-03, not at 2026-11-07
      gap: '1994-01-10', // 33 calendar years, but 4 years outside the party
      disciplined: '1990-03-01',
      deceased: '1985-05-01', // died 2026-10-15 at 41 years of party age
      released: '1997-06-01', // 29 years 8 months at the ceremony
      awarded: '1995-01-01', // 32 years, already has the 30-year badge
    };
    const DIED = '2026-10-15';

    async function listed(rules?: Record<string, unknown>, ceremonyOn: string | null = CEREMONY, token = staff) {
      const { nodes, totalCount } = await allPages<{ member: { id: string }; badgeYears: number; partyAgeYears: number; reason: string }>(
        BADGES,
        { unitId: await unitId(CELL), ceremonyOn, rules },
        token,
        'badgesDue',
      );
      expect(nodes.length).toBe(totalCount);
      const ids = nodes.map((n) => Number(n.member.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b)); // member id order
      return new Map(nodes.map((n) => [n.member.id, n]));
    }

    beforeAll(async () => {
      mine.due = (await admit(CELL, { dateOfBirth: '1970-05-01', joinedOn: joined.due, official: true })).id;

      let gap = await admit(CELL, { dateOfBirth: '1968-01-01', joinedOn: joined.gap, official: true });
      gap = await changeStatus(gap, 'REMOVED', '2000-01-10');
      gap = await readmit(gap, '2004-01-10');
      gap = await confirmOfficial(gap);
      mine.gap = gap.id;

      mine.disciplined = (await admit(CELL, { dateOfBirth: '1965-01-01', joinedOn: joined.disciplined, official: true })).id;
      const discipline = await t.gql(ADD, { input: { memberId: mine.disciplined, discipline: { form: 'REPRIMAND', decidedOn: '2026-06-01', grounds: 'Vi phạm quy định' } } }, staff);
      expect(discipline.data.addSubRecord.userErrors).toEqual([]);

      const deceased = await admit(CELL, { dateOfBirth: '1950-01-01', joinedOn: joined.deceased, official: true });
      mine.deceased = (await changeStatus(deceased, 'DECEASED', DIED)).id;

      const released = await admit(CELL, { dateOfBirth: '1962-02-02', joinedOn: joined.released, official: true });
      mine.released = (await changeStatus(released, 'RELEASED', '2020-01-01')).id;

      mine.awarded = (await admit(CELL, { dateOfBirth: '1966-03-03', joinedOn: joined.awarded, official: true })).id;
      const badge = await t.gql(
        ADD,
        { input: { memberId: mine.awarded, award: { kind: 'PARTY_BADGE', name: 'Huy hiệu 30 năm tuổi Đảng', badgeYears: 30, awardedOn: '2025-02-03' } } },
        staff,
      );
      expect(badge.data.addSubRecord.userErrors).toEqual([]);
    });

    it('(a) reaching 30 years before the ceremony: DUE, badge 30; not yet at the ceremony before', async () => {
      const list = await listed();
      expect(list.get(mine.due)).toEqual({ member: { id: mine.due }, badgeYears: 30, partyAgeYears: partyYears([[joined.due, null]], CEREMONY), reason: 'DUE' });
      expect(partyYears([[joined.due, null]], '2026-11-07')).toBe(29);
      expect((await listed(undefined, '2026-11-07')).has(mine.due)).toBe(false);
    });

    it('(b) a member with 4 years outside the party: 33 calendar years but under 30 of party age, not listed', async () => {
      const spans: [string, string | null][] = [[joined.gap, '2000-01-10'], ['2004-01-10', null]];
      expect(completedYears(joined.gap, CEREMONY)).toBeGreaterThanOrEqual(30);
      expect(partyYears(spans, CEREMONY)).toBeLessThan(30);
      expect((await listed()).has(mine.gap)).toBe(false);
    });

    it('(c) a discipline within 12 months before the ceremony blocks the badge; with disciplineBlockMonths 0, or once 12 months have passed, it is listed', async () => {
      expect((await listed()).has(mine.disciplined)).toBe(false);
      const unblocked = await listed({ disciplineBlockMonths: 0 });
      expect(unblocked.get(mine.disciplined)).toMatchObject({ badgeYears: 30, reason: 'DUE', partyAgeYears: partyYears([[joined.disciplined, null]], CEREMONY) });
      // 2026-06-01 is more than 12 months before 2027-09-02.
      expect((await listed(undefined, '2027-09-02')).get(mine.disciplined)).toMatchObject({ badgeYears: 30, reason: 'DUE' });
    });

    it('(d) died within 12 months before the ceremony having reached 40 years: POSTHUMOUS, badge 40; not with posthumous: false', async () => {
      const atDeath = partyYears([[joined.deceased, DIED]], DIED);
      expect(atDeath).toBeGreaterThanOrEqual(40);
      expect(atDeath).toBeLessThan(45);
      expect((await listed()).get(mine.deceased)).toEqual({ member: { id: mine.deceased }, badgeYears: 40, partyAgeYears: atDeath, reason: 'POSTHUMOUS' });
      expect((await listed({ posthumous: false })).has(mine.deceased)).toBe(false);
      // More than posthumousWithinMonths after the death: not proposed any more.
      expect((await listed({ posthumousWithinMonths: 1 })).has(mine.deceased)).toBe(false);
    });

    it('(e) released a few months short of 30 years: EARLY, badge 30; not with earlyMonths 0 or fewer months than it lacks', async () => {
      const years = partyYears([[joined.released, null]], CEREMONY);
      expect(years).toBe(29);
      expect((await listed()).get(mine.released)).toEqual({ member: { id: mine.released }, badgeYears: 30, partyAgeYears: years, reason: 'EARLY' });
      expect((await listed({ earlyMonths: 0 })).has(mine.released)).toBe(false);
      expect((await listed({ earlyMonths: 3 })).has(mine.released)).toBe(false); // it lacks 4 months
    });

    it('(f) already awarded the 30-year badge: not listed for 30', async () => {
      expect(partyYears([[joined.awarded, null]], CEREMONY)).toBeGreaterThanOrEqual(30);
      expect(partyYears([[joined.awarded, null]], CEREMONY)).toBeLessThan(40);
      const list = await listed();
      expect(list.has(mine.awarded)).toBe(false);
      // All rules at their defaults: the same list as no rules, and the default ceremony is the next one (2027-02-03).
      expect([...(await listed({ earlyMonths: 12, posthumous: true, posthumousWithinMonths: 12, disciplineBlockMonths: 12 })).keys()]).toEqual([...list.keys()]);
      expect([...(await listed(undefined, null)).keys()]).toEqual([...list.keys()]);
    });

    it('only the subtree asked for, and nothing already awarded at that level is proposed again', async () => {
      const list = await listed();
      const ids = [...list.keys()];
      const rows = await ownerQuery<{ id: string; code: string; awarded: number | null }>(
        t.db,
        `select m.id::text, u.code, (select max(badge_years) from award w where w.member_id = m.id and w.kind = 'PARTY_BADGE' and w.superseded_at is null) as awarded
           from member m join org_unit u on u.id = m.unit_id where m.id = any($1::bigint[])`,
        [ids],
      );
      for (const row of rows) {
        expect(row.code).toBe(CELL);
        expect(list.get(row.id)!.badgeYears).toBeGreaterThan(row.awarded ?? 0);
      }
      for (const c of list.values()) expect([30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]).toContain(c.badgeYears);
    });

    it('a ceremony date that is not 3/2, 19/5, 2/9 or 7/11, or not a date, is BAD_USER_INPUT; so is a negative rule', async () => {
      for (const ceremonyOn of ['2027-02-04', '2027-02-30', 'tomorrow']) {
        const result = await t.gql(BADGES, { unitId: await unitId(CELL), ceremonyOn }, staff);
        expect(result.errors?.[0].extensions?.code, ceremonyOn).toBe('BAD_USER_INPUT');
      }
      const negative = await t.gql(BADGES, { unitId: await unitId(CELL), ceremonyOn: CEREMONY, rules: { earlyMonths: -1 } }, staff);
      expect(negative.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('operational lists: probation ending, missing national ID', () => {
    const MEMBERS = `query($filter: MemberFilter, $after: String) { members(filter: $filter, first: 100, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id status } } } }`;
    const BY = '2026-12-20'; // today + 30 days

    it('probationEndsBy lists exactly the probationary members whose 12 months end by then (readmitted ones from readmission)', async () => {
      // Hand-made: one due within the month, one readmitted whose new probation ends later although admitted long ago.
      const dueSoon = await admit('DN.HAICHAU.THACHTHANG.CB01', { dateOfBirth: '1995-05-05', joinedOn: '2025-12-10' });
      let back = await admit('DN.HAICHAU.THACHTHANG.CB01', { dateOfBirth: '1980-05-05', joinedOn: '2010-01-01', official: true });
      back = await changeStatus(back, 'REMOVED', '2020-01-01');
      back = await readmit(back, '2026-01-05');

      for (const by of [BY, '2027-01-05', '2026-12-09']) {
        const { nodes, totalCount } = await allPages<{ id: string; status: string }>(MEMBERS, { filter: { probationEndsBy: by } }, admin, 'members');
        expect(nodes.length).toBe(totalCount);
        // Independently: the open status period is probation, begun 12 months or more before `by`.
        const expected = await ownerQuery<{ id: string }>(
          t.db,
          `select sp.member_id::text id from member_status_period sp
            where sp.valid_to is null and sp.status = 'PROBATIONARY' and (sp.valid_from + interval '12 months')::date <= $1::date`,
          [by],
        );
        expect(nodes.map((n) => n.id).sort(), by).toEqual(expected.map((r) => r.id).sort());
        expect(nodes.every((n) => n.status === 'PROBATIONARY')).toBe(true);
        const ids = new Set(nodes.map((n) => n.id));
        expect(ids.has(dueSoon.id), `${by}: admitted 2025-12-10`).toBe(by >= '2026-12-10');
        expect(ids.has(back.id), `${by}: readmitted 2026-01-05`).toBe(by >= '2027-01-05');
      }
    });

    it('hasNationalId: false lists exactly the records without a national ID; true the others', async () => {
      const missing = await allPages<{ id: string }>(MEMBERS, { filter: { hasNationalId: false } }, admin, 'members');
      const expected = await ownerQuery<{ id: string }>(t.db, `select id::text from member where national_id is null`);
      expect(expected.length).toBeGreaterThan(0);
      expect(missing.nodes.map((n) => n.id).sort()).toEqual(expected.map((r) => r.id).sort());
      const having = await t.gql(`query { members(filter: { hasNationalId: true }, first: 1) { totalCount } }`, {}, admin);
      const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from member where national_id is not null`);
      expect(having.data.members.totalCount).toBe(n);
      // Within a ward account's scope only.
      const ward = await t.gql(`query { members(filter: { hasNationalId: false }, first: 1) { totalCount } }`, {}, staff);
      const [{ n: inWard }] = await ownerQuery<{ n: number }>(
        t.db,
        `select count(*)::int n from member where national_id is null and unit_path <@ (select path from org_unit where code = 'DN.HAICHAU.THACHTHANG')`,
      );
      expect(ward.data.members.totalCount).toBe(inWard);
    });
  });

  describe('duplicateMembers', () => {
    let inWard: string[];
    let outside: string[];
    const BORN = '1961-02-27';

    beforeAll(async () => {
      inWard = [
        (await admit('DN.HAICHAU.THACHTHANG.CB01', { fullName: 'Nguyễn Văn Ấn', dateOfBirth: BORN, joinedOn: '1990-01-01', gender: 'MALE' })).id,
        (await admit('DN.HAICHAU.THACHTHANG.CB02', { fullName: 'NGUYEN van AN', dateOfBirth: BORN, joinedOn: '1991-01-01', gender: 'MALE' })).id,
      ];
      // The same person in another district, and a pair that lies wholly outside the ward.
      outside = [
        (await admit('DN.SONTRA.MANTHAI.CB01', { fullName: 'nguyễn văn ấn', dateOfBirth: BORN, joinedOn: '1992-01-01', gender: 'MALE' }, admin)).id,
        (await admit('DN.SONTRA.MANTHAI.CB01', { fullName: 'Hồ Thị Trùng', dateOfBirth: BORN, joinedOn: '1993-01-01' }, admin)).id,
        (await admit('DN.SONTRA.MANTHAI.CB02', { fullName: 'HO THI TRUNG', dateOfBirth: BORN, joinedOn: '1994-01-01' }, admin)).id,
      ];
    });

    const groups = async (token: string, unitId?: string) =>
      (await allPages<{ id: string; members: { id: string; fullName: string; dateOfBirth: string }[] }>(DUPLICATES, { unitId }, token, 'duplicateMembers')).nodes;

    it('same name without regard to diacritics or case and same birth date: one group with both records', async () => {
      const found = await groups(staff);
      const ours = found.filter((g) => g.members.some((m) => inWard.includes(m.id)));
      expect(ours).toHaveLength(1);
      expect(ours[0].members.map((m) => m.id).sort()).toEqual([...inWard].sort());
      expect(ours[0].id).toBe(String(Math.min(...inWard.map(Number))));
      expect(ours[0].members.map((m) => m.fullName).sort()).toEqual(['NGUYEN van AN', 'Nguyễn Văn Ấn']);
      for (const g of found) {
        expect(g.members.length).toBeGreaterThan(1);
        expect(new Set(g.members.map((m) => m.dateOfBirth)).size).toBe(1);
      }
    });

    it('a ward account sees no group or record outside its ward; the city sees the whole group', async () => {
      const wardPath = (await ownerQuery<{ path: string }>(t.db, `select path::text from org_unit where code = 'DN.HAICHAU.THACHTHANG'`))[0].path;
      const found = await groups(staff);
      const seen = found.flatMap((g) => g.members.map((m) => m.id));
      for (const id of outside) expect(seen).not.toContain(id);
      const rows = await ownerQuery<{ inside: boolean }>(t.db, `select unit_path <@ $2::ltree as inside from member where id = any($1::bigint[])`, [seen, wardPath]);
      expect(rows.every((r) => r.inside)).toBe(true);

      const city = await groups(admin);
      const ours = city.find((g) => g.members.some((m) => m.id === inWard[0]))!;
      expect(ours.members.map((m) => m.id).sort()).toEqual([...inWard, outside[0]].sort());
      expect(city.some((g) => g.members.some((m) => m.id === outside[1]))).toBe(true);
      // A ward account naming a unit of another district: NOT_FOUND.
      const foreign = await t.gql(DUPLICATES, { unitId: await unitId('DN.SONTRA') }, staff);
      expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('scope and roles', () => {
    let reporter: string;
    let auditor: string;
    let viewer: string;
    beforeAll(async () => {
      [reporter, auditor, viewer] = await Promise.all([t.login('reporter'), t.login('auditor'), t.login('sontra.viewer')]);
    });

    it('REPORTER gets statistics, flows, badgesDue and duplicateMembers, with the non-sensitive fields of the members named', async () => {
      const city = await unitId('DN');
      const cell = await unitId('DN.HAICHAU.THACHTHANG.CB02');
      const result = await t.gql(
        `query($city: ID!, $cell: ID!) {
          statistics(unitId: $city, asOf: "2026-11-01") { total byReligion { key count } byEthnicity { key count } }
          flows(unitId: $city, from: "2026-01-01", to: "2026-11-01") { opening closing }
          badgesDue(unitId: $cell, ceremonyOn: "2027-02-03", first: 100) { totalCount edges { node { badgeYears member { id fullName dateOfBirth status unit { code } } } } }
          duplicateMembers(first: 100) { totalCount edges { node { id members { id fullName dateOfBirth } } } }
        }`,
        { city, cell },
        reporter,
      );
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      expect(result.data.statistics.total).toBe((await stat(city, AS_OF)).total);
      expect(sum(result.data.statistics.byReligion)).toBe(result.data.statistics.total);
      expect(result.data.badgesDue.edges.length).toBeGreaterThan(0);
      expect(result.data.badgesDue.edges[0].node.member.fullName).toEqual(expect.any(String));
      expect(result.data.duplicateMembers.totalCount).toBeGreaterThan(0);
    });

    it('REPORTER asking the national ID or religion of a member named in a list gets FORBIDDEN', async () => {
      const cell = await unitId('DN.HAICHAU.THACHTHANG.CB02');
      const badges = await t.gql(
        `query($cell: ID!) { badgesDue(unitId: $cell, ceremonyOn: "2027-02-03", first: 5) { edges { node { member { id nationalId } } } } }`,
        { cell },
        reporter,
      );
      expect(badges.errors?.length).toBeGreaterThan(0);
      expect(badges.errors!.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
      expect(JSON.stringify(badges.data ?? null)).not.toMatch(/\d{12}/);
      const duplicates = await t.gql(`query { duplicateMembers(first: 5) { edges { node { members { id religion ethnicity } } } } }`, {}, reporter);
      expect(duplicates.errors?.length).toBeGreaterThan(0);
      expect(duplicates.errors!.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    });

    it('AUDITOR gets FORBIDDEN for every report', async () => {
      const city = await unitId('DN');
      for (const query of [
        `query($u: ID!) { statistics(unitId: $u) { total } }`,
        `query($u: ID!) { flows(unitId: $u, from: "2026-01-01", to: "2026-11-01") { closing } }`,
        `query($u: ID!) { badgesDue(unitId: $u) { totalCount } }`,
        `query($u: ID!) { duplicateMembers(unitId: $u) { totalCount } }`,
      ]) {
        const result = await t.gql(query, { u: city }, auditor);
        expect(result.errors?.[0].extensions?.code, query).toBe('FORBIDDEN');
        expect(result.data ?? null, query).toBeNull();
      }
    });

    it('a ward account asking about a unit outside its ward gets NOT_FOUND, like a unit that does not exist', async () => {
      const outside = [await unitId('DN.SONTRA'), await unitId('DN.SONTRA.MANTHAI.CB01'), await unitId('DN.HAICHAU'), await unitId('DN'), '999999', 'abc'];
      for (const u of outside) {
        for (const query of [
          `query($u: ID!) { statistics(unitId: $u, asOf: "2026-11-01") { total } }`,
          `query($u: ID!) { flows(unitId: $u, from: "2026-01-01", to: "2026-11-01") { closing } }`,
          `query($u: ID!) { badgesDue(unitId: $u) { totalCount } }`,
        ]) {
          const result = await t.gql(query, { u }, staff);
          expect(result.errors?.[0].extensions?.code, `${query} ${u}`).toBe('NOT_FOUND');
          expect(JSON.stringify(result.errors)).not.toMatch(/SONTRA|Sơn Trà|HAICHAU/);
        }
      }
      // Its own ward and cells are fine, and add up to what the city sees of them.
      const ward = await unitId('DN.HAICHAU.THACHTHANG');
      expect((await stat(ward, AS_OF, staff)).total).toBe((await stat(ward, AS_OF, admin)).total);
    });

    it('COMMITTEE_VIEWER gets its district’s statistics (same as the city sees), not another district’s', async () => {
      const sontra = await unitId('DN.SONTRA');
      const own = await stat(sontra, AS_OF, viewer);
      expect(own).toEqual(await stat(sontra, AS_OF, admin));
      expect(own.total).toBeGreaterThan(0);
      const other = await t.gql(`query($u: ID!) { statistics(unitId: $u) { total } }`, { u: await unitId('DN.HAICHAU') }, viewer);
      expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('after a unit moves in the tree', () => {
    // There is no reorganisation mutation yet; the database supports moving a unit (migration 1:
    // the subtree's paths and the members' unit_path follow), so the move is made as the owner, as an
    // operator would: a ward moves to another district. `path = path` names the column so that
    // migration 1's AFTER UPDATE OF path trigger fires (PostgreSQL fires a column trigger only for
    // columns in the SET list, not for a path the BEFORE trigger recomputes).
    it('today’s statistics follow the tree that the members list and scope follow', async () => {
      const ward = await unitId('DN.HAICHAU.HOACUONGBAC');
      const from = await unitId('DN.HAICHAU');
      const to = await unitId('DN.SONTRA');
      const city = await unitId('DN');
      const [wardBefore] = await activeListed([ward]);
      expect(wardBefore).toBeGreaterThan(0);
      const pastBefore = await stat(ward, AS_OF);
      await ownerQuery(t.db, `update org_unit set parent_id = $2, path = path where id = $1`, [ward, to]);
      const [stale] = await ownerQuery<{ n: number }>(
        t.db,
        `select count(*)::int n from member m join org_unit o on o.id = m.unit_id where m.unit_path <> o.path`,
      );
      expect(stale.n).toBe(0); // the member records followed the move
      await expectStatisticsMatchLists([ward, from, to, city], admin, true);
      // The ward's own report for a date before the move is what it was: its members were in it then.
      expect.soft((await stat(ward, AS_OF)).total, 'the moved ward as of 2026-11-01').toBe(pastBefore.total);
      const [fromStats, toStats] = await statistics([from, to], null);
      expect.soft(toStats.children.map((c) => c.unit.id), 'children of the new district').toContain(ward);
      expect.soft(fromStats.children.map((c) => c.unit.id), 'children of the old district').not.toContain(ward);
      // The old district's own account: its figures cover its scope, not the ward that left, and add up.
      const haichau = await t.login('haichau');
      await expectStatisticsMatchLists([from], haichau, true);
      const own = await stat(from, null, haichau);
      expect.soft(own.children.reduce((a, c) => a + c.total, 0) + own.registeredDirectly, 'children + registeredDirectly as the old district').toBe(own.total);
    });
  });
});
