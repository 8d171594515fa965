import { activeDaysBeforeSql, partyAgeYearsSql } from '../members/lifecycle';
import { BADGE_YEARS_SQL, FIRST_BADGE_YEARS } from '../members/party-badges';

// The badge years and ceremony days are src/members/party-badges.ts; party age is
// src/members/lifecycle.ts (the same count as Member.partyAge, written as SQL there).

export interface BadgeParams {
  /** Path of the unit whose subtree is listed (inside the request's scope: RLS holds it too). */
  path: string;
  ceremony: string;
  /** Party age is counted up to this date for members proposed early (ceremony + earlyMonths). */
  earlyUntil: string;
  /** Deaths on or after this date are proposed posthumously; null: no posthumous proposals. */
  diedSince: string | null;
  /** A discipline decided after this date blocks the badge. */
  disciplineSince: string;
}

export interface BadgeRow {
  id: string;
  badge_years: number;
  party_age_years: number;
  reason: string;
}

/**
 * The badge list as SQL: for each official, released or recently deceased member of the subtree,
 * party age on the ceremony (at death for the deceased) from the dated status periods, so time
 * outside the party is not counted; the highest badge reached and not yet awarded; members under
 * a recent discipline left out. With a page: rows after an id; without: their count.
 */
export function badgeCandidatesSql(p: BadgeParams, page: { after: string | null; limit: number } | null): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const v = (value: unknown, cast: string) => {
    values.push(value);
    return `?::${cast}`;
  };
  const ceremony = v(p.ceremony, 'date');
  const sql = `
    with candidates as (
      select m.id, m.status, case when m.status = 'DECEASED' then m.left_on else ${ceremony} end as reference_on,
             ${activeDaysBeforeSql('m.id', () => v(p.ceremony, 'date'))} as active_days
        from member m
       where m.unit_path <@ ${v(p.path, 'ltree')}
         -- No one reaches the first badge's party age sooner than that many years after admission.
         and m.joined_on <= ${v(p.earlyUntil, 'date')} - interval '${FIRST_BADGE_YEARS} years'
         and (m.status in ('OFFICIAL', 'RELEASED')
              or (m.status = 'DECEASED' and m.left_on >= ${v(p.diedSince, 'date')} and m.left_on <= ${v(p.ceremony, 'date')}))
         and not exists (select 1 from discipline d
                          where d.member_id = m.id and d.superseded_at is null
                            and d.decided_on > ${v(p.disciplineSince, 'date')} and d.decided_on <= ${v(p.ceremony, 'date')})
    ), aged as (
      select c.id, c.status,
             ${partyAgeYearsSql('c.reference_on - c.active_days', 'c.reference_on')} as years,
             ${partyAgeYearsSql('c.reference_on - c.active_days', v(p.earlyUntil, 'date'))} as early_years,
             (select max(w.badge_years) from award w
               where w.member_id = c.id and w.kind = 'PARTY_BADGE' and w.superseded_at is null) as awarded
        from candidates c
    ), proposed as (
      select a.id, a.years, a.status, a.awarded,
             (select max(x) from unnest(${BADGE_YEARS_SQL}) x where x <= a.years) as due,
             (select max(x) from unnest(${BADGE_YEARS_SQL}) x where x <= a.early_years) as early
        from aged a
    ), listed as (
      select p.id, p.years as party_age_years,
             case when p.due > coalesce(p.awarded, 0) then p.due else p.early end as badge_years,
             case when p.status = 'DECEASED' then 'POSTHUMOUS' when p.due > coalesce(p.awarded, 0) then 'DUE' else 'EARLY' end as reason
        from proposed p
       where p.due > coalesce(p.awarded, 0) or (p.status = 'RELEASED' and p.early > coalesce(p.awarded, 0))
    )`;
  if (!page) return { sql: `${sql} select count(*) as n from listed`, values };
  const after = page.after ? `where l.id > ${v(page.after, 'bigint')}` : '';
  return { sql: `${sql} select l.* from listed l ${after} order by l.id limit ${v(page.limit, 'int')}`, values };
}
