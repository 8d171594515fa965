import type { MemberStatus } from './member.entity';
import { READMISSION_WAIT_MONTHS, addMonths } from './lifecycle';

/**
 * Why a member left, and what that means for readmission (docs/domain.md, "Leaving and
 * readmission"; QĐ 294-QĐ/TW §3.5 for readmission, the Party Statute for removal and expulsion).
 *
 * Pure: no database, no decorators, so departure.test.ts beside it runs in milliseconds. The
 * GraphQL enum DepartureCause (member-period.entity.ts) and the check constraint of migration 18
 * list the same values.
 */
export const DEPARTURE_CAUSES = [
  'NOT_APPROVED_AT_PROBATION_END',
  'SELF_ABANDONMENT',
  'LOST_QUALITIES',
  'VOLUNTARY_RESIGNATION',
  'SPECIAL_FAMILY_HARDSHIP',
  'DISCIPLINE',
  'CONVICTION_CORRUPTION',
  'CONVICTION_SERIOUS',
  'CONVICTION_LESS_SERIOUS',
  'SERIOUS_DISUNITY',
  'DEATH',
  'OTHER',
] as const;

export type DepartureCauseCode = (typeof DEPARTURE_CAUSES)[number];

/** The Vietnamese terms, for the GraphQL descriptions and messages. */
export const DEPARTURE_CAUSE_TERMS: Readonly<Record<DepartureCauseCode, string>> = {
  NOT_APPROVED_AT_PROBATION_END: 'Không được công nhận đảng viên chính thức khi hết thời gian dự bị — not recognised as official at the end of probation.',
  SELF_ABANDONMENT: 'Tự ý bỏ sinh hoạt đảng (hoặc không đóng đảng phí) không có lý do chính đáng — self-abandonment of party activity.',
  LOST_QUALITIES: 'Giảm sút ý chí phấn đấu, không làm nhiệm vụ đảng viên — no longer fulfils a member’s duties (removal).',
  VOLUNTARY_RESIGNATION: 'Tự nguyện xin ra Đảng — voluntary resignation.',
  SPECIAL_FAMILY_HARDSHIP: 'Xin ra Đảng vì hoàn cảnh gia đình đặc biệt khó khăn — resignation for special family hardship.',
  DISCIPLINE: 'Kỷ luật khai trừ vì vi phạm — expelled as a discipline for a violation.',
  CONVICTION_CORRUPTION: 'Bị xử lý hình sự về tội tham nhũng — convicted of corruption.',
  CONVICTION_SERIOUS: 'Bị xử lý hình sự về tội nghiêm trọng trở lên — convicted of a serious (or graver) crime.',
  CONVICTION_LESS_SERIOUS: 'Bị xử lý hình sự về tội ít nghiêm trọng — convicted of a less serious crime.',
  SERIOUS_DISUNITY: 'Gây mất đoàn kết nội bộ nghiêm trọng — caused serious internal disunity.',
  DEATH: 'Từ trần — death.',
  OTHER: 'Lý do khác — another cause (say which in the reason).',
};

const REMOVED = 'REMOVED' as MemberStatus.REMOVED;
const EXPELLED = 'EXPELLED' as MemberStatus.EXPELLED;
const RESIGNED = 'RESIGNED' as MemberStatus.RESIGNED;
const DECEASED = 'DECEASED' as MemberStatus.DECEASED;

/**
 * The causes each way of leaving can have. Removal (xóa tên) is an administrative act: no
 * discipline, but conviction or disunity may lead to it as well as to expulsion; resignation is
 * the member's own request; death is death.
 */
export const CAUSES_BY_STATUS: Readonly<Partial<Record<MemberStatus, readonly DepartureCauseCode[]>>> = {
  [REMOVED]: [
    'NOT_APPROVED_AT_PROBATION_END', 'SELF_ABANDONMENT', 'LOST_QUALITIES', 'CONVICTION_CORRUPTION', 'CONVICTION_SERIOUS',
    'CONVICTION_LESS_SERIOUS', 'SERIOUS_DISUNITY', 'OTHER',
  ],
  [EXPELLED]: ['DISCIPLINE', 'CONVICTION_CORRUPTION', 'CONVICTION_SERIOUS', 'CONVICTION_LESS_SERIOUS', 'SERIOUS_DISUNITY', 'OTHER'],
  [RESIGNED]: ['VOLUNTARY_RESIGNATION', 'SPECIAL_FAMILY_HARDSHIP'],
  [DECEASED]: ['DEATH'],
};

/** The cause taken when none is given: only death goes without saying. */
export function defaultCause(status: MemberStatus): DepartureCauseCode | null {
  return status === DECEASED ? 'DEATH' : null;
}

/**
 * The refusal for a departure's cause, or null: an end state needs a cause (death defaults to
 * DEATH) that fits the way of leaving.
 */
export function causeRefusal(status: MemberStatus, cause: DepartureCauseCode | null | undefined): string | null {
  const allowed = CAUSES_BY_STATUS[status];
  if (!allowed) return cause ? `A cause is recorded only for leaving the Party, not for ${status}.` : null;
  const given = cause ?? defaultCause(status);
  if (!given) return `Leaving as ${status} needs its cause (one of ${allowed.join(', ')}).`;
  if (!allowed.includes(given)) return `${given} is not a cause of ${status}; the causes are ${allowed.join(', ')}.`;
  return null;
}

/**
 * Causes after which readmission is never considered (QĐ 294-QĐ/TW §3.5): self-abandonment of
 * party activity, voluntary resignation (special family hardship excepted), serious internal
 * disunity, a conviction for corruption or for a serious (or graver) crime. Expulsion as such is
 * not a bar; death is no departure one returns from.
 */
export const READMISSION_BARRED_CAUSES: readonly DepartureCauseCode[] = [
  'SELF_ABANDONMENT', 'VOLUNTARY_RESIGNATION', 'SERIOUS_DISUNITY', 'CONVICTION_CORRUPTION', 'CONVICTION_SERIOUS', 'DEATH',
];

/** After a conviction for a less serious crime: 60 months from the expungement of the conviction. */
export const READMISSION_WAIT_AFTER_EXPUNGEMENT_MONTHS = 60;

export interface Departure {
  status: MemberStatus;
  leftOn: string;
  cause: DepartureCauseCode | null;
  /** When the conviction was expunged (xóa án tích), for CONVICTION_LESS_SERIOUS. */
  convictionExpungedOn?: string | null;
}

export type ReadmissionCheck =
  | { ok: true; earliest: string }
  | { ok: false; field: 'departureCause' | 'convictionExpungedOn' | 'joinedOn'; barred: boolean; message: string };

/**
 * Whether a member who left may be readmitted on `on`, by the cause of leaving: barred causes
 * never; otherwise 36 months after leaving, and for a less serious conviction also 60 months
 * after its expungement (which must be known). The earliest day is returned for messages.
 */
export function readmissionByCause(departure: Departure, on: string): ReadmissionCheck {
  const { cause } = departure;
  if (!cause) {
    return { ok: false, field: 'departureCause', barred: false, message: 'The cause of leaving is not recorded; give it (departureCause) to decide on readmission.' };
  }
  if (READMISSION_BARRED_CAUSES.includes(cause)) {
    return { ok: false, field: 'departureCause', barred: true, message: `A member who left for ${cause} is not readmitted (QĐ 294-QĐ/TW §3.5).` };
  }
  let earliest = addMonths(departure.leftOn, READMISSION_WAIT_MONTHS);
  if (cause === 'CONVICTION_LESS_SERIOUS') {
    if (!departure.convictionExpungedOn) {
      return { ok: false, field: 'convictionExpungedOn', barred: false, message: 'After a conviction, give the day it was expunged (xóa án tích).' };
    }
    const afterExpungement = addMonths(departure.convictionExpungedOn, READMISSION_WAIT_AFTER_EXPUNGEMENT_MONTHS);
    if (afterExpungement > earliest) earliest = afterExpungement;
    if (on < afterExpungement) {
      return {
        ok: false, field: 'joinedOn', barred: false,
        message: `Readmission is possible from ${afterExpungement}, ${READMISSION_WAIT_AFTER_EXPUNGEMENT_MONTHS} months after the conviction was expunged.`,
      };
    }
  }
  if (on < earliest) {
    return { ok: false, field: 'joinedOn', barred: false, message: `Readmission is possible from ${earliest}, ${READMISSION_WAIT_MONTHS} months after leaving.` };
  }
  return { ok: true, earliest };
}
