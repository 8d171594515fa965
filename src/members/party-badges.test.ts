import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { partyAge } from './lifecycle';
import type { MemberStatus } from './member.entity';
import {
  BADGE_DEFAULTS, BADGE_YEARS, BADGE_YEARS_SQL, badgeAwardCheck, ceremonyDaysText, checkedBadgeSettings, disciplineWaitMonths, highestBadge,
  illnessEarlyMonths, isBadgeYears, isCeremonyDay, nextCeremony, type BadgeAwardFacts, type BadgeGround,
} from './party-badges';

describe('party badge years', () => {
  it('are 30, 40, then every 5 years to 90', () => {
    expect(BADGE_YEARS).toEqual([30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]);
    expect([30, 35, 45, 95].map(isBadgeYears)).toEqual([true, false, true, false]);
  });
  it('give the highest badge reached', () => {
    expect([29, 30, 39, 40, 44, 45, 89, 95].map(highestBadge)).toEqual([null, 30, 30, 40, 40, 45, 85, 90]);
  });
  it('are the database check of migration 4 (frozen), and the SQL array', () => {
    const migration = fs.readFileSync(path.join(__dirname, '..', '..', 'migrations', 'Migration20261126000004SubRecords.ts'), 'utf8');
    const listed = /badge_years in \(([\d, ]+)\)/.exec(migration)![1].split(',').map(Number);
    expect(listed).toEqual(BADGE_YEARS);
    expect(BADGE_YEARS_SQL).toBe('array[30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]');
  });
});

describe('ceremony days (3/2, 19/5, 2/9, 7/11)', () => {
  it('are recognised', () => {
    expect(['2027-02-03', '2027-05-19', '2027-09-02', '2027-11-07', '2027-02-02'].map(isCeremonyDay)).toEqual([true, true, true, true, false]);
    expect(ceremonyDaysText()).toBe('3/2, 19/5, 2/9 and 7/11');
  });
  it('give the next ceremony on or after a date', () => {
    expect(nextCeremony('2025-02-03')).toBe('2025-02-03');
    expect(nextCeremony('2025-02-04')).toBe('2025-05-19');
    expect(nextCeremony('2025-09-03')).toBe('2025-11-07');
    expect(nextCeremony('2025-11-08')).toBe('2026-02-03');
  });
});

describe('the award register’s check of a party badge (defaults: waits 6/9/12, early 12 or 24 for illness, 12 posthumous)', () => {
  const official = (from: string, to: string | null = null) => [{ status: 'OFFICIAL' as MemberStatus, validFrom: from, validTo: to }];
  const facts = (over: Partial<BadgeAwardFacts> = {}): BadgeAwardFacts => ({
    partyAgeMonths: 0, posthumous: false, seriousIllnessSince: null, awardedBadgeYears: [], disciplines: [], ...over,
  });
  const check = (badgeYears: number, awardedOn: string, f: BadgeAwardFacts, ground: BadgeGround | null = null) =>
    badgeAwardCheck({ badgeYears, awardedOn, ground }, f, BADGE_DEFAULTS);

  it('a 90-year badge for 2 years of party age is refused; a reached badge is accepted with no ground', () => {
    const months = partyAge(official('2023-06-01'), '2025-09-02').months;
    expect(months).toBe(27); // 2 years 3 months, counted by hand
    expect(check(90, '2025-09-02', facts({ partyAgeMonths: months })).refusals).toEqual([{ field: 'badgeYears', message: expect.stringMatching(/2 years 3 months.*1053 months short/) }]);
    expect(check(30, '2026-06-15', facts({ partyAgeMonths: 360 }))).toEqual({ refusals: [], ground: null });
  });

  it('the same badge twice is refused (a voided one is not passed in, so it does not count)', () => {
    expect(check(30, '2027-02-03', facts({ partyAgeMonths: 372, awardedBadgeYears: [30] })).refusals).toEqual([{ field: 'badgeYears', message: expect.stringMatching(/already holds the 30-year badge/) }]);
    expect(check(30, '2027-02-03', facts({ partyAgeMonths: 372, awardedBadgeYears: [40] })).refusals).toEqual([]);
  });

  it('serious illness: a 30-year badge 11 months early is accepted (EARLY_ILLNESS), 13 months early refused', () => {
    // Admitted 1996-06-15: 30 years on 2026-06-15. 2025-07-15 is 11 months before, 2025-05-15 13 months.
    const at11 = partyAge(official('1996-06-15'), '2025-07-15').months;
    const at13 = partyAge(official('1996-06-15'), '2025-05-15').months;
    expect([at11, at13]).toEqual([360 - 11, 360 - 13]);
    const ill = { seriousIllnessSince: '2024-01-01' };
    expect(check(30, '2025-07-15', facts({ partyAgeMonths: at11, ...ill }))).toEqual({ refusals: [], ground: 'EARLY_ILLNESS' });
    expect(check(30, '2025-05-15', facts({ partyAgeMonths: at13, ...ill })).refusals).toEqual([{ field: 'badgeYears', message: expect.stringMatching(/13 months short.*allowance here is 12 months/) }]);
    // Without the illness recorded by the award date, no allowance.
    expect(check(30, '2025-07-15', facts({ partyAgeMonths: at11 })).refusals[0].field).toBe('badgeYears');
    expect(check(30, '2025-07-15', facts({ partyAgeMonths: at11, seriousIllnessSince: '2025-08-01' })).refusals[0].field).toBe('badgeYears');
  });

  it('serious illness: a 70-year badge 23 months early is accepted, 25 refused; 65 years gets 12', () => {
    const ill = { seriousIllnessSince: '2020-01-01' };
    expect(check(70, '2025-01-01', facts({ partyAgeMonths: 840 - 23, ...ill }))).toEqual({ refusals: [], ground: 'EARLY_ILLNESS' });
    expect(check(70, '2025-01-01', facts({ partyAgeMonths: 840 - 25, ...ill })).refusals).toHaveLength(1);
    expect(check(65, '2025-01-01', facts({ partyAgeMonths: 780 - 13, ...ill })).refusals).toHaveLength(1);
    expect([30, 40, 65, 70, 90, 95].map((y) => illnessEarlyMonths(y, BADGE_DEFAULTS))).toEqual([12, 12, 12, 24, 24, 0]);
  });

  it('posthumously up to 12 months early (POSTHUMOUS_EARLY); an illness with a larger allowance wins', () => {
    expect(check(40, '2026-02-03', facts({ partyAgeMonths: 480 - 12, posthumous: true }))).toEqual({ refusals: [], ground: 'POSTHUMOUS_EARLY' });
    expect(check(40, '2026-02-03', facts({ partyAgeMonths: 480 - 13, posthumous: true })).refusals).toHaveLength(1);
    expect(check(70, '2026-02-03', facts({ partyAgeMonths: 840 - 20, posthumous: true, seriousIllnessSince: '2020-01-01' })).ground).toBe('EARLY_ILLNESS');
  });

  it('a ground given must apply: illness without one recorded, or any ground for a badge reached, is refused', () => {
    expect(check(30, '2025-07-15', facts({ partyAgeMonths: 349 }), 'EARLY_ILLNESS').refusals).toEqual([{ field: 'ground', message: expect.stringMatching(/serious illness recorded/) }]);
    expect(check(30, '2026-07-15', facts({ partyAgeMonths: 361 }), 'POSTHUMOUS_EARLY').refusals[0].field).toBe('ground');
    expect(check(30, '2025-07-15', facts({ partyAgeMonths: 349, posthumous: true, seriousIllnessSince: '2020-01-01' }), 'EARLY_ILLNESS').ground).toBe('EARLY_ILLNESS');
  });

  it('a warning 8 months before the award is refused, 9 months accepted; reprimand 6, dismissal 12', () => {
    const reached = { partyAgeMonths: 400 };
    const warned = facts({ ...reached, disciplines: [{ form: 'WARNING', decidedOn: '2025-05-19' }] });
    expect(check(30, '2026-01-19', warned).refusals).toEqual([{ field: 'awardedOn', message: expect.stringMatching(/WARNING decided on 2025-05-19.*not before 2026-02-19/) }]);
    expect(check(30, '2026-02-19', warned).refusals).toEqual([]);
    const reprimanded = facts({ ...reached, disciplines: [{ form: 'REPRIMAND', decidedOn: '2025-05-19' }] });
    expect([check(30, '2025-11-18', reprimanded).refusals.length, check(30, '2025-11-19', reprimanded).refusals.length]).toEqual([1, 0]);
    const dismissed = facts({ ...reached, disciplines: [{ form: 'DISMISSAL', decidedOn: '2025-05-19' }] });
    expect([check(30, '2026-05-18', dismissed).refusals.length, check(30, '2026-05-19', dismissed).refusals.length]).toEqual([1, 0]);
    // A discipline decided after the award date does not reach back.
    expect(check(30, '2025-05-18', warned).refusals).toEqual([]);
  });

  it('the figures are settings, checked', () => {
    const shorter = { ...BADGE_DEFAULTS, waitMonths: { REPRIMAND: 6, WARNING: 3, DISMISSAL: 12 } };
    expect(badgeAwardCheck({ badgeYears: 30, awardedOn: '2025-09-01' }, facts({ partyAgeMonths: 400, disciplines: [{ form: 'WARNING', decidedOn: '2025-05-19' }] }), shorter).refusals).toEqual([]);
    expect(disciplineWaitMonths('EXPULSION', BADGE_DEFAULTS)).toBe(0);
    expect(() => checkedBadgeSettings({ ...BADGE_DEFAULTS, posthumousEarlyMonths: -1 })).toThrow(/posthumousEarlyMonths/);
    expect(checkedBadgeSettings(BADGE_DEFAULTS)).toBe(BADGE_DEFAULTS);
  });
});
