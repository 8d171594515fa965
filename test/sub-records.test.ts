import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

const ENTRY = `... on WorkHistoryEntry { id version position organisation fromDate toDate supersededAt supersededBy supersedeReason }
  ... on QualityRating { id version year score category supersededAt }
  ... on Award { id version kind name badgeYears awardedOn posthumous }
  ... on DisciplineRecord { id version form decidedOn grounds }`;
const PAYLOAD = `record { ${ENTRY} } userErrors { field message code }`;
const ADD = `mutation($input: AddSubRecordInput!) { addSubRecord(input: $input) { ${PAYLOAD} } }`;
const CORRECT = `mutation($input: CorrectSubRecordInput!) { correctSubRecord(input: $input) { ${PAYLOAD} } }`;
const VOID = `mutation($input: VoidSubRecordInput!) { voidSubRecord(input: $input) { ${PAYLOAD} } }`;
/** Awards and disciplines rest on a decision. */
const decision = (date: string) => ({ number: '15-QĐ/ĐU', date, issuedBy: 'Đảng ủy phường Thạch Thang' });

describe('sub-records of a member file', () => {
  let t: TestApp;
  let staff: string;
  let member: { id: string; status: string };
  let probationary: { id: string };

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock('2026-06-15') });
    staff = await t.login('thachthang');
    // Made here rather than picked from the demo data, whose members already hold every badge
    // they reached and whose probationary members may be admitted after the test's today: an
    // official member with 36 years of party age and a clean file, and one on probation since
    // January, so the register's rules (badge reached and not held, a decision after admission)
    // let this file's entries in.
    const [cell] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.HAICHAU.THACHTHANG.CB01'`);
    const create = async (fullName: string, dateOfBirth: string, joinedOn: string, officialOn?: string) => {
      const result = await t.gql(`mutation($input: CreateMemberInput!) { createMember(input: $input) { member { id status } userErrors { field message } } }`, {
        input: { unitId: cell.id, fullName, gender: 'FEMALE', dateOfBirth, joinedOn, officialOn, decision: decision(joinedOn) },
      }, staff);
      expect(result.data.createMember.userErrors).toEqual([]);
      return result.data.createMember.member;
    };
    member = await create('Lê Thị Hồ Sơ', '1965-04-02', '1990-01-10', '1991-01-10');
    probationary = await create('Lê Thị Dự Bị', '1995-04-02', '2026-01-10');
  });
  afterAll(() => t.close());

  it('a correction supersedes the entry and keeps the old value in history', async () => {
    const added = await t.gql(ADD, { input: { memberId: member.id, workHistory: { fromDate: '2010-01-01', position: 'Chuyên viên', organisation: 'UBND phường' } } }, staff);
    expect(added.errors).toBeUndefined();
    const first = added.data.addSubRecord.record;
    const corrected = await t.gql(
      CORRECT,
      { input: { id: first.id, expectedVersion: first.version, reason: 'Sai chức vụ', workHistory: { fromDate: '2010-01-01', position: 'Phó Chủ tịch', organisation: 'UBND phường' } } },
      staff,
    );
    const second = corrected.data.correctSubRecord.record;
    expect(second.position).toBe('Phó Chủ tịch');
    const read = await t.gql(
      `query($id: ID) { member(id: $id) { current: workHistory { id position } all: workHistory(includeSuperseded: true) { id position supersededBy supersedeReason } } }`,
      { id: member.id },
      staff,
    );
    // The member may have seeded entries too; look at the two this test wrote.
    const ours = (entries: { id: string }[]) => entries.filter((e) => [first.id, second.id].includes(e.id));
    expect(ours(read.data.member.current)).toEqual([{ id: second.id, position: 'Phó Chủ tịch' }]);
    expect(ours(read.data.member.all)).toEqual([
      { id: first.id, position: 'Chuyên viên', supersededBy: second.id, supersedeReason: 'Sai chức vụ' },
      { id: second.id, position: 'Phó Chủ tịch', supersededBy: null, supersedeReason: null },
    ]);
    const kept = await ownerQuery<{ id: string }>(t.db, `select id::text from work_history where id = any($1::bigint[])`, [[first.id, second.id]]);
    expect(kept).toHaveLength(2); // nothing deleted
    const again = await t.gql(CORRECT, { input: { id: first.id, expectedVersion: first.version, reason: 'x', workHistory: { fromDate: '2010-01-01', position: 'y', organisation: 'z' } } }, staff);
    expect(again.data.correctSubRecord.userErrors[0].message).toMatch(/already corrected/);
  });

  it('ratings: the category follows the 100-point scale; one current rating a year; a wrong pair is refused', async () => {
    const ok = await t.gql(ADD, { input: { memberId: member.id, rating: { year: 2022, score: 91 } } }, staff);
    expect(ok.data.addSubRecord.record).toMatchObject({ year: 2022, score: 91, category: 'XUAT_SAC' });
    const wrong = await t.gql(ADD, { input: { memberId: member.id, rating: { year: 2021, score: 69, category: 'TOT' } } }, staff);
    expect(wrong.data.addSubRecord.userErrors).toEqual([expect.objectContaining({ field: ['input', 'rating', 'category'] })]);
    const corrected = await t.gql(
      CORRECT,
      { input: { id: ok.data.addSubRecord.record.id, expectedVersion: 1, reason: 'Chấm lại', rating: { year: 2022, score: 85 } } },
      staff,
    );
    expect(corrected.data.correctSubRecord.record).toMatchObject({ score: 85, category: 'TOT' });
  });

  it('a probationary member can only be reprimanded or warned', async () => {
    // Dated today, so after the admission of any probationary member.
    const on = '2026-06-15';
    const dismissal = await t.gql(ADD, { input: { memberId: probationary.id, decision: decision(on), discipline: { form: 'DISMISSAL', decidedOn: on, grounds: 'Vi phạm' } } }, staff);
    expect(dismissal.data.addSubRecord.userErrors).toEqual([expect.objectContaining({ field: ['input', 'discipline', 'form'] })]);
    const warning = await t.gql(ADD, { input: { memberId: probationary.id, decision: decision(on), discipline: { form: 'WARNING', decidedOn: on, grounds: 'Vi phạm' } } }, staff);
    expect(warning.data.addSubRecord.userErrors).toEqual([]);
  });

  it('a party badge names its years; posthumous awards only for the deceased', async () => {
    const d = decision('2026-01-20');
    const noYears = await t.gql(ADD, { input: { memberId: member.id, decision: d, award: { kind: 'PARTY_BADGE', name: 'Huy hiệu', awardedOn: '2026-02-03' } } }, staff);
    expect(noYears.data.addSubRecord.userErrors[0].field).toEqual(['input', 'award', 'badgeYears']);
    const posthumous = await t.gql(ADD, { input: { memberId: member.id, decision: d, award: { kind: 'MEDAL', name: 'Huy chương', awardedOn: '2026-02-03', posthumous: true } } }, staff);
    expect(posthumous.data.addSubRecord.userErrors[0].field).toEqual(['input', 'award', 'posthumous']);
    const badge = await t.gql(ADD, { input: { memberId: member.id, decision: d, award: { kind: 'PARTY_BADGE', name: 'Huy hiệu 30 năm tuổi Đảng', badgeYears: 30, awardedOn: '2026-02-03' } } }, staff);
    expect(badge.data.addSubRecord.record).toMatchObject({ kind: 'PARTY_BADGE', badgeYears: 30 });
  });

  it('voiding keeps the entry, marked void; exactly one content field is required', async () => {
    const added = await t.gql(ADD, { input: { memberId: member.id, workHistory: { fromDate: '2001-01-01', position: 'Nhầm', organisation: 'Nhầm' } } }, staff);
    const entry = added.data.addSubRecord.record;
    const voided = await t.gql(VOID, { input: { kind: 'WORK_HISTORY', id: entry.id, expectedVersion: entry.version, reason: 'Nhập nhầm' } }, staff);
    expect(voided.data.voidSubRecord.record.supersededAt).toBeTruthy();
    expect(voided.data.voidSubRecord.record.supersededBy).toBeNull();
    const two = await t.gql(ADD, { input: { memberId: member.id, workHistory: { fromDate: '2001-01-01', position: 'a', organisation: 'b' }, rating: { year: 2020, score: 80 } } }, staff);
    expect(two.data.addSubRecord.userErrors[0].message).toMatch(/exactly one/);
  });

  it('discipline and family are sensitive: a viewer gets FORBIDDEN, and cannot add entries', async () => {
    const viewer = await t.login('sontra.viewer');
    const [sontra] = await ownerQuery<{ id: string }>(t.db, `select m.id::text from member m join org_unit u on u.id = m.unit_id where u.code like 'DN.SONTRA.%' limit 1`);
    const result = await t.gql(`query($id: ID) { member(id: $id) { id awards { id } disciplines { id } family { id } } }`, { id: sontra.id }, viewer);
    expect(Array.isArray(result.data.member.awards)).toBe(true);
    expect(result.errors!.map((e) => e.path!.join('.')).sort()).toEqual(['member.disciplines', 'member.family']);
    const add = await t.gql(ADD, { input: { memberId: sontra.id, family: { relation: 'Cha', fullName: 'X' } } }, viewer);
    expect(add.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('an entry of a member outside scope cannot be corrected or voided: NOT_FOUND, unchanged', async () => {
    const [foreign] = await ownerQuery<{ id: string; version: number }>(
      t.db,
      `select r.id::text, r.version from quality_rating r join member m on m.id = r.member_id join org_unit u on u.id = m.unit_id
        where u.code like 'DN.SONTRA.%' limit 1`,
    );
    const voided = await t.gql(VOID, { input: { kind: 'QUALITY_RATING', id: foreign.id, expectedVersion: foreign.version, reason: 'x' } }, staff);
    expect(voided.data.voidSubRecord.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
    const corrected = await t.gql(CORRECT, { input: { id: foreign.id, expectedVersion: foreign.version, reason: 'x', rating: { year: 2025, score: 10 } } }, staff);
    expect(corrected.data.correctSubRecord.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
    const [row] = await ownerQuery<{ superseded_at: string | null }>(t.db, `select superseded_at from quality_rating where id = $1`, [foreign.id]);
    expect(row.superseded_at).toBeNull();
  });

  it('values the database refuses come back as user errors naming the field, never as a 500', async () => {
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ decision: decision('2024-12-20'), award: { kind: 'MEDAL', name: '   ', awardedOn: '2025-01-01' } }, 'REQUIRED', ['input', 'name']],
      // (A birth year outside the database's 1850–2100 is now refused before the resolver runs: input-limits.test.ts.)
      [{ rating: { year: 2025, score: 80 } }, 'TAKEN', ['input', 'rating']],
    ];
    // The seed gave this member a 2025 rating, so a second one collides with the one-per-year rule
    // (an official member never released nor disciplined in 2025, whom the register's rules let be rated).
    const [rated] = await ownerQuery<{ member_id: string }>(
      t.db,
      `select r.member_id::text from quality_rating r join member m on m.id = r.member_id join org_unit u on u.id = m.unit_id
        where u.code like 'DN.HAICHAU.THACHTHANG.%' and r.year = 2025 and r.superseded_at is null
          and m.status = 'OFFICIAL' and m.joined_on < '2025-01-01'
          and not exists (select 1 from member_status_period sp where sp.member_id = m.id and sp.status = 'RELEASED')
          and not exists (select 1 from discipline d where d.member_id = m.id and d.decided_on >= '2025-01-01' and d.decided_on < '2026-01-01')
        limit 1`,
    );
    for (const [content, code, field] of cases) {
      const memberId = 'rating' in content ? rated.member_id : member.id;
      const result = await t.gql(ADD, { input: { memberId, ...content } }, staff);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      expect(result.data.addSubRecord.userErrors).toEqual([expect.objectContaining({ code, field })]);
    }
  });

  it('a member outside scope is NOT_FOUND, and nothing is written', async () => {
    const [sontra] = await ownerQuery<{ id: string }>(t.db, `select m.id::text from member m join org_unit u on u.id = m.unit_id where u.code like 'DN.SONTRA.%' limit 1`);
    const result = await t.gql(ADD, { input: { memberId: sontra.id, family: { relation: 'Cha', fullName: 'X' } } }, staff);
    expect(result.data.addSubRecord.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
    const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from family_relation where member_id = $1`, [sontra.id]);
    expect(n).toBe(0);
  });

  it('a page of members with unit, awards, ratings, work history and status history takes the same number of statements for 5 and 50', async () => {
    const admin = await t.login('admin');
    const PAGE = `query($first: Int) { members(first: $first) { edges { node { id unit { name } awards { id } ratings { id category }
      workHistory { id } statusHistory { status } partyAge { years } } } } }`;
    const count = async (first: number) => {
      t.queries.length = 0;
      const result = await t.gql(PAGE, { first }, admin);
      expect(result.errors).toBeUndefined();
      expect(result.data.members.edges).toHaveLength(first);
      return t.queries.length;
    };
    const five = await count(5);
    const fifty = await count(50);
    console.log(`SQL statements for a page with relations: 5 → ${five}, 50 → ${fifty}`);
    expect(fifty).toBe(five);
  });
});
