import { activeDaysBeforeSql, addMonths, partyAgeYearsSql } from '../members/lifecycle';
import { BADGE_DEFAULTS, BADGE_YEARS_SQL, FIRST_BADGE_YEARS, type BadgeSettings } from '../members/party-badges';

// The badge years, ceremony days, discipline waits and early allowances are
// src/members/party-badges.ts (the award register checks an entry by the same figures,
// badgeAwardCheck); party age is src/members/lifecycle.ts (the same count as Member.partyAge,
// written as SQL there).

export interface BadgeParams {
  /** Path of the unit whose subtree is listed (inside the request's scope: RLS holds it too). */
  path: string;
  ceremony: string;
  /** Deaths on or after this date are proposed posthumously; null: no posthumous proposals. */
  diedSince: string | null;
  /** The department's badge rules (ruleSettings 'badges'); the defaults when omitted. */
  settings?: BadgeSettings;
  /**
   * One early allowance, in months, for every badge, instead of the rule's by badge years (the
   * badge list's older `earlyMonths` argument); null or omitted: the rule's.
   */
  earlyMonths?: number | null;
  /**
   * Whether the reader may read health data (readSensitive). An early proposal for illness tells
   * of the illness, so without it such members are not proposed early (they are listed when the
   * badge is due). Omitted: true.
   */
  healthData?: boolean;
  /** One wait, in months, after every form of discipline, instead of the rule's by form (the older `disciplineBlockMonths`); null or omitted: the rule's. */
  disciplineBlockMonths?: number | null;
}

export interface BadgeRow {
  id: string;
  badge_years: number;
  party_age_years: number;
  reason: string;
}

/**
 * The parameters of the badge list from the request's arguments: the department's rules, with
 * the optional uniform overrides the list has always accepted (earlyMonths, disciplineBlockMonths).
 */
export function badgeListParams(
  path: string,
  ceremony: string,
  rules: { earlyMonths?: number | null; posthumous: boolean; posthumousWithinMonths: number; disciplineBlockMonths?: number | null },
  settings: BadgeSettings = BADGE_DEFAULTS,
  healthData = true,
): BadgeParams {
  return {
    path,
    healthData,
    ceremony,
    diedSince: rules.posthumous ? addMonths(ceremony, -rules.posthumousWithinMonths) : null,
    settings,
    earlyMonths: rules.earlyMonths ?? null,
    disciplineBlockMonths: rules.disciplineBlockMonths ?? null,
  };
}

/**
 * The badge list as SQL: for each official, released or recently deceased member of the subtree,
 * party age on the ceremony (at death for the deceased) from the dated status periods, so time
 * outside the party is not counted. Listed: the highest badge reached and not yet awarded (DUE,
 * or POSTHUMOUS for the deceased); else the highest badge within an allowance: a serious illness
 * recorded on the member by the ceremony (EARLY; 12 months for 30–65 years, 24 for 70–90 by
 * default), or death (POSTHUMOUS, 12 months). Left out: members whose discipline's wait runs on
 * the ceremony day (6 months after a reprimand, 9 after a warning, 12 after dismissal). The
 * figures are the settings of party-badges.ts, as the award register applies them.
 * With a page: rows after an id; without: their count.
 */
export function badgeCandidatesSql(p: BadgeParams, page: { after: string | null; limit: number } | null): { sql: string; values: unknown[] } {
  const settings = p.settings ?? BADGE_DEFAULTS;
  const earlyMonths = p.earlyMonths ?? null;
  const waitMonths = p.disciplineBlockMonths ?? null;
  const values: unknown[] = [];
  const v = (value: unknown, cast: string) => {
    values.push(value);
    return `?::${cast}`;
  };
  const ceremony = v(p.ceremony, 'date');
  // Fragments with placeholders are called inside the SQL template, so their values are pushed in text order.
  // The wait after each form of discipline, in months (expulsion: none, the member left).
  const wait = (form: 'REPRIMAND' | 'WARNING' | 'DISMISSAL') => v(waitMonths ?? settings.waitMonths[form], 'int');
  const waitSql = () => `case d.form when 'REPRIMAND' then ${wait('REPRIMAND')} when 'WARNING' then ${wait('WARNING')} when 'DISMISSAL' then ${wait('DISMISSAL')} else 0 end`;
  // The early allowance of a badge of x years, in months, for a seriously ill member.
  const illnessSql = (x: string) =>
    earlyMonths !== null
      ? v(earlyMonths, 'int')
      : `case ${settings.earlyIllness.map((b) => `when ${x} between ${v(b.fromYears, 'int')} and ${v(b.toYears, 'int')} then ${v(b.months, 'int')}`).join(' ')} else 0 end`;
  const posthumousEarly = settings.posthumousEarlyMonths;
  // Nobody reaches the first badge sooner than its years less the largest allowance after admission.
  const largest = Math.max(posthumousEarly, earlyMonths ?? Math.max(0, ...settings.earlyIllness.map((b) => b.months)));
  const sql = `
    with candidates as (
      select m.id, m.status, case when m.status = 'DECEASED' then m.left_on else ${ceremony} end as reference_on,
             (${v(p.healthData !== false, 'boolean')} and m.serious_illness_since is not null and m.serious_illness_ground is not null
              and m.serious_illness_since <= ${v(p.ceremony, 'date')}) as ill,
             ${activeDaysBeforeSql('m.id', () => v(p.ceremony, 'date'))} as active_days
        from member m
       where m.unit_path <@ ${v(p.path, 'ltree')}
         -- transferred to another province or abroad: proposed there, not here
         and (m.transferred_out_on is null or m.transferred_out_on > ${v(p.ceremony, 'date')})
         and m.joined_on <= ${v(p.ceremony, 'date')} - make_interval(months => ${v(FIRST_BADGE_YEARS * 12 - largest, 'int')})
         and (m.status in ('OFFICIAL', 'RELEASED')
              or (m.status = 'DECEASED' and m.left_on >= ${v(p.diedSince, 'date')} and m.left_on <= ${v(p.ceremony, 'date')}))
         and not exists (select 1 from discipline d
                          where d.member_id = m.id and d.superseded_at is null
                            and d.decided_on <= ${v(p.ceremony, 'date')}
                            and (d.decided_on + make_interval(months => ${waitSql()}))::date > ${v(p.ceremony, 'date')})
    ), aged as (
      select c.id, c.status, c.ill,
             ${partyAgeYearsSql('c.reference_on - c.active_days', 'c.reference_on')} as years,
             (select (extract(year from a) * 12 + extract(month from a))::int from age(c.reference_on, c.reference_on - c.active_days) a) as months,
             (select max(w.badge_years) from award w
               where w.member_id = c.id and w.kind = 'PARTY_BADGE' and w.superseded_at is null) as awarded
        from candidates c
    ), proposed as (
      select a.id, a.years, a.status, a.awarded,
             (select max(x) from unnest(${BADGE_YEARS_SQL}) x where x <= a.years) as due,
             (select max(x) from unnest(${BADGE_YEARS_SQL}) x
               where a.months >= x * 12 - greatest(case when a.ill then ${illnessSql('x')} else 0 end,
                                                   case when a.status = 'DECEASED' then ${v(posthumousEarly, 'int')} else 0 end)) as early
        from aged a
    ), listed as (
      select p.id, p.years as party_age_years,
             case when p.due > coalesce(p.awarded, 0) then p.due else p.early end as badge_years,
             case when p.status = 'DECEASED' then 'POSTHUMOUS' when p.due > coalesce(p.awarded, 0) then 'DUE' else 'EARLY' end as reason
        from proposed p
       where p.early > coalesce(p.awarded, 0)
    )`;
  if (!page) return { sql: `${sql} select count(*) as n from listed`, values };
  const after = page.after ? `where l.id > ${v(page.after, 'bigint')}` : '';
  return { sql: `${sql} select l.* from listed l ${after} order by l.id limit ${v(page.limit, 'int')}`, values };
}
