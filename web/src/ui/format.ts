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
  second: '2-digit',
  hourCycle: 'h23',
});

type Parts = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;

function inVietnam(when: Date): Parts {
  const parts = Object.fromEntries(vietnamParts.formatToParts(when).map((part) => [part.type, part.value]));
  return parts as Parts;
}

/**
 * An instant (an audit event, a history entry) as dd/mm/yyyy hh:mm in Vietnam's time, whatever
 * the computer's time zone; `seconds` adds :ss (the audit screen, where events a second apart are
 * told apart).
 */
export function formatDateTime(iso: string | null | undefined, options: { seconds?: boolean } = {}): string {
  if (!iso) return '';
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const p = inVietnam(when);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` + (options.seconds ? `:${p.second}` : '');
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

/** Whether an ISO text (yyyy-mm-dd) names a day of the calendar: 2025-02-29 and 2025-13-01 do not. */
export function isCalendarDate(iso: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return false;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  // Date.UTC takes years 0–99 as 1900–1999: compare the year too.
  return day.getUTCFullYear() === Number(match[1]) && day.getUTCMonth() === Number(match[2]) - 1 && day.getUTCDate() === Number(match[3]);
}

/** What a typed date reads as: its ISO day, or why it is not one (in Vietnamese, for beside its field). */
export interface DateInput {
  iso: string | null;
  problem: string | null;
}

/**
 * Reads a date the user typed (dd/mm/yyyy; d/m/yyyy, with - or ., too). Checked here rather than
 * left to the API because the API answers a date that is no calendar day as a request error that
 * names no field (in production it hides the path), so the problem is said beside its field:
 * empty (a problem only when `required`), not a date, no such day, or outside `min`…`max`.
 */
export function readDateInput(text: string, options: { required?: boolean; min?: string; max?: string } = {}): DateInput {
  const trimmed = text.trim();
  if (!trimmed) return { iso: null, problem: options.required ? 'Nhập ngày theo dạng dd/mm/yyyy.' : null };
  const iso = parseDate(trimmed)!;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return { iso: null, problem: 'Ngày không đúng: viết theo dạng dd/mm/yyyy, ví dụ 05/09/2025.' };
  if (!isCalendarDate(iso)) return { iso: null, problem: `Không có ngày ${trimmed} trong lịch (ngày viết theo dạng dd/mm/yyyy).` };
  if ((options.min && iso < options.min) || (options.max && iso > options.max)) {
    return { iso: null, problem: `Ngày phải trong khoảng ${formatDate(options.min ?? iso)} đến ${formatDate(options.max ?? iso)}.` };
  }
  return { iso, problem: null };
}

/** The ISO day `days` after (before, when negative) an ISO day: calendar arithmetic, no time zone. */
export function addDays(iso: string, days: number): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Whole days from one ISO day to another (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
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
  // Xếp loại chất lượng (QualityRating.category).
  XUAT_SAC: 'Hoàn thành xuất sắc nhiệm vụ',
  TOT: 'Hoàn thành tốt nhiệm vụ',
  HOAN_THANH: 'Hoàn thành nhiệm vụ',
  KHONG_HOAN_THANH: 'Không hoàn thành nhiệm vụ',
  // Hình thức khen thưởng (Award.kind).
  CERTIFICATE: 'Bằng khen, giấy khen',
  MEDAL: 'Huy chương',
  ORDER: 'Huân chương',
  PARTY_BADGE: 'Huy hiệu Đảng',
  OTHER: 'Khác',
  // Hình thức kỷ luật (Discipline.form).
  REPRIMAND: 'Khiển trách',
  WARNING: 'Cảnh cáo',
  DISMISSAL: 'Cách chức',
  EXPULSION: 'Khai trừ',
};

export function label(value: string | null | undefined): string {
  if (!value) return '';
  return LABELS[value] ?? value;
}
