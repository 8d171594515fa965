import { Migration } from '@mikro-orm/migrations';

// Copied from migration 17 as it was when this one was written: a migration is frozen, so it
// imports nothing from other migrations or from src/.
const ACTIVE = `('PROBATIONARY', 'OFFICIAL', 'RELEASED')`;
const BREAKDOWN_COLUMNS = [
  'gender', 'ethnicity', 'religion', 'general_education', 'professional_level', 'political_theory', 'occupation',
] as const;
const list = (prefix: string) => BREAKDOWN_COLUMNS.map((c) => `${prefix}${c}`).join(', ');

/**
 * Reports in the forms' categories (issue 12).
 *
 * - political_theory_level gets NONE, "Chưa qua đào tạo" (first): a member with no political
 *   theory training is recorded as such, apart from "not declared" (no value). Existing members
 *   with no value keep none: nobody knows which of them had no training.
 * - religion gets Phật giáo Hiếu Nghĩa Tà Lơn, the recognised religion it lacked (16 in all).
 *   TRUONG_LAO (Giáo hội Trưởng lão Việt Nam) is a Protestant church, not a religion: it stays,
 *   for the members who hold it, with counted_as = TIN_LANH, and the application no longer lets
 *   it be recorded. Members who hold it are not rewritten; the data-quality list names them.
 * - member.general_education also accepts the 9-year system of 1950–1956 ("9/9", "7/9"); reports
 *   read every system as the forms' levels (src/catalogues/education.ts).
 * - hoso_unit_statistics also returns age_days, the sum over each group of the members' days of
 *   life on the date, from which the application takes the average age. Otherwise migration
 *   17's function: same scope check, facts, grouping sets and columns.
 *
 * The rows written here are those of src/catalogues/catalogue-data.ts at the time of writing.
 */
export class Migration20261126000021ReportCategories extends Migration {
  override async up(): Promise<void> {
    this.addSql(`insert into political_theory_level (code, label, position) values ('NONE', 'Chưa qua đào tạo', 0)`);

    this.addSql(`alter table religion add column counted_as text references religion (code) check (counted_as <> code)`);
    this.addSql(`update religion set position = 17, counted_as = 'TIN_LANH' where code = 'TRUONG_LAO'`);
    this.addSql(`insert into religion (code, label, position) values ('HIEU_NGHIA_TA_LON', 'Phật giáo Hiếu Nghĩa Tà Lơn', 16)`);
    this.addSql(`comment on column religion.counted_as is 'A retired code: not recorded any more; reports count it as this code.'`);

    // Same constraint name: the API maps it to a user error on generalEducation.
    this.addSql(`
      alter table member
        drop constraint member_general_education_check,
        add constraint member_general_education_check check (general_education ~ '^[0-9]{1,2}/(9|10|12)$')`);

    this.addSql(`drop function hoso_unit_statistics(bigint, date, int[], text[], int[], text[])`);
    this.addSql(`
      create function hoso_unit_statistics(p_unit bigint, p_as_of date, p_age_from int[], p_age_keys text[],
                                           p_party_age_from int[], p_party_age_keys text[])
      returns table (grouping_set int, child_id bigint, status text, ${BREAKDOWN_COLUMNS.map((c) => `${c} text`).join(', ')},
                     age_band text, party_age_band text, members bigint, age_days bigint)
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
               f.child, f.status, ${list('f.')}, f.age_band, f.party_age_band, count(*), sum(f.age_days)::bigint
          from (select case when nlevel(m.unit_path) > v_level then ltree2text(subpath(m.unit_path, v_level, 1))::bigint end as child,
                       m.status, ${list('m.')},
                       p_age_keys[v_ages - width_bucket(m.date_of_birth, v_age_dates)] as age_band,
                       p_party_age_keys[v_party_ages - width_bucket(m.party_age_origin, v_party_age_dates)] as party_age_band,
                       p_as_of - m.date_of_birth as age_days
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
