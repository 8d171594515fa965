import { describe, expect, it } from 'vitest';
import type { MemberStatus } from '../members/member.entity';
import type { TransferBoundary, TransferKind, TransferStatus } from './transfer.entity';
import {
  arrivalFromOutsideRefusals,
  arrivedLate,
  destinationRefusals,
  lateArrivalRefusal,
  leavesRollsOnDispatch,
  reportByFor,
  returnOverdue,
  returnRefusal,
  temporaryPeriodRefusal,
  transferRefusal,
} from './transfer-rules';

const kind = (k: string) => k as TransferKind;
const boundary = (b: string) => b as TransferBoundary;
const status = (s: string) => s as MemberStatus;
const tstatus = (s: string) => s as TransferStatus;

describe('who may be transferred', () => {
  it('an active member not under review may be', () => {
    expect(transferRefusal({ status: status('OFFICIAL'), underReview: false })).toBeNull();
    expect(transferRefusal({ status: status('RELEASED'), underReview: false })).toBeNull();
  });
  it('a member under inspection or complaint is not', () => {
    expect(transferRefusal({ status: status('OFFICIAL'), underReview: true })).toMatch(/inspection/);
  });
  it('a member who left is not (the after-leaving rule), even with no leaving date recorded', () => {
    expect(transferRefusal({ status: status('DECEASED'), leftOn: '2025-03-01', underReview: false })).toMatch(/left \(DECEASED, 2025-03-01\).*not transferred/);
    expect(transferRefusal({ status: status('EXPELLED'), leftOn: null, underReview: false })).toMatch(/has left \(EXPELLED\)/);
  });
  it('a member already transferred out of the organisation is not on its rolls', () => {
    expect(transferRefusal({ status: status('OFFICIAL'), underReview: false, transferredOutOn: '2026-05-01' })).toMatch(/2026-05-01/);
  });
});

describe('destination', () => {
  it('within the organisation: a cell code, no outside party', () => {
    expect(destinationRefusals({ kind: kind('PERMANENT'), boundary: boundary('WITHIN'), toUnitCode: 'DN.X.CB01' })).toEqual([]);
    expect(destinationRefusals({ kind: kind('PERMANENT'), boundary: boundary('WITHIN') }).map((e) => e.field)).toEqual([['toUnitCode']]);
    expect(
      destinationRefusals({ kind: kind('PERMANENT'), boundary: boundary('WITHIN'), toUnitCode: 'DN.X.CB01', externalParty: 'Đảng bộ tỉnh Quảng Ngãi' }).map((e) => e.field),
    ).toEqual([['externalParty']]);
  });
  it('to another province: the party organisation named, no cell code, not INTERNAL', () => {
    expect(destinationRefusals({ kind: kind('PERMANENT'), boundary: boundary('OTHER_PROVINCE'), externalParty: 'Đảng bộ tỉnh Quảng Ngãi' })).toEqual([]);
    expect(destinationRefusals({ kind: kind('TEMPORARY'), boundary: boundary('OTHER_PROVINCE'), externalParty: 'Đảng bộ tỉnh Quảng Ngãi' })).toEqual([]);
    const wrong = destinationRefusals({ kind: kind('INTERNAL'), boundary: boundary('OTHER_PROVINCE'), toUnitCode: 'DN.X.CB01', externalParty: ' ' });
    expect(wrong.map((e) => [e.field[0], e.code])).toEqual([
      ['kind', 'INVALID'],
      ['toUnitCode', 'INVALID'],
      ['externalParty', 'REQUIRED'],
    ]);
  });
  it('abroad: the country too; a country only abroad', () => {
    expect(destinationRefusals({ kind: kind('PERMANENT'), boundary: boundary('ABROAD'), externalParty: 'Đảng ủy ngoài nước' }).map((e) => e.field)).toEqual([['country']]);
    expect(destinationRefusals({ kind: kind('PERMANENT'), boundary: boundary('ABROAD'), externalParty: 'Đảng ủy ngoài nước', country: 'Nhật Bản' })).toEqual([]);
    expect(
      destinationRefusals({ kind: kind('PERMANENT'), boundary: boundary('OTHER_PROVINCE'), externalParty: 'Đảng bộ tỉnh Quảng Nam', country: 'Lào' }).map((e) => e.field),
    ).toEqual([['country']]);
  });
});

describe('temporary transfers: 3 months to under a year, to study up to 2 years', () => {
  const temp = (returnsOn: string | null, forStudy = false) => temporaryPeriodRefusal({ kind: kind('TEMPORARY'), issuedOn: '2026-01-31', returnsOn, forStudy });
  it('needs a return date', () => {
    expect(temp(null)?.code).toBe('REQUIRED');
  });
  it('at least 3 months: 2026-01-31 + 3 months is 2026-04-30 (April has no 31st)', () => {
    expect(temp('2026-04-29')?.field).toEqual(['returnsOn']);
    expect(temp('2026-04-30')).toBeNull();
  });
  it('under a year: 2027-01-30 is accepted, 2027-01-31 (a full year) is not', () => {
    expect(temp('2027-01-30')).toBeNull();
    expect(temp('2027-01-31')?.message).toMatch(/under 12 months/);
  });
  it('to study, up to 2 years, the last day included', () => {
    expect(temp('2028-01-31', true)).toBeNull();
    expect(temp('2028-02-01', true)?.message).toMatch(/at most 24 months/);
    expect(temp('2026-03-31', true)?.message).toMatch(/at least 3 months/);
  });
  it('a permanent transfer has no return date', () => {
    expect(temporaryPeriodRefusal({ kind: kind('PERMANENT'), issuedOn: '2026-01-31', returnsOn: '2026-06-01' })?.field).toEqual(['returnsOn']);
    expect(temporaryPeriodRefusal({ kind: kind('PERMANENT'), issuedOn: '2026-01-31' })).toBeNull();
  });
});

describe('late arrival', () => {
  it('the 30th day after issue is still on time; the 31st needs a reason', () => {
    expect(reportByFor('2026-11-02')).toBe('2026-12-02');
    expect(arrivedLate('2026-11-02', '2026-12-02')).toBe(false);
    expect(arrivedLate('2026-11-02', '2026-12-03')).toBe(true);
    expect(lateArrivalRefusal({ issuedOn: '2026-11-02', arrivedOn: '2026-12-02' })).toBeNull();
    expect(lateArrivalRefusal({ issuedOn: '2026-11-02', arrivedOn: '2026-12-03' })).toMatchObject({ field: ['lateReason'], code: 'REQUIRED' });
    expect(lateArrivalRefusal({ issuedOn: '2026-11-02', arrivedOn: '2026-12-03', lateReason: '  ' })?.code).toBe('REQUIRED');
    expect(lateArrivalRefusal({ issuedOn: '2026-11-02', arrivedOn: '2026-12-03', lateReason: 'Ốm, nằm viện' })).toBeNull();
  });
});

describe('arrival from outside the organisation', () => {
  const base = { boundary: boundary('OTHER_PROVINCE'), issuedOn: '2026-05-01', arrivedOn: '2026-05-10', joinedOn: '2010-03-02', today: '2026-06-15' };
  it('between the letter and today, after admission', () => {
    expect(arrivalFromOutsideRefusals(base)).toEqual([]);
    expect(arrivalFromOutsideRefusals({ ...base, arrivedOn: '2026-04-30' }).map((e) => e.field)).toEqual([['arrivedOn']]);
    expect(arrivalFromOutsideRefusals({ ...base, arrivedOn: '2026-06-16' }).map((e) => e.field)).toEqual([['arrivedOn']]);
    expect(arrivalFromOutsideRefusals({ ...base, joinedOn: '2026-05-10' }).map((e) => e.field)).toEqual([['arrivedOn']]);
    expect(arrivalFromOutsideRefusals({ ...base, boundary: boundary('WITHIN') }).map((e) => e.field)).toEqual([['boundary']]);
  });
});

describe('leaving the rolls and returning', () => {
  it('only a permanent transfer out of the organisation leaves the rolls at dispatch', () => {
    expect(leavesRollsOnDispatch({ kind: kind('PERMANENT'), boundary: boundary('OTHER_PROVINCE') })).toBe(true);
    expect(leavesRollsOnDispatch({ kind: kind('PERMANENT'), boundary: boundary('ABROAD') })).toBe(true);
    expect(leavesRollsOnDispatch({ kind: kind('TEMPORARY'), boundary: boundary('ABROAD') })).toBe(false);
    expect(leavesRollsOnDispatch({ kind: kind('PERMANENT'), boundary: boundary('WITHIN') })).toBe(false);
  });
  it('a return closes a temporary transfer the member went on, once, between its start and today', () => {
    const gone = { kind: kind('TEMPORARY'), status: tstatus('CONFIRMED'), confirmedOn: '2026-02-01' };
    expect(returnRefusal(gone, '2026-06-01', '2026-06-15')).toBeNull();
    expect(returnRefusal(gone, '2026-01-31', '2026-06-15')?.field).toEqual(['returnedOn']);
    expect(returnRefusal(gone, '2026-06-16', '2026-06-15')?.field).toEqual(['returnedOn']);
    expect(returnRefusal({ ...gone, returnedOn: '2026-05-01' }, '2026-06-01', '2026-06-15')?.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(returnRefusal({ ...gone, status: tstatus('PENDING'), confirmedOn: null }, '2026-06-01', '2026-06-15')?.field).toEqual(['transferId']);
    expect(returnRefusal({ ...gone, kind: kind('PERMANENT') }, '2026-06-01', '2026-06-15')?.field).toEqual(['transferId']);
  });
  it('a return is overdue the day after its date when none is recorded', () => {
    const gone = { kind: kind('TEMPORARY'), status: tstatus('CONFIRMED'), returnsOn: '2026-06-14' };
    expect(returnOverdue(gone, '2026-06-14')).toBe(false);
    expect(returnOverdue(gone, '2026-06-15')).toBe(true);
    expect(returnOverdue({ ...gone, returnedOn: '2026-06-10' }, '2026-06-15')).toBe(false);
  });
});
