import { Migration } from '@mikro-orm/migrations';

const DELTA = 'hoso_stat_delta(bigint[], date, date, integer[], text[], integer[], text[])';

/** A function's definition with texts replaced (as migrations 37 and 39 patch): refused if one is missing. */
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

/** Migration 39's last declaration, followed by the unit's label. */
const BRANCHES = `v_branches bigint[] := hoso_stat_branches(v_units, p_from, p_to);`;
const UNIT_LABEL = `${BRANCHES}
        -- One unit (a request's correction): its label, found in each fact's path by index().
        v_unit_label ltree := case when cardinality(v_units) = 1 then v_units[1]::text::ltree end;`;

/** Migration 33's counted rows: each fact's path as an array of ids, one row per id, kept if it is a unit counted. */
const LABELS = `cross join lateral (select string_to_array(ltree2text(s.unit_path), '.')::bigint[] as labels) lb`;
const UNNEST = `cross join lateral unnest(lb.labels) with ordinality l(id, pos)`;
const KEPT = `and l.id = any(v_units))`;
const CHILD = `lb.labels[l.pos::int + 1] as child`;
/**
 * For one unit, no array: `labels` is null (the plan, made for the call's values, drops the
 * array's construction), the unit is the one row, and the fact is kept if the unit's label is in
 * its path; its child is the label after it.
 */
const LABELS_ONE = `cross join lateral (select case when cardinality(v_units) = 1 then null else string_to_array(ltree2text(s.unit_path), '.')::bigint[] end as labels) lb`;
const UNNEST_ONE = `cross join lateral unnest(coalesce(lb.labels, v_units)) with ordinality l(id, pos)`;
const KEPT_ONE = `and l.id = any(v_units) and (lb.labels is not null or index(s.unit_path, v_unit_label) >= 0))`;
const CHILD_ONE = `case when lb.labels is null then hoso_path_child(s.unit_path, v_unit_label) else lb.labels[l.pos::int + 1] end as child`;

/**
 * A request's statistics correction counts its facts without taking every path apart (issue:
 * national scale). Once migration 39 narrowed the search to the unit's branch, most of a
 * correction's time was spent per fact found, and about a third of that on splitting each fact's
 * path into an array of ids and one row per id, to find the unit asked for among them (the
 * weekly step counts for every large unit at once, and needs that). For one unit, ltree's
 * `index()` finds the unit's label in the path, and the child it is counted under is the label
 * after it (`hoso_path_child`). The rows counted are the same; the property tests compare every
 * answer with the direct count.
 */
export class Migration20261201000040CorrectionOfOneUnit extends Migration {
  override async up(): Promise<void> {
    // Not STRICT, so that it is inlined (see migration 39's hoso_path_branch).
    this.addSql(`
      create function hoso_path_child(p_path ltree, p_unit ltree) returns bigint
      language sql immutable parallel safe
      return case when nlevel(p_path) > index(p_path, p_unit) + 1 and index(p_path, p_unit) >= 0
                  then ltree2text(subpath(p_path, index(p_path, p_unit) + 1, 1))::bigint end`);
    this.addSql(patch(DELTA, [
      [BRANCHES, UNIT_LABEL],
      [LABELS, LABELS_ONE],
      [UNNEST, UNNEST_ONE],
      [KEPT, KEPT_ONE],
      [CHILD, CHILD_ONE],
    ]));
  }
}
