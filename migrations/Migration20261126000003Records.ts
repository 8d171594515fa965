import { Migration } from '@mikro-orm/migrations';

/**
 * The reference catalogues (danh mục) as they were when this migration was written, in this
 * order: table, then rows of [code, label]. A copy, not an import of src/catalogues: the
 * migration must build the same tables whatever the code says later; a change to a catalogue
 * is a new migration (and an edit of src/catalogues/catalogue-data.ts for the API).
 */
const CATALOGUES: readonly (readonly [table: string, rows: readonly (readonly [code: string, label: string])[]])[] = [
  ['ethnic_group', [
    ['01', 'Kinh'], ['02', 'Tày'], ['03', 'Thái'], ['04', 'Hoa'], ['05', 'Khơ-me'], ['06', 'Mường'], ['07', 'Nùng'],
    ['08', 'Hmông'], ['09', 'Dao'], ['10', 'Gia-rai'], ['11', 'Ngái'], ['12', 'Ê-đê'], ['13', 'Ba-na'], ['14', 'Xơ-đăng'],
    ['15', 'Sán Chay'], ['16', 'Cơ-ho'], ['17', 'Chăm'], ['18', 'Sán Dìu'], ['19', 'Hrê'], ['20', 'Mnông'], ['21', 'Ra-glai'],
    ['22', 'Xtiêng'], ['23', 'Bru-Vân Kiều'], ['24', 'Thổ'], ['25', 'Giáy'], ['26', 'Cơ-tu'], ['27', 'Gié-Triêng'], ['28', 'Mạ'],
    ['29', 'Khơ-mú'], ['30', 'Co'], ['31', 'Ta-ôi'], ['32', 'Chơ-ro'], ['33', 'Kháng'], ['34', 'Xinh-mun'], ['35', 'Hà Nhì'],
    ['36', 'Chu-ru'], ['37', 'Lào'], ['38', 'La Chí'], ['39', 'La Ha'], ['40', 'Phù Lá'], ['41', 'La Hủ'], ['42', 'Lự'],
    ['43', 'Lô Lô'], ['44', 'Chứt'], ['45', 'Mảng'], ['46', 'Pà Thẻn'], ['47', 'Cơ Lao'], ['48', 'Cống'], ['49', 'Bố Y'],
    ['50', 'Si La'], ['51', 'Pu Péo'], ['52', 'Brâu'], ['53', 'Ơ-đu'], ['54', 'Rơ-măm'],
  ]],
  ['religion', [
    ['PHAT_GIAO', 'Phật giáo'], ['CONG_GIAO', 'Công giáo'], ['TIN_LANH', 'Tin lành'], ['CAO_DAI', 'Cao Đài'],
    ['HOA_HAO', 'Phật giáo Hòa Hảo'], ['HOI_GIAO', 'Hồi giáo'], ['BAHAI', "Tôn giáo Baha'i"],
    ['TINH_DO_CU_SI', 'Tịnh độ Cư sĩ Phật hội Việt Nam'], ['CO_DOC_PHUC_LAM', 'Cơ đốc Phục lâm'],
    ['TU_AN_HIEU_NGHIA', 'Phật giáo Tứ Ân Hiếu nghĩa'], ['MINH_SU_DAO', 'Minh Sư đạo'], ['MINH_LY_DAO', 'Minh Lý đạo - Tam Tông Miếu'],
    ['BA_LA_MON', 'Bà-la-môn giáo'], ['MORMON', 'Giáo hội các Thánh hữu ngày sau của Chúa Giê-su Ky-tô'],
    ['BUU_SON_KY_HUONG', 'Bửu Sơn Kỳ Hương'], ['TRUONG_LAO', 'Giáo hội Trưởng lão Việt Nam'],
  ]],
  ['professional_level', [
    ['SO_CAP', 'Sơ cấp'], ['TRUNG_CAP', 'Trung cấp'], ['CAO_DANG', 'Cao đẳng'], ['DAI_HOC', 'Đại học'],
    ['THAC_SI', 'Thạc sĩ'], ['TIEN_SI', 'Tiến sĩ'],
  ]],
  ['academic_title', [
    ['PHO_GIAO_SU', 'Phó Giáo sư'], ['GIAO_SU', 'Giáo sư'],
  ]],
  ['political_theory_level', [
    ['SO_CAP', 'Sơ cấp'], ['TRUNG_CAP', 'Trung cấp'], ['CAO_CAP', 'Cao cấp'], ['CU_NHAN', 'Cử nhân'],
  ]],
  ['state_management_level', [
    ['CHUYEN_VIEN', 'Chuyên viên'], ['CHUYEN_VIEN_CHINH', 'Chuyên viên chính'], ['CHUYEN_VIEN_CAO_CAP', 'Chuyên viên cao cấp'],
  ]],
  ['occupation', [
    ['CAN_BO_CONG_CHUC', 'Cán bộ, công chức'], ['VIEN_CHUC', 'Viên chức'], ['LUC_LUONG_VU_TRANG', 'Lực lượng vũ trang'],
    ['CONG_NHAN', 'Công nhân'], ['NONG_DAN', 'Nông dân'], ['DOANH_NGHIEP', 'Làm việc trong doanh nghiệp'],
    ['HOC_SINH_SINH_VIEN', 'Học sinh, sinh viên'], ['HUU_TRI', 'Hưu trí'], ['LAO_DONG_TU_DO', 'Lao động tự do'], ['KHAC', 'Khác'],
  ]],
];

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The full member record (lý lịch mẫu 1-HSĐV): reference catalogues, identity, education and
 * party fields, and status and unit kept as dated periods so "status / unit on date D" is
 * answered from data.
 */
export class Migration20261126000003Records extends Migration {
  override async up(): Promise<void> {
    for (const [table, rows] of CATALOGUES) {
      this.addSql(`create table ${table} (code text primary key, label text not null unique, position integer not null)`);
      this.addSql(
        `insert into ${table} (code, label, position) values ` +
          rows.map(([code, label], i) => `(${quote(code)}, ${quote(label)}, ${i + 1})`).join(', '),
      );
      this.addSql(`grant select on ${table} to hoso_api`);
    }

    // Ethnicity and religion become catalogue codes (the demo seed's labels are converted).
    this.addSql(`
      update member m set ethnicity = e.code from ethnic_group e
       where hoso_fold(replace(e.label, '-', ' ')) = hoso_fold(replace(m.ethnicity, '-', ' '))`);
    this.addSql(`update member set ethnicity = '05' where ethnicity = 'Khmer'`);
    this.addSql(`update member m set religion = r.code from religion r where lower(r.label) = lower(m.religion)`);
    this.addSql(`update member set ethnicity = null where ethnicity is not null and ethnicity not in (select code from ethnic_group)`);
    this.addSql(`update member set religion = null where religion is not null and religion not in (select code from religion)`);

    this.addSql(`
      alter table member
        add constraint member_ethnicity_fk foreign key (ethnicity) references ethnic_group (code),
        add constraint member_religion_fk foreign key (religion) references religion (code),
        add column birth_name text,
        add column aliases text,
        add column place_of_birth text,
        add column home_town text,
        add column permanent_address text,
        add column temporary_address text,
        add column phone text check (phone ~ '^\\+?[0-9 .-]{8,20}$'),
        add column occupation text references occupation (code),
        add column general_education text check (general_education ~ '^[0-9]{1,2}/(10|12)$'),
        add column professional_level text references professional_level (code),
        add column professional_field text,
        add column academic_title text references academic_title (code),
        add column political_theory text references political_theory_level (code),
        add column state_management text references state_management_level (code),
        add column foreign_languages text,
        add column it_level text,
        add column admitted_by text,
        add column introducers text[] not null default '{}' check (cardinality(introducers) <= 2),
        -- Under inspection or complaint (đang bị kiểm tra, giải quyết khiếu nại): no transfer.
        add column under_review boolean not null default false,
        -- Date of the last end-state decision (removed, expelled, resigned, deceased).
        add column left_on date,
        add column readmitted_on date,
        add check (left_on is null or left_on >= joined_on)`);
    this.addSql(`create index member_status_idx on member (status)`);

    for (const [table, column, check] of [
      ['member_status_period', 'status text not null', ''],
      ['member_unit_period', 'unit_id bigint not null references org_unit (id)', ''],
    ] as const) {
      this.addSql(`
        create table ${table} (
          id bigint generated always as identity primary key,
          member_id bigint not null references member (id),
          ${column},
          valid_from date not null,
          valid_to date,
          decision_number text,
          decision_date date,
          decision_body text,
          reason text,
          created_at timestamptz not null default now(),
          check (valid_to is null or valid_to > valid_from),
          -- A member has one status and one unit on any day.
          exclude using gist (member_id with =, daterange(valid_from, valid_to) with &&)${check}
        )`);
      this.addSql(`create index ${table}_member_idx on ${table} (member_id, valid_from)`);
      this.addSql(`alter table ${table} enable row level security`);
      // Visible with the member it belongs to (member's own policy applies inside).
      this.addSql(`
        create policy ${table}_scope on ${table} to hoso_api
          using (exists (select 1 from member m where m.id = member_id))
          with check (exists (select 1 from member m where m.id = member_id))`);
      this.addSql(`grant select, insert, update on ${table} to hoso_api`);
    }
    this.addSql(`create index member_unit_period_unit_idx on member_unit_period (unit_id, valid_from)`);

    // Periods for members entered before this migration (development databases): their end
    // date was not kept, so an end state is taken to start the day after the last known date.
    this.addSql(`
      update member set left_on = coalesce(official_on, joined_on) + 1
       where status in ('REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED') and left_on is null`);
    this.addSql(`
      insert into member_status_period (member_id, status, valid_from, valid_to)
      select id, 'PROBATIONARY', joined_on, coalesce(official_on, left_on) from member
      union all
      select id, case when status = 'RELEASED' then 'RELEASED' else 'OFFICIAL' end, official_on, left_on
        from member where official_on is not null
      union all
      select id, status, left_on, null from member where left_on is not null`);
    this.addSql(`insert into member_unit_period (member_id, unit_id, valid_from) select id, unit_id, joined_on from member`);
  }
}
