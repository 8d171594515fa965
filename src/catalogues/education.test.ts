import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERAL_EDUCATION_LEVELS, GRADING_SYSTEMS, foldText, generalEducationLevel, GRADE_PATTERN, GRADE_PATTERN_TEXT, levelOfGrade } from './education';

const P = 'PRIMARY';
const L = 'LOWER_SECONDARY';
const U = 'UPPER_SECONDARY';

describe('general education in the forms\' levels', () => {
  it('reads the 12-year system: 1–5 primary, 6–9 lower secondary, 10–12 upper secondary', () => {
    expect(['1/12', '5/12', '6/12', '9/12', '10/12', '12/12'].map(generalEducationLevel)).toEqual([P, P, L, L, U, U]);
  });

  it("reads the North's 10-year system (until 1981): 1–4, 5–7, 8–10", () => {
    expect(['4/10', '5/10', '7/10', '8/10', '10/10'].map(generalEducationLevel)).toEqual([P, L, L, U, U]);
  });

  it('reads the 9-year system of 1950–1956: 1–4, 5–7, 8–9', () => {
    expect(['4/9', '5/9', '7/9', '8/9', '9/9'].map(generalEducationLevel)).toEqual([P, L, L, U, U]);
  });

  it('counts the same grade in the system it was written in', () => {
    // Grade 5 ends primary school in the 12-year system but is lower secondary in the others.
    expect(['5/12', '5/10', '5/9'].map(generalEducationLevel)).toEqual([P, L, L]);
    expect(['9/12', '9/10', '9/9'].map(generalEducationLevel)).toEqual([L, U, U]);
  });

  it('reads spaces and words around the fraction', () => {
    expect(['12 / 12', ' 9/12 ', '12/12 bổ túc', 'Hết lớp 7/10'].map(generalEducationLevel)).toEqual([U, L, U, L]);
  });

  it('reads words naming a level, with or without diacritics, old names included', () => {
    expect(['THPT', 'Trung học phổ thông', 'trung hoc pho thong', 'PTTH', 'Tốt nghiệp THPT', 'cấp 3', 'Cấp III'].map(generalEducationLevel))
      .toEqual([U, U, U, U, U, U, U]);
    expect(['THCS', 'Trung học cơ sở', 'PTCS', 'cấp 2', 'cấp II'].map(generalEducationLevel)).toEqual([L, L, L, L, L]);
    expect(['Tiểu học', 'TIỂU HỌC', 'cấp 1', 'Cấp I'].map(generalEducationLevel)).toEqual([P, P, P, P]);
  });

  it('reads a grade alone in the 12-year system', () => {
    expect(['Lớp 9', 'lớp 12', 'Lớp 5', '10'].map(generalEducationLevel)).toEqual([L, U, P, U]);
  });

  it('gives null for no text and for what it cannot read', () => {
    expect([null, undefined, '', '   ', '8/11', '13/12', '0/12', '11/10', 'Đại học', 'Lớp 13', 'không rõ'].map(generalEducationLevel))
      .toEqual([null, null, null, null, null, null, null, null, null, null, null]);
  });

  it('folds case, diacritics and đ', () => {
    expect(foldText('  Trung  Học   ĐỊA phương ')).toBe('trung hoc dia phuong');
  });

  it('has a level for every grade of every system, rising with the grade', () => {
    const order = GENERAL_EDUCATION_LEVELS.map((l) => l.key as string);
    for (const system of GRADING_SYSTEMS) {
      const levels = Array.from({ length: system.grades }, (_, i) => levelOfGrade(i + 1, system.grades));
      expect(levels.every((l) => l !== null)).toBe(true);
      const ranks = levels.map((l) => order.indexOf(l!));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(levels[system.grades - 1]).toBe(U);
    }
  });

  it('names the levels as the forms do', () => {
    expect(GENERAL_EDUCATION_LEVELS.map((l) => l.label)).toEqual(['Tiểu học', 'Trung học cơ sở', 'Trung học phổ thông']);
  });
});

describe('the stored form', () => {
  it('is grade/system in the grading systems the rule knows, as the database checks it (migration 021)', () => {
    const migration = readFileSync(join(__dirname, '../../migrations/Migration20261126000021ReportCategories.ts'), 'utf8');
    const checked = new RegExp(/check \(general_education ~ '([^']+)'\)/.exec(migration)![1]);
    const samples = ['12/12', '9/9', '7/10', '05/12', '8/11', '12/13', '1/1', 'THPT', '10/10', '99/9', '123/12'];
    expect(samples.map((t) => GRADE_PATTERN.test(t))).toEqual(samples.map((t) => checked.test(t)));
    expect(GRADE_PATTERN_TEXT).toMatch(/^\^/);
    expect(['9/9', '7/10', '12/12', '05/12'].every((t) => GRADE_PATTERN.test(t))).toBe(true);
    expect(['8/11', '12', 'THPT', '12 / 12', '123/12'].some((t) => GRADE_PATTERN.test(t))).toBe(false);
  });
});
