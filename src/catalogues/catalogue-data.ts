/**
 * Reference catalogues of the member record (danh mục), with their official Vietnamese labels.
 * Loaded by migrations (3, then 21 for the changes of issue 12: a change here needs a migration
 * that writes the same rows); codes are stable identifiers that records and reports use.
 * Pure: catalogue-data.test.ts beside it.
 */

/** The 54 ethnic groups, numbered as in the General Statistics Office's list (Quyết định 121-TCTK/PPCĐ). */
export const ETHNIC_GROUPS: readonly (readonly [code: string, label: string])[] = [
  ['01', 'Kinh'], ['02', 'Tày'], ['03', 'Thái'], ['04', 'Hoa'], ['05', 'Khơ-me'], ['06', 'Mường'], ['07', 'Nùng'],
  ['08', 'Hmông'], ['09', 'Dao'], ['10', 'Gia-rai'], ['11', 'Ngái'], ['12', 'Ê-đê'], ['13', 'Ba-na'], ['14', 'Xơ-đăng'],
  ['15', 'Sán Chay'], ['16', 'Cơ-ho'], ['17', 'Chăm'], ['18', 'Sán Dìu'], ['19', 'Hrê'], ['20', 'Mnông'], ['21', 'Ra-glai'],
  ['22', 'Xtiêng'], ['23', 'Bru-Vân Kiều'], ['24', 'Thổ'], ['25', 'Giáy'], ['26', 'Cơ-tu'], ['27', 'Gié-Triêng'], ['28', 'Mạ'],
  ['29', 'Khơ-mú'], ['30', 'Co'], ['31', 'Ta-ôi'], ['32', 'Chơ-ro'], ['33', 'Kháng'], ['34', 'Xinh-mun'], ['35', 'Hà Nhì'],
  ['36', 'Chu-ru'], ['37', 'Lào'], ['38', 'La Chí'], ['39', 'La Ha'], ['40', 'Phù Lá'], ['41', 'La Hủ'], ['42', 'Lự'],
  ['43', 'Lô Lô'], ['44', 'Chứt'], ['45', 'Mảng'], ['46', 'Pà Thẻn'], ['47', 'Cơ Lao'], ['48', 'Cống'], ['49', 'Bố Y'],
  ['50', 'Si La'], ['51', 'Pu Péo'], ['52', 'Brâu'], ['53', 'Ơ-đu'], ['54', 'Rơ-măm'],
];

/**
 * The 16 religions recognised by the state (tôn giáo được Nhà nước công nhận), as the Government
 * Committee for Religious Affairs lists them (Ministry of Home Affairs, list of recognised
 * religious organisations, 2020). A religion, not an organisation: the Protestant churches (Hội
 * thánh Tin lành miền Bắc, miền Nam, Trưởng lão, Báp-tít, Mennonite…) are all Tin lành, the Cao
 * Đài churches all Cao Đài. No religion is recorded as none (no value).
 */
export const RELIGIONS: readonly (readonly [string, string])[] = [
  ['PHAT_GIAO', 'Phật giáo'], ['CONG_GIAO', 'Công giáo'], ['TIN_LANH', 'Tin lành'], ['CAO_DAI', 'Cao Đài'],
  ['HOA_HAO', 'Phật giáo Hòa Hảo'], ['HOI_GIAO', 'Hồi giáo'], ['BAHAI', "Tôn giáo Baha'i"],
  ['TINH_DO_CU_SI', 'Tịnh độ Cư sĩ Phật hội Việt Nam'], ['CO_DOC_PHUC_LAM', 'Cơ đốc Phục lâm'],
  ['TU_AN_HIEU_NGHIA', 'Phật giáo Tứ Ân Hiếu nghĩa'], ['MINH_SU_DAO', 'Minh Sư đạo'], ['MINH_LY_DAO', 'Minh Lý đạo - Tam Tông Miếu'],
  ['BA_LA_MON', 'Bà-la-môn giáo'], ['MORMON', 'Giáo hội các Thánh hữu ngày sau của Chúa Giê-su Ky-tô'],
  ['BUU_SON_KY_HUONG', 'Bửu Sơn Kỳ Hương'], ['HIEU_NGHIA_TA_LON', 'Phật giáo Hiếu Nghĩa Tà Lơn'],
];

/**
 * Codes no longer recorded, kept so the records that hold them still read: [code, label, the
 * code reports count them as]. TRUONG_LAO was listed as a religion, but Giáo hội (Hội thánh Tin
 * lành) Trưởng lão Việt Nam is a Protestant church: its members are counted as Tin lành, and staff
 * correct each record (with a reason) from the data-quality list; nothing is rewritten for them.
 */
export const RETIRED_RELIGIONS: readonly (readonly [code: string, label: string, countedAs: string])[] = [
  ['TRUONG_LAO', 'Giáo hội Trưởng lão Việt Nam', 'TIN_LANH'],
];

/** Professional qualification (trình độ chuyên môn). */
export const PROFESSIONAL_LEVELS: readonly (readonly [string, string])[] = [
  ['SO_CAP', 'Sơ cấp'], ['TRUNG_CAP', 'Trung cấp'], ['CAO_DANG', 'Cao đẳng'], ['DAI_HOC', 'Đại học'],
  ['THAC_SI', 'Thạc sĩ'], ['TIEN_SI', 'Tiến sĩ'],
];

/** Academic title (học hàm). */
export const ACADEMIC_TITLES: readonly (readonly [string, string])[] = [
  ['PHO_GIAO_SU', 'Phó Giáo sư'], ['GIAO_SU', 'Giáo sư'],
];

/**
 * Political theory level (lý luận chính trị). NONE records that the member has had no political
 * theory training (chưa qua đào tạo), which the forms count apart from "not declared" (no value).
 */
export const POLITICAL_THEORY_LEVELS: readonly (readonly [string, string])[] = [
  ['NONE', 'Chưa qua đào tạo'], ['SO_CAP', 'Sơ cấp'], ['TRUNG_CAP', 'Trung cấp'], ['CAO_CAP', 'Cao cấp'], ['CU_NHAN', 'Cử nhân'],
];

/** State management level (quản lý nhà nước). */
export const STATE_MANAGEMENT_LEVELS: readonly (readonly [string, string])[] = [
  ['CHUYEN_VIEN', 'Chuyên viên'], ['CHUYEN_VIEN_CHINH', 'Chuyên viên chính'], ['CHUYEN_VIEN_CAO_CAP', 'Chuyên viên cao cấp'],
];

/** Occupation groups used by the statistical forms (nghề nghiệp). */
export const OCCUPATIONS: readonly (readonly [string, string])[] = [
  ['CAN_BO_CONG_CHUC', 'Cán bộ, công chức'], ['VIEN_CHUC', 'Viên chức'], ['LUC_LUONG_VU_TRANG', 'Lực lượng vũ trang'],
  ['CONG_NHAN', 'Công nhân'], ['NONG_DAN', 'Nông dân'], ['DOANH_NGHIEP', 'Làm việc trong doanh nghiệp'],
  ['HOC_SINH_SINH_VIEN', 'Học sinh, sinh viên'], ['HUU_TRI', 'Hưu trí'], ['LAO_DONG_TU_DO', 'Lao động tự do'], ['KHAC', 'Khác'],
];

type Retired = readonly (readonly [code: string, label: string, countedAs: string])[];
const NONE_RETIRED: Retired = [];

/** Every catalogue: its GraphQL name, table, rows that may be recorded, and retired codes. */
export const CATALOGUES = {
  ETHNIC_GROUP: { table: 'ethnic_group', rows: ETHNIC_GROUPS, retired: NONE_RETIRED, description: 'Dân tộc — the 54 ethnic groups.' },
  RELIGION: { table: 'religion', rows: RELIGIONS, retired: RETIRED_RELIGIONS, description: 'Tôn giáo — the 16 recognised religions.' },
  PROFESSIONAL_LEVEL: { table: 'professional_level', rows: PROFESSIONAL_LEVELS, retired: NONE_RETIRED, description: 'Trình độ chuyên môn.' },
  ACADEMIC_TITLE: { table: 'academic_title', rows: ACADEMIC_TITLES, retired: NONE_RETIRED, description: 'Học hàm.' },
  POLITICAL_THEORY: { table: 'political_theory_level', rows: POLITICAL_THEORY_LEVELS, retired: NONE_RETIRED, description: 'Lý luận chính trị; NONE: chưa qua đào tạo.' },
  STATE_MANAGEMENT: { table: 'state_management_level', rows: STATE_MANAGEMENT_LEVELS, retired: NONE_RETIRED, description: 'Quản lý nhà nước.' },
  OCCUPATION: { table: 'occupation', rows: OCCUPATIONS, retired: NONE_RETIRED, description: 'Nghề nghiệp (statistical groups).' },
} as const;

export type CatalogueKind = keyof typeof CATALOGUES;

/** The code reports count a recorded code as: a retired code's replacement, else the code itself. */
export function countedAs(kind: CatalogueKind, code: string): string {
  return CATALOGUES[kind].retired.find(([retired]) => retired === code)?.[2] ?? code;
}

/** A code staff may record now: in the catalogue and not retired. */
export function isSelectableCode(kind: CatalogueKind, code: string): boolean {
  return CATALOGUES[kind].rows.some(([c]) => c === code);
}

/** A code kept only for the records that already hold it. */
export function isRetiredCode(kind: CatalogueKind, code: string): boolean {
  return CATALOGUES[kind].retired.some(([c]) => c === code);
}
