import { ConfigError, ruleSettings, type Config } from '../config';
import { ARGUMENT_LIMITS } from '../graphql/input-limits';
import type { MemberStatus } from '../members/member.entity';
import { addDays, addMonths, refusalAfterLeaving } from '../members/lifecycle';

/**
 * The cadre rules of docs/domain.md ("Cadres") as data and pure functions: who may hold a post or
 * be planned for one, when a term ends and reappointment is due, which planning periods are
 * terms, and the planning limits. The service asks these functions; the due list's SQL takes its
 * term arithmetic from termEndsOnSql below, so each rule is written here once.
 *
 * Pure: no database, no decorators (the status enum is imported as a type only), so
 * cadre-rules.test.ts beside it runs in milliseconds. A problem names the input field at fault;
 * the service turns it into a user error (or a warning) on that field.
 */
const RELEASED = 'RELEASED' as MemberStatus.RELEASED;

/**
 * The department's figures (HOSO_RULES_FILE, section "cadres"), laid over these defaults with
 * ruleSettings(). The planning limits are the organisation department's to set: the defaults are
 * the central guidance on cadre planning (at most 4 people planned for one post, one person
 * planned for at most 3 posts, per term), applied as warnings.
 */
export const CADRE_RULES = {
  /** A congress year: party terms (nhiệm kỳ đại hội) start every `termYears` years from it, …2020, 2025, 2030… */
  termAnchorYear: 2020,
  /** Length of a congress term, in years. */
  termYears: 5,
  /** Most people planned for one post of one unit in one period; more is a warning. */
  maxPeoplePerPost: 4,
  /** Most posts one person is planned for in one period; more is a warning. */
  maxPostsPerPerson: 3,
};
export type CadreRules = typeof CADRE_RULES;

/** A problem with an input: the input field at fault and what is wrong. */
export interface CadreProblem {
  field: string;
  message: string;
}

/** What the cadre rules need to know of a member. */
export interface CadreMember {
  status: MemberStatus;
  leftOn?: string | null;
  joinedOn: string;
  dateOfBirth: string;
}

/**
 * Posts and planning are for active members only. A member who left (any end status) gets
 * neither: refusalAfterLeaving, the one rule for "after leaving". A member released from
 * activities (miễn công tác và sinh hoạt đảng) is still a member but has been relieved of party
 * work, so is not appointed or planned either until returned to OFFICIAL. A probationary member
 * may be: the register holds any managed post, state posts among them, and the statute's limit
 * on probationary members (no standing for the party's elected bodies) is the election's to
 * apply, not something a free-text title lets the register tell apart.
 */
export function cadreRecordRefusal(member: CadreMember, kind: 'POST' | 'PLANNING'): string | null {
  const afterLeaving = refusalAfterLeaving(member, { kind });
  if (afterLeaving) return afterLeaving;
  if (member.status === RELEASED) {
    return `The member is released from party work and activities (RELEASED); ${kind === 'POST' ? 'posts are' : 'planning is'} for members in activity. Return the member to OFFICIAL first.`;
  }
  return null;
}

/** A post is held as a party member: its start is not before the admission (ngày vào Đảng). */
export function postStartProblem(member: Pick<CadreMember, 'joinedOn'>, startOn: string): CadreProblem | null {
  return startOn < member.joinedOn
    ? { field: 'startOn', message: `The post starts on ${startOn}, before the member's admission (${member.joinedOn}).` }
    : null;
}

/** The end of a post's term, when reappointment is due: the start plus the term's years. */
export function termEndsOn(startOn: string, termYears: number): string {
  return addMonths(startOn, 12 * termYears);
}

/** The same day as SQL over a post row's columns (PostgreSQL's year arithmetic clamps 29 February like addMonths). */
export function termEndsOnSql(startOn: string, termYears: string): string {
  return `(${startOn} + make_interval(years => ${termYears}))::date`;
}

/** Longest look-ahead of the reappointment list, in days (ten years: the longest term); the argument's limit. */
export const MAX_DUE_WITHIN_DAYS = ARGUMENT_LIMITS.withinDays.max!;

/**
 * The last term end the reappointment list shows as of a day: terms ending within `withinDays`
 * days. A held post whose term has already ended (reappointment overdue) is due too.
 */
export function dueBy(asOf: string, withinDays: number): string {
  return addDays(asOf, withinDays);
}

/** Whether a held post's reappointment is due as of a day, within `withinDays` days. */
export function isReappointmentDue(post: { startOn: string; termYears: number; endOn?: string | null }, asOf: string, withinDays: number): boolean {
  if (post.startOn > asOf || (post.endOn && post.endOn <= asOf)) return false;
  return termEndsOn(post.startOn, post.termYears) <= dueBy(asOf, withinDays);
}

/** The congress term a year falls in, e.g. 2027 → 2025–2030. */
export function termOf(year: number, rules: Pick<CadreRules, 'termAnchorYear' | 'termYears'>): { start: number; end: number } {
  const offset = (((year - rules.termAnchorYear) % rules.termYears) + rules.termYears) % rules.termYears;
  const start = year - offset;
  return { start, end: start + rules.termYears };
}

/**
 * A planning period (quy hoạch) is a congress term: it starts in a congress year and lasts one
 * term, e.g. 2025–2030 or 2030–2035. 2023–2026 is refused on both ends.
 */
export function planningPeriodProblems(periodStart: number, periodEnd: number, rules: Pick<CadreRules, 'termAnchorYear' | 'termYears'>): CadreProblem[] {
  const problems: CadreProblem[] = [];
  const term = termOf(periodStart, rules);
  if (term.start !== periodStart) {
    const next = termOf(term.end, rules);
    problems.push({
      field: 'periodStart',
      message: `A planning period is a congress term; terms start every ${rules.termYears} years (${term.start}, ${next.start}…), not in ${periodStart}: ${term.start}–${term.end} or ${next.start}–${next.end}?`,
    });
  }
  if (periodEnd !== periodStart + rules.termYears) {
    problems.push({
      field: 'periodEnd',
      message: `A congress term lasts ${rules.termYears} years: the period starting in ${periodStart} ends in ${periodStart + rules.termYears}, not ${periodEnd}.`,
    });
  }
  return problems;
}

/** Whether a period is a congress term (for lists of records that break the rule). */
export function isTermPeriod(periodStart: number, periodEnd: number, rules: Pick<CadreRules, 'termAnchorYear' | 'termYears'>): boolean {
  return planningPeriodProblems(periodStart, periodEnd, rules).length === 0;
}

/**
 * The days a planning decision's date must fall between: not before the member's admission
 * (cadres are planned as party members), not after the last day of the period it plans for.
 * In the shape validateDecisionDate takes.
 */
export function planningDecisionBounds(member: Pick<CadreMember, 'joinedOn' | 'dateOfBirth'>, periodEnd: number) {
  return {
    notBefore: [
      { date: member.dateOfBirth, what: 'the date of birth' },
      { date: member.joinedOn, what: "the member's admission" },
    ],
    notAfter: [{ date: `${periodEnd}-12-31`, what: 'the end of the planning period' }],
  };
}

/** An appointment decision is not dated before the member's birth or admission. */
export function appointmentDecisionBounds(member: Pick<CadreMember, 'joinedOn' | 'dateOfBirth'>) {
  return {
    notBefore: [
      { date: member.dateOfBirth, what: 'the date of birth' },
      { date: member.joinedOn, what: "the member's admission" },
    ],
  };
}

/**
 * The planning limits, as warnings (the entry is written): counted with the new entry, in the
 * reader's scope. `peoplePlannedForPost`: distinct members planned for the same post of the same
 * unit in the same period; `postsPlannedForPerson`: distinct posts the member is planned for in
 * the period. Too few people for a post is not warned here: every post's first entry would warn.
 */
export function planningLimitWarnings(
  counts: { peoplePlannedForPost: number; postsPlannedForPerson: number },
  rules: Pick<CadreRules, 'maxPeoplePerPost' | 'maxPostsPerPerson'>,
): CadreProblem[] {
  const warnings: CadreProblem[] = [];
  if (counts.peoplePlannedForPost > rules.maxPeoplePerPost) {
    warnings.push({
      field: 'postTitle',
      message: `${counts.peoplePlannedForPost} people are now planned for this post in this period; the limit is ${rules.maxPeoplePerPost}.`,
    });
  }
  if (counts.postsPlannedForPerson > rules.maxPostsPerPerson) {
    warnings.push({
      field: 'memberId',
      message: `The member is now planned for ${counts.postsPlannedForPerson} posts in this period; the limit is ${rules.maxPostsPerPerson}.`,
    });
  }
  return warnings;
}

/** The department's figures checked for sense, so a bad rules file stops start-up (ConfigError there) rather than a request. */
export function cadreRulesProblem(rules: CadreRules): string | null {
  if (!Number.isInteger(rules.termYears) || rules.termYears < 1 || rules.termYears > 10) return 'cadres.termYears must be a whole number from 1 to 10.';
  if (!Number.isInteger(rules.termAnchorYear) || rules.termAnchorYear < 1930 || rules.termAnchorYear > 2100) return 'cadres.termAnchorYear must be a year from 1930 to 2100.';
  for (const key of ['maxPeoplePerPost', 'maxPostsPerPerson'] as const) {
    if (!Number.isInteger(rules[key]) || rules[key] < 1) return `cadres.${key} must be a whole number of at least 1.`;
  }
  return null;
}

/** The department's cadre figures (HOSO_RULES_FILE, section "cadres") over the defaults, checked. */
export function cadreRules(config: Pick<Config, 'ruleOverrides'>): CadreRules {
  const rules = ruleSettings(config, 'cadres', CADRE_RULES);
  const problem = cadreRulesProblem(rules);
  if (problem) throw new ConfigError(`HOSO_RULES_FILE ${problem}`);
  return rules;
}

/**
 * Whether a planning period is not a congress term, as SQL over its columns (the data-quality
 * list): the same test as planningPeriodProblems, from the same figures.
 */
export function notATermSql(periodStart: string, periodEnd: string, rules: Pick<CadreRules, 'termAnchorYear' | 'termYears'>): string {
  const n = Math.trunc(rules.termYears);
  const anchor = Math.trunc(rules.termAnchorYear);
  return `((((${periodStart} - ${anchor}) % ${n}) + ${n}) % ${n} <> 0 or ${periodEnd} <> ${periodStart} + ${n})`;
}
