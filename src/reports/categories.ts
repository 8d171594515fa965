/**
 * The forms' categories that `statistics` derives from what records hold (issue 12): general
 * education as levels, retired catalogue codes counted as their replacement, the average age.
 * The database counts members by the values recorded (hoso_unit_statistics); these rules fold
 * those counts into the forms' categories, so each rule has one home and no copy in SQL.
 *
 * Pure: categories.test.ts beside it runs in milliseconds.
 */
import { countedAs, type CatalogueKind } from '../catalogues/catalogue-data';
import { GENERAL_EDUCATION_LEVELS, generalEducationLevel } from '../catalogues/education';

/** No value recorded (chưa khai). */
export const UNKNOWN = { key: 'UNKNOWN', label: 'Chưa khai' } as const;

/** A general education recorded in a form the level rule cannot read (e.g. "8/11"): staff correct it. */
export const UNREADABLE = { key: 'UNREADABLE', label: 'Ghi không rõ cấp học' } as const;

/** The lines of the general education breakdown, in the forms' order. */
export const GENERAL_EDUCATION_LABELS: Record<string, string> = Object.fromEntries([
  ...GENERAL_EDUCATION_LEVELS.map((l) => [l.key, l.label]),
  [UNREADABLE.key, UNREADABLE.label],
  [UNKNOWN.key, UNKNOWN.label],
]);

/** Counts by the text recorded → counts by level key (UNREADABLE for text it cannot read, UNKNOWN for none). */
export function countsByEducationLevel(counts: ReadonlyMap<string | null, number>): Map<string, number> {
  const levels = new Map<string, number>();
  for (const [text, n] of counts) {
    const key = text === null ? UNKNOWN.key : (generalEducationLevel(text) ?? UNREADABLE.key);
    levels.set(key, (levels.get(key) ?? 0) + n);
  }
  return levels;
}

/** Counts by code recorded → counts by the code reports count it as (a retired code joins its replacement). */
export function countsAsCounted(kind: CatalogueKind, counts: ReadonlyMap<string | null, number>): Map<string | null, number> {
  const folded = new Map<string | null, number>();
  for (const [code, n] of counts) {
    const key = code === null ? null : countedAs(kind, code);
    folded.set(key, (folded.get(key) ?? 0) + n);
  }
  return folded;
}

/**
 * Days in a mean Gregorian year: a member's exact age in years is the days lived by the date over
 * it (so the mean of exact ages is the mean of days lived over it).
 */
export const DAYS_PER_YEAR = 365.2425;

/**
 * Tuổi bình quân: the mean of the members' exact ages in years on the date, to one decimal
 * (half up); null when no member is counted.
 */
export function averageAge(totalAgeDays: number, members: number): number | null {
  if (members === 0) return null;
  return Math.round((totalAgeDays / members / DAYS_PER_YEAR) * 10) / 10;
}
