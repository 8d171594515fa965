import type { UserErrorCode } from '../graphql/errors';
import type { MemberStatus } from '../members/member.entity';
import { ACTIVE_STATUSES, addDays, addMonths, refusalAfterLeaving } from '../members/lifecycle';
import type { TransferBoundary, TransferKind, TransferStatus } from './transfer.entity';

/**
 * The transfer rules of docs/domain.md ("Transfers") as data and pure functions: who may be
 * transferred, where to, for how long, and when an arrival is late. transfers.service.ts asks
 * these before writing; nothing else decides them.
 *
 * Pure: no database, no decorators (enums are imported as types only), so transfer-rules.test.ts
 * beside it runs in milliseconds.
 */
const PERMANENT = 'PERMANENT' as TransferKind.PERMANENT;
const TEMPORARY = 'TEMPORARY' as TransferKind.TEMPORARY;
const INTERNAL = 'INTERNAL' as TransferKind.INTERNAL;
const WITHIN = 'WITHIN' as TransferBoundary.WITHIN;
const ABROAD = 'ABROAD' as TransferBoundary.ABROAD;
const CONFIRMED = 'CONFIRMED' as TransferStatus.CONFIRMED;
const INVALID = 'INVALID' as UserErrorCode.INVALID;
const REQUIRED = 'REQUIRED' as UserErrorCode.REQUIRED;
const NOT_ALLOWED = 'TRANSITION_NOT_ALLOWED' as UserErrorCode.TRANSITION_NOT_ALLOWED;

export const TRANSFER_RULES = {
  /** The member reports to the receiving unit within 30 days of the transfer's issue. */
  reportWithinDays: 30,
  /** A temporary transfer lasts at least 3 months… */
  temporaryMinMonths: 3,
  /** …and less than a year (a longer absence is a permanent transfer)… */
  temporaryUnderMonths: 12,
  /** …or, to study, up to 2 years (this day included). */
  studyUpToMonths: 24,
} as const;

/** A refusal: the input field at fault (below `input`), the code and the message. */
export interface TransferRefusal {
  field: string[];
  code: UserErrorCode;
  message: string;
}

const refusal = (field: string, code: UserErrorCode, message: string): TransferRefusal => ({ field: [field], code, message });

/** Last day for the member to report to the receiving unit. */
export function reportByFor(issuedOn: string): string {
  return addDays(issuedOn, TRANSFER_RULES.reportWithinDays);
}

/**
 * Whether this member may be transferred (issued, or an arrival confirmed): not under
 * inspection or complaint, not left the party (the after-leaving rule), still on this
 * organisation's rolls. The message, or null.
 */
export function transferRefusal(member: {
  status: MemberStatus;
  leftOn?: string | null;
  underReview: boolean;
  transferredOutOn?: string | null;
}): string | null {
  const left = refusalAfterLeaving(member, { kind: 'TRANSFER' });
  if (left) return left;
  if (!ACTIVE_STATUSES.includes(member.status)) return `A member who has left (${member.status}) is not transferred.`;
  if (member.transferredOutOn) return `The member was transferred out of the organisation on ${member.transferredOutOn} and is no longer on its rolls.`;
  if (member.underReview) return 'The member is under inspection or complaint and cannot be transferred.';
  return null;
}

/**
 * Where a transfer goes: a cell of this organisation named by its code, or, across the
 * boundary, another province's or a party organisation abroad named in words (with the country).
 * Within one grassroots organisation (INTERNAL) there is no boundary to cross.
 */
export function destinationRefusals(input: {
  kind: TransferKind;
  boundary: TransferBoundary;
  toUnitCode?: string | null;
  externalParty?: string | null;
  country?: string | null;
}): TransferRefusal[] {
  const errors: TransferRefusal[] = [];
  const code = input.toUnitCode?.trim();
  const party = input.externalParty?.trim();
  if (input.boundary === WITHIN) {
    if (!code) errors.push(refusal('toUnitCode', REQUIRED, 'Give the code of the receiving cell.'));
    if (party) errors.push(refusal('externalParty', INVALID, 'A transfer within the organisation goes to a cell named by its code, not to an outside party organisation.'));
    if (input.country?.trim()) errors.push(refusal('country', INVALID, 'A country is given only for a transfer abroad.'));
    return errors;
  }
  if (input.kind === INTERNAL) errors.push(refusal('kind', INVALID, 'An internal transfer stays within one grassroots organisation; across the boundary it is PERMANENT or TEMPORARY.'));
  if (code) errors.push(refusal('toUnitCode', INVALID, 'A transfer out of the organisation names the receiving party organisation (externalParty), not a cell of this tree.'));
  if (!party) errors.push(refusal('externalParty', REQUIRED, 'Name the receiving party organisation, e.g. "Đảng bộ tỉnh Quảng Ngãi".'));
  if (input.boundary === ABROAD && !input.country?.trim()) errors.push(refusal('country', REQUIRED, 'Give the country for a transfer abroad.'));
  if (input.boundary !== ABROAD && input.country?.trim()) errors.push(refusal('country', INVALID, 'A country is given only for a transfer abroad.'));
  return errors;
}

/**
 * A temporary transfer's end (returnsOn): from 3 months to under a year after issue, or up to 2
 * years to study; only a temporary transfer has one.
 */
export function temporaryPeriodRefusal(input: { kind: TransferKind; issuedOn: string; returnsOn?: string | null; forStudy?: boolean | null }): TransferRefusal | null {
  if (input.kind !== TEMPORARY) {
    if (input.returnsOn) return refusal('returnsOn', INVALID, 'Only a temporary transfer has a return date.');
    if (input.forStudy) return refusal('forStudy', INVALID, 'Only a temporary transfer is marked as for study.');
    return null;
  }
  if (!input.returnsOn) return refusal('returnsOn', REQUIRED, 'A temporary transfer needs the date the member returns.');
  const earliest = addMonths(input.issuedOn, TRANSFER_RULES.temporaryMinMonths);
  if (input.returnsOn < earliest) {
    return refusal('returnsOn', INVALID, `A temporary transfer lasts at least ${TRANSFER_RULES.temporaryMinMonths} months: return on ${earliest} or later.`);
  }
  if (input.forStudy) {
    const latest = addMonths(input.issuedOn, TRANSFER_RULES.studyUpToMonths);
    if (input.returnsOn > latest) {
      return refusal('returnsOn', INVALID, `A temporary transfer to study lasts at most ${TRANSFER_RULES.studyUpToMonths} months: return on ${latest} at the latest.`);
    }
    return null;
  }
  const limit = addMonths(input.issuedOn, TRANSFER_RULES.temporaryUnderMonths);
  if (input.returnsOn >= limit) {
    return refusal(
      'returnsOn',
      INVALID,
      `A temporary transfer lasts under ${TRANSFER_RULES.temporaryUnderMonths} months (return before ${limit}); to study, up to ${TRANSFER_RULES.studyUpToMonths}; a longer absence is a permanent transfer.`,
    );
  }
  return null;
}

/** An arrival later than the 30 days needs the reason for the delay (lateReason). */
export function lateArrivalRefusal(input: { issuedOn: string; arrivedOn: string; lateReason?: string | null }): TransferRefusal | null {
  const reportBy = reportByFor(input.issuedOn);
  if (input.arrivedOn > reportBy && !input.lateReason?.trim()) {
    return refusal('lateReason', REQUIRED, `The member reported after ${reportBy}, more than ${TRANSFER_RULES.reportWithinDays} days after issue: give the reason for the delay.`);
  }
  return null;
}

/** Whether an arrival date is late (after the 30 days). */
export function arrivedLate(issuedOn: string, arrivedOn: string): boolean {
  return arrivedOn > reportByFor(issuedOn);
}

/**
 * A member arriving from another province or from abroad: the date of arrival lies between the
 * sending organisation's letter and today, and after the member's admission. Counted here
 * only from that date.
 */
export function arrivalFromOutsideRefusals(input: {
  boundary: TransferBoundary;
  issuedOn: string;
  arrivedOn: string;
  joinedOn: string;
  today: string;
}): TransferRefusal[] {
  const errors: TransferRefusal[] = [];
  if (input.boundary === WITHIN) {
    errors.push(refusal('boundary', INVALID, 'A member coming from a unit of this organisation arrives by confirmTransfer; this is for arrivals from another province or abroad.'));
  }
  if (input.issuedOn > input.today) errors.push(refusal('issuedOn', INVALID, 'The sending organisation’s letter cannot be dated in the future.'));
  if (input.arrivedOn > input.today) errors.push(refusal('arrivedOn', INVALID, 'The arrival cannot be in the future.'));
  else if (input.arrivedOn < input.issuedOn) errors.push(refusal('arrivedOn', INVALID, `The member arrives on or after the letter's date (${input.issuedOn}).`));
  if (input.arrivedOn <= input.joinedOn) {
    errors.push(refusal('arrivedOn', INVALID, `The arrival is after the admission (${input.joinedOn}): a member admitted here is entered with createMember.`));
  }
  return errors;
}

/**
 * Whether the transfer takes the member off this organisation's rolls when the sender records
 * it: a permanent transfer out of the organisation (there is no receiving unit here to confirm).
 */
export function leavesRollsOnDispatch(transfer: { kind: TransferKind; boundary: TransferBoundary }): boolean {
  return transfer.kind === PERMANENT && transfer.boundary !== WITHIN;
}

/**
 * The return from a temporary transfer, recorded by the home unit: only for a temporary transfer
 * the member went on (confirmed, or recorded at issue when it left the organisation), once, on
 * a day between the start and today.
 */
export function returnRefusal(
  transfer: { kind: TransferKind; status: TransferStatus; confirmedOn?: string | null; returnedOn?: string | null },
  returnedOn: string,
  today: string,
): TransferRefusal | null {
  if (transfer.kind !== TEMPORARY) return refusal('transferId', NOT_ALLOWED, 'Only a temporary transfer ends with a return; a permanent one is final.');
  if (transfer.status !== CONFIRMED || !transfer.confirmedOn) {
    return refusal('transferId', NOT_ALLOWED, `The transfer is ${transfer.status}: a return is recorded once the member has gone (a pending transfer is cancelled instead).`);
  }
  if (transfer.returnedOn) return refusal('transferId', NOT_ALLOWED, `The return was already recorded on ${transfer.returnedOn}.`);
  if (returnedOn < transfer.confirmedOn || returnedOn > today) return refusal('returnedOn', INVALID, `The return is between ${transfer.confirmedOn} and today.`);
  return null;
}

/** A temporary transfer whose return date has passed with no return recorded: the home unit follows it up. */
export function returnOverdue(transfer: { kind: TransferKind; status: TransferStatus; returnsOn?: string | null; returnedOn?: string | null }, today: string): boolean {
  return transfer.kind === TEMPORARY && transfer.status === CONFIRMED && !transfer.returnedOn && !!transfer.returnsOn && transfer.returnsOn < today;
}
