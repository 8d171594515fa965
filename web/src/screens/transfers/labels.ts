import { label } from '../../ui/format';

/**
 * Vietnamese words for the lifecycle and transfer values that the shared label table does not
 * hold (it is shared: this screen keeps its own additions here rather than rewrite it).
 */
const EXTRA: Record<string, string> = {
  RESIGNED: 'Xin ra Đảng',
};

export function statusLabel(status: string | null | undefined): string {
  return (status && EXTRA[status]) || label(status);
}

export const KIND_LABELS: Record<string, string> = {
  PERMANENT: 'Chính thức',
  TEMPORARY: 'Tạm thời',
  INTERNAL: 'Trong đảng bộ cơ sở',
};

export const BOUNDARY_LABELS: Record<string, string> = {
  WITHIN: 'Trong Đảng bộ thành phố',
  OTHER_PROVINCE: 'Ra ngoài tỉnh, thành phố',
  ABROAD: 'Ra nước ngoài',
};

/** Causes of leaving (DepartureCause), in the words of the forms. */
export const CAUSE_LABELS: Record<string, string> = {
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

/** The causes each way of leaving accepts (the API's CAUSES_BY_STATUS, docs/domain.md). */
export const CAUSES_BY_STATUS: Record<string, readonly string[]> = {
  REMOVED: ['NOT_APPROVED_AT_PROBATION_END', 'SELF_ABANDONMENT', 'LOST_QUALITIES', 'CONVICTION_CORRUPTION', 'CONVICTION_SERIOUS', 'CONVICTION_LESS_SERIOUS', 'SERIOUS_DISUNITY', 'OTHER'],
  EXPELLED: ['DISCIPLINE', 'CONVICTION_CORRUPTION', 'CONVICTION_SERIOUS', 'CONVICTION_LESS_SERIOUS', 'SERIOUS_DISUNITY', 'OTHER'],
  RESIGNED: ['VOLUNTARY_RESIGNATION', 'SPECIAL_FAMILY_HARDSHIP'],
  DECEASED: ['DEATH'],
};

export const ACTIVE_STATUSES = ['PROBATIONARY', 'OFFICIAL', 'RELEASED'];
export const END_STATUSES = ['REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED'];

/** The statuses changeMemberStatus may lead to from each status (docs/domain.md, "Lifecycle"). */
export const STATUS_TRANSITIONS: Record<string, readonly string[]> = {
  PROBATIONARY: ['REMOVED', 'RESIGNED', 'DECEASED'],
  OFFICIAL: ['RELEASED', 'REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED'],
  RELEASED: ['OFFICIAL', 'REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED'],
};

/** What the button for a change to each status says. */
export const CHANGE_LABELS: Record<string, string> = {
  RELEASED: 'Miễn công tác và sinh hoạt đảng',
  OFFICIAL: 'Trở lại sinh hoạt đảng',
  REMOVED: 'Xóa tên',
  EXPELLED: 'Khai trừ',
  RESIGNED: 'Xin ra Đảng',
  DECEASED: 'Từ trần',
};
