import { describe, expect, it } from 'vitest';
import { admissionAgeCheck, earliestAdmission, educationCheck } from './admission';

describe('admission age at the cell’s vote, in completed months', () => {
  it('refuses 17 years 11 months', () => {
    // Born 2008-03-20, vote 2026-03-19: 17 years and 11 completed months.
    const check = admissionAgeCheck('2008-03-20', '2026-03-19');
    expect(check.ok).toBe(false);
    expect(check.ok === false && check.message).toContain('17 years 11 months');
  });
  it('accepts full 18 years on the birthday', () => {
    expect(admissionAgeCheck('2008-03-20', '2026-03-20')).toEqual({ ok: true, needsException: false });
  });
  it('accepts exactly 60 years 0 months (and days) without an exception', () => {
    expect(admissionAgeCheck('1966-03-20', '2026-03-20')).toEqual({ ok: true, needsException: false });
    expect(admissionAgeCheck('1966-03-20', '2026-04-19')).toEqual({ ok: true, needsException: false }); // 60y 0m 30d
  });
  it('asks the provincial-level exception at 60 years 1 month and at 60 years 11 months', () => {
    expect(admissionAgeCheck('1966-03-20', '2026-04-20')).toMatchObject({ ok: true, needsException: true });
    const over = admissionAgeCheck('1965-03-20', '2026-02-20'); // 60 years 11 months: over in months, 60 in whole years
    expect(over).toMatchObject({ ok: true, needsException: true });
    expect(over.ok && over.needsException && over.message).toContain('60 years 11 months');
  });
  it('the earliest admission decision is the 18th birthday (29 February: 1 March in a common year), as the age check counts', () => {
    expect(earliestAdmission('1990-04-02')).toBe('2008-04-02');
    expect(earliestAdmission('2004-02-29')).toBe('2022-03-01');
    expect(earliestAdmission('2006-02-28')).toBe('2024-02-28');
    for (const born of ['1990-04-02', '2004-02-29', '2006-01-31']) {
      const first = earliestAdmission(born);
      expect(admissionAgeCheck(born, first).ok, born).toBe(true);
      const [y, m, d] = first.split('-').map(Number);
      const dayBefore = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
      expect(admissionAgeCheck(born, dayBefore).ok, born).toBe(false);
    }
  });
});

describe('education requirement: at least lower secondary (THCS)', () => {
  it('passes lower and upper secondary in any grading system', () => {
    expect(['9/12', '12/12', '7/10', 'THPT', 'Trung học cơ sở'].map((t) => educationCheck(t).kind)).toEqual(['OK', 'OK', 'OK', 'OK', 'OK']);
  });
  it('flags primary as below, an unreadable text, and no text', () => {
    expect(educationCheck('5/12').kind).toBe('BELOW');
    expect(educationCheck('4/10').kind).toBe('BELOW');
    expect(educationCheck('8/11').kind).toBe('UNREADABLE');
    expect(educationCheck(null).kind).toBe('MISSING');
    expect(educationCheck('  ').kind).toBe('MISSING');
  });
});
