import { saveBlob } from '../../ui/save-blob';

/**
 * CSV made in the browser, written like the server's own exports (src/reports/exports.ts):
 * UTF-8 with a byte-order mark (so Excel reads the Vietnamese letters), CRLF, RFC 4180 quoting,
 * and a text cell starting with = + - @ prefixed by ' so no spreadsheet runs it as a formula.
 */
export type CsvValue = string | number | null | undefined;

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: CsvValue[][]): string {
  return '\uFEFF' + rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** The rows as a CSV download, made in the page (ui/save-blob.ts). */
export function saveCsv(name: string, rows: CsvValue[][]): void {
  saveBlob(new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' }), name);
}
