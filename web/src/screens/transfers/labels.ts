/**
 * Words and rules of the lifecycle and transfer screens. Statuses are said by format.ts label();
 * the causes of leaving are ui/labels.ts CAUSE_LABELS, re-exported here with the rules they go
 * with (test/web-contract.test.ts checks these against the server's).
 */
export { CAUSE_LABELS } from '../../ui/labels';

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
