import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MemberStatus } from './member.entity';
import { checkedRatingSettings, RATING_CATEGORIES, RATING_DEFAULTS, ratingCategoryFor, ratingRefusals } from './ratings';
import type { RatingCategory } from './sub-records.entity';

describe('quality rating categories (QĐ 366-QĐ/TW)', () => {
  it('follow the score at each edge', () => {
    const scores = [100, 90, 89, 70, 69, 50, 49, 0];
    expect(scores.map(ratingCategoryFor)).toEqual(['XUAT_SAC', 'XUAT_SAC', 'TOT', 'TOT', 'HOAN_THANH', 'HOAN_THANH', 'KHONG_HOAN_THANH', 'KHONG_HOAN_THANH']);
  });
  it('are the database check of migration 4 (frozen)', () => {
    const migration = fs.readFileSync(path.join(__dirname, '..', '..', 'migrations', 'Migration20261126000004SubRecords.ts'), 'utf8');
    const whens = [...migration.matchAll(/when score >= (\d+) then '(\w+)'/g)].map((m) => ({ category: m[2], minScore: Number(m[1]) }));
    const otherwise = /else '(\w+)' end\)/.exec(migration)![1];
    expect([...whens, { category: otherwise, minScore: 0 }]).toEqual(RATING_CATEGORIES);
  });
});

describe('who may be rated for a year, and how high', () => {
  const settings = RATING_DEFAULTS;
  const official = (validFrom: string, validTo: string | null = null) => ({ status: 'OFFICIAL' as MemberStatus, validFrom, validTo });
  const period = (status: string, validFrom: string, validTo: string | null = null) => ({ status: status as MemberStatus, validFrom, validTo });
  const rate = (year: number, category = 'TOT', score: number | null = null) => ({ year, score, category: category as RatingCategory });

  it('only years of membership: 2010 for a member admitted in 2015 is refused, 2015 itself is rated', () => {
    const periods = [period('PROBATIONARY', '2015-06-01', '2016-06-01'), official('2016-06-01')];
    expect(ratingRefusals(rate(2010), periods, [], settings)).toEqual([{ field: 'year', message: expect.stringMatching(/not on the rolls in 2010/) }]);
    expect(ratingRefusals(rate(2014), periods, [], settings)).toHaveLength(1);
    expect(ratingRefusals(rate(2015), periods, [], settings)).toEqual([]);
  });

  it('a readmitted member: the years wholly outside the party are not rated, the years of leaving and readmission are', () => {
    // Removed 2000-01-10, readmitted 2004-01-10: 2001, 2002 and 2003 were spent outside.
    const periods = [official('1994-01-10', '2000-01-10'), period('REMOVED', '2000-01-10', '2004-01-10'), period('PROBATIONARY', '2004-01-10', '2005-01-10'), official('2005-01-10')];
    expect([1999, 2000, 2001, 2002, 2003, 2004].map((y) => ratingRefusals(rate(y), periods, [], settings).length)).toEqual([0, 0, 1, 1, 1, 0]);
  });

  it('a member who died in 2024 was on the rolls in 2024, not in 2025', () => {
    const periods = [official('1990-01-01', '2024-05-01'), period('DECEASED', '2024-05-01')];
    expect(ratingRefusals(rate(2024), periods, [], settings)).toEqual([]);
    expect(ratingRefusals(rate(2025), periods, [], settings)[0].field).toBe('year');
  });

  it('released from activities at the end of the year: not rated; released for part of it and back by its end: rated', () => {
    const sinceMarch2023 = [official('1990-01-01', '2023-03-01'), period('RELEASED', '2023-03-01')];
    expect(ratingRefusals(rate(2025), sinceMarch2023, [], settings)).toEqual([{ field: 'year', message: expect.stringMatching(/released/) }]);
    expect(ratingRefusals(rate(2023), sinceMarch2023, [], settings)[0].field).toBe('year');
    expect(ratingRefusals(rate(2022), sinceMarch2023, [], settings)).toEqual([]);
    const backInJuly = [official('1990-01-01', '2023-03-01'), period('RELEASED', '2023-03-01', '2023-07-01'), official('2023-07-01')];
    expect(ratingRefusals(rate(2023), backInJuly, [], settings)).toEqual([]);
  });

  it('disciplined in the year: a score of 95 is refused for that year (not completed at most), allowed for the next', () => {
    const periods = [official('2000-01-01')];
    expect(ratingRefusals(rate(2025, 'XUAT_SAC', 95), periods, ['2025-04-10'], settings)).toEqual([{ field: 'score', message: expect.stringMatching(/disciplined in 2025.*KHONG_HOAN_THANH/) }]);
    expect(ratingRefusals(rate(2025, 'HOAN_THANH'), periods, ['2025-04-10'], settings)[0].field).toBe('category');
    expect(ratingRefusals(rate(2025, 'KHONG_HOAN_THANH', 40), periods, ['2025-04-10'], settings)).toEqual([]);
    expect(ratingRefusals(rate(2026, 'XUAT_SAC', 95), periods, ['2025-04-10'], settings)).toEqual([]);
  });

  it('the cap is a setting: HOAN_THANH lets "completed" through; a cap that is no category is refused', () => {
    const periods = [official('2000-01-01')];
    const cap = { disciplinedCap: 'HOAN_THANH' };
    expect(ratingRefusals(rate(2025, 'HOAN_THANH', 60), periods, ['2025-04-10'], cap)).toEqual([]);
    expect(ratingRefusals(rate(2025, 'TOT', 75), periods, ['2025-04-10'], cap)).toHaveLength(1);
    expect(() => checkedRatingSettings({ disciplinedCap: 'GOOD' })).toThrow(/disciplinedCap/);
    expect(checkedRatingSettings(RATING_DEFAULTS)).toEqual({ disciplinedCap: 'KHONG_HOAN_THANH' });
  });
});
