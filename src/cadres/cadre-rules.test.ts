import { describe, expect, it } from 'vitest';
import type { MemberStatus } from '../members/member.entity';
import {
  CADRE_RULES,
  cadreRecordRefusal,
  cadreRulesProblem,
  dueBy,
  isReappointmentDue,
  isTermPeriod,
  planningDecisionBounds,
  planningLimitWarnings,
  planningPeriodProblems,
  postStartProblem,
  termEndsOn,
  termOf,
} from './cadre-rules';

const member = (status: string, leftOn: string | null = null) => ({
  status: status as MemberStatus,
  leftOn,
  joinedOn: '2010-05-19',
  dateOfBirth: '1980-01-01',
});

describe('posts and planning only for active members', () => {
  it('refuses both for every end status, naming the departure', () => {
    for (const status of ['REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED']) {
      for (const kind of ['POST', 'PLANNING'] as const) {
        expect(cadreRecordRefusal(member(status, '2025-03-01'), kind)).toMatch(new RegExp(`left \\(${status}, 2025-03-01\\)`));
      }
    }
  });

  it('refuses a member released from activities, allows probationary and official members', () => {
    expect(cadreRecordRefusal(member('RELEASED'), 'POST')).toMatch(/RELEASED/);
    expect(cadreRecordRefusal(member('RELEASED'), 'PLANNING')).toMatch(/planning is for members in activity/);
    expect(cadreRecordRefusal(member('OFFICIAL'), 'POST')).toBeNull();
    expect(cadreRecordRefusal(member('PROBATIONARY'), 'PLANNING')).toBeNull();
  });

  it('a post does not start before the admission; the admission day itself is fine', () => {
    expect(postStartProblem(member('OFFICIAL'), '2010-05-18')).toMatchObject({ field: 'startOn' });
    expect(postStartProblem(member('OFFICIAL'), '2010-05-19')).toBeNull();
  });
});

describe('term and reappointment', () => {
  it('the term ends on the same day N years later; 29 February falls back to the 28th', () => {
    expect(termEndsOn('2021-08-01', 5)).toBe('2026-08-01');
    expect(termEndsOn('2024-02-29', 1)).toBe('2025-02-28');
  });

  it('due when the term ends within the days given, or has ended while the post is still held', () => {
    // As of 2026-06-15, 90 days reach 2026-09-13 (15 days of June left + 31 + 31 + 13).
    expect(dueBy('2026-06-15', 90)).toBe('2026-09-13');
    const post = (startOn: string, endOn: string | null = null) => ({ startOn, termYears: 5, endOn });
    expect(isReappointmentDue(post('2021-09-13'), '2026-06-15', 90)).toBe(true); // ends on the last day of the window
    expect(isReappointmentDue(post('2021-09-14'), '2026-06-15', 90)).toBe(false);
    expect(isReappointmentDue(post('2020-10-15'), '2026-06-15', 90)).toBe(true); // overdue since 2025-10-15
    expect(isReappointmentDue(post('2020-10-15', '2025-10-15'), '2026-06-15', 90)).toBe(false); // no longer held
    expect(isReappointmentDue(post('2026-07-01'), '2026-06-15', 90)).toBe(false); // not yet held
  });
});

describe('planning periods are congress terms', () => {
  it('finds the term of a year', () => {
    expect(termOf(2027, CADRE_RULES)).toEqual({ start: 2025, end: 2030 });
    expect(termOf(2030, CADRE_RULES)).toEqual({ start: 2030, end: 2035 });
    expect(termOf(2019, CADRE_RULES)).toEqual({ start: 2015, end: 2020 });
  });

  it('accepts 2025–2030 and 2030–2035; refuses 2023–2026 on both ends and 2025–2031 on its end', () => {
    expect(planningPeriodProblems(2025, 2030, CADRE_RULES)).toEqual([]);
    expect(isTermPeriod(2030, 2035, CADRE_RULES)).toBe(true);
    const wrong = planningPeriodProblems(2023, 2026, CADRE_RULES);
    expect(wrong.map((p) => p.field)).toEqual(['periodStart', 'periodEnd']);
    expect(wrong[0].message).toMatch(/2020–2025 or 2025–2030/);
    expect(planningPeriodProblems(2025, 2031, CADRE_RULES).map((p) => p.field)).toEqual(['periodEnd']);
  });

  it('follows the department’s anchor year and term length', () => {
    const rules = { ...CADRE_RULES, termAnchorYear: 2021 };
    expect(isTermPeriod(2026, 2031, rules)).toBe(true);
    expect(isTermPeriod(2025, 2030, rules)).toBe(false);
    expect(isTermPeriod(2020, 2024, { ...CADRE_RULES, termYears: 4 })).toBe(true);
  });

  it('a planning decision is dated between the admission and the end of the period', () => {
    const bounds = planningDecisionBounds(member('OFFICIAL'), 2030);
    expect(bounds.notBefore.map((b) => b.date)).toEqual(['1980-01-01', '2010-05-19']);
    expect(bounds.notAfter[0].date).toBe('2030-12-31');
  });
});

describe('planning limits are warnings', () => {
  it('warn above 4 people for a post and above 3 posts for a person, on the field concerned', () => {
    expect(planningLimitWarnings({ peoplePlannedForPost: 4, postsPlannedForPerson: 3 }, CADRE_RULES)).toEqual([]);
    expect(planningLimitWarnings({ peoplePlannedForPost: 5, postsPlannedForPerson: 4 }, CADRE_RULES).map((w) => w.field)).toEqual(['postTitle', 'memberId']);
    expect(planningLimitWarnings({ peoplePlannedForPost: 3, postsPlannedForPerson: 1 }, { maxPeoplePerPost: 2, maxPostsPerPerson: 1 })).toHaveLength(1);
  });

  it('the department’s figures are checked for sense', () => {
    expect(cadreRulesProblem(CADRE_RULES)).toBeNull();
    expect(cadreRulesProblem({ ...CADRE_RULES, termYears: 0 })).toMatch(/termYears/);
    expect(cadreRulesProblem({ ...CADRE_RULES, maxPeoplePerPost: 1.5 })).toMatch(/maxPeoplePerPost/);
  });
});
