import { describe, expect, it } from 'vitest';
import {
  ACTIVE_STATUSES_SQL,
  activeDaysBefore,
  addMonths,
  ageOn,
  monthsBetween,
  earliestReadmission,
  officialDateFor,
  partyAge,
  probationEndsOn,
  probationEndsOnSql,
  readmissionAgeAllowed,
  refusalAfterLeaving,
  yearsBetween,
} from './lifecycle';
import type { MemberStatus } from './member.entity';

const period = (status: string, validFrom: string, validTo: string | null = null) => ({ status: status as MemberStatus, validFrom, validTo });

describe('probation (12 months)', () => {
  it('ends on the same day a year after admission', () => {
    expect(officialDateFor('2024-03-15')).toBe('2025-03-15');
  });
  it('ends on the last day of February when admitted on 29 February', () => {
    expect(officialDateFor('2024-02-29')).toBe('2025-02-28');
  });
  it('runs from readmission for a readmitted member', () => {
    expect(probationEndsOn({ joinedOn: '2010-05-01', readmittedOn: '2020-01-31' })).toBe('2021-01-31');
    expect(probationEndsOn({ joinedOn: '2010-05-01', readmittedOn: null })).toBe('2011-05-01');
  });
  it('runs from the admission ceremony, not the decision (decision 2024-01-10, ceremony 2024-02-03)', () => {
    expect(probationEndsOn({ joinedOn: '2024-01-10', admissionCeremonyOn: '2024-02-03' })).toBe('2025-02-03');
    expect(probationEndsOn({ joinedOn: '2024-01-10', admissionCeremonyOn: '2024-02-03', readmittedOn: '2030-05-05' })).toBe('2031-05-05');
  });
  it('is the same figure in the SQL filter, over the ceremony column', () => {
    expect(probationEndsOnSql('m.admission_ceremony_on', 'm.readmitted_on')).toBe(
      "(coalesce(m.readmitted_on, m.admission_ceremony_on) + interval '12 months')::date",
    );
  });
});

describe('readmission (36 months, age at most 60)', () => {
  it('is possible from 36 months after leaving', () => {
    expect(earliestReadmission('2020-08-31')).toBe('2023-08-31');
    expect(earliestReadmission('2020-02-29')).toBe('2023-02-28');
  });
  it('allows full 60 years counted in months, not 60 years 1 month', () => {
    expect(readmissionAgeAllowed(monthsBetween('1964-06-10', '2024-07-09'))).toBe(true); // 60 years 0 months
    expect(readmissionAgeAllowed(monthsBetween('1964-06-10', '2024-07-10'))).toBe(false); // 60 years 1 month
  });
});

describe('admission age (full 18 to full 60 years, in months)', () => {
  it('counts completed years on the admission date', () => {
    expect(yearsBetween('2006-06-10', '2024-06-09')).toBe(17);
    expect(yearsBetween('2006-06-10', '2024-06-10')).toBe(18);
    expect(yearsBetween('2004-02-29', '2022-02-28')).toBe(17);
    expect(yearsBetween('2004-02-29', '2022-03-01')).toBe(18);
  });
  it('gives the age in years and months', () => {
    expect(ageOn('1965-03-20', '2026-02-19')).toEqual({ years: 60, months: 10, totalMonths: 730 });
    expect(ageOn('1965-03-20', '2026-02-20')).toEqual({ years: 60, months: 11, totalMonths: 731 });
  });
});

describe('party age', () => {
  it('counts completed years from admission without a break', () => {
    const periods = [period('PROBATIONARY', '1995-02-03', '1996-02-03'), period('OFFICIAL', '1996-02-03')];
    expect(partyAge(periods, '2025-02-03')).toMatchObject({ years: 30, months: 360 });
    expect(partyAge(periods, '2025-02-02')).toMatchObject({ years: 29, months: 359 });
  });

  it('leaves out the time outside the party (removed 2005–2010, readmitted)', () => {
    const periods = [
      period('PROBATIONARY', '2000-01-01', '2001-01-01'), // 366 days (2000 is a leap year)
      period('OFFICIAL', '2001-01-01', '2005-01-01'), // 1,461
      period('REMOVED', '2005-01-01', '2010-01-01'), // 1,826 outside
      period('PROBATIONARY', '2010-01-01', '2011-01-01'), // 365
      period('OFFICIAL', '2011-01-01'), // 3,653 to 2021-01-01
    ];
    // 5,845 active days: as if admitted on 2004-12-31 without a break, so 16 years, not 21.
    expect(partyAge(periods, '2021-01-01')).toEqual({ years: 16, months: 192, days: 5845 });
  });

  it('counts nothing from a period that starts on or after the date, and released time counts', () => {
    const periods = [period('OFFICIAL', '2000-01-01', '2010-01-01'), period('RELEASED', '2010-01-01'), period('OFFICIAL', '2030-01-01')];
    expect(activeDaysBefore(periods, '2020-01-01')).toBe(7305);
    expect(partyAge(periods, '2020-01-01').years).toBe(20);
  });

  it('uses the active statuses in SQL too', () => {
    expect(ACTIVE_STATUSES_SQL).toBe("('PROBATIONARY', 'OFFICIAL', 'RELEASED')");
  });
});

describe('addMonths', () => {
  it('clamps to the end of a shorter month', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
  });
});

describe('what may be recorded after leaving', () => {
  const died = { status: 'DECEASED' as MemberStatus, leftOn: '2024-06-10' };
  const removed = { status: 'REMOVED' as MemberStatus, leftOn: '2023-03-01' };
  const active = { status: 'OFFICIAL' as MemberStatus, leftOn: null };

  it('refuses discipline, posts, planning and transfers once the member left, and allows them before', () => {
    for (const kind of ['DISCIPLINE', 'POST', 'PLANNING', 'TRANSFER'] as const) {
      expect(refusalAfterLeaving(removed, { kind })).toMatch(/left \(REMOVED, 2023-03-01\)/);
      expect(refusalAfterLeaving(active, { kind })).toBeNull();
    }
  });

  it('allows a posthumous award for a deceased member only', () => {
    expect(refusalAfterLeaving(died, { kind: 'AWARD', posthumous: true, dated: '2025-05-19' })).toBeNull();
    expect(refusalAfterLeaving(removed, { kind: 'AWARD', posthumous: true, dated: '2025-05-19' })).toMatch(/nothing new/);
    expect(refusalAfterLeaving(died, { kind: 'AWARD', posthumous: false, dated: '2025-05-19' })).toMatch(/nothing new/);
  });

  it('rates no year after the one the member left in, and a year of membership only with a reason', () => {
    expect(refusalAfterLeaving(died, { kind: 'RATING', year: 2025, reason: 'late entry' })).toMatch(/year after leaving/);
    expect(refusalAfterLeaving(died, { kind: 'RATING', year: 2023 })).toMatch(/needs a reason/);
    expect(refusalAfterLeaving(died, { kind: 'RATING', year: 2023, reason: 'Bổ sung hồ sơ' })).toBeNull();
  });

  it('takes late entries dated before leaving with a reason, never entries dated from the day of leaving', () => {
    expect(refusalAfterLeaving(removed, { kind: 'WORK_HISTORY', dated: '2020-01-01', reason: 'Bổ sung' })).toBeNull();
    expect(refusalAfterLeaving(removed, { kind: 'WORK_HISTORY', dated: '2020-01-01', reason: ' ' })).toMatch(/needs a reason/);
    expect(refusalAfterLeaving(removed, { kind: 'TRAINING', dated: '2023-03-01', reason: 'Bổ sung' })).toMatch(/nothing new/);
  });
});
