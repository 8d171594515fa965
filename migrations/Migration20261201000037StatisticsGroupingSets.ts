import { Migration } from '@mikro-orm/migrations';

// Migration 33's definitions, copied as they are (a migration stands alone).
const COLUMNS = [
  'child', 'status', 'gender', 'ethnicity', 'religion', 'general_education', 'professional_level', 'political_theory',
  'occupation', 'age_band', 'party_age_band',
] as const;
type Column = (typeof COLUMNS)[number];
const SETS: readonly (readonly Column[])[] = [
  ['child', 'status'], ['gender'], ['ethnicity'], ['religion'], ['general_education'], ['professional_level'],
  ['political_theory'], ['occupation'], ['age_band'], ['party_age_band'],
];
const groupingOf = (set: readonly Column[]) =>
  COLUMNS.reduce((bits, column, i) => (set.includes(column) ? bits : bits | (1 << (COLUMNS.length - 1 - i))), 0);
const COLUMN_TYPES: Record<Column, string> = Object.fromEntries(COLUMNS.map((c) => [c, c === 'child' ? 'bigint' : 'text'])) as Record<Column, string>;
const KEYS = COLUMNS.join(', ');
const BAND_PARAMETERS = `p_age_from integer[], p_age_keys text[], p_party_age_from integer[], p_party_age_keys text[]`;
const BAND_ARGUMENTS = `p_age_from, p_age_keys, p_party_age_from, p_party_age_keys`;

/** The last part of migration 33's counted rows: each row joined to a VALUES row per grouping set. */
const COUNTED_SUMS = `
      select x.unit_id, x.slot, g.grouping_set, ${COLUMNS.map((c) => `g.${c}`).join(', ')},
             sum(x.sign)::int as members, sum(x.sign * (x.date_of_birth - date '2000-01-01'))::bigint as dob_sum
        from x
        cross join lateral (values ${SETS.map(
          (set) => `(${groupingOf(set)}, ${COLUMNS.map((c) => (set.includes(c) ? `x.${c}` : `null::${COLUMN_TYPES[c]}`)).join(', ')})`,
        ).join(',\n                     ')}) g(grouping_set, ${KEYS})
       where not x.only_bands or g.grouping_set in (${[groupingOf(['age_band']), groupingOf(['party_age_band'])].join(', ')})
       group by x.unit_id, x.slot, g.grouping_set, ${COLUMNS.map((c) => `g.${c}`).join(', ')}`;

/** The functions of migration 33 that count facts through its counted rows. */
const COUNTING_FUNCTIONS = [
  'hoso_stat_delta(bigint[], date, date, integer[], text[], integer[], text[])',
  'hoso_stat_full(bigint[], date, integer[], text[], integer[], text[])',
  'hoso_rebuild_member_facts(bigint[])',
] as const;

/** The band bounds of each counting day, as migration 33 wrote them, and as they are now. */
const BANDS = 'tb as (select d.t,';
const BANDS_ONCE = 'tb as materialized (select d.t,';

/**
 * The same sums by GROUP BY GROUPING SETS. GROUPING() over the columns in migration 33's order
 * gives its grouping_set numbers (a bit, from the left, for each column not in the set).
 * An only_bands row now goes into every set: in the sets other than the bands its −1 and +1
 * cancel out, leaving groups of 0 members and 0 days, which every reader already drops (the
 * statistics and the weekly step keep sums <> 0, the maintenance rows <> 0).
 */
const GROUPED_SUMS = `
      select x.unit_id, x.slot, grouping(${COLUMNS.map((c) => `x.${c}`).join(', ')}) as grouping_set, ${COLUMNS.map((c) => `x.${c}`).join(', ')},
             sum(x.sign)::int as members, sum(x.sign * (x.date_of_birth - date '2000-01-01'))::bigint as dob_sum
        from x
       group by x.unit_id, x.slot, grouping sets (${SETS.map((set) => `(${set.map((c) => `x.${c}`).join(', ')})`).join(', ')})`;

/**
 * Migration 33's search of a correction's facts: four branches (begun, ended, age band reached,
 * party-age band reached), the last two one index range per band, made distinct by sorting
 * whole rows.
 */
const SEARCH = `from (select * from member_fact where valid_from > p_from and valid_from <= p_to
                  union
                  select * from member_fact where valid_to > p_from and valid_to <= p_to
                  union
                  -- (lateral, fenced by offset 0 so the planner cannot turn it into a scan of all facts
                  -- probing the windows: one index range per window)
                  select f.* from unnest(v_lo, v_hi) w(lo, hi)
                   cross join lateral (select * from member_fact f where f.date_of_birth >= w.lo and f.date_of_birth < w.hi offset 0) f
                  union
                  select f.* from unnest(v_plo, v_phi) w(lo, hi)
                   cross join lateral (select * from member_fact f where f.party_age_origin >= w.lo and f.party_age_origin < w.hi offset 0) f) f`;
/**
 * The same facts by one scan: the four conditions ORed, which PostgreSQL answers with a
 * BitmapOr of the four indexes (each fact once, no sort); the band windows as the list of their
 * days, which an index takes as one `= any` condition whatever the number of bands.
 */
const SEARCH_ONCE = `from (select * from member_fact
                   where (valid_from > p_from and valid_from <= p_to)
                      or (valid_to > p_from and valid_to <= p_to)
                      or date_of_birth = any(v_birth_days)
                      or party_age_origin = any(v_origin_days)) f`;
/** The windows' days, declared after migration 33's windows. */
const WINDOWS = `v_phi date[] := array(select (p_to - make_interval(years => n))::date + 1 from unnest(p_party_age_from) n);`;
const WINDOW_DAYS = `${WINDOWS}
        v_birth_days date[] := array(select generate_series(w.lo, w.hi - 1, interval '1 day')::date from unnest(v_lo, v_hi) w(lo, hi));
        v_origin_days date[] := array(select generate_series(w.lo, w.hi - 1, interval '1 day')::date from unnest(v_plo, v_phi) w(lo, hi));`;

/**
 * Migration 33's choice of the units large enough for snapshots: each unit's members summed from
 * member_count over its subtree, one scan of member_count per unit. At 5,600,000 members, 14,000
 * units above cell level over 300,000 counter rows, it had not finished in 18 minutes.
 */
const LARGE_UNITS = `(select coalesce(sum(n.n), 0) from member_count n join org_unit d on d.id = n.unit_id
                   where d.path <@ u.path and n.status in ('PROBATIONARY', 'OFFICIAL', 'RELEASED') and not n.transferred_out) >= c.min_members`;
/** The same figure read from the unit's subtree counters (migration 24): a few rows per unit. */
const LARGE_UNITS_COUNTED = `(select coalesce(sum(n.n), 0) from member_subtree_count n
                   where n.unit_id = u.id and n.status in ('PROBATIONARY', 'OFFICIAL', 'RELEASED') and not n.transferred_out) >= c.min_members`;

/**
 * A function's definition with texts replaced, as migrations 33 and 36 patch theirs: refused
 * if one of the texts is no longer there.
 */
function patch(fn: string, replacements: readonly (readonly [string, string])[]): string {
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const missing = replacements.map(([from]) => `position(${literal(from)} in v_def) = 0`).join(' or ');
  const replaced = replacements.reduce((def, [from, to]) => `replace(${def}, ${literal(from)}, ${literal(to)})`, 'v_def');
  return `
      do $$
      declare v_def text;
      begin
        select pg_get_functiondef('${fn}'::regprocedure) into v_def;
        if ${missing} then raise exception '${fn.split('(')[0]} changed'; end if;
        execute ${replaced};
      end $$`;
}

/**
 * Statistics counted by grouping sets, with each day's band bounds computed once, and corrected
 * from the nearer week (issue: national scale). A statistics request for the city at 1,000,000
 * members spent 137 ms in the database, about 120 of them correcting the week's snapshot to the day asked (bench/EXPLAIN.md, S4C), and
 * most of that in three parts: two of migration 33's counted rows, which every counting function
 * shares, and the correction's search:
 *
 * - **the grouping sets** were made by joining each fact to a VALUES list of ten rows (one per
 *   set) and summing all of them in one hash table keyed by every column. GROUP BY GROUPING SETS
 *   sums each set in its own small hash table;
 * - **the band bounds** (`tb`: the lower bounds of the age and party-age bands on each counting
 *   day, each array built by an unnest, a sort and six date computations) were inlined by
 *   PostgreSQL and computed again for every fact. Materialized, once per counting day.
 *
 * - **the search of the correction's facts** (those that begin, end or reach a band in the days
 *   corrected) ran four index searches, the band ones one per band, and sorted the whole rows to
 *   make them distinct: about 10 ms for two days of the million, the same for every unit. One
 *   scan with the conditions ORed (a BitmapOr of the four indexes, the bands' windows as a list
 *   of days) finds the same facts in about 2 ms.
 *
 * With the first two, the correction of a city request measured 55–72 ms before and 18–24 ms
 * after on the benchmark's million (the rows compared equal, zero rows aside). The weekly
 * snapshots' build (a load's last step) and their upkeep in hoso_rebuild_member_facts count the
 * same rows and gain the same. Only the plan changes: the rows counted, and so every answer, are the same
 * (the statistics' property tests compare them with a direct count from the period tables).
 *
 * And **the large units chosen from the subtree counters** (hoso_statistics_refresh, when it
 * starts from the facts): one read of a few rows per unit instead of a scan of member_count.
 *
 * And **the nearer week**: a date from Friday to Sunday is now read from the next Monday's
 * snapshot minus the change from the date to it, rather than from its own Monday's plus the
 * change since (when that next week is built and not stale). A correction costs about its
 * number of days (the facts that begin, end or change band in them), so the longest drops from
 * six days to three, and the average of a random date from three days to 1.7.
 *
 * The counting functions and the refresh are patched where the text stands (patch());
 * hoso_unit_statistics is written anew.
 */
export class Migration20261201000037StatisticsGroupingSets extends Migration {
  override async up(): Promise<void> {
    // The correction's facts found by one scan (first, while hoso_stat_delta still has
    // migration 33's text; it is patched again below with the others).
    const delta = COUNTING_FUNCTIONS[0];
    this.addSql(patch(delta, [[SEARCH, SEARCH_ONCE], [WINDOWS, WINDOW_DAYS]]));
    // Planned for each call's days: a plan made for three days is not kept for a year's.
    this.addSql(`alter function ${delta} set plan_cache_mode = force_custom_plan`);
    for (const fn of COUNTING_FUNCTIONS) this.addSql(patch(fn, [[BANDS, BANDS_ONCE], [COUNTED_SUMS, GROUPED_SUMS]]));
    this.addSql(patch('hoso_statistics_refresh(integer)', [[LARGE_UNITS, LARGE_UNITS_COUNTED]]));

    // Migration 33's statistics, reading the nearer of the two weeks around the date. Its
    // checks and its fallbacks to the direct count are unchanged.
    const groupColumns = COLUMNS.map((c) => `${c === 'child' ? 'child_id' : c} ${COLUMN_TYPES[c]}`).join(', ');
    const columnsOf = (alias: string) => COLUMNS.map((k) => `${alias}.${k}`).join(', ');
    this.addSql(`
      create or replace function hoso_unit_statistics(p_unit bigint, p_as_of date, ${BAND_PARAMETERS})
      returns table (grouping_set integer, ${groupColumns}, members bigint, age_days bigint)
      language plpgsql stable security definer set search_path = public, pg_temp
      set plan_cache_mode = force_custom_plan
      as $$
      declare
        c stat_config;
        v_week date;
      begin
        -- In scope and alive on the date (else the errors of the direct count).
        perform hoso_report_unit(p_unit, coalesce(p_as_of, hoso_effective_on()));
        select * into c from stat_config;
        if not found or p_as_of is null or p_as_of < c.first_week or not exists (select 1 from stat_unit s where s.unit_id = p_unit)
           or (c.age_from, c.age_keys, c.party_age_from, c.party_age_keys) is distinct from (${BAND_ARGUMENTS}) then
          return query select * from hoso_unit_statistics_direct(p_unit, p_as_of, ${BAND_ARGUMENTS});
          return;
        end if;
        v_week := least(c.last_week, c.first_week + ((p_as_of - c.first_week) / 7) * 7);
        -- Weeks not rebuilt since a large change: correct from the last good week (exact).
        if c.stale_from is not null and v_week >= c.stale_from then
          v_week := c.first_week + ((c.stale_from - 1 - c.first_week) / 7) * 7;
          if c.stale_from <= c.first_week then
            return query select * from hoso_unit_statistics_direct(p_unit, p_as_of, ${BAND_ARGUMENTS});
            return;
          end if;
        elsif p_as_of - v_week > 3 and v_week + 7 <= c.last_week and (c.stale_from is null or v_week + 7 < c.stale_from) then
          -- Friday to Sunday: the next Monday's snapshot is nearer, and a correction costs
          -- about its number of days.
          v_week := v_week + 7;
        end if;
        return query
        select s.grouping_set, ${columnsOf('s')}, sum(s.members)::bigint,
               (sum(s.members) * (p_as_of - date '2000-01-01') - sum(s.dob_sum))::bigint
          from (select n.grouping_set, ${columnsOf('n')}, n.members, n.dob_sum
                  from stat_snapshot n where n.unit_id = p_unit and n.week = v_week
                union all
                -- The change between the week and the date: added when the week comes before
                -- the date, taken off when it comes after.
                select d.grouping_set, ${columnsOf('d')}, o.sign * d.members, o.sign * d.dob_sum
                  from hoso_stat_delta(array[p_unit], least(v_week, p_as_of), greatest(v_week, p_as_of), ${BAND_ARGUMENTS}) d
                 cross join (select case when v_week > p_as_of then -1 else 1 end as sign) o) s
         group by s.grouping_set, ${columnsOf('s')}
        having sum(s.members) <> 0;
      end $$`);
  }
}
