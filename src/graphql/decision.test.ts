import { describe, expect, it } from 'vitest';
import { validateDecision, validateDecisionDate } from './decision';

const today = '2026-01-15';

describe('a decision', () => {
  it('passes with a number, an issuing body and a date up to today', () => {
    expect(validateDecision({ number: '125-QĐ/ĐU', issuedBy: 'Đảng ủy phường Thạch Thang', date: today }, today)).toEqual([]);
  });
  it('needs a number and a body, and no future date', () => {
    const errors = validateDecision({ number: '  ', issuedBy: '', date: '2026-01-16' }, today);
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['REQUIRED', ['input', 'decision', 'number']],
      ['REQUIRED', ['input', 'decision', 'issuedBy']],
      ['INVALID', ['input', 'decision', 'date']],
    ]);
  });
  it('names the fields under the path of a second decision in the input', () => {
    const errors = validateDecision({ number: '', issuedBy: 'Tỉnh ủy', date: '2026-01-16' }, today, ['input', 'ageExceptionDecision']);
    expect(errors.map((e) => e.field)).toEqual([
      ['input', 'ageExceptionDecision', 'number'],
      ['input', 'ageExceptionDecision', 'date'],
    ]);
  });
});

describe('a decision dated for its event', () => {
  const bounds = { notBefore: [{ date: '1990-04-02', what: 'the date of birth' }, { date: '2015-06-01', what: 'the admission' }] };
  it('is refused before the first bound it breaks, naming the date field', () => {
    const errors = validateDecisionDate({ date: '1950-01-01' }, bounds);
    expect(errors.map((e) => [e.code, e.field, e.message])).toEqual([
      ['INVALID', ['input', 'decision', 'date'], 'The decision is dated 1950-01-01, before the date of birth (1990-04-02).'],
    ]);
    expect(validateDecisionDate({ date: '2010-01-01' }, bounds)[0].message).toMatch(/before the admission/);
  });
  it('passes on the bound itself, and after; a missing bound or decision is not checked', () => {
    expect(validateDecisionDate({ date: '2015-06-01' }, bounds)).toEqual([]);
    expect(validateDecisionDate({ date: '2001-01-01' }, { notBefore: [{ date: null, what: 'x' }] })).toEqual([]);
    expect(validateDecisionDate(null, bounds)).toEqual([]);
  });
  it('refuses a date after an upper bound, at the path given', () => {
    const errors = validateDecisionDate({ date: '2026-02-01' }, { notAfter: [{ date: '2026-01-31', what: 'the day it takes effect' }] }, ['input', 'award', 'decision', 'date']);
    expect(errors[0].field).toEqual(['input', 'award', 'decision', 'date']);
  });
});
