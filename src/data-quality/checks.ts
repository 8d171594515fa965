/**
 * The register's rules as checks over records already stored (issue 12, item 8): a record written
 * before a rule existed, or loaded in bulk, is not rewritten; it is listed here with the rule it
 * breaks, so staff can correct it with the usual mutations (a correction with its reason). One
 * entry per rule: its code, what it checks, where the rule comes from, the field to fix and
 * whether the check reads sensitive records. The SQL of each check is in
 * data-quality.queries.ts, under the same code; the figures come from the rule files.
 *
 * Adding a check: a code here, an entry in DATA_QUALITY_RULES, a query of the same name in
 * data-quality.queries.ts (the type checker asks for it), and a case in test/data-quality.test.ts.
 *
 * Pure: no database, no decorators; checks.test.ts beside it runs in milliseconds.
 */

/** The kinds of record an issue can point at (the member record itself, or one entry of its file). */
export const RECORD_KINDS = [
  'MEMBER', 'STATUS_PERIOD', 'UNIT_PERIOD', 'QUALITY_RATING', 'AWARD', 'DISCIPLINE', 'POST', 'PLANNING_ENTRY',
  'TRANSFER', 'WORK_HISTORY', 'TRAINING',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Each kind's GraphQL type (where the field to fix lives) and how it is named in a message. */
export const RECORD_KIND_NAMES: Readonly<Record<RecordKind, { type: string; words: string }>> = {
  MEMBER: { type: 'Member', words: 'the member record' },
  STATUS_PERIOD: { type: 'MemberStatusPeriod', words: 'the status change' },
  UNIT_PERIOD: { type: 'MemberUnitPeriod', words: 'the unit change' },
  QUALITY_RATING: { type: 'QualityRating', words: 'the quality rating' },
  AWARD: { type: 'Award', words: 'the award' },
  DISCIPLINE: { type: 'DisciplineRecord', words: 'the discipline entry' },
  POST: { type: 'Post', words: 'the post' },
  PLANNING_ENTRY: { type: 'PlanningEntry', words: 'the planning entry' },
  TRANSFER: { type: 'Transfer', words: 'the transfer' },
  WORK_HISTORY: { type: 'WorkHistoryEntry', words: 'the work history entry' },
  TRAINING: { type: 'TrainingEntry', words: 'the training entry' },
};

export const DATA_QUALITY_RULE_CODES = [
  'RATING_OUTSIDE_MEMBERSHIP',
  'RATING_WHILE_RELEASED',
  'RATING_ABOVE_DISCIPLINE_LIMIT',
  'BADGE_NOT_REACHED',
  'BADGE_TWICE',
  'AWARD_AFTER_LEAVING',
  'EXPELLED_WITHOUT_EXPULSION',
  'EXPULSION_WITHOUT_EXPELLED_STATUS',
  'DISMISSAL_WITHOUT_POST',
  'DISCIPLINE_WITHOUT_DECISION',
  'AWARD_WITHOUT_DECISION',
  'DECISION_BEFORE_BIRTH',
  'DECISION_BEFORE_ADMISSION',
  'DISCIPLINE_DECISION_BEFORE_ADMISSION',
  'POST_OPEN_AFTER_LEAVING',
  'POST_STARTS_AFTER_LEAVING',
  'ADMISSION_AGE_OUTSIDE_LIMITS',
  'TRANSFER_PENDING_AFTER_LEAVING',
  'GENERAL_EDUCATION_UNREADABLE',
  'DEPARTURE_WITHOUT_CAUSE',
  'RETIRED_RELIGION_CODE',
  'PLANNING_WITHOUT_DECISION',
  'PLANNING_PERIOD_NOT_A_TERM',
  'PLANNING_AFTER_LEAVING',
] as const;
export type DataQualityRuleCode = (typeof DATA_QUALITY_RULE_CODES)[number];

/** One stored record breaking one rule, as the queries return it. */
export interface IssueRow {
  rule: DataQualityRuleCode;
  memberId: string;
  recordKind: RecordKind;
  recordId: string;
  /**
   * A value the message quotes (a year, a date, a status), never a sensitive one: the checks
   * over discipline return none.
   */
  detail: string | null;
}

export interface DataQualityRule {
  code: DataQualityRuleCode;
  /** What the check finds, in a sentence. */
  description: string;
  /** The party's text (and article) the rule comes from, and where the code keeps it. */
  source: string;
  /**
   * Whether the check reads sensitive data (the discipline register, health data, religion): it
   * runs only for roles that may read sensitive data, and each member it names counts as a
   * sensitive read.
   */
  sensitive: boolean;
  /** The field to fix, as `Type.field`; for rules over several kinds, the field of each kind. */
  field: (kind: RecordKind) => string;
  /** The message in plain words, naming the field to fix. */
  message: (row: IssueRow) => string;
}

const fixed = (type: string, field: string) => () => `${type}.${field}`;
const decisionField = (kind: RecordKind) => `${RECORD_KIND_NAMES[kind].type}.decision.date`;

/** The rules, in the order the answer lists them (by record: ratings, awards, discipline, decisions, posts, admission, transfers, departures). */
export const DATA_QUALITY_RULES: readonly DataQualityRule[] = [
  {
    code: 'RATING_OUTSIDE_MEMBERSHIP',
    description: 'A quality rating for a year in which the member was never on the rolls (before admission, after leaving, or between leaving and readmission).',
    source: 'QĐ 366-QĐ/TW (2025): members are rated for their years of membership; refusalAfterLeaving in src/members/lifecycle.ts.',
    sensitive: false,
    field: fixed('QualityRating', 'year'),
    message: (r) => `The quality rating for ${r.detail} is for a year the member was not on the rolls: correct its year (QualityRating.year) or void it.`,
  },
  {
    code: 'RATING_WHILE_RELEASED',
    description: 'A quality rating for a year at whose end (or today, for the current year) the member was released from activities (miễn sinh hoạt).',
    source: 'QĐ 366-QĐ/TW (2025): members released from party activities are not rated.',
    sensitive: false,
    field: fixed('QualityRating', 'year'),
    message: (r) => `The member was released from activities (RELEASED) at the end of ${r.detail} and is not rated for that year: void the rating or correct its year (QualityRating.year).`,
  },
  {
    code: 'RATING_ABOVE_DISCIPLINE_LIMIT',
    description: 'A quality rating above the highest category allowed in a year in which the member was disciplined.',
    source: 'QĐ 366-QĐ/TW (2025) and the guidance before it: a member disciplined in the year is not rated above the limit (src/members/ratings.ts, configurable).',
    sensitive: true,
    field: fixed('QualityRating', 'category'),
    message: (r) => `The quality rating for ${r.detail} is above what a year with a discipline allows: correct its category and score (QualityRating.category).`,
  },
  {
    code: 'BADGE_NOT_REACHED',
    description: 'A party badge awarded before the member reached its party age, beyond the early and posthumous allowances.',
    source: 'QĐ 24-QĐ/TW (2021) §27 and HD 01-HD/TW (2021) §18; party age in src/members/lifecycle.ts, badges in src/members/party-badges.ts.',
    // The early allowance depends on a recorded illness: which badges are listed tells of it.
    sensitive: true,
    field: fixed('Award', 'badgeYears'),
    message: (r) => `The ${r.detail}-year party badge was awarded before the member reached that party age: correct the badge (Award.badgeYears) or its date (Award.awardedOn).`,
  },
  {
    code: 'BADGE_TWICE',
    description: 'The same party badge recorded twice for a member (each later entry is listed).',
    source: 'QĐ 24-QĐ/TW (2021) §27: each badge is awarded once.',
    sensitive: false,
    field: fixed('Award', 'badgeYears'),
    message: (r) => `The ${r.detail}-year party badge is already recorded in an earlier entry: void this one or correct its badge (Award.badgeYears).`,
  },
  {
    code: 'AWARD_AFTER_LEAVING',
    description: 'An award dated on or after the day the member left, other than a posthumous award to a deceased member.',
    source: 'After leaving nothing new is recorded except posthumous awards (refusalAfterLeaving in src/members/lifecycle.ts; QĐ 24-QĐ/TW §27 for posthumous badges).',
    sensitive: false,
    field: fixed('Award', 'awardedOn'),
    message: (r) => `The award is dated ${r.detail}, on or after the day the member left: correct its date (Award.awardedOn), mark it posthumous if it was, or void it.`,
  },
  {
    code: 'EXPELLED_WITHOUT_EXPULSION',
    description: 'An expulsion in the status history (EXPELLED) with no expulsion (khai trừ) in the discipline register.',
    source: 'Điều lệ Đảng: expulsion is a form of discipline, so the status and the discipline register record the same act.',
    sensitive: true,
    field: fixed('Member', 'disciplines'),
    message: () => 'The member is recorded as expelled (EXPELLED) but the discipline register has no expulsion: add it (Member.disciplines, form EXPULSION) or correct the status.',
  },
  {
    code: 'EXPULSION_WITHOUT_EXPELLED_STATUS',
    description: 'An expulsion (khai trừ) in the discipline register of a member never recorded as EXPELLED.',
    source: 'Điều lệ Đảng: expulsion is a form of discipline, so the status and the discipline register record the same act.',
    sensitive: true,
    field: fixed('DisciplineRecord', 'form'),
    message: () => 'The discipline register has an expulsion but the member was never recorded as expelled: record the status EXPELLED or correct the discipline (DisciplineRecord.form).',
  },
  {
    code: 'DISMISSAL_WITHOUT_POST',
    description: 'A dismissal from post (cách chức) on a day the member held no post.',
    source: 'Điều lệ Đảng: dismissal removes a member from a post held; posts in src/cadres.',
    sensitive: true,
    field: fixed('DisciplineRecord', 'form'),
    message: () => 'The dismissal (cách chức) is dated on a day the member held no post: correct its form (DisciplineRecord.form) or date, or record the post.',
  },
  {
    code: 'DISCIPLINE_WITHOUT_DECISION',
    description: 'A discipline entry without its decision (number, date or issuing body missing).',
    source: 'Every sub-record that rests on a decision records it (docs/domain.md, "The member record"; validateDecision in src/graphql/decision.ts).',
    sensitive: true,
    field: fixed('DisciplineRecord', 'decision'),
    message: () => 'The discipline entry has no complete decision: give its number, date and issuing body (DisciplineRecord.decision).',
  },
  {
    code: 'AWARD_WITHOUT_DECISION',
    description: 'An award without its decision (number, date or issuing body missing).',
    source: 'Every sub-record that rests on a decision records it (docs/domain.md, "The member record"; validateDecision in src/graphql/decision.ts).',
    sensitive: false,
    field: fixed('Award', 'decision'),
    message: () => 'The award has no complete decision: give its number, date and issuing body (Award.decision).',
  },
  {
    code: 'DECISION_BEFORE_BIRTH',
    description: 'A decision dated before the member was born (status and unit changes, ratings, awards, posts, planning, transfers, work and training).',
    source: "A decision's date fits its event (validateDecisionDate in src/graphql/decision.ts).",
    sensitive: false,
    field: decisionField,
    message: (r) => `The decision of ${RECORD_KIND_NAMES[r.recordKind].words} is dated ${r.detail}, before the member's date of birth: correct the decision's date (${decisionField(r.recordKind)}) or the date of birth.`,
  },
  {
    code: 'DECISION_BEFORE_ADMISSION',
    description: "A party decision about the member dated before the admission decision (status and unit changes, ratings, party badges, transfers).",
    source: "A decision's date fits its event: a party decision about a member follows the admission (validateDecisionDate in src/graphql/decision.ts).",
    sensitive: false,
    field: decisionField,
    message: (r) => `The decision of ${RECORD_KIND_NAMES[r.recordKind].words} is dated ${r.detail}, before the member's admission: correct the decision's date (${decisionField(r.recordKind)}) or the admission date (Member.joinedOn).`,
  },
  {
    code: 'DISCIPLINE_DECISION_BEFORE_ADMISSION',
    description: 'A discipline entry whose decision is dated before the admission (and so possibly before birth).',
    source: "Party discipline applies to members (Điều lệ Đảng); a decision's date fits its event (validateDecisionDate in src/graphql/decision.ts).",
    sensitive: true,
    field: fixed('DisciplineRecord', 'decision.date'),
    message: () => "The discipline entry's decision is dated before the member's admission: correct its date (DisciplineRecord.decision.date).",
  },
  {
    code: 'POST_OPEN_AFTER_LEAVING',
    description: 'A post still open (no end, or ending after the day the member left) for a member who left.',
    source: 'Posts are for active members only (refusalAfterLeaving in src/members/lifecycle.ts).',
    sensitive: false,
    field: fixed('Post', 'endOn'),
    message: (r) => `The member left on ${r.detail} but the post is still open after that day: end it (Post.endOn) on or before that day.`,
  },
  {
    code: 'POST_STARTS_AFTER_LEAVING',
    description: 'A post starting after the day the member left.',
    source: 'Posts are for active members only (refusalAfterLeaving in src/members/lifecycle.ts).',
    sensitive: false,
    field: fixed('Post', 'startOn'),
    message: (r) => `The post starts after the member left (${r.detail}): correct its start (Post.startOn) or remove the appointment.`,
  },
  {
    code: 'ADMISSION_AGE_OUTSIDE_LIMITS',
    description: 'An age at admission outside the limits, counted in months, with no exception decision recorded.',
    source: "Điều lệ Đảng and its implementing texts (QĐ 24/294-QĐ/TW, HD 01-HD/TW): from full 18 to full 60, counted in months; over 60 only by the provincial-level committee's decision (src/members/lifecycle.ts).",
    sensitive: false,
    field: fixed('Member', 'joinedOn'),
    message: (r) => `The member was ${yearsAndMonths(Number(r.detail))} old at admission, outside the admission age and with no exception decision: correct the admission date (Member.joinedOn) or the date of birth, or record the exception decision.`,
  },
  {
    code: 'TRANSFER_PENDING_AFTER_LEAVING',
    description: 'A transfer still awaiting arrival for a member who left.',
    source: 'Leaving closes a pending transfer (refusalAfterLeaving in src/members/lifecycle.ts).',
    sensitive: false,
    field: fixed('Transfer', 'status'),
    message: (r) => `The member left on ${r.detail} but the transfer still awaits arrival: cancel it (Transfer.status) with the cause.`,
  },
  {
    code: 'GENERAL_EDUCATION_UNREADABLE',
    description: 'A general education text that cannot be read as one of the forms\' levels (primary, lower secondary, upper secondary).',
    source: 'Reports count general education in the forms\' levels (generalEducationLevel in src/catalogues/education.ts).',
    sensitive: false,
    field: fixed('Member', 'generalEducation'),
    message: (r) => `The general education "${r.detail}" cannot be read as a level: write it as grade/system, e.g. "12/12" or "7/10" (Member.generalEducation).`,
  },
  {
    code: 'DEPARTURE_WITHOUT_CAUSE',
    description: 'A departure (removal, expulsion, resignation) with no cause recorded; a death needs none.',
    source: 'Each departure records its cause, which decides readmission (QĐ 294-QĐ/TW §3.5; src/members/departure.ts).',
    sensitive: false,
    field: fixed('MemberStatusPeriod', 'cause'),
    message: (r) => `The departure (${r.detail}) has no cause recorded: give its cause (MemberStatusPeriod.cause).`,
  },
  {
    code: 'RETIRED_RELIGION_CODE',
    description: 'A religion recorded with a code no longer recorded (a church counted under its religion, e.g. the Presbyterian church under Tin lành).',
    source: 'The religions recognised by the state (src/catalogues/catalogue-data.ts, RETIRED_RELIGIONS).',
    sensitive: true,
    field: fixed('Member', 'religionCode'),
    message: (r) => `The religion is recorded with a retired code: record ${r.detail} instead, with a reason (Member.religionCode).`,
  },
  {
    code: 'PLANNING_WITHOUT_DECISION',
    description: 'A planning entry (quy hoạch) with no approval decision.',
    source: 'Planning rests on an approval decision (QĐ 50-QĐ/TW 2021; src/cadres/cadre-rules.ts).',
    sensitive: false,
    field: fixed('PlanningEntry', 'decision'),
    message: () => 'The planning entry has no approval decision: record it (PlanningEntry.decision).',
  },
  {
    code: 'PLANNING_PERIOD_NOT_A_TERM',
    description: 'A planning entry whose period is not a congress term (it starts in a congress year and lasts one term).',
    source: 'Planning is for a congress term (QĐ 50-QĐ/TW 2021; the term figures are settings of src/cadres/cadre-rules.ts).',
    sensitive: false,
    field: fixed('PlanningEntry', 'periodStart'),
    message: (r) => `The planning period ${r.detail} is not a congress term: correct it (PlanningEntry.periodStart, PlanningEntry.periodEnd).`,
  },
  {
    code: 'PLANNING_AFTER_LEAVING',
    description: 'A planning entry whose period runs past the year the member left.',
    source: 'Planning is for active members only (refusalAfterLeaving in src/members/lifecycle.ts).',
    sensitive: false,
    field: fixed('PlanningEntry', 'periodEnd'),
    message: (r) => `The member left on ${r.detail}; the planning entry runs past that year: end or void it (PlanningEntry.periodEnd).`,
  },
];

const BY_CODE = new Map(DATA_QUALITY_RULES.map((rule) => [rule.code, rule]));

export function ruleOf(code: DataQualityRuleCode): DataQualityRule {
  const rule = BY_CODE.get(code);
  if (!rule) throw new Error(`no data quality rule ${code}`);
  return rule;
}

/**
 * The rules checked for a caller: all of them for a role that may read sensitive data, the
 * others otherwise (a check over the discipline register would tell who was disciplined).
 */
export function rulesFor(readSensitive: boolean, only?: readonly DataQualityRuleCode[] | null): { checked: DataQualityRule[]; notChecked: DataQualityRule[] } {
  const wanted = (rule: DataQualityRule) => !only?.length || only.includes(rule.code);
  return {
    checked: DATA_QUALITY_RULES.filter((rule) => wanted(rule) && (readSensitive || !rule.sensitive)),
    notChecked: DATA_QUALITY_RULES.filter((rule) => wanted(rule) && !readSensitive && rule.sensitive),
  };
}

/** An age in completed months as people say it: "60 years 11 months". */
export function yearsAndMonths(months: number): string {
  const years = Math.floor(months / 12);
  const rest = months % 12;
  return `${years} year${years === 1 ? '' : 's'}${rest ? ` ${rest} month${rest === 1 ? '' : 's'}` : ''}`;
}
