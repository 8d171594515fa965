import { Migration } from '@mikro-orm/migrations';

/** Columns every sub-record shares: its member, the decision behind it, and how it was corrected. */
const COMMON = `
  id bigint generated always as identity primary key,
  member_id bigint not null references member (id),
  decision_number text,
  decision_date date,
  decision_body text,
  note text,
  -- Nothing is deleted: a correction writes a new row and marks this one superseded (by it, or
  -- by nothing when the entry was void), so the old value stays readable.
  superseded_at timestamptz,
  superseded_by bigint,
  supersede_reason text,
  version integer not null default 1,
  created_at timestamptz not null default now()`;

/**
 * Sub-records of the member file (docs/domain.md): work history, training, awards (party badges
 * among them), discipline, yearly quality ratings, family relations.
 */
export class Migration20261126000004SubRecords extends Migration {
  override async up(): Promise<void> {
    const tables: [string, string][] = [
      [
        'work_history',
        `from_date date not null,
         to_date date,
         position text not null check (btrim(position) <> ''),
         organisation text not null check (btrim(organisation) <> ''),
         check (to_date is null or to_date >= from_date)`,
      ],
      [
        'training',
        `from_date date not null,
         to_date date,
         institution text not null check (btrim(institution) <> ''),
         programme text not null check (btrim(programme) <> ''),
         qualification text,
         check (to_date is null or to_date >= from_date)`,
      ],
      [
        'award',
        `kind text not null check (kind in ('PARTY_BADGE', 'ORDER', 'MEDAL', 'CERTIFICATE', 'OTHER')),
         name text not null check (btrim(name) <> ''),
         -- For a party badge (Huy hiệu Đảng): the party age it marks.
         badge_years integer check (badge_years in (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)),
         awarded_on date not null,
         posthumous boolean not null default false,
         check ((kind = 'PARTY_BADGE') = (badge_years is not null))`,
      ],
      [
        'discipline',
        `form text not null check (form in ('REPRIMAND', 'WARNING', 'DISMISSAL', 'EXPULSION')),
         decided_on date not null,
         grounds text not null check (btrim(grounds) <> '')`,
      ],
      [
        'quality_rating',
        `year integer not null check (year between 1930 and 2100),
         score integer check (score between 0 and 100),
         category text not null check (category in ('XUAT_SAC', 'TOT', 'HOAN_THANH', 'KHONG_HOAN_THANH'))`,
      ],
      [
        'family_relation',
        `relation text not null check (btrim(relation) <> ''),
         full_name text not null check (btrim(full_name) <> ''),
         birth_year integer check (birth_year between 1850 and 2100),
         occupation text,
         address text`,
      ],
    ];
    for (const [table, columns] of tables) {
      this.addSql(`create table ${table} (${COMMON}, ${columns})`);
      this.addSql(`alter table ${table} add foreign key (superseded_by) references ${table} (id)`);
      this.addSql(`create index ${table}_member_idx on ${table} (member_id) where superseded_at is null`);
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`
        create policy ${table}_scope on ${table} to hoso_api
          using (exists (select 1 from member m where m.id = member_id))
          with check (exists (select 1 from member m where m.id = member_id))`);
      this.addSql(`grant select, insert, update on ${table} to hoso_api`);
    }
    // One current rating per member and year; corrections supersede the old one.
    this.addSql(`create unique index quality_rating_year_key on quality_rating (member_id, year) where superseded_at is null`);
    // The category follows the score on the 100-point scale of Quy định 366-QĐ/TW.
    this.addSql(`
      alter table quality_rating add check (score is null or category = case
        when score >= 90 then 'XUAT_SAC' when score >= 70 then 'TOT' when score >= 50 then 'HOAN_THANH'
        else 'KHONG_HOAN_THANH' end)`);
  }
}
