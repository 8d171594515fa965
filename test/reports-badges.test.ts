import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerQuery } from './support/db';
import type { TestApp } from './support/app';
import { BADGE_DEFAULTS } from '../src/members/party-badges';
import { badgeCandidatesSql, badgeListParams } from '../src/reports/badges';
import {
  CEREMONY, ADD, BADGES, UPDATE, completedYears, decision, partyYears, reportsHarness,
} from './support/reports';

/**
 * badgesDue (party badge list) against hand-computed cases.
 * Shared set-up and the hand-written date arithmetic: test/support/reports.ts.
 */
describe('reports', () => {
  let t: TestApp;
  let staff: string; // thachthang: ORG_STAFF of DN.HAICHAU.THACHTHANG
  const { start, unitId, allPages, admit, changeStatus, readmit, confirmOfficial } = reportsHarness();

  beforeAll(async () => {
    ({ t, staff } = await start());
  });
  afterAll(() => t.close());

  describe('badgesDue against hand-computed cases', () => {
    const CELL = 'DN.HAICHAU.THACHTHANG.CB02';
    const mine: Record<string, string> = {};
    const joined = {
      due: '1996-12-15', // 30 years on 2026-12-15: due at 2027-02-03, not at 2026-11-07
      gap: '1994-01-10', // 33 calendar years, but 4 years outside the party
      disciplined: '1990-03-01',
      deceased: '1985-05-01', // died 2026-10-15 at 41 years of party age
      released: '1997-06-01', // 29 years 8 months at the ceremony; seriously ill
      releasedWell: '1997-06-01', // the same, released but not ill
      awarded: '1995-01-01', // 32 years, already has the 30-year badge
      reprimanded: '1990-03-01', // reprimanded 7 months before the ceremony
      ill70: '1959-01-03', // 68 years 1 month at the ceremony, holds the 65-year badge; seriously ill
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
      // A warning: 9 months' wait by the rule, so it still runs at the ceremony (2027-03-01 > 2027-02-03).
      const discipline = await t.gql(ADD, { input: { memberId: mine.disciplined, decision: decision('2026-06-01'), discipline: { form: 'WARNING', decidedOn: '2026-06-01', grounds: 'Vi phạm quy định' } } }, staff);
      expect(discipline.data.addSubRecord.userErrors).toEqual([]);

      const deceased = await admit(CELL, { dateOfBirth: '1950-01-01', joinedOn: joined.deceased, official: true });
      mine.deceased = (await changeStatus(deceased, 'DECEASED', DIED)).id;

      // Early awards are for a serious illness recorded on the member, not for being released as such.
      const released = await changeStatus(await admit(CELL, { dateOfBirth: '1962-02-02', joinedOn: joined.released, official: true }), 'RELEASED', '2020-01-01');
      const ill = await t.gql(UPDATE, { input: { id: released.id, expectedVersion: released.version, seriousIllnessSince: '2020-01-01', seriousIllnessGround: 'Giấy xác nhận bệnh hiểm nghèo số 3/BV', reason: 'Giấy xác nhận của bệnh viện' } }, staff);
      expect(ill.data.updateMember.userErrors).toEqual([]);
      mine.released = released.id;
      mine.releasedWell = (await changeStatus(await admit(CELL, { dateOfBirth: '1962-02-02', joinedOn: joined.releasedWell, official: true }), 'RELEASED', '2020-01-01')).id;

      mine.reprimanded = (await admit(CELL, { dateOfBirth: '1965-01-01', joinedOn: joined.reprimanded, official: true })).id;
      const reprimand = await t.gql(ADD, { input: { memberId: mine.reprimanded, decision: decision('2026-07-03'), discipline: { form: 'REPRIMAND', decidedOn: '2026-07-03', grounds: 'Vi phạm quy định' } } }, staff);
      expect(reprimand.data.addSubRecord.userErrors).toEqual([]);

      const old = await admit(CELL, { dateOfBirth: '1939-01-01', joinedOn: joined.ill70, official: true });
      const oldIll = await t.gql(UPDATE, { input: { id: old.id, expectedVersion: old.version, seriousIllnessSince: '2026-01-01', seriousIllnessGround: 'Giấy xác nhận bệnh hiểm nghèo số 9/BV', reason: 'Giấy xác nhận của bệnh viện' } }, staff);
      expect(oldIll.data.updateMember.userErrors).toEqual([]);
      mine.ill70 = old.id;
      // 65 years on 2024-01-03: that badge is held, so the list looks at the 70-year one.
      const held = await t.gql(ADD, { input: { memberId: old.id, decision: decision('2024-01-03'), award: { kind: 'PARTY_BADGE', name: 'Huy hiệu 65 năm tuổi Đảng', badgeYears: 65, awardedOn: '2024-01-03' } } }, staff);
      expect(held.data.addSubRecord.userErrors).toEqual([]);

      mine.awarded = (await admit(CELL, { dateOfBirth: '1966-03-03', joinedOn: joined.awarded, official: true })).id;
      const badge = await t.gql(
        ADD,
        { input: { memberId: mine.awarded, decision: decision('2025-01-20'), award: { kind: 'PARTY_BADGE', name: 'Huy hiệu 30 năm tuổi Đảng', badgeYears: 30, awardedOn: '2025-02-03' } } },
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

    it('(c) a warning within 9 months before the ceremony blocks the badge; with disciplineBlockMonths 0, or once the wait has passed, it is listed', async () => {
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

    it('(e) seriously ill a few months short of 30 years: EARLY, badge 30; not with earlyMonths 0 or fewer months than it lacks; released but not ill: not listed', async () => {
      const years = partyYears([[joined.released, null]], CEREMONY);
      expect(years).toBe(29);
      expect((await listed()).get(mine.released)).toEqual({ member: { id: mine.released }, badgeYears: 30, partyAgeYears: years, reason: 'EARLY' });
      expect((await listed()).has(mine.releasedWell)).toBe(false);
      expect((await listed({ earlyMonths: 0 })).has(mine.released)).toBe(false);
      expect((await listed({ earlyMonths: 3 })).has(mine.released)).toBe(false); // it lacks 4 months
      // An early proposal tells of an illness: a reporting role, which may not read health data, does not get it.
      const reporter = await t.login('reporter');
      expect((await listed(undefined, CEREMONY, reporter)).has(mine.released)).toBe(false);
    });

    it('(f) already awarded the 30-year badge: not listed for 30', async () => {
      expect(partyYears([[joined.awarded, null]], CEREMONY)).toBeGreaterThanOrEqual(30);
      expect(partyYears([[joined.awarded, null]], CEREMONY)).toBeLessThan(40);
      const list = await listed();
      expect(list.has(mine.awarded)).toBe(false);
      // The posthumous rules at their defaults: the same list as no rules, and the default ceremony is the next one (2027-02-03).
      expect([...(await listed({ posthumous: true, posthumousWithinMonths: 12 })).keys()]).toEqual([...list.keys()]);
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

    /**
     * The list's SQL with the rules of party-badges.ts (per-form waits, early allowance by badge
     * years), as the award register applies them, and with the older uniform overrides. Run as the
     * owner over the cell's path (the SQL restricts itself to the path).
     */
    async function listedBySql(rules: { earlyMonths?: number; disciplineBlockMonths?: number }) {
      const [{ path }] = await ownerQuery<{ path: string }>(t.db, `select path::text from org_unit where code = $1`, [CELL]);
      const params = badgeListParams(path, CEREMONY, { posthumous: true, posthumousWithinMonths: 12, ...rules }, BADGE_DEFAULTS);
      const { sql, values } = badgeCandidatesSql(params, { after: null, limit: 1000 });
      let n = 0;
      const rows = await ownerQuery<{ id: string; badge_years: number; reason: string }>(t.db, sql.replace(/\?/g, () => `$${++n}`), values);
      return new Map(rows.map((r) => [String(r.id), { badgeYears: r.badge_years, reason: r.reason }]));
    }

    it('(g) by the rules: a reprimand waits 6 months, so one 7 months before the ceremony does not block; one wait of 12 months for all does', async () => {
      // Reprimand 2026-07-03; 6 months later is 2027-01-03, before the ceremony 2027-02-03.
      expect((await listedBySql({})).get(mine.reprimanded)).toEqual({ badgeYears: 30, reason: 'DUE' });
      expect((await listedBySql({ disciplineBlockMonths: 12 })).has(mine.reprimanded)).toBe(false);
      // The warning of (c), 2026-06-01, waits 9 months: to 2027-03-01, after the ceremony.
      expect((await listedBySql({})).has(mine.disciplined)).toBe(false);
    });

    it('(h) by the rules: seriously ill, 23 months short of 70 years: EARLY 70 (24 months allowed from 70 years); not with one 12-month allowance', async () => {
      // Admitted 1959-01-03: 70 years on 2029-01-03, 23 months after the ceremony 2027-02-03.
      expect(partyYears([[joined.ill70, null]], CEREMONY)).toBe(68);
      expect((await listedBySql({})).get(mine.ill70)).toEqual({ badgeYears: 70, reason: 'EARLY' });
      expect((await listedBySql({ earlyMonths: 12 })).has(mine.ill70)).toBe(false);
      // The 30-year case of (e) is within 12 months either way; the released member without illness is not early.
      expect((await listedBySql({})).get(mine.released)).toEqual({ badgeYears: 30, reason: 'EARLY' });
      expect((await listedBySql({})).has(mine.releasedWell)).toBe(false);
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
});
