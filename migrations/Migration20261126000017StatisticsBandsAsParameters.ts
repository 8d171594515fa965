import { Migration } from '@mikro-orm/migrations';

// Copied from migration 10 as it was when this one was written: a migration is frozen, so it
// imports nothing from other migrations or from src/.
const ACTIVE = `('PROBATIONARY', 'OFFICIAL', 'RELEASED')`;
const BREAKDOWN_COLUMNS = [
  'gender', 'ethnicity', 'religion', 'general_education', 'professional_level', 'political_theory', 'occupation',
] as const;
const list = (prefix: string) => BREAKDOWN_COLUMNS.map((c) => `${prefix}${c}`).join(', ');

/**
 * The age and party-age bands of `statistics` become parameters (docs/domain.md, "Statistics and
 * reports"). Migration 10 wrote the bands' figures into hoso_unit_statistics; the application
 * defines them once (src/reports/bands.ts) and now passes each band list as its lowest ages in
 * completed years, ascending, with the keys to answer. The function is otherwise migration 10's:
 * same scope check, same facts, same grouping sets and result columns.
 *
 * A band is found with width_bucket over the dates on which each lowest age is reached
 * (computed once per call, not per row): born on or before p_as_of - N years means N or more
 * years old on p_as_of; party age counts from party_age_origin the same way.
 */
export class Migration20261126000017StatisticsBandsAsParameters extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop function hoso_unit_statistics(bigint, date)`);
    this.addSql(`
      create function hoso_unit_statistics(p_unit bigint, p_as_of date, p_age_from int[], p_age_keys text[],
                                           p_party_age_from int[], p_party_age_keys text[])
      returns table (grouping_set int, child_id bigint, status text, ${BREAKDOWN_COLUMNS.map((c) => `${c} text`).join(', ')},
                     age_band text, party_age_band text, members bigint)
      language plpgsql stable security definer set search_path = public, pg_temp
      set plan_cache_mode = force_custom_plan
      as $$
      declare
        v_path ltree := hoso_report_unit(p_unit);
        v_level int := nlevel(v_path);
        v_ages int := cardinality(p_age_from);
        v_party_ages int := cardinality(p_party_age_from);
        -- The day after the last birth date (admission origin) that reaches each lowest age on
        -- p_as_of, oldest first: width_bucket counts the bands a value is too young for.
        v_age_dates date[] := array(select (p_as_of - make_interval(years => n))::date + 1 from unnest(p_age_from) n order by n desc);
        v_party_age_dates date[] := array(select (p_as_of - make_interval(years => n))::date + 1 from unnest(p_party_age_from) n order by n desc);
      begin
        if v_ages is null or v_ages <> cardinality(p_age_keys) or p_age_from <> array(select n from unnest(p_age_from) n order by n)
           or v_party_ages is null or v_party_ages <> cardinality(p_party_age_keys)
           or p_party_age_from <> array(select n from unnest(p_party_age_from) n order by n) then
          raise exception 'bands must be lowest ages in ascending order, one key each' using errcode = '22023';
        end if;
        return query
        select grouping(f.child, f.status, ${list('f.')}, f.age_band, f.party_age_band)::int,
               f.child, f.status, ${list('f.')}, f.age_band, f.party_age_band, count(*)
          from (select case when nlevel(m.unit_path) > v_level then ltree2text(subpath(m.unit_path, v_level, 1))::bigint end as child,
                       m.status, ${list('m.')},
                       p_age_keys[v_ages - width_bucket(m.date_of_birth, v_age_dates)] as age_band,
                       p_party_age_keys[v_party_ages - width_bucket(m.party_age_origin, v_party_age_dates)] as party_age_band
                  from member_fact m
                 where m.unit_path <@ v_path and m.status in ${ACTIVE}
                   and m.valid_from <= p_as_of and (m.valid_to is null or m.valid_to > p_as_of)) f
         group by grouping sets ((f.child, f.status), ${BREAKDOWN_COLUMNS.map((c) => `(f.${c})`).join(', ')}, (f.age_band), (f.party_age_band));
      end $$`);
    const fn = 'hoso_unit_statistics(bigint, date, int[], text[], int[], text[])';
    this.addSql(`revoke all on function ${fn} from public`);
    this.addSql(`grant execute on function ${fn} to hoso_api`);
  }
}
