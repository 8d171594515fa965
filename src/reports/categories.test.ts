import { describe, expect, it } from 'vitest';
import { GENERAL_EDUCATION_LABELS, averageAge, countsAsCounted, countsByEducationLevel } from './categories';

describe('general education counted by level', () => {
  it('folds the texts typed into the forms\' levels, whatever the grading system', () => {
    const typed = new Map<string | null, number>([
      ['12/12', 10], ['10/10', 4], ['9/9', 1], // upper secondary: 15
      ['9/12', 3], ['7/10', 2], ['5/9', 1], // lower secondary: 6
      ['5/12', 2], ['4/10', 1], // primary: 3
      ['8/11', 1], ['13/12', 1], // unreadable: 2
      [null, 5],
    ]);
    expect(Object.fromEntries(countsByEducationLevel(typed))).toEqual({
      UPPER_SECONDARY: 15, LOWER_SECONDARY: 6, PRIMARY: 3, UNREADABLE: 2, UNKNOWN: 5,
    });
  });

  it('prints the levels, then the unreadable, then the undeclared', () => {
    expect(Object.entries(GENERAL_EDUCATION_LABELS)).toEqual([
      ['PRIMARY', 'Tiểu học'], ['LOWER_SECONDARY', 'Trung học cơ sở'], ['UPPER_SECONDARY', 'Trung học phổ thông'],
      ['UNREADABLE', 'Ghi không rõ cấp học'], ['UNKNOWN', 'Chưa khai'],
    ]);
  });
});

describe('retired codes counted as their replacement', () => {
  it('counts the Presbyterian church as Tin lành, the rest as recorded', () => {
    const recorded = new Map<string | null, number>([['TIN_LANH', 3], ['TRUONG_LAO', 2], ['PHAT_GIAO', 7], [null, 40]]);
    expect(Object.fromEntries(countsAsCounted('RELIGION', recorded))).toEqual({ TIN_LANH: 5, PHAT_GIAO: 7, null: 40 });
  });
});

describe('average age', () => {
  it('is the mean of exact ages, to one decimal', () => {
    // Two members of 30 and 41 years of 365.2425 days: 35.5.
    expect(averageAge(30 * 365.2425 + 41 * 365.2425, 2)).toBe(35.5);
    // 10,000 + 20,000 days over 2 members = 15,000 days = 41.068… years.
    expect(averageAge(30_000, 2)).toBe(41.1);
    // 12,000 days = 32.854… years.
    expect(averageAge(12_000, 1)).toBe(32.9);
  });

  it('is null when no member is counted', () => {
    expect(averageAge(0, 0)).toBeNull();
  });
});
