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
import { ConfigError, ruleSettings, type Config } from '../config';
import { addMonths } from './lifecycle';

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

/**
 * The department's figures for the badge rules (HOSO_RULES_FILE section "badges"), defaults from
 * QĐ 24-QĐ/TW §27 and HD 01-HD/TW §18 (2021; their 2025 restatement has not been checked, which is
 * why they are settings):
 * - `waitMonths`: after a discipline, the badge is not awarded before this many months from the
 *   decision, by form: 6 after a reprimand, 9 after a warning, 12 after dismissal from post.
 *   Expulsion has no wait: the member left (no badge after leaving), and a readmitted member's
 *   time outside the party is already left out of the party age.
 * - `earlyIllness`: a member with a serious illness (recorded on the member, with its ground) may
 *   be awarded up to `months` before reaching the badge's party age, by badge years: 12 months
 *   for the 30 to 65-year badges, 24 for 70 to 90.
 * - `posthumousEarlyMonths`: a posthumous award (truy tặng) up to 12 months before the party age.
 */
export interface BadgeSettings {
  waitMonths: { REPRIMAND: number; WARNING: number; DISMISSAL: number };
  earlyIllness: { fromYears: number; toYears: number; months: number }[];
  posthumousEarlyMonths: number;
}
export const BADGE_DEFAULTS: BadgeSettings = {
  waitMonths: { REPRIMAND: 6, WARNING: 9, DISMISSAL: 12 },
  earlyIllness: [
    { fromYears: 30, toYears: 65, months: 12 },
    { fromYears: 70, toYears: 90, months: 24 },
  ],
  posthumousEarlyMonths: 12,
};

/** The settings checked: whole months from 0 to 120 (ruleSettings checks only the types). */
export function checkedBadgeSettings(settings: BadgeSettings): BadgeSettings {
  const months = [
    ...Object.entries(settings.waitMonths).map(([k, v]) => [`waitMonths.${k}`, v] as const),
    ...settings.earlyIllness.map((e, i) => [`earlyIllness[${i}].months`, e.months] as const),
    ['posthumousEarlyMonths', settings.posthumousEarlyMonths] as const,
  ];
  for (const [name, value] of months) {
    if (!Number.isInteger(value) || value < 0 || value > 120) throw new ConfigError(`HOSO_RULES_FILE badges.${name} must be a whole number of months from 0 to 120, got ${value}.`);
  }
  return settings;
}

/** The department's badge settings (HOSO_RULES_FILE section "badges") over the defaults, checked. */
export function badgeSettings(config: Pick<Config, 'ruleOverrides'>): BadgeSettings {
  return checkedBadgeSettings(ruleSettings(config, 'badges', BADGE_DEFAULTS));
}

/** The months a seriously ill member may be awarded a badge early (0 when no band holds it). */
export function illnessEarlyMonths(badgeYears: number, settings: BadgeSettings): number {
  return settings.earlyIllness.find((band) => band.fromYears <= badgeYears && badgeYears <= band.toYears)?.months ?? 0;
}

/** The months a discipline of a form keeps a badge waiting (expulsion: none, see BadgeSettings). */
export function disciplineWaitMonths(form: string, settings: BadgeSettings): number {
  return (settings.waitMonths as Record<string, number>)[form] ?? 0;
}

/** Why a badge short of its party age was accepted: stored on the award (award.ground). */
export type BadgeGround = 'EARLY_ILLNESS' | 'POSTHUMOUS_EARLY';

/** A refusal: the field at fault under the award input, and why. */
export interface BadgeRefusal {
  field: 'badgeYears' | 'awardedOn' | 'ground';
  message: string;
}

/** What the award register knows when a party badge is entered. */
export interface BadgeAwardFacts {
  /** Party age on the award date, in completed months (partyAge(...).months over the status periods). */
  partyAgeMonths: number;
  /** The member died (status DECEASED) and the award is posthumous. */
  posthumous: boolean;
  /** The day a serious illness was recorded on the member, with its ground; null when none. */
  seriousIllnessSince: string | null;
  /** The badge years of the member's current party badges (voided and replaced entries left out). */
  awardedBadgeYears: readonly number[];
  /** The member's current disciplines. */
  disciplines: readonly { form: string; decidedOn: string }[];
}

/**
 * The award register's own check of a party badge (docs/domain.md, "Awards and party badges"):
 * - reached: the party age on the award date is at least the badge's years; or short of it by
 *   no more than an allowance, which becomes the award's ground: EARLY_ILLNESS (a serious illness
 *   recorded on or before the award date, illnessEarlyMonths) or POSTHUMOUS_EARLY
 *   (posthumousEarlyMonths). When both apply, the larger allowance; a ground given in the input
 *   must be one that applies;
 * - once: no current badge of the same years;
 * - not while a discipline's wait runs (awarded on or after the decision plus waitMonths);
 * Leaving is refusalAfterLeaving's (lifecycle.ts): nothing after leaving except posthumously.
 * Answers the refusals and, when accepted, the ground to store (null when the age is reached).
 */
export function badgeAwardCheck(
  award: { badgeYears: number; awardedOn: string; ground?: BadgeGround | null },
  facts: BadgeAwardFacts,
  settings: BadgeSettings,
): { refusals: BadgeRefusal[]; ground: BadgeGround | null } {
  const refusals: BadgeRefusal[] = [];
  const short = award.badgeYears * 12 - facts.partyAgeMonths;
  const ill = facts.seriousIllnessSince !== null && facts.seriousIllnessSince <= award.awardedOn;
  const allowances: { ground: BadgeGround; months: number }[] = [
    ...(facts.posthumous ? [{ ground: 'POSTHUMOUS_EARLY' as const, months: settings.posthumousEarlyMonths }] : []),
    ...(ill ? [{ ground: 'EARLY_ILLNESS' as const, months: illnessEarlyMonths(award.badgeYears, settings) }] : []),
  ].filter((a) => !award.ground || a.ground === award.ground);
  let ground: BadgeGround | null = null;
  const age = `${Math.floor(facts.partyAgeMonths / 12)} years ${facts.partyAgeMonths % 12} months`;
  if (short > 0) {
    const best = allowances.sort((a, b) => b.months - a.months)[0];
    if (best && best.months >= short) {
      ground = best.ground;
    } else if (award.ground && !allowances.length) {
      refusals.push({ field: 'ground', message: award.ground === 'EARLY_ILLNESS'
        ? 'An early award for illness needs a serious illness recorded on the member (with its ground) on or before the award date.'
        : 'A posthumous early award is for a deceased member, awarded posthumously.' });
    } else {
      const allowed = best ? ` (the allowance here is ${best.months} months)` : '';
      refusals.push({ field: 'badgeYears', message: `The party age on ${award.awardedOn} is ${age}: the ${award.badgeYears}-year badge is ${short} months short of it${allowed}.` });
    }
  } else if (award.ground) {
    refusals.push({ field: 'ground', message: `The party age on ${award.awardedOn} (${age}) reaches the ${award.badgeYears}-year badge: no early ground applies.` });
  }
  if (facts.awardedBadgeYears.includes(award.badgeYears)) {
    refusals.push({ field: 'badgeYears', message: `The member already holds the ${award.badgeYears}-year badge: a badge is awarded once.` });
  }
  for (const d of facts.disciplines) {
    const months = disciplineWaitMonths(d.form, settings);
    const until = addMonths(d.decidedOn, months);
    if (months > 0 && d.decidedOn <= award.awardedOn && award.awardedOn < until) {
      refusals.push({ field: 'awardedOn', message: `A ${d.form} decided on ${d.decidedOn} keeps the badge waiting ${months} months: not before ${until}.` });
    }
  }
  return { refusals, ground };
}

