import { ACTIVE_STATUSES_SQL, ADMISSION_AGE_MONTHS, END_STATUSES, activeDaysBeforeSql, partyAgeYearsSql } from '../members/lifecycle';
import { defaultCause } from '../members/departure';
import { RATING_CATEGORIES, type RatingSettings } from '../members/ratings';
import { illnessEarlyMonths, type BadgeSettings, BADGE_YEARS } from '../members/party-badges';
import { CATALOGUES } from '../catalogues/catalogue-data';
import { notATermSql, type CadreRules } from '../cadres/cadre-rules';
import { DATA_QUALITY_RULES, type DataQualityRuleCode } from './checks';

/**
 * One SQL query per rule of checks.ts, under the rule's code. Each selects the records of the
 * members in `scoped_member` (the subtree asked for, inside the caller's scope: see
 * dataQualitySql) that break its rule, as (member_id, record_kind, record_id, detail). `detail`
 * is a value the message quotes; the queries over discipline return none. Only current entries
 * count: a corrected or voided entry (superseded_at set) is history. The figures come from the
 * rule files (lifecycle.ts, ratings.ts, party-badges.ts, departure.ts), never written here.
 *
 * Row-level security binds the API role, so each table read here shows only what the caller may
 * read anyway (posts and planning: only those managed at the caller's level or below); the one
 * question that looks wider, whether a member held any post on a day, is answered by
 * hoso_member_held_post (migration 19, the function the discipline register asks too), a yes/no about a member in scope.
 */

/** What the queries are built with: a placeholder for each value, the settings of the rules. */
export interface QueryContext {
  /** A placeholder for a value (with its cast), in order of appearance. */
  param: (value: unknown, cast: string) => string;
  ratings: RatingSettings;
  badges: BadgeSettings;
  cadres: CadreRules;
  /** General education texts generalEducationLevel cannot read (src/catalogues/education.ts), found in the subtree. */
  unreadableEducation: readonly string[];
}

const list = (values: readonly string[]) => `(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;

/** The end states, as an SQL list. */
const END_SQL = list(END_STATUSES);

/** The end states whose departure needs a cause given (a death goes without saying: departure.ts, defaultCause). */
const CAUSE_NEEDED_SQL = list(END_STATUSES.filter((status) => defaultCause(status) === null));

/** Whole numbers only are written into SQL (settings are checked, this keeps it so). */
const int = (n: number) => {
  if (!Number.isInteger(n)) throw new Error(`not a whole number: ${n}`);
  return String(n);
};

/** The active periods of the rating's member that share a day with its year ([valid_from, valid_to)). */
const activeInYear = (rating: string) => `
  from member_status_period sp
 where sp.member_id = ${rating}.member_id and sp.status in ${ACTIVE_STATUSES_SQL}
   and sp.valid_from < make_date(${rating}.year + 1, 1, 1) and (sp.valid_to is null or sp.valid_to > make_date(${rating}.year, 1, 1))`;

/** Tables whose rows rest on a decision, their record kind, and whether the decision is a party one about the member as a member. */
const DECIDED = [
  { table: 'member_status_period', kind: 'STATUS_PERIOD', current: 'true', party: true },
  { table: 'member_unit_period', kind: 'UNIT_PERIOD', current: 'true', party: true },
  { table: 'quality_rating', kind: 'QUALITY_RATING', current: 'x.superseded_at is null', party: true },
  // State orders and medals may come before admission; a party badge may not.
  { table: 'award', kind: 'AWARD', current: 'x.superseded_at is null', party: "x.kind = 'PARTY_BADGE'" },
  { table: 'transfer', kind: 'TRANSFER', current: 'true', party: true },
  // Posts and planning may be state posts held before admission; work and training often are.
  { table: 'post', kind: 'POST', current: 'true', party: false },
  { table: 'planning_entry', kind: 'PLANNING_ENTRY', current: 'true', party: false },
  { table: 'work_history', kind: 'WORK_HISTORY', current: 'x.superseded_at is null', party: false },
  { table: 'training', kind: 'TRAINING', current: 'x.superseded_at is null', party: false },
] as const;

function decisionsBefore(bound: 'date_of_birth' | 'joined_on'): string {
  return DECIDED.filter((d) => bound === 'date_of_birth' || d.party !== false)
    .map(
      (d) => `
      select x.member_id, '${d.kind}' as record_kind, x.id as record_id, x.decision_date::text as detail
        from ${d.table} x join scoped_member m on m.id = x.member_id
       where ${d.current} and x.decision_date < m.${bound}${typeof d.party === 'string' ? ` and ${d.party}` : ''}`,
    )
    .join('\n      union all');
}

export const DATA_QUALITY_QUERIES: Record<DataQualityRuleCode, (q: QueryContext) => string> = {
  RATING_OUTSIDE_MEMBERSHIP: () => `
    select r.member_id, 'QUALITY_RATING' as record_kind, r.id as record_id, r.year::text as detail
      from quality_rating r join scoped_member m on m.id = r.member_id
     where r.superseded_at is null and not exists (select 1 ${activeInYear('r')})`,

  // ratings.ts: the member's last status on the rolls in the year (at its end, or when that
  // year's membership ended) is RELEASED.
  RATING_WHILE_RELEASED: () => `
    select r.member_id, 'QUALITY_RATING' as record_kind, r.id as record_id, r.year::text as detail
      from quality_rating r join scoped_member m on m.id = r.member_id
     where r.superseded_at is null
       and (select sp.status ${activeInYear('r')} order by sp.valid_from desc limit 1) = 'RELEASED'`,

  RATING_ABOVE_DISCIPLINE_LIMIT: (q) => {
    const cap = RATING_CATEGORIES.findIndex((c) => c.category === q.ratings.disciplinedCap);
    const above = RATING_CATEGORIES.slice(0, Math.max(cap, 0)).map((c) => c.category);
    if (!above.length) return 'select null::bigint as member_id, null::text as record_kind, null::bigint as record_id, null::text as detail where false';
    return `
    select r.member_id, 'QUALITY_RATING' as record_kind, r.id as record_id, r.year::text as detail
      from quality_rating r join scoped_member m on m.id = r.member_id
     where r.superseded_at is null and r.category in ${list(above)}
       and exists (select 1 from discipline d
                    where d.member_id = r.member_id and d.superseded_at is null and extract(year from d.decided_on) = r.year)`;
  },

  // Party age on the award date from the status periods (lifecycle.ts), counted on as if the
  // member stayed active for the allowance: a seriously ill member (illness recorded by the
  // award date) by the band of the badge, a posthumous award to a deceased member by
  // posthumousEarlyMonths; the larger when both hold (party-badges.ts, badgeAwardCheck).
  BADGE_NOT_REACHED: (q) => {
    const illness = `case a.badge_years ${BADGE_YEARS.map((y) => `when ${int(y)} then ${int(illnessEarlyMonths(y, q.badges))}`).join(' ')} else 0 end`;
    const allowance = `greatest(
             case when m.serious_illness_since is not null and m.serious_illness_since <= a.awarded_on then ${illness} else 0 end,
             case when a.posthumous and m.status = 'DECEASED' then ${int(q.badges.posthumousEarlyMonths)} else 0 end)`;
    return `
    select a.member_id, 'AWARD' as record_kind, a.id as record_id, a.badge_years::text as detail
      from award a join scoped_member m on m.id = a.member_id
     cross join lateral (select ${activeDaysBeforeSql('a.member_id', () => 'a.awarded_on')} as days) ad
     where a.superseded_at is null and a.kind = 'PARTY_BADGE'
       and ${partyAgeYearsSql('(a.awarded_on - ad.days)', `(a.awarded_on + make_interval(months => ${allowance}))::date`)} < a.badge_years`;
  },

  BADGE_TWICE: () => `
    select a.member_id, 'AWARD' as record_kind, a.id as record_id, a.badge_years::text as detail
      from award a join scoped_member m on m.id = a.member_id
     where a.superseded_at is null and a.kind = 'PARTY_BADGE'
       and exists (select 1 from award b
                    where b.member_id = a.member_id and b.kind = 'PARTY_BADGE' and b.superseded_at is null
                      and b.badge_years = a.badge_years and (b.awarded_on, b.id) < (a.awarded_on, a.id))`,

  // refusalAfterLeaving (lifecycle.ts): nothing dated on or after the day of leaving, except a
  // posthumous award to a deceased member.
  AWARD_AFTER_LEAVING: () => `
    select a.member_id, 'AWARD' as record_kind, a.id as record_id, a.awarded_on::text as detail
      from award a join scoped_member m on m.id = a.member_id
     where a.superseded_at is null and m.status in ${END_SQL} and a.awarded_on >= m.left_on
       and not (a.posthumous and m.status = 'DECEASED')`,

  EXPELLED_WITHOUT_EXPULSION: () => `
    select sp.member_id, 'STATUS_PERIOD' as record_kind, sp.id as record_id, null::text as detail
      from member_status_period sp join scoped_member m on m.id = sp.member_id
     where sp.status = 'EXPELLED'
       and not exists (select 1 from discipline d
                        where d.member_id = sp.member_id and d.form = 'EXPULSION' and d.superseded_at is null)`,

  EXPULSION_WITHOUT_EXPELLED_STATUS: () => `
    select d.member_id, 'DISCIPLINE' as record_kind, d.id as record_id, null::text as detail
      from discipline d join scoped_member m on m.id = d.member_id
     where d.superseded_at is null and d.form = 'EXPULSION'
       and not exists (select 1 from member_status_period sp where sp.member_id = d.member_id and sp.status = 'EXPELLED')`,

  DISMISSAL_WITHOUT_POST: () => `
    select d.member_id, 'DISCIPLINE' as record_kind, d.id as record_id, null::text as detail
      from discipline d join scoped_member m on m.id = d.member_id
     where d.superseded_at is null and d.form = 'DISMISSAL' and not hoso_member_held_post(d.member_id, d.decided_on)`,

  DISCIPLINE_WITHOUT_DECISION: () => `
    select d.member_id, 'DISCIPLINE' as record_kind, d.id as record_id, null::text as detail
      from discipline d join scoped_member m on m.id = d.member_id
     where d.superseded_at is null
       and (d.decision_number is null or d.decision_date is null or d.decision_body is null)`,

  AWARD_WITHOUT_DECISION: () => `
    select a.member_id, 'AWARD' as record_kind, a.id as record_id, null::text as detail
      from award a join scoped_member m on m.id = a.member_id
     where a.superseded_at is null
       and (a.decision_number is null or a.decision_date is null or a.decision_body is null)`,

  DECISION_BEFORE_BIRTH: () => decisionsBefore('date_of_birth'),

  DECISION_BEFORE_ADMISSION: () => decisionsBefore('joined_on'),

  // discipline.ts, disciplineDecisionBounds: not before birth nor admission (birth precedes admission).
  DISCIPLINE_DECISION_BEFORE_ADMISSION: () => `
    select d.member_id, 'DISCIPLINE' as record_kind, d.id as record_id, null::text as detail
      from discipline d join scoped_member m on m.id = d.member_id
     where d.superseded_at is null and d.decision_date < m.joined_on`,

  POST_OPEN_AFTER_LEAVING: () => `
    select p.member_id, 'POST' as record_kind, p.id as record_id, m.left_on::text as detail
      from post p join scoped_member m on m.id = p.member_id
     where m.status in ${END_SQL} and p.start_on <= m.left_on and (p.end_on is null or p.end_on > m.left_on)`,

  POST_STARTS_AFTER_LEAVING: () => `
    select p.member_id, 'POST' as record_kind, p.id as record_id, m.left_on::text as detail
      from post p join scoped_member m on m.id = p.member_id
     where m.status in ${END_SQL} and p.start_on > m.left_on`,

  // admission.ts, admissionAgeCheck: completed months on the admission date; over the upper
  // limit only with the exception decision recorded (none can excuse the lower one).
  ADMISSION_AGE_OUTSIDE_LIMITS: () => `
    select m.id as member_id, 'MEMBER' as record_kind, m.id as record_id, a.months::text as detail
      from scoped_member m
     cross join lateral (select (extract(year from age(m.joined_on, m.date_of_birth)) * 12
                                 + extract(month from age(m.joined_on, m.date_of_birth)))::int as months) a
     where a.months < ${int(ADMISSION_AGE_MONTHS.min)}
        or (a.months > ${int(ADMISSION_AGE_MONTHS.max)} and m.age_exception_decision_number is null)`,

  TRANSFER_PENDING_AFTER_LEAVING: () => `
    select t.member_id, 'TRANSFER' as record_kind, t.id as record_id, m.left_on::text as detail
      from transfer t join scoped_member m on m.id = t.member_id
     where t.status = 'PENDING' and m.status in ${END_SQL}`,

  GENERAL_EDUCATION_UNREADABLE: (q) => `
    select m.id as member_id, 'MEMBER' as record_kind, m.id as record_id, m.general_education as detail
      from scoped_member m
     where m.general_education = any(${q.param(`{${q.unreadableEducation.map((t) => `"${t.replace(/["\\]/g, '\\$&')}"`).join(',')}}`, 'text[]')})`,

  // The retired code and the one it is counted as (catalogue-data.ts): the message names the latter.
  RETIRED_RELIGION_CODE: () => `
    select m.id as member_id, 'MEMBER' as record_kind, m.id as record_id, r.counted_as as detail
      from scoped_member m
      join (values ${CATALOGUES.RELIGION.retired.map(([code, , countedAs]) => `(${list([code])}, ${list([countedAs])})`).join(', ') || `(null, null)`})
           as r (code, counted_as) on r.code = m.religion`,

  PLANNING_WITHOUT_DECISION: () => `
    select pe.member_id, 'PLANNING_ENTRY' as record_kind, pe.id as record_id, null as detail
      from planning_entry pe join scoped_member m on m.id = pe.member_id
     where pe.decision_number is null or pe.decision_date is null`,

  PLANNING_PERIOD_NOT_A_TERM: (q) => `
    select pe.member_id, 'PLANNING_ENTRY' as record_kind, pe.id as record_id, pe.period_start || '–' || pe.period_end as detail
      from planning_entry pe join scoped_member m on m.id = pe.member_id
     where ${notATermSql('pe.period_start', 'pe.period_end', q.cadres)}`,

  PLANNING_AFTER_LEAVING: () => `
    select pe.member_id, 'PLANNING_ENTRY' as record_kind, pe.id as record_id, m.left_on::text as detail
      from planning_entry pe join scoped_member m on m.id = pe.member_id
     where m.status in ${END_SQL} and pe.period_end > extract(year from m.left_on)`,

  DEPARTURE_WITHOUT_CAUSE: () => `
    select sp.member_id, 'STATUS_PERIOD' as record_kind, sp.id as record_id, sp.status as detail
      from member_status_period sp join scoped_member m on m.id = sp.member_id
     where sp.status in ${CAUSE_NEEDED_SQL} and sp.cause is null`,
};

/** A cursor position: the list is ordered by member, then rule, then record. */
export interface IssueCursor {
  memberId: string;
  rule: string;
  recordId: string;
}

/**
 * The whole question in one statement, so the counts and the page come from one snapshot and
 * each check runs once: the members of the subtree inside the caller's scope (written out;
 * row-level security holds it too), every check over them, then the counts per rule and one page
 * (the listed rules only) after the cursor.
 */
export function dataQualitySql(
  args: { scopePath: string; unitPath: string; rules: readonly DataQualityRuleCode[]; listed: readonly DataQualityRuleCode[]; after: IssueCursor | null; limit: number },
  settings: Omit<QueryContext, 'param'>,
): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown, cast: string) => {
    values.push(value);
    return `?::${cast}`;
  };
  const q: QueryContext = { ...settings, param };
  const scoped = `select m.* from member m where m.unit_path <@ ${param(args.scopePath, 'ltree')} and m.unit_path <@ ${param(args.unitPath, 'ltree')}`;
  const order = new Map(DATA_QUALITY_RULES.map((rule, i) => [rule.code, i]));
  const checks = [...args.rules]
    .sort((a, b) => order.get(a)! - order.get(b)!)
    .map((code) => `select '${code}'::text as rule, c.member_id, c.record_kind, c.record_id, c.detail from (${DATA_QUALITY_QUERIES[code](q)}) c`);
  const issues = checks.length
    ? checks.join('\n    union all\n    ')
    : 'select null::text as rule, null::bigint as member_id, null::text as record_kind, null::bigint as record_id, null::text as detail where false';
  // Placeholders are taken in the order they appear in the statement.
  const listedArray = `{${args.listed.join(',')}}`;
  const listedForCount = param(listedArray, 'text[]');
  const listedForPage = param(listedArray, 'text[]');
  const after = args.after
    ? `and (i.member_id, i.rule collate "C", i.record_id) > (${param(args.after.memberId, 'bigint')}, ${param(args.after.rule, 'text')}, ${param(args.after.recordId, 'bigint')})`
    : '';
  const limit = param(args.limit, 'int');
  const sql = `
    with scoped_member as materialized (${scoped}),
    issue as materialized (
    ${issues}
    )
    select (select coalesce(json_object_agg(c.rule, c.n), '{}') from (select rule, count(*) as n from issue group by rule) c) as counts,
           (select count(*) from issue i where i.rule = any(${listedForCount})) as listed,
           (select coalesce(json_agg(p), '[]') from (
              select i.rule, i.member_id::text as "memberId", i.record_kind as "recordKind", i.record_id::text as "recordId", i.detail
                from issue i
               where i.rule = any(${listedForPage}) ${after}
               order by i.member_id, i.rule collate "C", i.record_id
               limit ${limit}) p) as page`;
  return { sql, values };
}
