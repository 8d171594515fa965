import type { MemberStatus } from './member.entity';
import type { DisciplineForm } from './sub-records.entity';

/**
 * Party discipline (kỷ luật) in the member file, Điều lệ Đảng and its implementing texts
 * (docs/domain.md, "Discipline"). The one definition of what a discipline entry needs: the
 * sub-records service asks these functions and writes nothing when they refuse.
 *
 * - it rests on its decision (number, date, issuing body), dated not before the member's birth
 *   nor before the admission (discipline is the party's, for members), not in the future; the
 *   entry's `decidedOn` is that decision's date (one date, so the two cannot disagree);
 * - a probationary member can only be reprimanded or warned (on the day decided);
 * - dismissal from post (cách chức) needs a post the member held that day;
 * - expulsion (khai trừ) is one act with the status change (src/members/expulsion.ts): entered
 *   here or with changeMemberStatus, the member becomes EXPELLED and the register holds the entry.
 * After leaving, nothing is added (refusalAfterLeaving in lifecycle.ts), with one exception kept
 * here: the missing EXPULSION entry of a member already EXPELLED may be added, on the day the
 * member left, with a reason, so old records can be brought into agreement.
 *
 * Pure (enums imported as types only), tested by discipline.test.ts beside it.
 */
const REPRIMAND = 'REPRIMAND' as DisciplineForm.REPRIMAND;
const WARNING = 'WARNING' as DisciplineForm.WARNING;
const DISMISSAL = 'DISMISSAL' as DisciplineForm.DISMISSAL;
const EXPULSION = 'EXPULSION' as DisciplineForm.EXPULSION;

/** The forms a probationary member may receive. */
export const PROBATIONARY_FORMS: readonly DisciplineForm[] = [REPRIMAND, WARNING];

/** A refusal: the path of the field at fault under `input` (e.g. ['discipline', 'form']) and why. */
export interface DisciplineRefusal {
  path: string[];
  message: string;
}

export interface DisciplineEntry {
  form: DisciplineForm;
  decidedOn: string;
}

/**
 * The refusals of a discipline entry, other than the decision's own checks (validateDecision)
 * and its date's bounds (disciplineDecisionBounds). `statusOnDecision` is the member's status on
 * `decidedOn` (from the status periods); `heldPost` whether the member held a post that day
 * (only asked for a dismissal; null when not known).
 */
export function disciplineRefusals(
  entry: DisciplineEntry,
  decision: { date: string } | null | undefined,
  statusOnDecision: MemberStatus | null,
  heldPost: boolean | null,
): DisciplineRefusal[] {
  const refusals: DisciplineRefusal[] = [];
  if (!decision) {
    refusals.push({ path: ['decision'], message: 'A discipline rests on its decision (quyết định kỷ luật): give its number, date and issuing body.' });
  } else if (entry.decidedOn !== decision.date) {
    refusals.push({ path: ['discipline', 'decidedOn'], message: `The discipline is dated by its decision: decidedOn must be ${decision.date}, the decision's date.` });
  }
  if (statusOnDecision === ('PROBATIONARY' as MemberStatus) && !PROBATIONARY_FORMS.includes(entry.form)) {
    refusals.push({ path: ['discipline', 'form'], message: 'A probationary member can only be reprimanded or warned.' });
  } else if (entry.form === DISMISSAL && heldPost === false) {
    refusals.push({ path: ['discipline', 'form'], message: `Dismissal from post (cách chức) needs a post the member held on ${entry.decidedOn}; the member held none that day.` });
  }
  return refusals;
}

/** The days a discipline's decision may not precede: the member's birth and admission. */
export function disciplineDecisionBounds(member: { dateOfBirth: string; joinedOn: string }) {
  return {
    notBefore: [
      { date: member.dateOfBirth, what: 'the date of birth' },
      { date: member.joinedOn, what: 'the admission (discipline is for members)' },
    ],
  };
}

/** Whether the entry is an expulsion: written by the one act that also changes the status. */
export function isExpulsion(form: DisciplineForm): boolean {
  return form === EXPULSION;
}

/**
 * After leaving no discipline is added, except the EXPULSION entry an EXPELLED member's file
 * lacks (records from before expulsion was one act), dated the day the member left and given
 * with a reason. Null when that exception applies, else the refusal.
 */
export function missingExpulsionEntry(
  member: { status: MemberStatus; leftOn?: string | null },
  entry: DisciplineEntry,
  hasExpulsionEntry: boolean,
  reason: string | null | undefined,
): DisciplineRefusal | null {
  if (member.status !== ('EXPELLED' as MemberStatus) || entry.form !== EXPULSION || hasExpulsionEntry) {
    return { path: ['discipline'], message: 'The member left: discipline applies to members only.' };
  }
  if (entry.decidedOn !== member.leftOn) {
    return { path: ['discipline', 'decidedOn'], message: `The member was expelled on ${member.leftOn}: the missing expulsion entry is dated that day.` };
  }
  if (!reason?.trim()) {
    return { path: ['reason'], message: 'Completing the register of an expelled member needs a reason.' };
  }
  return null;
}

/**
 * Whether a correction may turn an entry into, or out of, an expulsion: never, since the status
 * (EXPELLED or not) would then disagree with the register.
 */
export function correctionChangesExpulsion(oldForm: DisciplineForm, newForm: DisciplineForm): boolean {
  return isExpulsion(oldForm) !== isExpulsion(newForm);
}

/** The member's status on a day, from the status periods ([validFrom, validTo)); null outside them. */
export function statusOnDay(periods: readonly { status: MemberStatus; validFrom: string; validTo?: string | null }[], day: string): MemberStatus | null {
  return periods.find((p) => p.validFrom <= day && (!p.validTo || day < p.validTo))?.status ?? null;
}
