import { formatDate, label } from './format';

/**
 * The words of the official forms for what several screens show: the causes of leaving the
 * Party, the audit trail's record kinds, actions and columns, and a decision as the forms cite
 * it. One table each, so the member's history, the audit screen and the API's messages
 * (messages.ts) say the same thing the same way. Enum values (statuses, ratings…) are in
 * format.ts LABELS, through label().
 */

/** Causes of leaving the Party (DepartureCause), in the words of the forms (QĐ 294-QĐ/TW). */
export const CAUSE_LABELS: Readonly<Record<string, string>> = {
  NOT_APPROVED_AT_PROBATION_END: 'Không được công nhận đảng viên chính thức khi hết thời gian dự bị',
  SELF_ABANDONMENT: 'Tự ý bỏ sinh hoạt đảng (hoặc không đóng đảng phí) không có lý do chính đáng',
  LOST_QUALITIES: 'Giảm sút ý chí phấn đấu, không làm nhiệm vụ đảng viên',
  CONVICTION_CORRUPTION: 'Bị xử lý hình sự về tội tham nhũng',
  CONVICTION_SERIOUS: 'Bị xử lý hình sự về tội nghiêm trọng trở lên',
  CONVICTION_LESS_SERIOUS: 'Bị xử lý hình sự về tội ít nghiêm trọng',
  SERIOUS_DISUNITY: 'Gây mất đoàn kết nội bộ nghiêm trọng',
  DISCIPLINE: 'Kỷ luật khai trừ vì vi phạm',
  VOLUNTARY_RESIGNATION: 'Tự nguyện xin ra Đảng',
  SPECIAL_FAMILY_HARDSHIP: 'Xin ra Đảng vì hoàn cảnh gia đình đặc biệt khó khăn',
  DEATH: 'Từ trần',
  OTHER: 'Lý do khác (ghi rõ trong lý do)',
};

export function causeLabel(cause: string): string {
  return CAUSE_LABELS[cause] ?? cause;
}

/**
 * The audit trail's `changes` keys → the form's words. Changes to records are keyed by the stored
 * column (snake_case); access events (READ_SENSITIVE, EXPORT, UNIQUE_CONFLICT_OUTSIDE_SCOPE) by
 * the names the server gives their details. A key not here shows as stored.
 */
const COLUMN_LABELS: Readonly<Record<string, string>> = {
  full_name: 'Họ và tên',
  birth_name: 'Họ tên khai sinh',
  aliases: 'Bí danh',
  gender: 'Giới tính',
  date_of_birth: 'Ngày sinh',
  place_of_birth: 'Nơi sinh',
  home_town: 'Quê quán',
  ethnicity: 'Dân tộc',
  religion: 'Tôn giáo',
  national_id: 'Số CCCD',
  permanent_address: 'Nơi thường trú',
  temporary_address: 'Nơi tạm trú',
  phone: 'Số điện thoại',
  party_card_number: 'Số thẻ đảng viên',
  joined_on: 'Ngày vào Đảng',
  admission_ceremony_on: 'Ngày lễ kết nạp',
  official_on: 'Ngày chính thức',
  readmitted_on: 'Ngày kết nạp lại',
  left_on: 'Ngày ra khỏi Đảng',
  transferred_out_on: 'Chuyển ra ngoài từ ngày',
  status: 'Tình trạng',
  unit_id: 'Chi bộ',
  admitted_by: 'Chi bộ kết nạp',
  introducers: 'Người giới thiệu',
  under_review: 'Đang bị kiểm tra, giải quyết khiếu nại',
  occupation: 'Nghề nghiệp',
  general_education: 'Giáo dục phổ thông',
  professional_level: 'Trình độ chuyên môn',
  professional_field: 'Chuyên ngành',
  academic_title: 'Học hàm',
  political_theory: 'Lý luận chính trị',
  state_management: 'Quản lý nhà nước',
  foreign_languages: 'Ngoại ngữ',
  it_level: 'Tin học',
  serious_illness_since: 'Bệnh hiểm nghèo từ ngày',
  serious_illness_ground: 'Căn cứ bệnh hiểm nghèo',
  valid_from: 'Từ ngày',
  valid_to: 'Đến ngày',
  reason: 'Lý do',
  cause: 'Nguyên nhân',
  from_date: 'Từ ngày',
  to_date: 'Đến ngày',
  organisation: 'Cơ quan, đơn vị',
  position: 'Chức vụ, công việc',
  institution: 'Cơ sở đào tạo',
  programme: 'Ngành học, nội dung',
  qualification: 'Văn bằng, chứng chỉ',
  kind: 'Loại',
  name: 'Tên',
  code: 'Mã',
  parent_id: 'Đơn vị cấp trên',
  username: 'Tên đăng nhập',
  role: 'Vai trò',
  awarded_on: 'Ngày trao',
  badge_years: 'Huy hiệu (năm tuổi Đảng)',
  posthumous: 'Truy tặng',
  decided_on: 'Ngày quyết định',
  form: 'Hình thức',
  grounds: 'Lý do kỷ luật',
  year: 'Năm',
  category: 'Xếp loại',
  score: 'Điểm',
  relation: 'Quan hệ',
  birth_year: 'Năm sinh',
  address: 'Địa chỉ',
  note: 'Ghi chú',
  title: 'Chức vụ',
  start_on: 'Ngày bắt đầu',
  end_on: 'Ngày kết thúc',
  term_years: 'Nhiệm kỳ (năm)',
  post_title: 'Chức vụ quy hoạch',
  period_start: 'Từ năm',
  period_end: 'Đến năm',
  decision_number: 'Số quyết định',
  decision_date: 'Ngày quyết định',
  decision_issued_by: 'Cơ quan ra quyết định',
  // READ_SENSITIVE names the GraphQL fields that were read.
  fields: 'Các trường đã xem',
  nationalId: 'Số CCCD',
  ethnicityCode: 'Mã dân tộc',
  religionCode: 'Mã tôn giáo',
  permanentAddress: 'Nơi thường trú',
  temporaryAddress: 'Nơi tạm trú',
  disciplines: 'Kỷ luật',
  family: 'Quan hệ gia đình',
  seriousIllnessSince: 'Bệnh hiểm nghèo từ ngày',
  seriousIllnessGround: 'Căn cứ bệnh hiểm nghèo',
  // EXPORT: what was exported, of which unit, how much (src/reports/exports.ts).
  what: 'Tệp',
  unitId: 'Đơn vị (mã số)',
  format: 'Định dạng',
  rows: 'Số dòng',
  complete: 'Đã gửi đủ',
  columns: 'Các cột',
  filter: 'Điều kiện lọc',
  asOf: 'Số liệu tính đến ngày',
  total: 'Tổng số',
  // UNIQUE_CONFLICT_OUTSIDE_SCOPE: the number that was already taken, and who typed it.
  field: 'Trường',
  callerScope: 'Phạm vi của người nhập',
};

export function columnLabel(column: string): string {
  return COLUMN_LABELS[column] ?? column;
}

/** Bookkeeping columns a reader of the history has no use for. */
export const HIDDEN_COLUMNS: ReadonlySet<string> = new Set(['version', 'created_at', 'updated_at', 'id', 'member_id', 'search_name', 'superseded_by', 'superseded_at']);

/** Kinds of record in the audit trail (its entity types: the audited tables, exports, imports). */
export const ENTITY_LABELS: Readonly<Record<string, string>> = {
  member: 'Lý lịch đảng viên',
  member_status_period: 'Tình trạng đảng viên',
  member_unit_period: 'Nơi sinh hoạt đảng',
  work_history: 'Quá trình công tác',
  training: 'Đào tạo, bồi dưỡng',
  award: 'Khen thưởng',
  discipline: 'Kỷ luật',
  quality_rating: 'Đánh giá, xếp loại',
  family_relation: 'Quan hệ gia đình',
  transfer: 'Chuyển sinh hoạt đảng',
  post: 'Chức vụ',
  planning_entry: 'Quy hoạch',
  org_unit: 'Tổ chức đảng',
  reorganisation: 'Sắp xếp tổ chức',
  unit_lineage: 'Kế thừa giữa các tổ chức',
  account: 'Tài khoản',
  api_key: 'Khóa API',
  export: 'Tệp xuất dữ liệu',
  import_batch: 'Đợt nhập dữ liệu',
};

export function entityLabel(entityType: string): string {
  return ENTITY_LABELS[entityType] ?? entityType;
}

/** What the audit trail records (AuditEvent.action), in the words staff use. */
export const ACTION_LABELS: Readonly<Record<string, string>> = {
  INSERT: 'Thêm mới',
  UPDATE: 'Sửa đổi',
  DELETE: 'Xóa',
  READ_SENSITIVE: 'Xem thông tin nhạy cảm',
  EXPORT: 'Xuất dữ liệu',
  IMPORT: 'Nhập dữ liệu',
  UNIQUE_CONFLICT_OUTSIDE_SCOPE: 'Trùng số với hồ sơ ngoài phạm vi',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

/** A value of the audit trail in the form's words: dates dd/mm/yyyy, enums in Vietnamese. */
export function historyValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(trống)';
  if (typeof value === 'boolean') return value ? 'Có' : 'Không';
  if (Array.isArray(value)) return value.length ? value.map(historyValue).join(', ') : '(trống)';
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return formatDate(text);
  if (/^[A-Z][A-Z_]+$/.test(text)) return label(text);
  return text;
}

export interface DecisionLike {
  number: string | null;
  date: string | null;
  issuedBy: string | null;
}

/**
 * A decision as the forms cite it: "Quyết định số 12-QĐ/ĐU ngày 01/02/2020 của Đảng ủy …";
 * `noun` names another paper cited the same way (a transfer's "Giấy giới thiệu"). '' when none
 * of its parts is recorded.
 */
export function formatDecision(decision: DecisionLike | null | undefined, noun = 'Quyết định'): string {
  if (!decision) return '';
  const parts = [
    decision.number ? `số ${decision.number}` : null,
    decision.date ? `ngày ${formatDate(decision.date)}` : null,
    decision.issuedBy ? `của ${decision.issuedBy}` : null,
  ].filter(Boolean);
  return parts.length ? `${noun} ${parts.join(' ')}` : '';
}
