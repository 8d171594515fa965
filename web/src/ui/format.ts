/** Dates as Vietnamese forms write them: dd/mm/yyyy. The API speaks ISO (yyyy-mm-dd). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(when.getDate())}/${pad(when.getMonth() + 1)}/${when.getFullYear()} ${pad(when.getHours())}:${pad(when.getMinutes())}`;
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

export function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
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
