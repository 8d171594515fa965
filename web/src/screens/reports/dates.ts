import type { ApiError } from '../../api/client';
import { formatDate, readDateInput, type DateInput } from '../../ui/format';

/** The dates the API answers reports for (src/graphql/scalars.ts DATE_RANGE). */
const FIRST_DAY = '1930-01-01';
const LAST_DAY = '2100-12-31';

/** The range a report's date is checked against before asking (format.ts readDateInput's options). */
export const REPORT_DATES = { min: FIRST_DAY, max: LAST_DAY } as const;

/**
 * A report's date as typed, required. Checked here rather than left to the API because the API
 * answers a date outside its range or no calendar day as a request error naming no field.
 */
export function readReportDate(text: string): DateInput {
  return readDateInput(text, { required: true, ...REPORT_DATES });
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
