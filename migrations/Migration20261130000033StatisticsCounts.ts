import { Migration } from '@mikro-orm/migrations';

const ACTIVE = `('PROBATIONARY', 'OFFICIAL', 'RELEASED')`;

/**
 * The bands the snapshots are first counted with: those of src/reports/bands.ts when this was
 * written (a test there holds them equal). Bands changed in the code are counted directly until
 * a migration calls hoso_statistics_setup with the new ones.
 */
export const SNAPSHOT_BANDS = {
  ageFrom: [0, 31, 41, 51, 61, 71],
  ageKeys: ['UP_TO_30', 'FROM_31_TO_40', 'FROM_41_TO_50', 'FROM_51_TO_60', 'FROM_61_TO_70', 'OVER_70'],
  partyAgeFrom: [0, 10, 20, 30, 40, 50],
  partyAgeKeys: ['UNDER_10', 'FROM_10_TO_19', 'FROM_20_TO_29', 'FROM_30_TO_39', 'FROM_40_TO_49', 'FROM_50'],
} as const;
/** The first week with a snapshot (a Monday) and the smallest unit that has them. */
export const SNAPSHOT_FIRST_WEEK = '2016-01-04';
export const SNAPSHOT_MIN_MEMBERS = 20_000;

/** The columns of hoso_unit_statistics' groups, in its GROUPING() order (migrations 10, 17, 21). */
const COLUMNS = [
  'child', 'status', 'gender', 'ethnicity', 'religion', 'general_education', 'professional_level', 'political_theory',
  'occupation', 'age_band', 'party_age_band',
] as const;
type Column = (typeof COLUMNS)[number];

/** Its grouping sets, as `group by grouping sets (...)` lists them. */
const SETS: readonly (readonly Column[])[] = [
  ['child', 'status'], ['gender'], ['ethnicity'], ['religion'], ['general_education'], ['professional_level'],
  ['political_theory'], ['occupation'], ['age_band'], ['party_age_band'],
];

/** GROUPING() of a set: a bit, from the left, for each column not in it. */
const groupingOf = (set: readonly Column[]) =>
  COLUMNS.reduce((bits, column, i) => (set.includes(column) ? bits : bits | (1 << (COLUMNS.length - 1 - i))), 0);

const COLUMN_TYPES: Record<Column, string> = Object.fromEntries(COLUMNS.map((c) => [c, c === 'child' ? 'bigint' : 'text'])) as Record<Column, string>;
const KEYS = COLUMNS.join(', ');

/** The fact columns the counts read (member_fact's, migration 10). */
const FACT_COLUMNS = [
  'member_id', 'valid_from', 'valid_to', 'status', 'unit_id', 'unit_path', 'party_age_origin', 'gender', 'date_of_birth',
  'ethnicity', 'religion', 'general_education', 'professional_level', 'political_theory', 'occupation',
] as const;
/** What a report sees of a fact, its dates aside: two facts equal in these count alike. */
const COUNTED = FACT_COLUMNS.filter((c) => c !== 'valid_from' && c !== 'valid_to' && c !== 'member_id');

/**
 * The counted rows of some facts: `source` yields member_fact's columns plus `t` (the day the
 * fact is counted on), `sign` (+1 counted in, -1 counted out) and `slot` (the week the result is
 * filed under, or null). Each fact of an active status counts once in each grouping set of every
 * unit of `v_units` on its path (the tree of the fact's own period: paths are of ids), its
 * bands taken on `t`. Rows are summed by unit, slot and group: members, and the sum of the days
 * of birth after 2000-01-01 (so the days of life on D are members × (D − 2000-01-01) − dob_sum).
 * `only_bands`: the fact is counted both in and out (valid on both days of a correction), so only
 * its bands can differ: only the band sets are counted (the others would cancel out).
 * Written once here and used by every function below, so the snapshots, the corrections and the
 * maintenance count exactly as the direct count does (hoso_unit_statistics_direct).
 */
function counted(source: string): string {
  const values = SETS.map(
    (set) => `(${groupingOf(set)}, ${COLUMNS.map((c) => (set.includes(c) ? `x.${c}` : `null::${COLUMN_TYPES[c]}`)).join(', ')})`,
  ).join(',\n                     ');
  return `
      with src as (${source}),
      tb as (select d.t,
                    array(select (d.t - make_interval(years => n))::date + 1 from unnest(p_age_from) n order by n desc) as ad,
                    array(select (d.t - make_interval(years => n))::date + 1 from unnest(p_party_age_from) n order by n desc) as pd
               from (select distinct src.t from src) d),
      x as (select s.sign, s.slot, s.only_bands, s.date_of_birth, l.id as unit_id, lb.labels[l.pos::int + 1] as child,
                   s.status, s.gender, s.ethnicity, s.religion, s.general_education, s.professional_level, s.political_theory, s.occupation,
                   p_age_keys[cardinality(p_age_from) - width_bucket(s.date_of_birth, tb.ad)] as age_band,
                   p_party_age_keys[cardinality(p_party_age_from) - width_bucket(s.party_age_origin, tb.pd)] as party_age_band
              from src s
              join tb on tb.t = s.t
              cross join lateral (select string_to_array(ltree2text(s.unit_path), '.')::bigint[] as labels) lb
              cross join lateral unnest(lb.labels) with ordinality l(id, pos)
             where s.status in ${ACTIVE} and l.id = any(v_units))
      select x.unit_id, x.slot, g.grouping_set, ${COLUMNS.map((c) => `g.${c}`).join(', ')},
             sum(x.sign)::int as members, sum(x.sign * (x.date_of_birth - date '2000-01-01'))::bigint as dob_sum
        from x
        cross join lateral (values ${values}) g(grouping_set, ${KEYS})
       where not x.only_bands or g.grouping_set in (${BAND_SETS})
       group by x.unit_id, x.slot, g.grouping_set, ${COLUMNS.map((c) => `g.${c}`).join(', ')}`;
}

/** The grouping sets of the bands: all a fact counted alike on two days can change. */
const BAND_SETS = [groupingOf(['age_band']), groupingOf(['party_age_band'])].join(', ');

/** The band parameters, as hoso_unit_statistics takes them (migration 17). */
const BAND_PARAMETERS = `p_age_from integer[], p_age_keys text[], p_party_age_from integer[], p_party_age_keys text[]`;
const BAND_ARGUMENTS = `p_age_from, p_age_keys, p_party_age_from, p_party_age_keys`;

/**
 * Statistics from weekly snapshots (issue: national scale). `statistics(unit, asOf)` counted every
 * fact under the unit valid on the date: 2 s for a district and 5.6 s for the city at a million
 * members. Now, for the large units, it reads a snapshot and corrects it:
 *
 * - **Snapshots.** `stat_snapshot` holds, for each unit of `stat_unit` and each week from
 *   `stat_config.first_week` (a Monday, 2016-01-04 by default) to `last_week`, the rows the direct
 *   count would give on that Monday, with the sum of the days of birth instead of the days of life.
 *   The units are those with at least `min_members` members on the rolls (20,000 by default),
 *   chosen when the snapshots are built; smaller units are counted directly, which is fast for them.
 * - **Any date, exactly.** For a date D, the snapshot of C, the last built week on or before D, plus
 *   a correction: the facts that may count differently on D than on C — those beginning or ending
 *   in (C, D], and those whose member passes an age or party-age band's lower bound in (C, D] —
 *   counted on D minus counted on C. Every other fact counts alike on both days; the days of life
 *   follow from the sum of the days of birth. Dates before the first week, units not chosen, and
 *   bands other than the snapshot's (the code's bands changed) use the direct count, so the answer
 *   is always the direct count's; only its cost differs.
 * - **Kept in the same transaction.** hoso_rebuild_member_facts (which every change of a member's
 *   periods runs, by trigger) now compares the member's facts before and after, and applies the
 *   difference, period by period, to the snapshots of the weeks it covers: an edit from today
 *   touches at most the current week, a back-dated decision the weeks since its date. A rebuild of
 *   many members at once (a reorganisation) marks the weeks from its earliest difference stale
 *   instead (`stat_config.stale_from`, in the same transaction), and a bulk load marks them all.
 *   Reads of a stale week correct from the last good week before it, so they stay exact, only
 *   slower, and no client can make them wrong.
 * - **Weeks go on.** hoso_statistics_refresh(n) rebuilds stale weeks (from the last good one, or
 *   from the facts), then builds the weeks up to today's, n weeks per call; the API calls it at
 *   start and hourly (src/reports/statistics-weeks.ts), a load calls hoso_statistics_rebuild.
 *   A date after last_week is corrected from last_week.
 * - **Locks.** Every facts writer takes stat_config FOR NO KEY UPDATE before writing facts (and
 *   so before the report_generation row, migration 13), the refresh FOR UPDATE: one order, no
 *   deadlock, and no week built from a transaction's unfinished changes.
 * - Derived, like member_fact: the API role is granted nothing on these tables; it reads them
 *   only through hoso_unit_statistics, which checks the scope first (hoso_report_unit).
 */
export class Migration20261130000033StatisticsCounts extends Migration {
  override async up(): Promise<void> {
    // The corrections find their facts by their dates (valid_from and valid_to have indexes
    // already, migrations 10 and 20): each range is a few days of the country.
    this.addSql(`analyze member_fact`);
    this.addSql(`create index member_fact_birth_idx on member_fact (date_of_birth)`);
    this.addSql(`create index member_fact_origin_idx on member_fact (party_age_origin)`);

    this.addSql(`
      create table stat_config (
        singleton boolean primary key default true check (singleton),
        first_week date not null check (extract(isodow from first_week) = 1),
        last_week date not null check (last_week >= first_week and (last_week - first_week) % 7 = 0),
        min_members integer not null check (min_members >= 0),
        -- A facts rebuild of more members than this marks the snapshots stale instead of
        -- applying its differences (see hoso_rebuild_member_facts).
        batch_members integer not null default 200 check (batch_members >= 0),
        -- Weeks from this day on are stale (not yet rebuilt after a large change): reads correct
        -- from the last week before it, hoso_statistics_refresh rebuilds them.
        stale_from date,
        ${BAND_PARAMETERS.replace(/p_/g, '')}
      )`);
    this.addSql(`comment on table stat_config is 'The weekly statistics snapshots: their weeks, the size of the units that have them, and the bands they were counted with (migration 33). Derived; not granted to the API role.'`);
    this.addSql(`create table stat_unit (unit_id bigint primary key references org_unit (id))`);
    this.addSql(`comment on table stat_unit is 'Units whose statistics are read from stat_snapshot (migration 33).'`);
    this.addSql(`
      create table stat_snapshot (
        unit_id bigint not null references stat_unit (unit_id),
        week date not null,
        grouping_set integer not null,
        ${COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(', ')},
        members integer not null,
        dob_sum bigint not null
      )`);
    // Week first: a week's rows are read together when the next week is built from them.
    this.addSql(`create unique index stat_snapshot_key on stat_snapshot (week, unit_id, grouping_set, ${KEYS}) nulls not distinct`);
    this.addSql(`comment on table stat_snapshot is 'hoso_unit_statistics rows of a unit of stat_unit on the Monday of each week, with the sum of the days of birth after 2000-01-01 (dob_sum) instead of the days of life (migration 33). Derived; not granted to the API role.'`);
    for (const table of ['stat_config', 'stat_unit', 'stat_snapshot']) this.addSql(`revoke all on ${table} from public`);

    // The correction between two days, for some units (null: every unit of stat_unit).
    this.addSql(`
      create function hoso_stat_delta(p_units bigint[], p_from date, p_to date, ${BAND_PARAMETERS})
      returns table (unit_id bigint, slot date, grouping_set integer, ${COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(', ')}, members integer, dob_sum bigint)
      language plpgsql stable security definer set search_path = public, pg_temp
      set enable_nestloop = on
      as $$
      declare
        v_units bigint[] := coalesce(p_units, array(select s.unit_id from stat_unit s));
        -- A band changes on the day its lower bound is reached: births in [lo, hi).
        v_lo date[] := array(select (p_from - make_interval(years => n))::date + 1 from unnest(p_age_from) n);
        v_hi date[] := array(select (p_to - make_interval(years => n))::date + 1 from unnest(p_age_from) n);
        v_plo date[] := array(select (p_from - make_interval(years => n))::date + 1 from unnest(p_party_age_from) n);
        v_phi date[] := array(select (p_to - make_interval(years => n))::date + 1 from unnest(p_party_age_from) n);
      begin
        return query ${counted(`
          select f.*, t.t, t.sign, null::date as slot,
                 f.valid_from <= p_from and (f.valid_to is null or f.valid_to > p_to) as only_bands
            from (select * from member_fact where valid_from > p_from and valid_from <= p_to
                  union
                  select * from member_fact where valid_to > p_from and valid_to <= p_to
                  union
                  -- (lateral, fenced by offset 0 so the planner cannot turn it into a scan of all facts
                  -- probing the windows: one index range per window)
                  select f.* from unnest(v_lo, v_hi) w(lo, hi)
                   cross join lateral (select * from member_fact f where f.date_of_birth >= w.lo and f.date_of_birth < w.hi offset 0) f
                  union
                  select f.* from unnest(v_plo, v_phi) w(lo, hi)
                   cross join lateral (select * from member_fact f where f.party_age_origin >= w.lo and f.party_age_origin < w.hi offset 0) f) f
            cross join (values (p_from, -1), (p_to, 1)) t(t, sign)
           where f.valid_from <= t.t and (f.valid_to is null or f.valid_to > t.t)`)};
      end $$`);

    // Every fact valid on a day, for some units: the snapshot of that day from nothing.
    this.addSql(`
      create function hoso_stat_full(p_units bigint[], p_on date, ${BAND_PARAMETERS})
      returns table (unit_id bigint, slot date, grouping_set integer, ${COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(', ')}, members integer, dob_sum bigint)
      language plpgsql stable security definer set search_path = public, pg_temp
      set work_mem = '256MB'
      as $$
      declare v_units bigint[] := coalesce(p_units, array(select s.unit_id from stat_unit s));
      begin
        return query ${counted(`
          select f.*, p_on as t, 1 as sign, p_on as slot, false as only_bands from member_fact f
           where f.valid_from <= p_on and (f.valid_to is null or f.valid_to > p_on) and f.status in ${ACTIVE}`)};
      end $$`);

    // The snapshots brought up to date, at most p_max_weeks weeks built (each a statement's
    // worth of work): stale weeks first, rebuilt from the last good one (from the facts when none
    // is good, after choosing again the units large enough), then the weeks up to today's.
    // Answers how many weeks it built: callers repeat until 0.
    this.addSql(`
      create function hoso_statistics_refresh(p_max_weeks integer) returns integer
      language plpgsql security definer set search_path = public, pg_temp
      set work_mem = '256MB' set enable_nestloop = on
      as $$
      declare
        c stat_config;
        v_week date;
        v_target date;
        v_built integer := 0;
      begin
        -- Exclusive of every writer of facts (they hold it FOR NO KEY UPDATE): a week is built
        -- from facts and snapshots that no open transaction is changing.
        select * into c from stat_config for update;
        if not found then return 0; end if;
        v_target := greatest(c.first_week, c.first_week + ((hoso_effective_on() - c.first_week) / 7) * 7);
        if c.stale_from is not null and c.stale_from <= c.first_week then
          insert into stat_unit (unit_id)
          select u.id from org_unit u
           where u.kind <> 'CELL' and u.valid_to is null
             and (select coalesce(sum(n.n), 0) from member_count n join org_unit d on d.id = n.unit_id
                   where d.path <@ u.path and n.status in ${ACTIVE} and not n.transferred_out) >= c.min_members
          on conflict do nothing;
        end if;
        -- No unit large enough (a small register): nothing to build, every report counts directly.
        if not exists (select 1 from stat_unit) then
          update stat_config set stale_from = null, last_week = greatest(last_week, v_target);
          return 0;
        end if;
        if c.stale_from is not null then
          if c.stale_from <= c.first_week then
            -- (delete, not truncate: a reader whose snapshot is older still sees the old rows)
            delete from stat_snapshot;
            v_week := c.first_week;
            insert into stat_snapshot (unit_id, week, grouping_set, ${KEYS}, members, dob_sum)
            select d.unit_id, v_week, d.grouping_set, ${COLUMNS.map((k) => `d.${k}`).join(', ')}, d.members, d.dob_sum
              from hoso_stat_full(null, v_week, c.age_from, c.age_keys, c.party_age_from, c.party_age_keys) d;
            v_built := 1;
          else
            v_week := c.first_week + ((c.stale_from - 1 - c.first_week) / 7) * 7;
          end if;
          while v_week < c.last_week and v_built < p_max_weeks loop
            delete from stat_snapshot where week = v_week + 7;
            perform hoso_stat_step(v_week, c);
            v_week := v_week + 7;
            v_built := v_built + 1;
          end loop;
          c.stale_from := case when v_week < c.last_week then v_week + 1 end;
        end if;
        if c.stale_from is null then
          while c.last_week < v_target and v_built < p_max_weeks loop
            perform hoso_stat_step(c.last_week, c);
            c.last_week := c.last_week + 7;
            v_built := v_built + 1;
          end loop;
        end if;
        update stat_config set stale_from = c.stale_from, last_week = c.last_week;
        return v_built;
      end $$`);
    this.addSql(`revoke all on function hoso_statistics_refresh(integer) from public`);
    this.addSql(`grant execute on function hoso_statistics_refresh(integer) to hoso_api`);

    // Every week rebuilt from p_from on (null: from the facts, all units chosen again), to the end.
    this.addSql(`
      create function hoso_statistics_rebuild(p_from date) returns void
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        update stat_config set stale_from = least(coalesce(p_from, first_week), coalesce(stale_from, 'infinity'));
        while hoso_statistics_refresh(1000) > 0 loop
        end loop;
      end $$`);

    // The week after p_week from p_week's snapshot and the week's correction.
    this.addSql(`
      create function hoso_stat_step(p_week date, c stat_config) returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        insert into stat_snapshot (unit_id, week, grouping_set, ${KEYS}, members, dob_sum)
        select s.unit_id, p_week + 7, s.grouping_set, ${COLUMNS.map((k) => `s.${k}`).join(', ')}, sum(s.members), sum(s.dob_sum)
          from (select n.unit_id, n.grouping_set, ${COLUMNS.map((k) => `n.${k}`).join(', ')}, n.members, n.dob_sum
                  from stat_snapshot n where n.week = p_week
                union all
                select d.unit_id, d.grouping_set, ${COLUMNS.map((k) => `d.${k}`).join(', ')}, d.members, d.dob_sum
                  from hoso_stat_delta(null, p_week, p_week + 7, c.age_from, c.age_keys, c.party_age_from, c.party_age_keys) d) s
         group by s.unit_id, s.grouping_set, ${COLUMNS.map((k) => `s.${k}`).join(', ')}
        having sum(s.members) <> 0
      $$`);

    // Snapshots set up: the weeks from p_first_week to today's, units of p_min_members or more.
    this.addSql(`
      create function hoso_statistics_setup(p_first_week date, p_min_members integer, ${BAND_PARAMETERS}) returns void
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        delete from stat_snapshot;
        delete from stat_unit;
        delete from stat_config;
        insert into stat_config (first_week, last_week, min_members, age_from, age_keys, party_age_from, party_age_keys, stale_from)
        values (p_first_week, p_first_week, p_min_members, ${BAND_ARGUMENTS}, p_first_week);
        perform hoso_statistics_rebuild(null);
      end $$`);

    // The facts' rebuild, now also keeping the snapshots: the old one under another name.
    this.addSql(`create type stat_change as (member_id bigint, s date, e date, o member_fact, n member_fact)`);
    this.addSql(`alter function hoso_rebuild_member_facts(bigint[]) rename to hoso_rebuild_member_facts_only`);
    const old = (c: string) => `(o.f).${c}`;
    const neu = (c: string) => `(n.f).${c}`;
    this.addSql(`
      create function hoso_rebuild_member_facts(p_members bigint[]) returns void
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare
        c stat_config;
        v_old member_fact[];
        v_new member_fact[];
        v_units bigint[];
        v_from date;
        v_changed stat_change[];
        p_age_from integer[]; p_age_keys text[]; p_party_age_from integer[]; p_party_age_keys text[];
      begin
        -- Taken before the facts are written (their report_generation row comes after), by every
        -- writer in the same order; exclusive of hoso_statistics_refresh, so a week is never
        -- built from facts or snapshots that an open transaction still changes.
        select * into c from stat_config for no key update;
        v_units := array(select s.unit_id from stat_unit s);
        if c.first_week is null or v_units = '{}' then
          perform hoso_rebuild_member_facts_only(p_members);
          return;
        end if;
        v_old := array(select f from member_fact f where f.member_id = any(p_members));
        perform hoso_rebuild_member_facts_only(p_members);
        v_new := array(select f from member_fact f where f.member_id = any(p_members));
        -- The stretches of time in which a member's fact changed: split at every boundary of
        -- either side, each stretch compared as a report counts it.
        v_changed := array(
        with o as (select f from unnest(v_old) f), n as (select f from unnest(v_new) f),
        pts as (select (o.f).member_id as m, (o.f).valid_from as d from o union select (o.f).member_id, (o.f).valid_to from o where (o.f).valid_to is not null
                union select (n.f).member_id, (n.f).valid_from from n union select (n.f).member_id, (n.f).valid_to from n where (n.f).valid_to is not null),
        seg as (select m, d as s, lead(d) over (partition by m order by d) as e from pts)
        select row(seg.m, seg.s, seg.e, o.f, n.f)::stat_change
          from seg
          left join o on ${old('member_id')} = seg.m and ${old('valid_from')} <= seg.s and (${old('valid_to')} is null or ${old('valid_to')} > seg.s)
          left join n on ${neu('member_id')} = seg.m and ${neu('valid_from')} <= seg.s and (${neu('valid_to')} is null or ${neu('valid_to')} > seg.s)
         where (${COUNTED.map(old).join(', ')}) is distinct from (${COUNTED.map(neu).join(', ')}));
        select min(s) into v_from from unnest(v_changed) where coalesce(e, 'infinity') > c.first_week and s <= c.last_week;
        if v_from is null then return; end if;
        -- Many members at once (a reorganisation): the weeks from the earliest change are marked
        -- stale, to be rebuilt week by week (hoso_statistics_refresh), rather than member by
        -- member over every week; until then reads correct from the last good week.
        if cardinality(p_members) > c.batch_members then
          update stat_config set stale_from = least(v_from, coalesce(stale_from, 'infinity'));
          return;
        end if;
        p_age_from := c.age_from; p_age_keys := c.age_keys; p_party_age_from := c.party_age_from; p_party_age_keys := c.party_age_keys;
        insert into stat_snapshot as t (unit_id, week, grouping_set, ${KEYS}, members, dob_sum)
        select d.unit_id, d.slot, d.grouping_set, ${COLUMNS.map((k) => `d.${k}`).join(', ')}, d.members, d.dob_sum
          from (${counted(`
            select (ch.fact).*, w.week::date as t, ch.sign, w.week::date as slot, false as only_bands
              -- (A row IS NOT NULL only when all its fields are: a fact's member_id says it is there.)
              from (select sc.s, sc.e, sc.o as fact, -1 as sign from unnest(v_changed) sc where (sc.o).member_id is not null
                    union all
                    select sc.s, sc.e, sc.n, 1 from unnest(v_changed) sc where (sc.n).member_id is not null) ch
             cross join lateral generate_series(
                     c.first_week + greatest(0, ch.s - c.first_week + 6) / 7 * 7,
                     least(c.last_week, coalesce(ch.e - 1, c.last_week)),
                     interval '7 days') w(week)`)}) d
         where d.members <> 0 or d.dob_sum <> 0
         -- Rows locked in one order by every writer: two never wait for each other crosswise.
         order by d.slot, d.unit_id, d.grouping_set, ${COLUMNS.map((k) => `d.${k}`).join(', ')}
        on conflict (week, unit_id, grouping_set, ${KEYS})
        do update set members = t.members + excluded.members, dob_sum = t.dob_sum + excluded.dob_sum;
      end $$`);
    this.addSql(`revoke all on function hoso_rebuild_member_facts(bigint[]) from public`);
    this.addSql(`revoke all on function hoso_rebuild_member_facts_only(bigint[]) from public`);

    // A bulk load rebuilds every fact: the snapshots are rebuilt after it.
    this.addSql(`
      do $$
      declare v_def text;
      begin
        select pg_get_functiondef(p.oid) into v_def from pg_proc p
         where p.proname = 'hoso_rebuild_all_member_facts' and p.pronamespace = 'public'::regnamespace;
        if position('$function$' in v_def) = 0 then raise exception 'hoso_rebuild_all_member_facts changed'; end if;
        -- Appended as the body's last statement (a SQL function returning void): every week is
        -- stale; a load then calls hoso_statistics_rebuild(null), or the API's refresh does it.
        if regexp_replace(v_def, ';\\s*\\$function\\$\\s*$', '') = v_def then raise exception 'hoso_rebuild_all_member_facts changed'; end if;
        execute regexp_replace(v_def, ';\\s*\\$function\\$\\s*$', '; update stat_config set stale_from = first_week; $function$');
      end $$`);

    // The statistics: from the snapshot and its correction where there is one, else counted.
    this.addSql(`alter function hoso_unit_statistics(bigint, date, integer[], text[], integer[], text[]) rename to hoso_unit_statistics_direct`);
    this.addSql(`revoke all on function hoso_unit_statistics_direct(bigint, date, integer[], text[], integer[], text[]) from public, hoso_api`);
    this.addSql(`
      create function hoso_unit_statistics(p_unit bigint, p_as_of date, ${BAND_PARAMETERS})
      returns table (grouping_set integer, ${COLUMNS.map((c) => `${c === 'child' ? 'child_id' : c} ${COLUMN_TYPES[c]}`).join(', ')}, members bigint, age_days bigint)
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
        end if;
        return query
        select s.grouping_set, ${COLUMNS.map((k) => `s.${k}`).join(', ')}, sum(s.members)::bigint,
               (sum(s.members) * (p_as_of - date '2000-01-01') - sum(s.dob_sum))::bigint
          from (select n.grouping_set, ${COLUMNS.map((k) => `n.${k}`).join(', ')}, n.members, n.dob_sum
                  from stat_snapshot n where n.unit_id = p_unit and n.week = v_week
                union all
                select d.grouping_set, ${COLUMNS.map((k) => `d.${k}`).join(', ')}, d.members, d.dob_sum
                  from hoso_stat_delta(array[p_unit], v_week, p_as_of, ${BAND_ARGUMENTS}) d) s
         group by s.grouping_set, ${COLUMNS.map((k) => `s.${k}`).join(', ')}
        having sum(s.members) <> 0;
      end $$`);
    this.addSql(`revoke all on function hoso_unit_statistics(bigint, date, integer[], text[], integer[], text[]) from public`);
    this.addSql(`grant execute on function hoso_unit_statistics(bigint, date, integer[], text[], integer[], text[]) to hoso_api`);
    const array = (values: readonly (string | number)[]) => `'{${values.join(',')}}'`;
    const b = SNAPSHOT_BANDS;
    this.addSql(`select hoso_statistics_setup('${SNAPSHOT_FIRST_WEEK}', ${SNAPSHOT_MIN_MEMBERS}, ${array(b.ageFrom)}, ${array(b.ageKeys)}, ${array(b.partyAgeFrom)}, ${array(b.partyAgeKeys)})`);
    for (const fn of [
      'hoso_stat_delta(bigint[], date, date, integer[], text[], integer[], text[])',
      'hoso_stat_full(bigint[], date, integer[], text[], integer[], text[])',
      'hoso_statistics_rebuild(date)',
      'hoso_stat_step(date, stat_config)',
      'hoso_statistics_setup(date, integer, integer[], text[], integer[], text[])',
    ]) {
      this.addSql(`revoke all on function ${fn} from public`);
    }
  }
}
