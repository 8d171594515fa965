/** Party ages a badge marks (Huy hiệu Đảng 30, 40, 45 … 90 năm tuổi đảng). */
export const BADGE_YEARS = [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90];

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
  const badges = `array[${BADGE_YEARS.join(', ')}]`;
  const ceremony = v(p.ceremony, 'date');
  const sql = `
    with candidates as (
      select m.id, m.status, case when m.status = 'DECEASED' then m.left_on else ${ceremony} end as reference_on,
             (select coalesce(sum(least(coalesce(sp.valid_to, ${v(p.ceremony, 'date')}), ${v(p.ceremony, 'date')}) - sp.valid_from), 0)
                from member_status_period sp
               where sp.member_id = m.id and sp.status in ('PROBATIONARY', 'OFFICIAL', 'RELEASED')
                 and sp.valid_from < ${v(p.ceremony, 'date')})::int as active_days
        from member m
       where m.unit_path <@ ${v(p.path, 'ltree')}
         -- No one reaches 30 years of party age sooner than 30 years after admission.
         and m.joined_on <= ${v(p.earlyUntil, 'date')} - interval '30 years'
         and (m.status in ('OFFICIAL', 'RELEASED')
              or (m.status = 'DECEASED' and m.left_on >= ${v(p.diedSince, 'date')} and m.left_on <= ${v(p.ceremony, 'date')}))
         and not exists (select 1 from discipline d
                          where d.member_id = m.id and d.superseded_at is null
                            and d.decided_on > ${v(p.disciplineSince, 'date')} and d.decided_on <= ${v(p.ceremony, 'date')})
    ), aged as (
      select c.id, c.status,
             extract(year from age(c.reference_on, c.reference_on - c.active_days))::int as years,
             extract(year from age(${v(p.earlyUntil, 'date')}, c.reference_on - c.active_days))::int as early_years,
             (select max(w.badge_years) from award w
               where w.member_id = c.id and w.kind = 'PARTY_BADGE' and w.superseded_at is null) as awarded
        from candidates c
    ), proposed as (
      select a.id, a.years, a.status, a.awarded,
             (select max(x) from unnest(${badges}) x where x <= a.years) as due,
             (select max(x) from unnest(${badges}) x where x <= a.early_years) as early
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
