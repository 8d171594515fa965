import { describe, expect, it } from 'vitest';
import { validateDecision } from './decision';

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
});
