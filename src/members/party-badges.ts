/**
 * Party badges (Huy hiệu Đảng): the party ages a badge marks and the ceremony days, QĐ 24-QĐ/TW
 * §27 with HD 01-HD/TW §18 (docs/domain.md, "Awards and party badges" and "The badge list").
 * The one definition: the award register's check, the badge list's SQL (src/reports/badges.ts)
 * and the demo and benchmark data take them from here. The database's own check on
 * award.badge_years (migration 4, frozen) repeats the list; party-badges.test.ts holds the two
 * together by reading that check's text.
 *
 * Pure and database-free, tested by party-badges.test.ts beside it.
 */

/** Party ages a badge marks: 30, 40, 45, 50 … 90 years. */
export const BADGE_YEARS: readonly number[] = [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90];

/** The first badge: nobody is listed before this many years after admission. */
export const FIRST_BADGE_YEARS = BADGE_YEARS[0];

/** Ceremony days (MM-DD): 3/2, 19/5, 2/9, 7/11, in calendar order. */
export const CEREMONY_DAYS: readonly string[] = ['02-03', '05-19', '09-02', '11-07'];

/** The ceremony days as people write them: "3/2, 19/5, 2/9 and 7/11". */
export function ceremonyDaysText(): string {
  const days = CEREMONY_DAYS.map((md) => `${Number(md.slice(3))}/${Number(md.slice(0, 2))}`);
  return `${days.slice(0, -1).join(', ')} and ${days[days.length - 1]}`;
}

/** The badge years as people write them: "30, 40, 45 … 90". */
export function badgeYearsText(): string {
  return `${BADGE_YEARS.slice(0, 3).join(', ')} … ${BADGE_YEARS[BADGE_YEARS.length - 1]}`;
}

/** Whether a number of years is one a badge marks. */
export function isBadgeYears(years: number): boolean {
  return BADGE_YEARS.includes(years);
}

/** Whether a date (YYYY-MM-DD) is a ceremony day. */
export function isCeremonyDay(date: string): boolean {
  return CEREMONY_DAYS.includes(date.slice(5));
}

/** The first ceremony day on or after a date. */
export function nextCeremony(on: string): string {
  const year = Number(on.slice(0, 4));
  for (const y of [year, year + 1]) {
    for (const day of CEREMONY_DAYS) if (`${y}-${day}` >= on) return `${y}-${day}`;
  }
  throw new Error('unreachable');
}

/** The highest badge reached at a party age in completed years, or null before the first. */
export function highestBadge(partyAgeYears: number): number | null {
  let reached: number | null = null;
  for (const years of BADGE_YEARS) if (years <= partyAgeYears) reached = years;
  return reached;
}

/** The badge years as an SQL array literal, for SQL built in TypeScript. */
export const BADGE_YEARS_SQL = `array[${BADGE_YEARS.join(', ')}]`;
