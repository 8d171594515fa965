import { Migration } from '@mikro-orm/migrations';

const DELTA = 'hoso_stat_delta(bigint[], date, date, integer[], text[], integer[], text[])';

/** Migration 37's search of a correction's facts, as it stands. */
const SEARCH = `from (select * from member_fact
                   where (valid_from > p_from and valid_from <= p_to)
                      or (valid_to > p_from and valid_to <= p_to)
                      or date_of_birth = any(v_birth_days)
                      or party_age_origin = any(v_origin_days)) f`;
/**
 * The same search within the unit's branches: each condition with the branch beside it, so each
 * index range checks it in the index and fetches only the unit's facts. With no branches (a call
 * for several units, or the root's) `v_branches is null` holds: the plan, made for each call's
 * values, keeps the whole register's search.
 */
const BRANCH = `(v_branches is null or hoso_path_branch(unit_path) = any(v_branches))`;
const SEARCH_BY_BRANCH = `from (select * from member_fact
                   where (valid_from > p_from and valid_from <= p_to and ${BRANCH})
                      or (valid_to > p_from and valid_to <= p_to and ${BRANCH})
                      or (date_of_birth = any(v_birth_days) and ${BRANCH})
                      or (party_age_origin = any(v_origin_days) and ${BRANCH})) f`;
/** The last of migration 37's declarations, followed by the branches'. */
const LAST_DECLARATION = `v_origin_days date[] := array(select generate_series(w.lo, w.hi - 1, interval '1 day')::date from unnest(v_plo, v_phi) w(lo, hi));`;
const BRANCHES = `${LAST_DECLARATION}
        v_branches bigint[] := hoso_stat_branches(v_units, p_from, p_to);`;

/** The four indexes of the correction's conditions, by the column each starts with. */
const INDEXES = { member_fact_from_idx: 'valid_from', member_fact_to_idx: 'valid_to', member_fact_birth_idx: 'date_of_birth', member_fact_origin_idx: 'party_age_origin' };

/** A function's definition with texts replaced (as migration 37 patches): refused if one is missing. */
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
 * A statistics correction reads only the facts of the unit's branch of the tree (issue: national
 * scale). Correcting a week's snapshot to the day asked searched the whole register for the facts
 * that begin, end or reach a band in the days between, then kept the unit's: at 5,600,000
 * members, 11,208 facts on 5,743 pages read to keep 75 for a district — 124 of the 136 ms of a
 * district's statistics (bench/EXPLAIN.md, S4D), the same for every unit whatever its size.
 *
 * - **The branch** of a fact is the unit at the third level of its path: under the root and a
 *   province (or the city), the commune-level committee since the 2025 reform, a district before
 *   it; a shallower path's own last unit. `hoso_path_branch` computes it; it depends on the path
 *   alone, so it can be indexed.
 * - **The four indexes** of the correction's conditions (begun, ended, an age band reached, a
 *   party-age band reached) now carry the branch after their date. A date range of such an index
 *   is still one range, and the branch is checked on the index entry, before the fact is read.
 *   The entry grows from a date to a date and a number.
 * - **The unit's branches** (`hoso_stat_branches`): the branch of the unit's path on the two days
 *   of the correction (the week and the date asked) for a unit at the third level or below; for a
 *   province or the city, itself and its children on those days; none (the whole register) for
 *   the root, or for a call of several units (the weekly step, which counts for every large unit).
 *   A fact counted for the unit on one of the two days has the unit's path of that day as its
 *   prefix (facts take the tree of their own dates, split where it changes), so its branch is
 *   among these. The counting itself still keeps a fact by the labels of its path, as before: the
 *   branches only narrow the search, and the property tests compare every answer with the
 *   direct count, moves in the past included.
 */
export class Migration20261201000039CorrectionsByBranch extends Migration {
  override async up(): Promise<void> {
    // Not STRICT: PostgreSQL inlines a SQL function into the query only if declaring it strict
    // promises nothing its body does not (LEAST is not strict). Called as a function, it cost
    // 50 µs a row; inlined, the index's expression and the query's are the same expression.
    this.addSql(`
      create function hoso_path_branch(p_path ltree) returns bigint
      language sql immutable parallel safe
      return ltree2text(subpath(p_path, least(nlevel(p_path), 3) - 1, 1))::bigint`);

    this.addSql(`
      create function hoso_stat_branches(p_units bigint[], p_from date, p_to date) returns bigint[]
      language sql stable security definer set search_path = public, pg_temp
      as $$
        with paths as (
          select p.path from unit_period p
           where cardinality(p_units) = 1 and p.unit_id = p_units[1]
             and (daterange(p.valid_from, p.valid_to) @> p_from or daterange(p.valid_from, p.valid_to) @> p_to))
        select case
          -- (the root, or no path on either day: the whole register)
          when count(*) = 0 or bool_or(nlevel(path) < 2) then null
          else array(
            select hoso_path_branch(path) from paths where nlevel(path) >= 3
            union
            select p_units[1] from paths where nlevel(path) = 2
            union
            select c.unit_id from unit_period c
             where exists (select 1 from paths where nlevel(path) = 2) and c.parent_id = p_units[1]
               and (daterange(c.valid_from, c.valid_to) @> p_from or daterange(c.valid_from, c.valid_to) @> p_to))
        end
        from paths
      $$`);
    this.addSql(`revoke all on function hoso_stat_branches(bigint[], date, date) from public`);

    for (const [name, column] of Object.entries(INDEXES)) {
      this.addSql(`drop index ${name}`);
      this.addSql(`create index ${name} on member_fact (${column}, hoso_path_branch(unit_path))`);
    }
    this.addSql(patch(DELTA, [[SEARCH, SEARCH_BY_BRANCH], [LAST_DECLARATION, BRANCHES]]));
  }
}
