import { formatDate, label } from '../../ui/format';

/**
 * Words of the official forms (mẫu lý lịch đảng viên) for what the member's file shows: the
 * enums the shared label() does not know yet, and the columns the audit trail names (its
 * `changes` are keyed by the stored column, in snake_case).
 */
const ENUM_LABELS: Record<string, string> = {
  RESIGNED: 'Xin ra Đảng',
  XUAT_SAC: 'Hoàn thành xuất sắc nhiệm vụ',
  TOT: 'Hoàn thành tốt nhiệm vụ',
  HOAN_THANH: 'Hoàn thành nhiệm vụ',
  KHONG_HOAN_THANH: 'Không hoàn thành nhiệm vụ',
  CERTIFICATE: 'Bằng khen, giấy khen',
  MEDAL: 'Huy chương',
  ORDER: 'Huân chương',
  OTHER: 'Khác',
  PARTY_BADGE: 'Huy hiệu Đảng',
  REPRIMAND: 'Khiển trách',
  WARNING: 'Cảnh cáo',
  DISMISSAL: 'Cách chức',
  EXPULSION: 'Khai trừ',
};

export function enumLabel(value: string | null | undefined): string {
  if (!value) return '';
  return ENUM_LABELS[value] ?? label(value);
}

/** Record columns (audit `changes`) → the form's words; unknown columns show as stored. */
const COLUMN_LABELS: Record<string, string> = {
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
  nationalId: 'Số CCCD',
  ethnicityCode: 'Mã dân tộc',
  religionCode: 'Mã tôn giáo',
  permanentAddress: 'Nơi thường trú',
  temporaryAddress: 'Nơi tạm trú',
  disciplines: 'Kỷ luật',
  family: 'Quan hệ gia đình',
  seriousIllnessSince: 'Bệnh hiểm nghèo từ ngày',
  seriousIllnessGround: 'Căn cứ bệnh hiểm nghèo',
};

export function columnLabel(column: string): string {
  return COLUMN_LABELS[column] ?? column;
}

/** Bookkeeping columns a reader of the history has no use for. */
export const HIDDEN_COLUMNS = new Set(['version', 'created_at', 'updated_at', 'id', 'member_id', 'search_name', 'superseded_by', 'superseded_at']);

/** Kinds of record in the history (the audit's entity types, which are table names). */
const ENTITY_LABELS: Record<string, string> = {
  member: 'Lý lịch',
  member_status_period: 'Tình trạng đảng viên',
  member_unit_period: 'Sinh hoạt đảng',
  work_history: 'Quá trình công tác',
  training: 'Đào tạo, bồi dưỡng',
  award: 'Khen thưởng',
  discipline: 'Kỷ luật',
  quality_rating: 'Đánh giá, xếp loại',
  family_relation: 'Quan hệ gia đình',
  post: 'Chức vụ',
  planning_entry: 'Quy hoạch',
  transfer: 'Chuyển sinh hoạt',
};

export function entityLabel(entityType: string): string {
  return ENTITY_LABELS[entityType] ?? entityType;
}

const ACTION_LABELS: Record<string, string> = {
  INSERT: 'Thêm mới',
  UPDATE: 'Sửa đổi',
  DELETE: 'Xóa',
  READ_SENSITIVE: 'Xem thông tin nhạy cảm',
  EXPORT: 'Xuất dữ liệu',
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
  if (/^[A-Z][A-Z_]+$/.test(text)) return enumLabel(text);
  return text;
}

/** A decision as the forms cite it: "số 12-QĐ/ĐU ngày 01/02/2020 của Đảng ủy …". */
export function formatDecision(decision: { number: string | null; date: string | null; issuedBy: string | null } | null | undefined): string {
  if (!decision) return '';
  const parts = [
    decision.number ? `số ${decision.number}` : null,
    decision.date ? `ngày ${formatDate(decision.date)}` : null,
    decision.issuedBy ? `của ${decision.issuedBy}` : null,
  ].filter(Boolean);
  return parts.length ? 'Quyết định ' + parts.join(' ') : '';
}
