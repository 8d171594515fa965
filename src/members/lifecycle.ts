import type { MemberStatus } from './member.entity';

/**
 * The member lifecycle of docs/domain.md as data: which status may follow which, and the date rules
 * (probation, readmission wait, admission age, party age). Services ask these functions; nothing
 * else decides a transition. SQL that needs a rule (the probation filter, the badge list's party
 * age) is built from the fragments below, so each figure is written here once.
 *
 * Pure: no database, no decorators (the statuses are imported as a type only), so
 * lifecycle.test.ts beside it runs in milliseconds.
 */
const PROBATIONARY = 'PROBATIONARY' as MemberStatus.PROBATIONARY;
const OFFICIAL = 'OFFICIAL' as MemberStatus.OFFICIAL;
const RELEASED = 'RELEASED' as MemberStatus.RELEASED;
const REMOVED = 'REMOVED' as MemberStatus.REMOVED;
const EXPELLED = 'EXPELLED' as MemberStatus.EXPELLED;
const RESIGNED = 'RESIGNED' as MemberStatus.RESIGNED;
const DECEASED = 'DECEASED' as MemberStatus.DECEASED;

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

/**
 * End states a member may be readmitted from: the cause of leaving decides (departure.ts,
 * readmissionByCause); death is never left.
 */
export const READMITTABLE: readonly MemberStatus[] = [REMOVED, EXPELLED, RESIGNED];

/** Probation (dự bị) lasts 12 months from the admission ceremony, or from readmission (Điều lệ Đảng). */
export const PROBATION_MONTHS = 12;
/** Readmission at the earliest 36 months after leaving (QĐ 294-QĐ/TW §3.5). */
export const READMISSION_WAIT_MONTHS = 36;
/**
 * Age at admission, counted in completed months at the cell's vote: from full 18 years to full 60
 * years (60 years and 11 months is over). Over 60 only by the provincial-level committee's
 * decision; at readmission the upper limit only. The figures in years, for messages.
 */
export const ADMISSION_AGE = { min: 18, max: 60 } as const;
export const ADMISSION_AGE_MONTHS = { min: ADMISSION_AGE.min * 12, max: ADMISSION_AGE.max * 12 } as const;

/**
 * What may still be recorded in a file after the member left (REMOVED, EXPELLED, RESIGNED,
 * DECEASED): docs/domain.md, "After leaving". Nothing new, except a posthumous award and a late
 * entry that completes the file for the time of membership, which is a correction and so needs a
 * reason. No discipline, no post, no transfer, no planning, no rating of a year after leaving.
 * The one definition: sub-records, cadres and transfers ask it before writing.
 *
 * `dated` is the day the new entry is about (a rating's year is given as its first day); the
 * answer is the refusal's message, or null when the entry may be written.
 */
export type RecordAfterLeaving =
  | { kind: 'DISCIPLINE' | 'POST' | 'PLANNING' | 'TRANSFER' }
  | { kind: 'AWARD'; posthumous: boolean; dated: string; reason?: string | null }
  | { kind: 'RATING'; year: number; reason?: string | null }
  | { kind: 'WORK_HISTORY' | 'TRAINING' | 'FAMILY_RELATION'; dated: string; reason?: string | null };

export function refusalAfterLeaving(
  member: { status: MemberStatus; leftOn?: string | null },
  entry: RecordAfterLeaving,
): string | null {
  if (!END_STATUSES.includes(member.status) || !member.leftOn) return null;
  const left = `The member left (${member.status}, ${member.leftOn})`;
  const late = (dated: string, reason?: string | null) => {
    if (dated >= member.leftOn!) return `${left}; nothing new is recorded after that day.`;
    if (!reason?.trim()) return `${left}; an entry for the time of membership added now completes the file, and needs a reason.`;
    return null;
  };
  switch (entry.kind) {
    case 'DISCIPLINE':
      return `${left}; discipline applies to members only.`;
    case 'POST':
    case 'PLANNING':
      return `${left}; posts and planning are for active members only.`;
    case 'TRANSFER':
      return `${left}; a member who left is not transferred.`;
    case 'AWARD':
      if (entry.posthumous && member.status === DECEASED) return null;
      return late(entry.dated, entry.reason);
    case 'RATING':
      if (entry.year > Number(member.leftOn.slice(0, 4))) return `${left}; a year after leaving is not rated.`;
      return late(`${entry.year}-01-01`, entry.reason);
    default:
      return late(entry.dated, entry.reason);
  }
}

/** The active statuses as an SQL list, for SQL built in TypeScript: `('PROBATIONARY', 'OFFICIAL', 'RELEASED')`. */
export const ACTIVE_STATUSES_SQL = `(${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

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

/**
 * Official as of the end of the 12 months of probation, even when approved later. Probation runs
 * from the admission ceremony (lễ kết nạp), not from the decision's date.
 */
export function officialDateFor(probationStartsOn: string): string {
  return addMonths(probationStartsOn, PROBATION_MONTHS);
}

/**
 * The day probation ends for a member: from readmission for a readmitted member, else from the
 * admission ceremony (records without one: the admission decision's date).
 */
export function probationEndsOn(member: { joinedOn: string; admissionCeremonyOn?: string | null; readmittedOn?: string | null }): string {
  return officialDateFor(member.readmittedOn ?? member.admissionCeremonyOn ?? member.joinedOn);
}

/**
 * The same day as SQL over a member row's columns (PostgreSQL's month arithmetic clamps like
 * addMonths): pass the ceremony column, `m.admission_ceremony_on`, and the readmission column.
 */
export function probationEndsOnSql(ceremonyOn: string, readmittedOn: string): string {
  return `(coalesce(${readmittedOn}, ${ceremonyOn}) + interval '${PROBATION_MONTHS} months')::date`;
}

/** The first day a member who left on `leftOn` may be readmitted. */
export function earliestReadmission(leftOn: string): string {
  return addMonths(leftOn, READMISSION_WAIT_MONTHS);
}

/** Age in completed years and months on a date, e.g. { years: 60, months: 11 } (for messages). */
export function ageOn(dateOfBirth: string, on: string): { years: number; months: number; totalMonths: number } {
  const totalMonths = monthsBetween(dateOfBirth, on);
  return { years: Math.floor(totalMonths / 12), months: totalMonths % 12, totalMonths };
}

/** Whether an age in completed months allows readmission (the upper limit only: full 60 years). */
export function readmissionAgeAllowed(ageMonths: number): boolean {
  return ageMonths <= ADMISSION_AGE_MONTHS.max;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

type StatusPeriod = { status: MemberStatus; validFrom: string; validTo?: string | null };

/** Days spent in active statuses before `on` (periods are [validFrom, validTo)). */
export function activeDaysBefore(periods: readonly StatusPeriod[], on: string): number {
  let days = 0;
  for (const period of periods) {
    if (!ACTIVE_STATUSES.includes(period.status) || period.validFrom >= on) continue;
    const end = period.validTo && period.validTo < on ? period.validTo : on;
    days += daysBetween(period.validFrom, end);
  }
  return days;
}

/**
 * Party age (tuổi đảng) on a date: the time in active statuses from the first admission, minus
 * the periods outside the party. It is counted as if the active days ran without a break up to
 * `on`, from the "origin" `on - active days`; returned as completed years and months, and days
 * in all. The reporting facts keep the same origin (member_fact.party_age_origin, migration 10).
 */
export function partyAge(periods: readonly StatusPeriod[], on: string): { years: number; months: number; days: number } {
  const days = activeDaysBefore(periods, on);
  const months = monthsBetween(addDays(on, -days), on);
  return { years: Math.floor(months / 12), months, days };
}

/**
 * The same count in SQL, for SQL built in TypeScript (the badge list): the active days of a
 * member before a date, from member_status_period. `member` is an SQL expression; `on` gives
 * one each time it is called (a fresh placeholder, for positional parameters).
 */
export function activeDaysBeforeSql(member: string, on: () => string): string {
  return `(select coalesce(sum(least(coalesce(sp.valid_to, ${on()}), ${on()}) - sp.valid_from), 0)
                from member_status_period sp
               where sp.member_id = ${member} and sp.status in ${ACTIVE_STATUSES_SQL}
                 and sp.valid_from < ${on()})::int`;
}

/** Completed party-age years on `on` from an origin (both SQL date expressions): PostgreSQL's age(), as monthsBetween. */
export function partyAgeYearsSql(origin: string, on: string): string {
  return `extract(year from age(${on}, ${origin}))::int`;
}
