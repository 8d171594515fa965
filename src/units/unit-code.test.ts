import { describe, expect, it } from 'vitest';
import { codeCandidates, codeOf, codeSegmentOf } from './unit-code';

describe('unit codes (mã tổ chức)', () => {
  it('writes a name in upper-case ASCII without diacritics or spaces, as the seed codes its places', () => {
    expect(codeOf('Hải Châu I')).toBe('HAICHAUI');
    expect(codeOf('Hòa Cường Bắc')).toBe('HOACUONGBAC');
    expect(codeOf('Đông Giang')).toBe('DONGGIANG');
    expect(codeOf('Ngũ Hành Sơn')).toBe('NGUHANHSON');
  });

  it('codes a full unit name by its place, without the words that say what kind of organisation it is', () => {
    expect(codeSegmentOf('Đảng bộ phường Hải Châu')).toBe('HAICHAU');
    expect(codeSegmentOf('Đảng bộ xã Hòa Vang')).toBe('HOAVANG');
    expect(codeSegmentOf('Đảng ủy phường Thạch Thang')).toBe('THACHTHANG');
    expect(codeSegmentOf('Chi bộ khu dân cư số 9')).toBe('KHUDANCUSO9');
    expect(codeSegmentOf('  Phường   An Hải  ')).toBe('ANHAI');
    // A name decomposed (NFD, as some keyboards send it) is coded the same.
    expect(codeSegmentOf('Đảng bộ phường Hải Châu'.normalize('NFD'))).toBe('HAICHAU');
  });

  it('keeps the whole name when nothing but the prefix is left, and never gives an empty segment', () => {
    expect(codeSegmentOf('Chi bộ')).toBe('CHIBO');
    expect(codeSegmentOf('—')).toBe('U');
  });

  it('tries the plain code, then a suffix 2, 3, … on the last segment', () => {
    const candidates = codeCandidates('DN', 'Đảng bộ phường Hải Châu');
    expect([candidates.next().value, candidates.next().value, candidates.next().value]).toEqual(['DN.HAICHAU', 'DN.HAICHAU2', 'DN.HAICHAU3']);
    expect(codeCandidates('DN.HAICHAU', 'Chi bộ số 1').next().value).toBe('DN.HAICHAU.SO1');
  });

  it('cuts a long name so the code, with a suffix, still fits unit(code:) (50 characters)', () => {
    const candidates = codeCandidates('DN.LIENCHIEU2', 'Chi bộ Trường Trung học phổ thông Nguyễn Thượng Hiền');
    const [first, second] = [candidates.next().value!, candidates.next().value!];
    // 50 − "DN.LIENCHIEU2." (14) − 3 digits of suffix = 33 characters of segment.
    expect(first).toBe(`DN.LIENCHIEU2.${'TRUONGTRUNGHOCPHOTHONGNGUYENTHUONGHIEN'.slice(0, 33)}`);
    expect(second).toBe(`${first}2`);
    expect(first.length + 3).toBeLessThanOrEqual(50);
  });
});
