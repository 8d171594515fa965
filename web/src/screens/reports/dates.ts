import type { ApiError } from '../../api/client';
import { formatDate, parseDate } from '../../ui/format';

/** The dates the API answers reports for (src/graphql/scalars.ts DATE_RANGE). */
const FIRST_DAY = '1930-01-01';
const LAST_DAY = '2100-12-31';

function isCalendarDate(iso: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === iso;
}

/**
 * Reads a dd/mm/yyyy input for a report. Checked here rather than left to the API because the
 * API's messages about dates are English developer text; its other refusals still come through.
 */
export function readDate(text: string, options: { required?: boolean } = {}): { iso: string | null; error: string | null } {
  const iso = parseDate(text);
  if (iso === null) return { iso: null, error: options.required === false ? null : 'Nhập ngày theo dạng dd/mm/yyyy.' };
  if (!isCalendarDate(iso)) return { iso: null, error: 'Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025.' };
  if (iso < FIRST_DAY || iso > LAST_DAY) return { iso: null, error: `Ngày phải trong khoảng ${formatDate(FIRST_DAY)} đến ${formatDate(LAST_DAY)}.` };
  return { iso, error: null };
}

/** The day after an ISO date (for an exclusive upper bound: "to the end of that day"). */
export function nextDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Which argument an API error names, as the last part of its path ("filter.accountId" → accountId). */
export function argumentOf(error: ApiError | null | undefined): string | null {
  return error?.argument ? (error.argument.split('.').pop() ?? null) : null;
}

/**
 * The API's refusal of a report in the words of the forms. The unit-life refusal carries the
 * dates in its extensions, so it can be said in Vietnamese; other codes get a fixed sentence;
 * anything else keeps the API's own message.
 */
export function reportErrorText(error: ApiError, unitName: string): string {
  const { validFrom, validTo } = error.extensions as { validFrom?: string; validTo?: string };
  if (validFrom) return `${unitName} được thành lập từ ngày ${formatDate(validFrom)}; số liệu trước ngày đó thuộc các đơn vị tiền thân. Chọn ngày từ ${formatDate(validFrom)} trở đi.`;
  if (validTo) return `${unitName} đã kết thúc hoạt động từ ngày ${formatDate(validTo)}; chọn ngày trước đó.`;
  if (error.code === 'NOT_FOUND') return 'Đơn vị này không thuộc phạm vi của tài khoản.';
  if (error.code === 'FORBIDDEN') return 'Tài khoản không có quyền xem báo cáo này.';
  if (error.code === 'SERVICE_UNAVAILABLE') return 'Máy chủ đang bận, xin thử lại sau ít phút.';
  return error.message;
}
