import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerQuery } from './support/db';
import type { TestApp } from './support/app';
import {
  CEREMONY, ADD, BADGES, completedYears, partyYears, reportsHarness,
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
});
