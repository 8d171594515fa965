import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/**
 * The cadre register's rules (docs/domain.md, "Cadres"), through the API on a fixed day: posts and
 * planning only for active members, dates that fit, the reappointment list, planning periods that
 * are congress terms, and the planning limits as warnings.
 */
const TODAY = '2026-06-15';

const APPOINT = `mutation($input: AppointToPostInput!) { appointToPost(input: $input) { post { id version reappointmentDue } userErrors { field code message } } }`;
const END = `mutation($input: EndPostInput!) { endPost(input: $input) { post { endOn } userErrors { field message } } }`;
const PLAN = `mutation($input: AddPlanningEntryInput!) {
  addPlanningEntry(input: $input) { entry { id periodStart periodEnd unit { code } } userErrors { field code message } warnings { field code message } } }`;
const DUE = `query($unitId: ID, $withinDays: Int, $asOf: Date, $first: Int, $after: String) {
  postsDueForReappointment(unitId: $unitId, withinDays: $withinDays, asOf: $asOf, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id title startOn termYears reappointmentDue } } } }`;

const decision = (date: string) => ({ number: '7-QĐ/ĐU', date, issuedBy: 'Đảng ủy phường Thạch Thang' });

type Row = { id: string; cell: string; ward: string; joined_on: string };
const MEMBER_ROW = `select m.id::text, c.id::text as cell, w.id::text as ward, m.joined_on::text
  from member m join org_unit c on c.id = m.unit_id join org_unit w on w.id = c.parent_id`;

async function count(t: TestApp, table: 'post' | 'planning_entry', memberId: string): Promise<number> {
  const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int as n from ${table} where member_id = $1`, [memberId]);
  return n;
}

describe('the cadre register', () => {
  let t: TestApp;
  let admin: string;
  let staff: string;
  /** Official members of Thạch Thang admitted before 2015, for posts and planning. */
  let official: Row[];
  let cellCode: string;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    admin = await t.login('admin');
    staff = await t.login('thachthang');
    official = await ownerQuery<Row>(
      t.db,
      `${MEMBER_ROW} where w.code = 'DN.HAICHAU.THACHTHANG' and m.status = 'OFFICIAL' and m.joined_on < '2015-01-01' order by m.id limit 8`,
    );
    expect(official.length).toBe(8);
    [{ code: cellCode }] = await ownerQuery<{ code: string }>(t.db, `select code from org_unit where id = $1`, [official[0].cell]);
  });
  afterAll(() => t.close());

  const appointInput = (m: Row, extra: Record<string, unknown> = {}) => ({
    memberId: m.id, title: 'Bí thư Chi bộ', unitId: m.cell, managedByUnitId: m.ward, startOn: '2021-08-01', decision: decision('2021-07-25'), ...extra,
  });

  describe('posts only for active members, on dates that fit', () => {
    it('a member who left (DECEASED) is refused on memberId; nothing written', async () => {
      const [dead] = await ownerQuery<Row>(t.db, `${MEMBER_ROW} where m.status = 'DECEASED' and m.left_on is not null order by m.id limit 1`);
      const before = await count(t, 'post', dead.id);
      const result = await t.gql(APPOINT, { input: appointInput(dead, { startOn: '2026-01-05', decision: decision('2026-01-02') }) }, admin);
      expect(result.data.appointToPost.post).toBeNull();
      expect(result.data.appointToPost.userErrors).toEqual([expect.objectContaining({ field: ['input', 'memberId'], code: 'INVALID' })]);
      expect(result.data.appointToPost.userErrors[0].message).toMatch(/left \(DECEASED/);
      expect(await count(t, 'post', dead.id)).toBe(before);
    });

    it('a member released from activities (RELEASED) is refused on memberId; nothing written', async () => {
      const [released] = await ownerQuery<Row>(t.db, `${MEMBER_ROW} where m.status = 'RELEASED' order by m.id limit 1`);
      const before = await count(t, 'post', released.id);
      const result = await t.gql(APPOINT, { input: appointInput(released, { startOn: '2026-01-05', decision: decision('2026-01-02') }) }, admin);
      expect(result.data.appointToPost.userErrors.map((e: any) => e.field)).toEqual([['input', 'memberId']]);
      expect(await count(t, 'post', released.id)).toBe(before);
    });

    it('a probationary member may be appointed', async () => {
      const [probationary] = await ownerQuery<Row>(t.db, `${MEMBER_ROW} where m.status = 'PROBATIONARY' and m.joined_on < '2026-01-01' order by m.id limit 1`);
      const result = await t.gql(APPOINT, { input: appointInput(probationary, { startOn: '2026-03-02', decision: decision('2026-02-27') }) }, admin);
      expect(result.data.appointToPost.userErrors).toEqual([]);
      expect(result.data.appointToPost.post.reappointmentDue).toBe('2031-03-02');
    });

    it('a start before the admission is refused on startOn, a decision dated before it on decision.date', async () => {
      const m = official[7];
      const dayBefore = new Date(Date.parse(`${m.joined_on}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const before = await count(t, 'post', m.id);
      const early = await t.gql(APPOINT, { input: appointInput(m, { startOn: dayBefore, decision: decision(dayBefore) }) }, staff);
      expect(early.data.appointToPost.userErrors.map((e: any) => e.field)).toEqual([['input', 'startOn'], ['input', 'decision', 'date']]);
      const oldDecision = await t.gql(APPOINT, { input: appointInput(m, { startOn: '2021-08-01', decision: decision(dayBefore) }) }, staff);
      expect(oldDecision.data.appointToPost.userErrors.map((e: any) => e.field)).toEqual([['input', 'decision', 'date']]);
      expect(await count(t, 'post', m.id)).toBe(before);
    });
  });

  describe('posts due for reappointment', () => {
    // Held in a cell, where the seed holds no post: the list of that cell is only these.
    // As of 2026-06-15 with 90 days, the window reaches 2026-09-13.
    let posts: Record<string, { id: string; version: number }>;
    beforeAll(async () => {
      const appoint = async (m: Row, startOn: string, termYears = 5) => {
        const result = await t.gql(APPOINT, { input: appointInput(m, { unitId: official[0].cell, startOn, termYears, decision: decision(startOn) }) }, staff);
        expect(result.data.appointToPost.userErrors).toEqual([]);
        return result.data.appointToPost.post;
      };
      posts = {
        threeYears: await appoint(official[0], '2023-01-01', 3), // ends 2026-01-01: overdue
        may: await appoint(official[1], '2021-05-01'), // ends 2026-05-01: overdue
        august: await appoint(official[2], '2021-08-01'), // ends 2026-08-01: due
        october: await appoint(official[3], '2021-10-01'), // ends 2026-10-01: after the window
        ended: await appoint(official[4], '2021-07-01'), // ended below: not held
      };
      const ended = await t.gql(END, { input: { postId: posts.ended.id, expectedVersion: posts.ended.version, endOn: '2026-02-01', reason: 'Nghỉ hưu' } }, staff);
      expect(ended.data.endPost.userErrors).toEqual([]);
      // A post left over in the file of a member who has died: not due, the member is gone.
      const [dead] = await ownerQuery<{ id: string }>(t.db, `select id::text from member where status = 'DECEASED' and unit_path <@ (select path from org_unit where code = 'DN.HAICHAU.THACHTHANG') order by id limit 1`);
      expect(dead).toBeDefined();
      await ownerQuery(
        t.db,
        `insert into post (member_id, title, unit_id, managed_by_unit_id, start_on, term_years) values ($1, 'Chi ủy viên', $2, $3, '2021-07-15', 5)`,
        [dead.id, official[0].cell, official[0].ward],
      );
    });

    it('lists the held posts whose term ends by the window, overdue first, with the day it is due', async () => {
      const result = await t.gql(DUE, { unitId: official[0].cell, withinDays: 90 }, staff);
      expect(result.errors).toBeUndefined();
      const list = result.data.postsDueForReappointment;
      expect(list.edges.map((e: any) => e.node.id)).toEqual([posts.threeYears.id, posts.may.id, posts.august.id]);
      expect(list.edges.map((e: any) => e.node.reappointmentDue)).toEqual(['2026-01-01', '2026-05-01', '2026-08-01']);
      expect(list.totalCount).toBe(3);
    });

    it('pages in that order; a narrower window and an earlier day change the list', async () => {
      const first = await t.gql(DUE, { unitId: official[0].cell, first: 2 }, staff);
      const page1 = first.data.postsDueForReappointment;
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const second = await t.gql(DUE, { unitId: official[0].cell, first: 2, after: page1.pageInfo.endCursor }, staff);
      expect(second.data.postsDueForReappointment.edges.map((e: any) => e.node.id)).toEqual([posts.august.id]);
      // 30 days from 2026-06-15 reach 2026-07-15: the August term is not yet due.
      const narrow = await t.gql(DUE, { unitId: official[0].cell, withinDays: 30 }, staff);
      expect(narrow.data.postsDueForReappointment.edges.map((e: any) => e.node.id)).toEqual([posts.threeYears.id, posts.may.id]);
      // As of 2025-12-01 with 120 days (to 2026-03-31): the ended post was still held, its term ending 2026-07-01 is not in the window.
      const earlier = await t.gql(DUE, { unitId: official[0].cell, withinDays: 120, asOf: '2025-12-01' }, staff);
      expect(earlier.data.postsDueForReappointment.edges.map((e: any) => e.node.id)).toEqual([posts.threeYears.id]);
    });

    it('a post managed by the district is listed for the district, not for the ward', async () => {
      const district = await t.login('haichau');
      const [{ id: districtId }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.HAICHAU'`);
      const appointed = await t.gql(
        APPOINT,
        { input: appointInput(official[5], { unitId: official[0].cell, managedByUnitId: districtId, startOn: '2021-06-20', decision: decision('2021-06-18') }) },
        district,
      );
      const id = appointed.data.appointToPost.post.id;
      const byDistrict = await t.gql(DUE, { unitId: official[0].cell }, district);
      expect(byDistrict.data.postsDueForReappointment.edges.map((e: any) => e.node.id)).toContain(id);
      const byWard = await t.gql(DUE, { unitId: official[0].cell }, staff);
      expect(byWard.data.postsDueForReappointment.edges.map((e: any) => e.node.id)).not.toContain(id);
      expect(byWard.data.postsDueForReappointment.totalCount).toBe(3);
    });

    it('refuses a unit outside scope, a window out of range, and roles without records', async () => {
      const [{ id: other }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.SONTRA'`);
      expect((await t.gql(DUE, { unitId: other }, staff)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await t.gql(DUE, { unitId: official[0].cell, withinDays: -1 }, staff)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'withinDays' });
      expect((await t.gql(DUE, {}, await t.login('auditor'))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(cellCode).toMatch(/^DN\.HAICHAU\.THACHTHANG\./);
    });
  });

  describe('planning entries', () => {
    const planInput = (m: Row, extra: Record<string, unknown> = {}) => ({
      memberId: m.id, postTitle: 'Phó Bí thư Đảng ủy', managedByUnitId: m.ward, periodStart: 2025, periodEnd: 2030,
      decision: decision('2025-11-20'), reason: 'Quy hoạch nhiệm kỳ 2025–2030', ...extra,
    });

    it('needs its decision: refused on decision, nothing written', async () => {
      const m = official[6];
      const before = await count(t, 'planning_entry', m.id);
      const result = await t.gql(PLAN, { input: planInput(m, { decision: null }) }, staff);
      expect(result.data.addPlanningEntry.userErrors).toEqual([expect.objectContaining({ field: ['input', 'decision'], code: 'REQUIRED' })]);
      expect(await count(t, 'planning_entry', m.id)).toBe(before);
    });

    it('a period that is not a congress term (2023–2026) is refused on periodStart and periodEnd', async () => {
      const m = official[6];
      const before = await count(t, 'planning_entry', m.id);
      const result = await t.gql(PLAN, { input: planInput(m, { periodStart: 2023, periodEnd: 2026 }) }, staff);
      expect(result.data.addPlanningEntry.userErrors.map((e: any) => e.field)).toEqual([['input', 'periodStart'], ['input', 'periodEnd']]);
      expect(await count(t, 'planning_entry', m.id)).toBe(before);
    });

    it('a decision dated after the period it plans for, or before the admission, is refused on decision.date', async () => {
      const m = official[6];
      const late = await t.gql(PLAN, { input: planInput(m, { periodStart: 2020, periodEnd: 2025, decision: decision('2026-01-10') }) }, staff);
      expect(late.data.addPlanningEntry.userErrors.map((e: any) => e.field)).toEqual([['input', 'decision', 'date']]);
      const early = await t.gql(PLAN, { input: planInput(m, { decision: decision('1990-01-01') }) }, staff);
      expect(early.data.addPlanningEntry.userErrors.map((e: any) => e.field)).toEqual([['input', 'decision', 'date']]);
      expect(await count(t, 'planning_entry', m.id)).toBe(0);
    });

    it('members who left or are released are not planned', async () => {
      for (const statuses of [['EXPELLED', 'REMOVED', 'RESIGNED'], ['RELEASED']]) {
        const [m] = await ownerQuery<Row>(t.db, `${MEMBER_ROW} where m.status = any($1) order by m.id limit 1`, [statuses]);
        expect(m).toBeDefined();
        const result = await t.gql(PLAN, { input: planInput(m, { decision: decision('2026-01-10') }) }, admin);
        expect(result.data.addPlanningEntry.userErrors.map((e: any) => e.field)).toEqual([['input', 'memberId']]);
        expect(await count(t, 'planning_entry', m.id)).toBe(0);
      }
    });

    it('the fifth person planned for one post of a unit in a term is written with a warning on postTitle', async () => {
      const forPost = (m: Row) => planInput(m, { postTitle: 'Chủ tịch UBND phường', periodStart: 2030, periodEnd: 2035 });
      for (const m of official.slice(0, 4)) {
        const result = await t.gql(PLAN, { input: forPost(m) }, staff);
        expect(result.data.addPlanningEntry).toMatchObject({ userErrors: [], warnings: [] });
      }
      // The same post typed with other case and spacing is the same post.
      const fifth = await t.gql(PLAN, { input: { ...forPost(official[4]), postTitle: 'chủ tịch  UBND phường' } }, staff);
      expect(fifth.data.addPlanningEntry.userErrors).toEqual([]);
      expect(fifth.data.addPlanningEntry.entry.unit.code).toBe('DN.HAICHAU.THACHTHANG');
      expect(fifth.data.addPlanningEntry.warnings).toEqual([expect.objectContaining({ field: ['input', 'postTitle'], code: 'ABOVE_LIMIT' })]);
      expect(fifth.data.addPlanningEntry.warnings[0].message).toMatch(/5 people .* limit is 4/);
      expect(await count(t, 'planning_entry', official[4].id)).toBe(1);
      // The same title in another unit is another post.
      const elsewhere = await t.gql(PLAN, { input: { ...forPost(official[5]), unitId: official[5].cell } }, staff);
      expect(elsewhere.data.addPlanningEntry.warnings).toEqual([]);
    });

    it('the fourth post one person is planned for in a term is written with a warning on memberId', async () => {
      const m = official[7];
      const titles = ['Bí thư Đảng ủy', 'Phó Bí thư Thường trực', 'Chủ tịch HĐND', 'Chủ tịch MTTQ'];
      const results = [];
      for (const postTitle of titles) results.push((await t.gql(PLAN, { input: planInput(m, { postTitle }) }, staff)).data.addPlanningEntry);
      expect(results.map((r) => r.userErrors)).toEqual([[], [], [], []]);
      expect(results.map((r) => r.warnings.map((w: any) => w.field))).toEqual([[], [], [], [['input', 'memberId']]]);
      expect(await count(t, 'planning_entry', m.id)).toBe(4);
    });
  });
});

describe('the cadre figures are the department’s to set (HOSO_RULES_FILE)', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoso-cadre-rules-'));
    const file = path.join(dir, 'rules.json');
    fs.writeFileSync(file, JSON.stringify({ cadres: { termAnchorYear: 2021, maxPeoplePerPost: 1 } }));
    t = await startTestApp({ HOSO_RULES_FILE: file }, { clock: fixedClock(TODAY) });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('terms start in 2021, 2026…; a second person for a post is already over the limit', async () => {
    const staff = await t.login('thachthang');
    const members = await ownerQuery<Row>(
      t.db,
      `${MEMBER_ROW} where w.code = 'DN.HAICHAU.THACHTHANG' and m.status = 'OFFICIAL' and m.joined_on < '2015-01-01' order by m.id limit 2`,
    );
    const input = (m: Row, periodStart: number) => ({
      memberId: m.id, postTitle: 'Bí thư Đảng ủy', managedByUnitId: m.ward, periodStart, periodEnd: periodStart + 5, decision: decision('2026-01-10'),
    });
    const old = await t.gql(PLAN, { input: input(members[0], 2025) }, staff);
    expect(old.data.addPlanningEntry.userErrors.map((e: any) => e.field)).toEqual([['input', 'periodStart']]);
    const first = await t.gql(PLAN, { input: input(members[0], 2026) }, staff);
    expect(first.data.addPlanningEntry).toMatchObject({ userErrors: [], warnings: [] });
    const second = await t.gql(PLAN, { input: input(members[1], 2026) }, staff);
    expect(second.data.addPlanningEntry.warnings).toEqual([expect.objectContaining({ field: ['input', 'postTitle'] })]);
  });
});
