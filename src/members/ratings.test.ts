import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RATING_CATEGORIES, ratingCategoryFor } from './ratings';

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
