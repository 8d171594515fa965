import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { DELIBERATE_ISSUES } from '../seeds/demo';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/**
 * dataQualityIssues (issue 12, item 8): each check lists a stored record that breaks its rule and
 * leaves alone one that keeps it. The records are written as raw rows by the owner role, as old
 * data or a bulk load would have left them: the API refuses them today.
 */
const TODAY = '2026-06-15';

const ISSUES = `query($unitId: ID, $rules: [DataQualityRuleCode!], $first: Int, $after: String) {
  dataQualityIssues(unitId: $unitId, rules: $rules, first: $first, after: $after) {
    unit { code } totalCount notChecked byRule { rule count description source }
    pageInfo { hasNextPage endCursor }
    edges { cursor node { rule recordKind recordId field message source member { id fullName unit { code } } } }
  }
}`;

interface Issue {
  rule: string;
  recordKind: string;
  recordId: string;
  field: string;
  message: string;
  source: string;
  member: { id: string; fullName: string; unit: { code: string } };
}

describe('dataQualityIssues: stored records that break a rule, listed for staff to fix', () => {
  let t: TestApp;
  let admin: string;
  let cityId: string;
  const used: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    admin = await t.login('admin');
    [{ id: cityId }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN'`);
  });
  afterAll(() => t.close());

  const unitId = async (code: string) => (await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = $1`, [code]))[0].id;

  /** Every issue of a unit (all pages), with the first page's counts. */
  async function issues(token: string, variables: { unitId?: string; rules?: string[] }) {
    const nodes: Issue[] = [];
    let after: string | null = null;
    let first: any;
    for (;;) {
      const result: { errors?: unknown; data?: any } = await t.gql(ISSUES, { ...variables, first: 100, after }, token);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      const page: any = result.data.dataQualityIssues;
      first ??= page;
      nodes.push(...page.edges.map((e: { node: Issue }) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const counts = Object.fromEntries(first.byRule.map((r: { rule: string; count: number }) => [r.rule, r.count]));
    return { nodes, counts, totalCount: first.totalCount as number, notChecked: first.notChecked as string[] };
  }

  /** The records of one rule listed for the city, as "KIND:id". */
  async function listed(rule: string, token = admin, unit = cityId): Promise<Set<string>> {
    const { nodes } = await issues(token, { unitId: unit, rules: [rule] });
    for (const n of nodes) expect(n.rule).toBe(rule);
    return new Set(nodes.map((n) => `${n.recordKind}:${n.recordId}`));
  }

  /** A member not used by another case, meeting a condition (SQL over m). */
  async function pick(condition: string): Promise<{ id: string; joined_on: string; date_of_birth: string; left_on: string | null; unit_id: string }> {
    const [row] = await ownerQuery<any>(
      t.db,
      `select m.id::text, m.joined_on::text, m.date_of_birth::text, m.left_on::text, m.unit_id::text from member m
        where ${condition} and m.id <> all($1::bigint[]) order by m.id limit 1`,
      [used],
    );
    if (!row) throw new Error(`no member for ${condition}`);
    used.push(row.id);
    return row;
  }
  const OFFICIAL = `m.status = 'OFFICIAL' and m.official_on < '2015-01-01' and not exists (select 1 from transfer x where x.member_id = m.id and x.status = 'PENDING')`;

  /** The member leaves on `on` (raw rows, as an old import would have written them). */
  async function leave(id: string, status: string, on: string, cause: string | null = null) {
    await ownerQuery(t.db, `update member_status_period set valid_to = $2 where member_id = $1 and valid_to is null`, [id, on]);
    await ownerQuery(t.db, `insert into member_status_period (member_id, status, valid_from, cause) values ($1, $2, $3, $4)`, [id, status, on, cause]);
    await ownerQuery(t.db, `update member set status = $2, left_on = $3 where id = $1`, [id, status, on]);
  }
  async function insert(table: string, values: Record<string, unknown>): Promise<string> {
    const names = Object.keys(values);
    const [{ id }] = await ownerQuery<{ id: string }>(
      t.db,
      `insert into ${table} (${names.join(', ')}) values (${names.map((_, i) => `$${i + 1}`).join(', ')}) returning id::text`,
      Object.values(values),
    );
    return id;
  }
  const decision = (date: string) => ({ decision_number: '12-QĐ/ĐU', decision_date: date, decision_body: 'Đảng ủy phường' });

  describe('the demo data', () => {
    const DELIBERATE = ['RATING_OUTSIDE_MEMBERSHIP', 'BADGE_TWICE', 'AWARD_WITHOUT_DECISION', 'POST_OPEN_AFTER_LEAVING', 'DECISION_BEFORE_BIRTH'];

    it(`shows the ${DELIBERATE_ISSUES} deliberate issues of the seed, one per rule, in Hải Châu outside Thạch Thang`, async () => {
      const district = await issues(await t.login('haichau'), { unitId: await unitId('DN.HAICHAU'), rules: DELIBERATE });
      // Counted by hand from seeds/demo.ts (insertDeliberateIssues): one record per rule; the
      // generated data break none of these five rules.
      expect(district.totalCount).toBe(5);
      expect(district.nodes.map((n) => n.rule).sort()).toEqual([...DELIBERATE].sort());
      expect(DELIBERATE_ISSUES).toBe(5);
      for (const n of district.nodes) {
        expect(n.member.unit.code.startsWith('DN.HAICHAU.')).toBe(true);
        expect(n.member.unit.code.startsWith('DN.HAICHAU.THACHTHANG.')).toBe(false);
      }
      const kinds = Object.fromEntries(district.nodes.map((n) => [n.rule, n.recordKind]));
      expect(kinds).toEqual({
        RATING_OUTSIDE_MEMBERSHIP: 'QUALITY_RATING', BADGE_TWICE: 'AWARD', AWARD_WITHOUT_DECISION: 'AWARD',
        POST_OPEN_AFTER_LEAVING: 'POST', DECISION_BEFORE_BIRTH: 'WORK_HISTORY',
      });
      // The city sees the same five; the Thạch Thang ward none of them.
      expect((await issues(admin, { unitId: cityId, rules: DELIBERATE })).totalCount).toBe(5);
      expect((await issues(await t.login('thachthang'), { rules: DELIBERATE })).totalCount).toBe(0);
    });

    it('counts every rule for the city, and the total is their sum; pages continue in order', async () => {
      const started = Date.now();
      const first = await t.gql(ISSUES, { unitId: cityId, first: 100 }, admin);
      const elapsed = Date.now() - started;
      expect(first.errors, JSON.stringify(first.errors)).toBeUndefined();
      const page = first.data.dataQualityIssues;
      const counts: Record<string, number> = Object.fromEntries(page.byRule.map((r: { rule: string; count: number }) => [r.rule, r.count]));
      console.log(`dataQualityIssues for the city (demo seed): total ${page.totalCount} in ${elapsed} ms; by rule ${JSON.stringify(counts)}`);
      expect(Object.keys(counts)).toHaveLength(24);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(page.totalCount);
      // The generated data obey every rule: the city sees only the deliberate issues, one per
      // rule of seeds/demo.ts (insertDeliberateIssues), counted by hand. A generator that breaks a
      // rule again fails here, naming the rule.
      expect(counts).toEqual(Object.fromEntries(Object.keys(counts).map((rule) => [rule, DELIBERATE.includes(rule) ? 1 : 0])));
      expect(page.totalCount).toBe(DELIBERATE_ISSUES);
      expect(page.notChecked).toEqual([]);
      // In order: member, then rule, then record; the next page continues after the last.
      const key = (n: Issue) => `${n.member.id.padStart(19, '0')}|${n.rule}|${n.recordId.padStart(19, '0')}`;
      const keys = page.edges.map((e: { node: Issue }) => key(e.node));
      expect([...keys].sort()).toEqual(keys);
      expect(page.edges).toHaveLength(Math.min(100, page.totalCount));
      if (page.pageInfo.hasNextPage) {
        const next = await t.gql(ISSUES, { unitId: cityId, first: 100, after: page.pageInfo.endCursor }, admin);
        const nextKeys = next.data.dataQualityIssues.edges.map((e: { node: Issue }) => key(e.node));
        expect(nextKeys[0] > keys[keys.length - 1]).toBe(true);
      } else {
        expect((await issues(admin, { unitId: cityId })).nodes).toHaveLength(page.totalCount);
      }
    }, 600_000);
  });

  describe('each check finds what breaks its rule, and only that', () => {
    it('ratings: a year outside membership, a year ending released, above the cap in a year with a discipline', async () => {
      const a = await pick(`${OFFICIAL} and m.joined_on between '2008-01-01' and '2012-12-31'`);
      const joinedYear = Number(a.joined_on.slice(0, 4));
      const before = await insert('quality_rating', { member_id: a.id, year: joinedYear - 2, score: 80, category: 'TOT' });
      const admissionYear = await insert('quality_rating', { member_id: a.id, year: joinedYear, score: 80, category: 'TOT' });
      const outside = await listed('RATING_OUTSIDE_MEMBERSHIP');
      expect(outside.has(`QUALITY_RATING:${before}`)).toBe(true);
      expect(outside.has(`QUALITY_RATING:${admissionYear}`)).toBe(false);

      // Released from 2020-06-01 on: 2020 ends released (not rated), 2019 did not.
      const r = await pick(OFFICIAL);
      await ownerQuery(t.db, `update member_status_period set valid_to = '2020-06-01' where member_id = $1 and valid_to is null`, [r.id]);
      await ownerQuery(t.db, `insert into member_status_period (member_id, status, valid_from) values ($1, 'RELEASED', '2020-06-01')`, [r.id]);
      await ownerQuery(t.db, `update member set status = 'RELEASED' where id = $1`, [r.id]);
      const released = await insert('quality_rating', { member_id: r.id, year: 2020, score: 75, category: 'TOT' });
      const working = await insert('quality_rating', { member_id: r.id, year: 2019, score: 75, category: 'TOT' });
      const whileReleased = await listed('RATING_WHILE_RELEASED');
      expect(whileReleased.has(`QUALITY_RATING:${released}`)).toBe(true);
      expect(whileReleased.has(`QUALITY_RATING:${working}`)).toBe(false);

      // A warning in 2023: the 2023 rating "good" is above the cap (not completed); the 2022 one is not in that year.
      const d = await pick(OFFICIAL);
      await insert('discipline', { member_id: d.id, form: 'WARNING', decided_on: '2023-04-10', grounds: 'Vi phạm', ...decision('2023-04-10') });
      const capped = await insert('quality_rating', { member_id: d.id, year: 2023, score: 72, category: 'TOT' });
      const notCompleted = await insert('quality_rating', { member_id: d.id, year: 2022, score: 72, category: 'TOT' });
      const aboveCap = await listed('RATING_ABOVE_DISCIPLINE_LIMIT');
      expect(aboveCap.has(`QUALITY_RATING:${capped}`)).toBe(true);
      expect(aboveCap.has(`QUALITY_RATING:${notCompleted}`)).toBe(false);
    });

    it('party badges: not reached beyond the allowances, the same badge twice, an award after leaving', async () => {
      // Admitted 1997-03-01: on 2026-05-19 the party age is 29 years 2 months, short of 30 by under 12 months.
      const ill = await pick(`${OFFICIAL} and m.joined_on between '1997-02-01' and '1997-04-30' and not exists (select 1 from award w where w.member_id = m.id)`);
      const well = await pick(`${OFFICIAL} and m.joined_on between '1997-02-01' and '1997-04-30' and not exists (select 1 from award w where w.member_id = m.id)`);
      await ownerQuery(t.db, `update member set serious_illness_since = '2025-01-01', serious_illness_ground = 'Giấy xác nhận của bệnh viện' where id = $1`, [ill.id]);
      const badge = { kind: 'PARTY_BADGE', name: 'Huy hiệu 30 năm tuổi Đảng', badge_years: 30, awarded_on: '2026-05-19', ...decision('2026-05-19') };
      const early = await insert('award', { member_id: ill.id, ...badge });
      const notReached = await insert('award', { member_id: well.id, ...badge });
      const forty = await insert('award', { member_id: ill.id, ...badge, badge_years: 40, name: 'Huy hiệu 40 năm tuổi Đảng' });
      const badges = await listed('BADGE_NOT_REACHED');
      expect(badges.has(`AWARD:${notReached}`)).toBe(true);
      expect(badges.has(`AWARD:${early}`)).toBe(false); // within the 12 months of a recorded serious illness
      expect(badges.has(`AWARD:${forty}`)).toBe(true); // 29 years is far from 40
      // The demo's badges, given when reached, are not listed.
      const [seeded] = await ownerQuery<{ id: string }>(t.db, `select id::text from award where kind = 'PARTY_BADGE' and member_id < 100 order by id limit 1`);
      expect(badges.has(`AWARD:${seeded.id}`)).toBe(false);

      const twice = await insert('award', { member_id: ill.id, ...badge, awarded_on: '2026-06-01', decision_date: '2026-06-01' });
      const twiceListed = await listed('BADGE_TWICE');
      expect(twiceListed.has(`AWARD:${twice}`)).toBe(true);
      expect(twiceListed.has(`AWARD:${early}`)).toBe(false); // the first entry stays

      const dead = await pick(OFFICIAL);
      await leave(dead.id, 'DECEASED', '2025-03-01', 'DEATH');
      const medal = await insert('award', { member_id: dead.id, kind: 'MEDAL', name: 'Huân chương Lao động hạng Ba', awarded_on: '2025-03-11', ...decision('2025-03-11') });
      const posthumous = await insert('award', { member_id: dead.id, kind: 'ORDER', name: 'Truy tặng Huân chương', awarded_on: '2025-04-01', posthumous: true, ...decision('2025-04-01') });
      const before = await insert('award', { member_id: dead.id, kind: 'CERTIFICATE', name: 'Giấy khen', awarded_on: '2025-02-28', ...decision('2025-02-28') });
      const after = await listed('AWARD_AFTER_LEAVING');
      expect(after.has(`AWARD:${medal}`)).toBe(true);
      expect(after.has(`AWARD:${posthumous}`)).toBe(false);
      expect(after.has(`AWARD:${before}`)).toBe(false);
    });

    it('expulsion is one act; dismissal needs a post held that day, wherever the post is managed', async () => {
      const bare = await pick(OFFICIAL);
      await leave(bare.id, 'EXPELLED', '2024-05-05', 'DISCIPLINE');
      const complete = await pick(OFFICIAL);
      await leave(complete.id, 'EXPELLED', '2024-05-05', 'DISCIPLINE');
      await insert('discipline', { member_id: complete.id, form: 'EXPULSION', decided_on: '2024-05-05', grounds: 'Vi phạm nghiêm trọng', ...decision('2024-05-05') });
      const periods = await ownerQuery<{ id: string; member_id: string }>(
        t.db, `select id::text, member_id::text from member_status_period where status = 'EXPELLED' and member_id = any($1::bigint[])`, [[bare.id, complete.id]],
      );
      const expelled = await listed('EXPELLED_WITHOUT_EXPULSION');
      expect(expelled.has(`STATUS_PERIOD:${periods.find((p) => p.member_id === bare.id)!.id}`)).toBe(true);
      expect(expelled.has(`STATUS_PERIOD:${periods.find((p) => p.member_id === complete.id)!.id}`)).toBe(false);

      const stillOfficial = await pick(OFFICIAL);
      const expulsion = await insert('discipline', { member_id: stillOfficial.id, form: 'EXPULSION', decided_on: '2024-06-06', grounds: 'Vi phạm', ...decision('2024-06-06') });
      const [{ id: agreed }] = await ownerQuery<{ id: string }>(t.db, `select id::text from discipline where member_id = $1 and form = 'EXPULSION'`, [complete.id]);
      const expulsions = await listed('EXPULSION_WITHOUT_EXPELLED_STATUS');
      expect(expulsions.has(`DISCIPLINE:${expulsion}`)).toBe(true);
      expect(expulsions.has(`DISCIPLINE:${agreed}`)).toBe(false);

      // The Thạch Thang secretary's post is managed by the district: the ward's staff cannot see
      // it, yet the dismissal is not reported to them.
      const [secretary] = await ownerQuery<{ member_id: string; start_on: string }>(
        t.db,
        `select p.member_id::text, p.start_on::text from post p join org_unit h on h.id = p.unit_id
          where h.code = 'DN.HAICHAU.THACHTHANG' and p.title like 'Bí thư%'`,
      );
      const dismissed = await insert('discipline', { member_id: secretary.member_id, form: 'DISMISSAL', decided_on: '2024-02-02', grounds: 'Vi phạm', ...decision('2024-02-02') });
      const noPost = await pick(OFFICIAL);
      const withoutPost = await insert('discipline', { member_id: noPost.id, form: 'DISMISSAL', decided_on: '2024-02-02', grounds: 'Vi phạm', ...decision('2024-02-02') });
      const dismissals = await listed('DISMISSAL_WITHOUT_POST');
      expect(dismissals.has(`DISCIPLINE:${withoutPost}`)).toBe(true);
      expect(dismissals.has(`DISCIPLINE:${dismissed}`)).toBe(false);
      const ward = await listed('DISMISSAL_WITHOUT_POST', await t.login('thachthang'), await unitId('DN.HAICHAU.THACHTHANG'));
      expect(ward.has(`DISCIPLINE:${dismissed}`)).toBe(false);
    });

    it('decisions: missing, or dated before birth or admission', async () => {
      const m = await pick(OFFICIAL);
      const noDecision = await insert('discipline', { member_id: m.id, form: 'REPRIMAND', decided_on: '2021-03-03', grounds: 'Vi phạm' });
      const decided = await insert('discipline', { member_id: m.id, form: 'REPRIMAND', decided_on: '2022-03-03', grounds: 'Vi phạm', ...decision('2022-03-03') });
      const disciplines = await listed('DISCIPLINE_WITHOUT_DECISION');
      expect(disciplines.has(`DISCIPLINE:${noDecision}`)).toBe(true);
      expect(disciplines.has(`DISCIPLINE:${decided}`)).toBe(false);

      const bareAward = await insert('award', { member_id: m.id, kind: 'CERTIFICATE', name: 'Giấy khen', awarded_on: '2021-05-05', decision_number: '3-QĐ/ĐU' });
      const fullAward = await insert('award', { member_id: m.id, kind: 'CERTIFICATE', name: 'Giấy khen', awarded_on: '2022-05-05', ...decision('2022-05-05') });
      const awards = await listed('AWARD_WITHOUT_DECISION');
      expect(awards.has(`AWARD:${bareAward}`)).toBe(true);
      expect(awards.has(`AWARD:${fullAward}`)).toBe(false);

      const birthYear = Number(m.date_of_birth.slice(0, 4));
      const beforeBirth = await insert('work_history', { member_id: m.id, from_date: `${birthYear + 20}-01-01`, position: 'Cán sự', organisation: 'UBND', ...decision(`${birthYear - 1}-06-01`) });
      const afterBirth = await insert('work_history', { member_id: m.id, from_date: `${birthYear + 20}-01-01`, position: 'Cán sự', organisation: 'UBND', ...decision(`${birthYear + 20}-01-01`) });
      const birth = await listed('DECISION_BEFORE_BIRTH');
      expect(birth.has(`WORK_HISTORY:${beforeBirth}`)).toBe(true);
      expect(birth.has(`WORK_HISTORY:${afterBirth}`)).toBe(false);

      // Before admission: a party badge's decision is listed; a state medal may come before admission.
      const joinedYear = Number(m.joined_on.slice(0, 4));
      const earlyBadgeDecision = await insert('award', {
        member_id: m.id, kind: 'PARTY_BADGE', name: 'Huy hiệu 30 năm tuổi Đảng', badge_years: 30, awarded_on: TODAY, ...decision(`${joinedYear - 1}-01-01`),
      });
      const medal = await insert('award', { member_id: m.id, kind: 'MEDAL', name: 'Huy chương', awarded_on: `${joinedYear - 1}-01-01`, ...decision(`${joinedYear - 1}-01-01`) });
      const admission = await listed('DECISION_BEFORE_ADMISSION');
      expect(admission.has(`AWARD:${earlyBadgeDecision}`)).toBe(true);
      expect(admission.has(`AWARD:${medal}`)).toBe(false);

      const earlyDiscipline = await insert('discipline', { member_id: m.id, form: 'REPRIMAND', decided_on: `${joinedYear - 1}-02-02`, grounds: 'Vi phạm', ...decision(`${joinedYear - 1}-02-02`) });
      const discipline = await listed('DISCIPLINE_DECISION_BEFORE_ADMISSION');
      expect(discipline.has(`DISCIPLINE:${earlyDiscipline}`)).toBe(true);
      expect(discipline.has(`DISCIPLINE:${decided}`)).toBe(false);
    });

    it('posts and transfers of members who left', async () => {
      const m = await pick(OFFICIAL);
      await leave(m.id, 'DECEASED', '2025-01-10', 'DEATH');
      const [{ ward }] = await ownerQuery<{ ward: string }>(t.db, `select parent_id::text ward from org_unit where id = $1`, [m.unit_id]);
      const post = (start: string, end: string | null) =>
        insert('post', { member_id: m.id, title: 'Chi ủy viên', unit_id: m.unit_id, managed_by_unit_id: ward, start_on: start, end_on: end, term_years: 5, ...decision(start) });
      const open = await post('2022-01-01', null);
      const ended = await post('2022-01-01', '2025-01-10');
      const late = await post('2025-03-01', null);
      const openListed = await listed('POST_OPEN_AFTER_LEAVING');
      expect(openListed.has(`POST:${open}`)).toBe(true);
      expect(openListed.has(`POST:${ended}`)).toBe(false);
      const lateListed = await listed('POST_STARTS_AFTER_LEAVING');
      expect(lateListed.has(`POST:${late}`)).toBe(true);
      expect(lateListed.has(`POST:${open}`)).toBe(false);

      // A pending transfer of a member who has since died (written before leaving closed it).
      const [pending] = await ownerQuery<{ id: string; member_id: string }>(t.db, `select id::text, member_id::text from transfer where status = 'PENDING' order by id limit 2`);
      const [other] = await ownerQuery<{ id: string }>(t.db, `select id::text from transfer where status = 'PENDING' and id <> $1 order by id limit 1`, [pending.id]);
      await leave(pending.member_id, 'DECEASED', '2026-06-01', 'DEATH');
      const transfers = await listed('TRANSFER_PENDING_AFTER_LEAVING');
      expect(transfers.has(`TRANSFER:${pending.id}`)).toBe(true);
      expect(transfers.has(`TRANSFER:${other.id}`)).toBe(false);
    });

    it('planning entries: without a decision, outside a congress term, running past the year the member left; a retired religion code', async () => {
      const m = await pick(OFFICIAL);
      const [{ ward }] = await ownerQuery<{ ward: string }>(t.db, `select parent_id::text ward from org_unit where id = $1`, [m.unit_id]);
      const plan = (start: number, end: number, decided: boolean) =>
        insert('planning_entry', {
          member_id: m.id, post_title: 'Phó Bí thư', period_start: start, period_end: end, managed_by_unit_id: ward,
          ...(decided ? decision('2024-12-01') : {}),
        });
      const undecided = await plan(2025, 2030, false);
      const offTerm = await plan(2023, 2026, true);
      const good = await plan(2030, 2035, true);
      const noDecision = await listed('PLANNING_WITHOUT_DECISION');
      expect(noDecision.has(`PLANNING_ENTRY:${undecided}`)).toBe(true);
      expect(noDecision.has(`PLANNING_ENTRY:${good}`)).toBe(false);
      const notATerm = await listed('PLANNING_PERIOD_NOT_A_TERM');
      expect(notATerm.has(`PLANNING_ENTRY:${offTerm}`)).toBe(true);
      expect(notATerm.has(`PLANNING_ENTRY:${good}`)).toBe(false);
      // Leaving in 2026: the 2030–2035 entry runs past it; the 2023–2026 one does not.
      await leave(m.id, 'DECEASED', '2026-03-01', 'DEATH');
      const afterLeaving = await listed('PLANNING_AFTER_LEAVING');
      expect(afterLeaving.has(`PLANNING_ENTRY:${good}`)).toBe(true);
      expect(afterLeaving.has(`PLANNING_ENTRY:${offTerm}`)).toBe(false);

      const church = await pick(OFFICIAL);
      await ownerQuery(t.db, `update member set religion = 'TRUONG_LAO' where id = $1`, [church.id]);
      const retired = await listed('RETIRED_RELIGION_CODE');
      expect(retired.has(`MEMBER:${church.id}`)).toBe(true);
      expect(retired.has(`MEMBER:${m.id}`)).toBe(false);
    });

    it('admission age in months with no exception recorded; general education that reads as no level; departures without a cause', async () => {
      // 60 years 11 months at admission: over (whole years would say 60).
      const old = await pick(OFFICIAL);
      const excused = await pick(OFFICIAL);
      const exact = await pick(OFFICIAL);
      const minus = (iso: string, years: number, months: number) => {
        const d = new Date(`${iso}T00:00:00Z`);
        d.setUTCMonth(d.getUTCMonth() - months);
        d.setUTCFullYear(d.getUTCFullYear() - years);
        return d.toISOString().slice(0, 10);
      };
      for (const m of [old, excused]) await ownerQuery(t.db, `update member set date_of_birth = $2 where id = $1`, [m.id, minus(m.joined_on, 60, 11)]);
      await ownerQuery(t.db, `update member set date_of_birth = $2 where id = $1`, [exact.id, minus(exact.joined_on, 60, 0)]);
      await ownerQuery(
        t.db,
        `update member set age_exception_decision_number = '45-QĐ/TU', age_exception_decision_date = joined_on, age_exception_decision_body = 'Thành ủy Đà Nẵng' where id = $1`,
        [excused.id],
      );
      const { nodes } = await issues(admin, { unitId: cityId, rules: ['ADMISSION_AGE_OUTSIDE_LIMITS'] });
      const age = new Map(nodes.map((n) => [n.recordId, n]));
      expect(age.get(old.id)?.message).toContain('60 years 11 months old at admission');
      expect(age.get(old.id)?.recordKind).toBe('MEMBER');
      expect(age.has(excused.id)).toBe(false);
      expect(age.has(exact.id)).toBe(false); // full 60 years: inside

      const typo = await pick(OFFICIAL);
      const fine = await pick(OFFICIAL);
      await ownerQuery(t.db, `update member set general_education = '13/12' where id = $1`, [typo.id]);
      await ownerQuery(t.db, `update member set general_education = '9/12' where id = $1`, [fine.id]);
      const education = await listed('GENERAL_EDUCATION_UNREADABLE');
      expect(education.has(`MEMBER:${typo.id}`)).toBe(true);
      expect(education.has(`MEMBER:${fine.id}`)).toBe(false);

      const removed = await pick(OFFICIAL);
      const explained = await pick(OFFICIAL);
      const died = await pick(OFFICIAL);
      await leave(removed.id, 'REMOVED', '2023-07-07');
      await leave(explained.id, 'REMOVED', '2023-07-07', 'SELF_ABANDONMENT');
      await leave(died.id, 'DECEASED', '2023-07-07');
      const departures = await ownerQuery<{ id: string; member_id: string }>(
        t.db, `select id::text, member_id::text from member_status_period where valid_from = '2023-07-07' and member_id = any($1::bigint[])`, [[removed.id, explained.id, died.id]],
      );
      const period = (id: string) => `STATUS_PERIOD:${departures.find((d) => d.member_id === id)!.id}`;
      const causes = await listed('DEPARTURE_WITHOUT_CAUSE');
      expect(causes.has(period(removed.id))).toBe(true);
      expect(causes.has(period(explained.id))).toBe(false);
      expect(causes.has(period(died.id))).toBe(false); // a death needs no cause given
    });
  });

  describe('who sees what', () => {
    it('a ward account sees only its ward; another ward is NOT_FOUND, with no hint', async () => {
      const staff = await t.login('thachthang');
      const m = await pick(`${OFFICIAL} and m.unit_path <@ (select path from org_unit where code = 'DN.SONTRA')`);
      const outside = await insert('award', { member_id: m.id, kind: 'CERTIFICATE', name: 'Giấy khen', awarded_on: '2021-05-05' });
      expect((await listed('AWARD_WITHOUT_DECISION')).has(`AWARD:${outside}`)).toBe(true);
      const mine = await pick(`${OFFICIAL} and m.unit_path <@ (select path from org_unit where code = 'DN.HAICHAU.THACHTHANG')`);
      const inside = await insert('award', { member_id: mine.id, kind: 'CERTIFICATE', name: 'Giấy khen', awarded_on: '2021-05-05' });
      const own = await issues(staff, {});
      expect(own.nodes.some((n) => n.recordId === inside && n.rule === 'AWARD_WITHOUT_DECISION')).toBe(true);
      for (const n of own.nodes) expect(n.member.unit.code.startsWith('DN.HAICHAU.THACHTHANG.')).toBe(true);
      expect(own.nodes.some((n) => n.recordId === outside)).toBe(false);
      const [{ code: sontraWard }] = await ownerQuery<{ code: string }>(t.db, `select w.code from org_unit c join org_unit w on w.id = c.parent_id where c.id = $1`, [m.unit_id]);
      for (const id of [await unitId(sontraWard), '99999999']) {
        const result = await t.gql(ISSUES, { unitId: id }, staff);
        expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
        expect(result.errors?.[0].message).toBe('No such unit in your scope.');
        expect(result.data?.dataQualityIssues ?? null).toBeNull();
      }
    });

    it('a committee viewer gets the list without the checks over sensitive data (discipline, health, religion); an auditor is refused', async () => {
      const viewer = await t.login('sontra.viewer');
      const list = await issues(viewer, {});
      expect(list.notChecked.sort()).toEqual(
        [
          'BADGE_NOT_REACHED', 'DISCIPLINE_DECISION_BEFORE_ADMISSION', 'DISCIPLINE_WITHOUT_DECISION', 'DISMISSAL_WITHOUT_POST', 'EXPELLED_WITHOUT_EXPULSION',
          'EXPULSION_WITHOUT_EXPELLED_STATUS', 'RATING_ABOVE_DISCIPLINE_LIMIT', 'RETIRED_RELIGION_CODE',
        ],
      );
      expect(Object.keys(list.counts).some((rule) => list.notChecked.includes(rule))).toBe(false);
      expect(list.nodes.some((n) => list.notChecked.includes(n.rule))).toBe(false);
      for (const n of list.nodes) expect(n.member.unit.code.startsWith('DN.SONTRA.')).toBe(true);
      const auditor = await t.gql(ISSUES, {}, await t.login('auditor'));
      expect(auditor.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });

    it("staff reading a check over the discipline register leave a READ_SENSITIVE event for each member listed", async () => {
      const staff = await t.login('haichau');
      const count = async () => (await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from audit_event where action = 'READ_SENSITIVE'`))[0].n;
      const before = await count();
      const result = await t.gql(ISSUES, { rules: ['DISCIPLINE_WITHOUT_DECISION'], first: 3 }, staff);
      expect(result.errors).toBeUndefined();
      const members = new Set(result.data.dataQualityIssues.edges.map((e: { node: Issue }) => e.node.member.id));
      expect(members.size).toBeGreaterThan(0);
      expect((await count()) - before).toBe(members.size);
      const events = await ownerQuery<{ member_id: string; fields: string[] }>(
        t.db, `select member_id::text, changes->'fields' as fields from audit_event where action = 'READ_SENSITIVE' order by id desc limit $1`, [members.size],
      );
      for (const e of events) {
        expect(members.has(e.member_id)).toBe(true);
        expect(e.fields).toEqual(['disciplines']);
      }
      // A list without those checks reads nothing sensitive.
      const again = await count();
      await t.gql(ISSUES, { rules: ['AWARD_WITHOUT_DECISION'], first: 3 }, staff);
      expect(await count()).toBe(again);
    });
  });
});
