import { MemberStatus } from './member.entity';

/**
 * The member lifecycle of docs/domain.md as data: which status may follow which, and the date rules.
 * Services ask these functions; nothing else decides a transition.
 */
const { PROBATIONARY, OFFICIAL, RELEASED, REMOVED, EXPELLED, RESIGNED, DECEASED } = MemberStatus;

export const ACTIVE_STATUSES: readonly MemberStatus[] = [PROBATIONARY, OFFICIAL, RELEASED];
export const END_STATUSES: readonly MemberStatus[] = [REMOVED, EXPELLED, RESIGNED, DECEASED];

/**
 * Transitions made with changeMemberStatus. PROBATIONARY → OFFICIAL is confirmOfficial (its date
 * is fixed by the rule), and leaving an end state is readmitMember.
 */
export const STATUS_TRANSITIONS: Readonly<Record<MemberStatus, readonly MemberStatus[]>> = {
  // Not approved at the end of probation → removed; probationary members cannot be expelled.
  [PROBATIONARY]: [REMOVED, RESIGNED, DECEASED],
  [OFFICIAL]: [RELEASED, REMOVED, EXPELLED, RESIGNED, DECEASED],
  [RELEASED]: [OFFICIAL, REMOVED, EXPELLED, RESIGNED, DECEASED],
  [REMOVED]: [],
  [EXPELLED]: [],
  [RESIGNED]: [],
  [DECEASED]: [],
};

/** Statuses after which readmission (kết nạp lại) is possible: never after resignation, expulsion or death. */
export const READMITTABLE: readonly MemberStatus[] = [REMOVED];

export const PROBATION_MONTHS = 12;
export const READMISSION_WAIT_MONTHS = 36;
export const ADMISSION_AGE = { min: 18, max: 60 } as const;

function parts(iso: string): [number, number, number] {
  const [y, m, d] = iso.split('-').map(Number);
  return [y, m, d];
}

/** The same day n months later (or the month's last day when it has no such day). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = parts(iso);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  const [y, m, d] = parts(iso);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Completed years from `from` to `to` (age on a date). */
export function yearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

/** Completed months from `from` to `to`. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

/** Official as of the end of the 12 months of probation, even when approved later. */
export function officialDateFor(joinedOn: string): string {
  return addMonths(joinedOn, PROBATION_MONTHS);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/**
 * Party age (tuổi đảng) on a date: the time in active statuses from the first admission, minus
 * the periods outside the party. Returned as completed years and months, and days in all.
 */
export function partyAge(
  periods: readonly { status: MemberStatus; validFrom: string; validTo?: string | null }[],
  on: string,
): { years: number; months: number; days: number } {
  let days = 0;
  for (const period of periods) {
    if (!ACTIVE_STATUSES.includes(period.status) || period.validFrom >= on) continue;
    const end = period.validTo && period.validTo < on ? period.validTo : on;
    days += daysBetween(period.validFrom, end);
  }
  // Counted as if the active days ran without a break up to `on`.
  const start = addDays(on, -days);
  const months = monthsBetween(start, on);
  return { years: Math.floor(months / 12), months, days };
}
