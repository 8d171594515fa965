/** Dates as Vietnamese forms write them: dd/mm/yyyy. The API speaks ISO (yyyy-mm-dd). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}

/**
 * The register's days and times are Vietnam's (UTC+7), whatever the computer's clock is set to:
 * the API's "today" and its audit days are Vietnam's, so the screens' must be too.
 */
const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const vietnamParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: VIETNAM_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function inVietnam(when: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  const parts = Object.fromEntries(vietnamParts.formatToParts(when).map((part) => [part.type, part.value]));
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>;
}

/** An instant (an audit event, a history entry) as dd/mm/yyyy hh:mm in Vietnam's time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const p = inVietnam(when);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/**
 * Reads dd/mm/yyyy (also d/m/yyyy, with - or .) into ISO; empty stays null. Anything else is
 * returned as given, so the API's own validation names the field and says what is wrong.
 */
export function parseDate(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
  if (!match) return trimmed;
  return `${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}`;
}

/** Today in Vietnam (yyyy-mm-dd), the day the API counts as today. */
export function todayIso(): string {
  const p = inVietnam(new Date());
  return `${p.year}-${p.month}-${p.day}`;
}

/** Vietnamese order: "Đ" after "D", tones after the base letter (Intl with the vi locale). */
export const vietnameseCollator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

export function sortVietnamese<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => vietnameseCollator.compare(key(a), key(b)));
}

export const formatNumber = new Intl.NumberFormat('vi-VN').format;

/** Labels of the API's enums, in the words of the forms. Unknown values show as given. */
export const LABELS: Record<string, string> = {
  PROBATIONARY: 'Dự bị',
  OFFICIAL: 'Chính thức',
  RELEASED: 'Miễn sinh hoạt',
  REMOVED: 'Xóa tên',
  EXPELLED: 'Khai trừ',
  DECEASED: 'Từ trần',
  RESIGNED: 'Xin ra Đảng',
  TRANSFERRED_OUT: 'Đã chuyển đi',
  MALE: 'Nam',
  FEMALE: 'Nữ',
  PENDING: 'Chờ tiếp nhận',
  CONFIRMED: 'Đã tiếp nhận',
  CANCELLED: 'Đã hủy',
  REJECTED: 'Từ chối',
  CITY_ADMIN: 'Ban Tổ chức Thành ủy',
  ORG_STAFF: 'Cán bộ tổ chức',
  COMMITTEE_VIEWER: 'Cấp ủy (xem)',
  REPORTER: 'Báo cáo thống kê',
  AUDITOR: 'Kiểm tra',
  CITY: 'Thành ủy',
  DISTRICT: 'Quận/huyện ủy',
  WARD: 'Đảng bộ cơ sở',
  CELL: 'Chi bộ',
};

export function label(value: string | null | undefined): string {
  if (!value) return '';
  return LABELS[value] ?? value;
}
