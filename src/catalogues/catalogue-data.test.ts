import { describe, expect, it } from 'vitest';
import { CATALOGUES, POLITICAL_THEORY_LEVELS, RELIGIONS, countedAs, isRetiredCode, isSelectableCode } from './catalogue-data';

describe('the religion catalogue against the recognised religions', () => {
  it('lists the 16 recognised religions, each once', () => {
    expect(RELIGIONS).toHaveLength(16);
    expect(new Set(RELIGIONS.map(([code]) => code)).size).toBe(16);
    expect(new Set(RELIGIONS.map(([, label]) => label)).size).toBe(16);
  });

  it('includes Phật giáo Hiếu Nghĩa Tà Lơn, missing until issue 12', () => {
    expect(RELIGIONS).toContainEqual(['HIEU_NGHIA_TA_LON', 'Phật giáo Hiếu Nghĩa Tà Lơn']);
  });

  it('keeps the Presbyterian church as a retired code counted as Tin lành, not selectable', () => {
    expect(isSelectableCode('RELIGION', 'TRUONG_LAO')).toBe(false);
    expect(isRetiredCode('RELIGION', 'TRUONG_LAO')).toBe(true);
    expect(countedAs('RELIGION', 'TRUONG_LAO')).toBe('TIN_LANH');
    expect(countedAs('RELIGION', 'PHAT_GIAO')).toBe('PHAT_GIAO');
    expect(isSelectableCode('RELIGION', 'TIN_LANH')).toBe(true);
  });

  it('counts every retired code as a code that may be recorded', () => {
    for (const kind of Object.keys(CATALOGUES) as (keyof typeof CATALOGUES)[]) {
      for (const [code, , target] of CATALOGUES[kind].retired) {
        expect(isSelectableCode(kind, code)).toBe(false);
        expect(isSelectableCode(kind, target)).toBe(true);
      }
    }
  });
});

describe('political theory', () => {
  it('has NONE (chưa qua đào tạo) first, before the levels', () => {
    expect(POLITICAL_THEORY_LEVELS.map(([code]) => code)).toEqual(['NONE', 'SO_CAP', 'TRUNG_CAP', 'CAO_CAP', 'CU_NHAN']);
    expect(POLITICAL_THEORY_LEVELS[0][1]).toBe('Chưa qua đào tạo');
  });
});
