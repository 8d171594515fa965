import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/**
 * The registers of the member file refuse what the party's rules forbid (issue 12): after
 * leaving, ratings, discipline (decision, dismissal, expulsion as one act), party badges. Each
 * refusal is a user error naming the field, and nothing is written. Members are made by hand
 * through the mutations, with dates chosen so every expected answer is counted by hand here.
 */
const TODAY = '2026-06-15';
const CELL = 'DN.HAICHAU.THACHTHANG.CB03';

const MEMBER = `member { id version status leftOn }`;
const CREATE = `mutation($input: CreateMemberInput!) { createMember(input: $input) { ${MEMBER} userErrors { field message code } } }`;
const CHANGE = `mutation($input: ChangeMemberStatusInput!) { changeMemberStatus(input: $input) { ${MEMBER} userErrors { field message code } } }`;
const ADD = `mutation($input: AddSubRecordInput!) { addSubRecord(input: $input) {
  member { id status leftOn }
  record { ... on Award { id badgeYears awardedOn posthumous ground } ... on DisciplineRecord { id form decidedOn } ... on QualityRating { id year score category } ... on WorkHistoryEntry { id } }
  userErrors { field message code } } }`;

const decision = (date: string) => ({ number: '21-QĐ/ĐU', date, issuedBy: 'Đảng ủy phường Thạch Thang' });

type Row = { id: string; version: number; status: string; leftOn: string | null };

describe('the registers of the member file', () => {
  let t: TestApp;
  let staff: string;
  let cellId: string;
  let serial = 0;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    staff = await t.login('thachthang');
    [{ id: cellId }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = $1`, [CELL]);
  });
  afterAll(() => t.close());

  /** An official member admitted on `joinedOn` (official 12 months later), optionally seriously ill. */
  async function admit(dateOfBirth: string, joinedOn: string, illness?: { since: string; ground: string }): Promise<Row> {
    serial++;
    const officialOn = `${Number(joinedOn.slice(0, 4)) + 1}${joinedOn.slice(4)}`;
    const result = await t.gql(CREATE, { input: {
      unitId: cellId, fullName: `Trần Văn Sổ ${serial}`, gender: 'MALE', dateOfBirth, joinedOn, officialOn, decision: decision(joinedOn),
      ...(illness ? { seriousIllnessSince: illness.since, seriousIllnessGround: illness.ground, reason: 'Giấy chứng nhận của bệnh viện' } : {}),
    } }, staff);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data.createMember.userErrors).toEqual([]);
    return result.data.createMember.member;
  }

  async function change(m: Row, status: string, effectiveOn: string, extra: Record<string, unknown> = {}): Promise<Row> {
    const result = await t.gql(CHANGE, { input: { id: m.id, expectedVersion: m.version, status, effectiveOn, decision: decision(effectiveOn), reason: 'Theo quyết định', ...extra } }, staff);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data.changeMemberStatus.userErrors).toEqual([]);
    return result.data.changeMemberStatus.member;
  }

  const add = async (input: Record<string, unknown>) => {
    const result = await t.gql(ADD, { input }, staff);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data.addSubRecord as { member: Row | null; record: any; userErrors: { field: string[]; message: string; code: string }[] };
  };

  /** Rows of a sub-record table for a member (current and superseded): a refusal leaves the count as it was. */
  const count = async (table: string, memberId: string) =>
    (await ownerQuery<{ n: number }>(t.db, `select count(*)::int as n from ${table} where member_id = $1`, [memberId]))[0].n;

  /** Expects exactly one user error at `field`; nothing written to `table`. */
  async function refused(table: string, memberId: string, input: Record<string, unknown>, field: string[], message?: RegExp) {
    const before = await count(table, memberId);
    const result = await add({ memberId, ...input });
    expect(result.userErrors).toEqual([expect.objectContaining({ field, ...(message ? { message: expect.stringMatching(message) } : {}) })]);
    expect(result.record).toBeNull();
    expect(await count(table, memberId)).toBe(before);
  }

  const warning = (on: string) => ({ decision: decision(on), discipline: { form: 'WARNING', decidedOn: on, grounds: 'Vi phạm quy định sinh hoạt' } });
  const badge = (years: number, awardedOn: string, extra: Record<string, unknown> = {}) => ({
    decision: decision(awardedOn), award: { kind: 'PARTY_BADGE', name: `Huy hiệu ${years} năm tuổi Đảng`, badgeYears: years, awardedOn, ...extra },
  });

  describe('after leaving', () => {
    it('a warning for an expelled member is refused; the expulsion entry written with the status is the only one', async () => {
      let m = await admit('1970-01-01', '2000-03-01');
      m = await change(m, 'EXPELLED', '2025-10-01', { cause: 'DISCIPLINE', grounds: 'Vi phạm nghiêm trọng' });
      const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from discipline where member_id = $1 and form = 'EXPULSION' and decided_on = '2025-10-01'`, [m.id]);
      expect(n).toBe(1);
      await refused('discipline', m.id, warning('2026-01-10'), ['input', 'discipline'], /members only/);
    });

    it('a deceased member: new work history after death refused; a posthumous badge 2 months short accepted as POSTHUMOUS_EARLY', async () => {
      // Admitted 1985-05-01, died 2025-03-01: 39 years 10 months of party age, 2 months short of 40.
      let m = await admit('1960-01-01', '1985-05-01');
      m = await change(m, 'DECEASED', '2025-03-01');
      await refused('work_history', m.id, { workHistory: { fromDate: '2025-06-01', position: 'Cố vấn', organisation: 'Hội Cựu chiến binh' } }, ['input', 'workHistory', 'fromDate'], /nothing new/);
      // Before death, it completes the file: only the reason is missing.
      await refused('work_history', m.id, { workHistory: { fromDate: '1980-01-01', position: 'Công nhân', organisation: 'Nhà máy' } }, ['input', 'reason']);
      const posthumous = await add({ memberId: m.id, ...badge(40, '2025-09-02', { posthumous: true }) });
      expect(posthumous.userErrors).toEqual([]);
      expect(posthumous.record).toMatchObject({ badgeYears: 40, posthumous: true, ground: 'POSTHUMOUS_EARLY' });
    });

    it('a badge for a removed member is refused', async () => {
      let m = await admit('1955-01-01', '1980-01-01');
      m = await change(m, 'REMOVED', '2025-01-01', { cause: 'SELF_ABANDONMENT' });
      await refused('award', m.id, badge(45, '2026-02-03'), ['input', 'award', 'awardedOn'], /left/);
    });
  });

  describe('ratings', () => {
    it('a 2025 rating for a member who died in 2024 is refused', async () => {
      let m = await admit('1950-01-01', '2000-01-01');
      m = await change(m, 'DECEASED', '2024-05-01');
      await refused('quality_rating', m.id, { rating: { year: 2025, score: 80 } }, ['input', 'rating', 'year']);
    });

    it('a 2010 rating for a member admitted in 2015 is refused; 2016 is rated', async () => {
      const m = await admit('1990-01-01', '2015-03-01');
      await refused('quality_rating', m.id, { rating: { year: 2010, score: 80 } }, ['input', 'rating', 'year'], /not on the rolls in 2010/);
      expect((await add({ memberId: m.id, rating: { year: 2016, score: 80 } })).record).toMatchObject({ year: 2016, category: 'TOT' });
    });

    it('a member released from activities since 2023 is not rated for 2025', async () => {
      let m = await admit('1945-01-01', '1975-01-01');
      m = await change(m, 'RELEASED', '2023-03-01');
      await refused('quality_rating', m.id, { rating: { year: 2025, category: 'HOAN_THANH' } }, ['input', 'rating', 'year'], /released/);
    });

    it('a score of 95 for a member disciplined in 2025 is refused for 2025; 40 (not completed) is accepted', async () => {
      const m = await admit('1975-01-01', '2000-01-01');
      expect((await add({ memberId: m.id, ...warning('2025-04-10') })).userErrors).toEqual([]);
      await refused('quality_rating', m.id, { rating: { year: 2025, score: 95 } }, ['input', 'rating', 'score'], /disciplined in 2025/);
      expect((await add({ memberId: m.id, rating: { year: 2025, score: 40 } })).record).toMatchObject({ year: 2025, score: 40, category: 'KHONG_HOAN_THANH' });
    });
  });

  describe('discipline', () => {
    it('rests on its decision: none is REQUIRED; one dated before birth, or a decidedOn other than its date, is refused', async () => {
      const m = await admit('1990-01-01', '2015-01-01');
      const before = await count('discipline', m.id);
      const none = await add({ memberId: m.id, discipline: { form: 'WARNING', decidedOn: '2026-01-10', grounds: 'Vi phạm' } });
      expect(none.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED', field: ['input', 'decision'] })]);
      await refused('discipline', m.id, { decision: decision('1950-01-01'), discipline: { form: 'WARNING', decidedOn: '1950-01-01', grounds: 'Vi phạm' } }, ['input', 'decision', 'date'], /before the date of birth/);
      await refused('discipline', m.id, { decision: decision('2014-06-01'), discipline: { form: 'WARNING', decidedOn: '2014-06-01', grounds: 'Vi phạm' } }, ['input', 'decision', 'date'], /before the admission/);
      await refused('discipline', m.id, { decision: decision('2026-01-10'), discipline: { form: 'WARNING', decidedOn: '2026-01-12', grounds: 'Vi phạm' } }, ['input', 'discipline', 'decidedOn']);
      expect(await count('discipline', m.id)).toBe(before);
    });

    it('an award rests on its decision too', async () => {
      const m = await admit('1990-01-01', '2015-01-01');
      await refused('award', m.id, { award: { kind: 'CERTIFICATE', name: 'Giấy khen', awardedOn: '2026-01-15' } }, ['input', 'decision']);
    });

    it('dismissal from post needs a post held that day, even one managed by the district that the ward cannot see', async () => {
      const m = await admit('1975-01-01', '2000-01-01');
      const dismissal = { decision: decision('2026-03-01'), discipline: { form: 'DISMISSAL', decidedOn: '2026-03-01', grounds: 'Vi phạm' } };
      await refused('discipline', m.id, dismissal, ['input', 'discipline', 'form'], /needs a post/);
      // A post managed by the district (DN.HAICHAU): outside what thachthang's staff may read.
      await ownerQuery(t.db, `insert into post (member_id, title, unit_id, start_on, term_years, managed_by_unit_id)
        select $1, 'Phó Chủ tịch UBND phường', u.id, '2024-01-01', 5, d.id from org_unit u, org_unit d where u.code = 'DN.HAICHAU.THACHTHANG' and d.code = 'DN.HAICHAU'`, [m.id]);
      const posts = await t.gql(`query($id: ID) { member(id: $id) { posts { id } } }`, { id: m.id }, staff);
      expect(posts.data.member.posts).toEqual([]);
      const accepted = await add({ memberId: m.id, ...dismissal });
      expect(accepted.userErrors).toEqual([]);
      expect(accepted.record).toMatchObject({ form: 'DISMISSAL', decidedOn: '2026-03-01' });
    });

    it('an EXPULSION entry is one act: the member becomes EXPELLED that day, with the entry', async () => {
      const m = await admit('1975-01-01', '2000-01-01');
      const result = await add({ memberId: m.id, reason: 'Theo quyết định khai trừ', decision: decision('2026-05-20'), discipline: { form: 'EXPULSION', decidedOn: '2026-05-20', grounds: 'Vi phạm nghiêm trọng' } });
      expect(result.userErrors).toEqual([]);
      expect(result.member).toMatchObject({ status: 'EXPELLED', leftOn: '2026-05-20' });
      const periods = await ownerQuery<{ status: string; valid_from: string }>(t.db,
        `select status, valid_from::text from member_status_period where member_id = $1 order by valid_from`, [m.id]);
      expect(periods.map((p) => [p.status, p.valid_from])).toEqual([['PROBATIONARY', '2000-01-01'], ['OFFICIAL', '2001-01-01'], ['EXPELLED', '2026-05-20']]);
      expect(await count('discipline', m.id)).toBe(1);
    });
    it('status and register stay in agreement: the expulsion entry is not voided, nor corrected into another form', async () => {
      let m = await admit('1975-01-01', '2000-01-01');
      m = await change(m, 'EXPELLED', '2026-02-10', { cause: 'DISCIPLINE', grounds: 'Vi phạm nghiêm trọng' });
      const [entry] = await ownerQuery<{ id: string; version: number }>(t.db, `select id::text, version from discipline where member_id = $1 and form = 'EXPULSION'`, [m.id]);
      const voided = await t.gql(`mutation($input: VoidSubRecordInput!) { voidSubRecord(input: $input) { userErrors { field message } } }`,
        { input: { kind: 'DISCIPLINE', id: entry.id, expectedVersion: entry.version, reason: 'Nhập nhầm' } }, staff);
      expect(voided.data.voidSubRecord.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], message: expect.stringMatching(/disagreeing/) })]);
      const corrected = await t.gql(`mutation($input: CorrectSubRecordInput!) { correctSubRecord(input: $input) { userErrors { field } } }`,
        { input: { id: entry.id, expectedVersion: entry.version, reason: 'Sai hình thức', decision: decision('2026-02-10'), discipline: { form: 'WARNING', decidedOn: '2026-02-10', grounds: 'Vi phạm' } } }, staff);
      expect(corrected.data.correctSubRecord.userErrors).toEqual([{ field: ['input', 'discipline', 'form'] }]);
      const [row] = await ownerQuery<{ superseded_at: string | null; version: number }>(t.db, `select superseded_at, version from discipline where id = $1`, [entry.id]);
      expect(row).toEqual({ superseded_at: null, version: entry.version });
    });

    it('an expelled member whose register lacks the entry (older records): it may be added on the day they left, with a reason', async () => {
      let m = await admit('1975-01-01', '2000-01-01');
      m = await change(m, 'EXPELLED', '2026-02-10', { cause: 'DISCIPLINE', grounds: 'Vi phạm nghiêm trọng' });
      // As records kept before expulsion was one act: the status without its entry.
      await ownerQuery(t.db, `update discipline set superseded_at = now(), supersede_reason = 'bản ghi cũ' where member_id = $1`, [m.id]);
      const expulsion = (on: string) => ({ decision: decision(on), discipline: { form: 'EXPULSION', decidedOn: on, grounds: 'Vi phạm nghiêm trọng' } });
      await refused('discipline', m.id, expulsion('2026-02-10'), ['input', 'reason']);
      await refused('discipline', m.id, { ...expulsion('2026-02-01'), reason: 'Bổ sung sổ kỷ luật' }, ['input', 'discipline', 'decidedOn']);
      const added = await add({ memberId: m.id, ...expulsion('2026-02-10'), reason: 'Bổ sung sổ kỷ luật' });
      expect(added.userErrors).toEqual([]);
      expect(added.member).toMatchObject({ status: 'EXPELLED', leftOn: '2026-02-10' });
      // The register now has it: a second one is refused.
      await refused('discipline', m.id, { ...expulsion('2026-02-10'), reason: 'Bổ sung sổ kỷ luật' }, ['input', 'discipline']);
    });
  });

  describe('party badges', () => {
    it('a 90-year badge for 2 years of party age is refused', async () => {
      const m = await admit('1990-01-01', '2024-03-01');
      await refused('award', m.id, badge(90, '2026-05-19'), ['input', 'award', 'badgeYears'], /2 years 2 months/);
    });

    it('the same 30-year badge twice is refused; once voided, it may be entered again', async () => {
      const m = await admit('1960-01-01', '1990-01-10');
      const first = await add({ memberId: m.id, ...badge(30, '2026-05-19') });
      expect(first.userErrors).toEqual([]);
      expect(first.record.ground).toBeNull();
      await refused('award', m.id, badge(30, '2026-05-19'), ['input', 'award', 'badgeYears'], /already holds/);
      const voided = await t.gql(`mutation($input: VoidSubRecordInput!) { voidSubRecord(input: $input) { userErrors { field } } }`,
        { input: { kind: 'AWARD', id: first.record.id, expectedVersion: 1, reason: 'Nhập nhầm' } }, staff);
      expect(voided.data.voidSubRecord.userErrors).toEqual([]);
      expect((await add({ memberId: m.id, ...badge(30, '2026-05-19') })).userErrors).toEqual([]);
    });

    it('serious illness: a 30-year badge 13 months early is refused, 11 months early accepted (EARLY_ILLNESS)', async () => {
      // Admitted 1996-06-15: 30 years on 2026-06-15; 2025-05-15 is 13 months before, 2025-07-15 11 months.
      const m = await admit('1970-01-01', '1996-06-15', { since: '2025-01-01', ground: 'Giấy xác nhận bệnh hiểm nghèo số 12/BV' });
      await refused('award', m.id, badge(30, '2025-05-15'), ['input', 'award', 'badgeYears'], /13 months short/);
      const early = await add({ memberId: m.id, ...badge(30, '2025-07-15') });
      expect(early.userErrors).toEqual([]);
      expect(early.record).toMatchObject({ badgeYears: 30, ground: 'EARLY_ILLNESS' });
    });

    it("the early badge's ground tells of an illness: a reporting role reads the award but not its ground", async () => {
      const m = await admit('1970-01-01', '1996-06-15', { since: '2025-01-01', ground: 'Giấy xác nhận bệnh hiểm nghèo số 13/BV' });
      expect((await add({ memberId: m.id, ...badge(30, '2025-07-15') })).userErrors).toEqual([]);
      const reporter = await t.login('reporter');
      const READ = (fields: string) => `query($id: ID) { member(id: $id) { awards { ${fields} } } }`;
      const plain = await t.gql(READ('badgeYears name'), { id: m.id }, reporter);
      expect(plain.errors).toBeUndefined();
      expect(plain.data.member.awards).toEqual([expect.objectContaining({ badgeYears: 30 })]);
      const ground = await t.gql(READ('badgeYears ground'), { id: m.id }, reporter);
      expect(ground.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await t.gql(READ('ground'), { id: m.id }, staff)).data.member.awards).toEqual([{ ground: 'EARLY_ILLNESS' }]);
    });

    it('serious illness: a 70-year badge 23 months early is accepted; without the illness it is refused', async () => {
      // Admitted 1958-05-01: 70 years on 2028-05-01; 2026-06-01 is 23 months before.
      const ill = await admit('1938-01-01', '1958-05-01', { since: '2026-01-01', ground: 'Giấy xác nhận bệnh hiểm nghèo số 7/BV' });
      const early = await add({ memberId: ill.id, ...badge(70, '2026-06-01') });
      expect(early.userErrors).toEqual([]);
      expect(early.record).toMatchObject({ badgeYears: 70, ground: 'EARLY_ILLNESS' });
      const well = await admit('1938-01-01', '1958-05-01');
      await refused('award', well.id, badge(70, '2026-06-01'), ['input', 'award', 'badgeYears'], /23 months short/);
    });

    it('a warning 8 months before the award is refused, 9 months before accepted', async () => {
      const m = await admit('1965-01-01', '1990-01-01');
      expect((await add({ memberId: m.id, ...warning('2025-09-15') })).userErrors).toEqual([]);
      await refused('award', m.id, badge(30, '2026-05-15'), ['input', 'award', 'awardedOn'], /not before 2026-06-15/);
      expect((await add({ memberId: m.id, ...badge(30, '2026-06-15') })).userErrors).toEqual([]);
    });
  });
});
