import { generalEducationLevel, type GeneralEducationLevel } from '../catalogues/education';
import { ADMISSION_AGE, ADMISSION_AGE_MONTHS, addDays, addMonths, ageOn } from './lifecycle';

/**
 * The conditions of an admission (kết nạp) that the record can check (docs/domain.md, "Admission";
 * the Party Statute art. 1 and QĐ 294-QĐ/TW §3): the age at the cell's vote, in months, and the
 * general education required. The two admission dates are lifecycle.ts's (probation runs from the
 * ceremony).
 *
 * Pure: admission.test.ts beside it runs in milliseconds.
 */

export type AgeCheck =
  | { ok: true; needsException: false }
  | { ok: true; needsException: true; message: string }
  | { ok: false; message: string };

const describeAge = (a: { years: number; months: number }) => `${a.years} years ${a.months} months`;

/**
 * The age rule at the cell's vote (the admission decision's date stands for it): from full 18
 * years to full 60 years, counted in completed months, so 60 years 11 months is over and 60
 * years 0 months is in. Under 18 is refused; over 60 is allowed only with the decision of the
 * provincial-level committee (cấp ủy trực thuộc Trung ương), which the caller must have recorded.
 */
export function admissionAgeCheck(dateOfBirth: string, voteOn: string): AgeCheck {
  const age = ageOn(dateOfBirth, voteOn);
  if (age.totalMonths < ADMISSION_AGE_MONTHS.min) {
    return { ok: false, message: `Age at admission is ${describeAge(age)}; a member is admitted from full ${ADMISSION_AGE.min} years.` };
  }
  if (age.totalMonths > ADMISSION_AGE_MONTHS.max) {
    return {
      ok: true,
      needsException: true,
      message: `Age at admission is ${describeAge(age)}, over full ${ADMISSION_AGE.max} years: give the provincial-level committee’s decision that allows it (ageExceptionDecision).`,
    };
  }
  return { ok: true, needsException: false };
}

/** The first day a person born on `dateOfBirth` may be admitted (full 18 years): the earliest date of an admission decision. */
export function earliestAdmission(dateOfBirth: string): string {
  const day = addMonths(dateOfBirth, ADMISSION_AGE_MONTHS.min);
  // Born on 29 February: 28 February is still 17 years 11 months (admissionAgeCheck); the 18th
  // birthday is 1 March in a year without the 29th.
  return day.slice(8) === dateOfBirth.slice(8) ? day : addDays(day, 1);
}

/** The general education an admission asks at least: lower secondary (trung học cơ sở). */
export const MIN_GENERAL_EDUCATION: GeneralEducationLevel = 'LOWER_SECONDARY';
const ORDER: readonly GeneralEducationLevel[] = ['PRIMARY', 'LOWER_SECONDARY', 'UPPER_SECONDARY'];

export type EducationCheck = { kind: 'OK' } | { kind: 'MISSING' | 'BELOW' | 'UNREADABLE'; message: string };

/**
 * The education requirement (at least lower secondary, with exceptions the rules allow, e.g. in
 * mountainous areas or for ethnic minorities): staff may admit below it with an explicit override
 * and a reason. A text that cannot be read as a level is treated like one below, since nothing
 * shows the rule is met; no text at all is MISSING (a file entered without it), which only warns.
 */
export function educationCheck(text: string | null | undefined): EducationCheck {
  if (!text?.trim()) return { kind: 'MISSING', message: 'General education is not given; an admission asks at least lower secondary (THCS).' };
  const level = generalEducationLevel(text);
  if (!level) {
    return { kind: 'UNREADABLE', message: `General education "${text}" cannot be read as a level; an admission asks at least lower secondary (THCS).` };
  }
  if (ORDER.indexOf(level) < ORDER.indexOf(MIN_GENERAL_EDUCATION)) {
    return { kind: 'BELOW', message: `General education "${text}" is ${level}, below the lower secondary (THCS) an admission asks.` };
  }
  return { kind: 'OK' };
}
