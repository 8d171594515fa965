/**
 * The columns an import of member records reads (issue 17), and how a cell's text becomes a
 * value: headers matched without regard to case, accents and spacing, catalogue values by code
 * or by name, genders, and dates day first. One table, IMPORT_COLUMNS: the template writes its
 * headers and notes, the reader matches the file's headers against it, the row rules
 * (import-rules.ts) name problems by its headers.
 *
 * Pure: no database, no decorators (Gender is imported as a type only), so columns.test.ts
 * beside it runs in milliseconds.
 */
import { CATALOGUES, countedAs, isRetiredCode, isSelectableCode, type CatalogueKind } from '../catalogues/catalogue-data';
import { foldText as foldWords } from '../catalogues/education';
import type { Gender } from '../members/member.entity';

export type ImportField =
  | 'fullName'
  | 'dateOfBirth'
  | 'gender'
  | 'ethnicity'
  | 'religion'
  | 'placeOfBirth'
  | 'homeTown'
  | 'permanentAddress'
  | 'temporaryAddress'
  | 'phone'
  | 'joinedOn'
  | 'admissionCeremonyOn'
  | 'officialOn'
  | 'partyCardNumber'
  | 'nationalId'
  | 'cell'
  | 'occupation'
  | 'generalEducation'
  | 'professionalLevel'
  | 'politicalTheory'
  | 'admissionDecisionNumber'
  | 'admissionDecisionIssuer';

export interface ImportColumn {
  field: ImportField;
  /** The template's Vietnamese header. */
  header: string;
  /** Other headers seen in the wild for the same column (old software's exports, wards' own sheets). */
  aliases: readonly string[];
  /** A file without this column is refused (BAD_HEADER); a row without its value is refused by the row rules. */
  required: boolean;
  kind: 'text' | 'date' | 'gender' | 'catalogue';
  catalogue?: CatalogueKind;
  /** The template's notes row under the header, in Vietnamese. */
  note: string;
  /** The template's column width, in characters. */
  width?: number;
}

/** In the template's order. */
export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  {
    field: 'fullName', header: 'Họ và tên', required: true, kind: 'text', width: 28,
    aliases: ['Họ tên', 'Họ và tên đảng viên', 'Họ tên đảng viên', 'Tên đảng viên'],
    note: 'Bắt buộc. Họ và tên đầy đủ, có dấu',
  },
  {
    field: 'dateOfBirth', header: 'Ngày sinh', required: true, kind: 'date', width: 13,
    aliases: ['Ngày tháng năm sinh', 'Ngày, tháng, năm sinh', 'Sinh ngày'],
    note: 'Bắt buộc. dd/mm/yyyy',
  },
  {
    field: 'gender', header: 'Giới tính', required: true, kind: 'gender', width: 10,
    aliases: ['Giới', 'Nam/Nữ', 'Nam, nữ', 'Phái'],
    note: 'Bắt buộc. Nam hoặc Nữ',
  },
  {
    field: 'ethnicity', header: 'Dân tộc', required: false, kind: 'catalogue', catalogue: 'ETHNIC_GROUP', width: 12,
    aliases: [],
    note: 'Chọn trong danh sách (tên hoặc mã, ví dụ Kinh hoặc 01)',
  },
  {
    field: 'religion', header: 'Tôn giáo', required: false, kind: 'catalogue', catalogue: 'RELIGION', width: 16,
    aliases: [],
    note: 'Chọn trong danh sách; Không nếu không theo tôn giáo',
  },
  {
    field: 'placeOfBirth', header: 'Nơi sinh', required: false, kind: 'text', width: 30,
    aliases: [],
    note: 'Xã/phường, huyện/quận, tỉnh/thành phố',
  },
  {
    field: 'homeTown', header: 'Quê quán', required: false, kind: 'text', width: 30,
    aliases: ['Nguyên quán'],
    note: 'Xã/phường, huyện/quận, tỉnh/thành phố',
  },
  {
    field: 'permanentAddress', header: 'Nơi thường trú', required: false, kind: 'text', width: 34,
    aliases: ['Thường trú', 'Địa chỉ thường trú', 'Hộ khẩu thường trú', 'HKTT', 'Nơi ở thường trú'],
    note: 'Địa chỉ đầy đủ',
  },
  {
    field: 'temporaryAddress', header: 'Nơi tạm trú', required: false, kind: 'text', width: 34,
    aliases: ['Tạm trú', 'Địa chỉ tạm trú', 'Nơi ở tạm trú'],
    note: 'Địa chỉ đầy đủ; để trống nếu không có',
  },
  {
    field: 'phone', header: 'Số điện thoại', required: false, kind: 'text', width: 14,
    aliases: ['Điện thoại', 'SĐT', 'Số ĐT', 'ĐT', 'Điện thoại di động', 'Di động'],
    note: 'Giữ số 0 ở đầu',
  },
  {
    field: 'joinedOn', header: 'Ngày vào Đảng', required: true, kind: 'date', width: 14,
    aliases: ['Ngày kết nạp', 'Ngày kết nạp Đảng', 'Ngày kết nạp vào Đảng', 'Ngày vào Đảng dự bị'],
    note: 'Bắt buộc. dd/mm/yyyy (ngày của quyết định kết nạp)',
  },
  {
    field: 'admissionCeremonyOn', header: 'Ngày lễ kết nạp', required: false, kind: 'date', width: 14,
    aliases: ['Ngày tổ chức lễ kết nạp', 'Lễ kết nạp'],
    note: 'dd/mm/yyyy; để trống nếu là ngày vào Đảng',
  },
  {
    field: 'officialOn', header: 'Ngày chính thức', required: false, kind: 'date', width: 14,
    aliases: ['Ngày vào Đảng chính thức', 'Ngày công nhận chính thức', 'Ngày công nhận đảng viên chính thức', 'Ngày chuyển chính thức'],
    note: 'dd/mm/yyyy; để trống nếu còn dự bị',
  },
  {
    field: 'partyCardNumber', header: 'Số thẻ đảng viên', required: false, kind: 'text', width: 14,
    aliases: ['Số thẻ', 'Số thẻ Đảng', 'Số thẻ ĐV', 'Thẻ đảng viên'],
    note: 'Giữ số 0 ở đầu',
  },
  {
    field: 'nationalId', header: 'Số CCCD', required: false, kind: 'text', width: 15,
    // Not "Số CMND" alone: the old 9-digit identity card is not a CCCD, and files often carry both.
    aliases: [
      'CCCD', 'Số định danh cá nhân', 'Số định danh', 'Mã định danh cá nhân', 'CMND/CCCD', 'Số CMND/CCCD',
      'Số căn cước công dân', 'Căn cước công dân', 'Số căn cước',
    ],
    note: '12 chữ số',
  },
  {
    field: 'cell', header: 'Chi bộ', required: true, kind: 'text', width: 30,
    aliases: ['Mã chi bộ', 'Tên chi bộ', 'Chi bộ sinh hoạt', 'Sinh hoạt tại chi bộ'],
    note: 'Bắt buộc. Tên hoặc mã chi bộ',
  },
  {
    field: 'occupation', header: 'Nghề nghiệp', required: false, kind: 'catalogue', catalogue: 'OCCUPATION', width: 22,
    aliases: ['Nghề nghiệp hiện nay'],
    note: 'Chọn trong danh sách',
  },
  {
    field: 'generalEducation', header: 'Giáo dục phổ thông', required: false, kind: 'text', width: 12,
    aliases: ['Trình độ giáo dục phổ thông', 'Trình độ văn hóa', 'Văn hóa', 'GDPT'],
    note: 'Lớp/hệ, ví dụ 12/12, 10/10, 9/9',
  },
  {
    field: 'professionalLevel', header: 'Trình độ chuyên môn', required: false, kind: 'catalogue', catalogue: 'PROFESSIONAL_LEVEL', width: 14,
    aliases: ['Chuyên môn', 'Trình độ chuyên môn nghiệp vụ', 'Trình độ CMNV', 'TĐCM'],
    note: 'Chọn trong danh sách',
  },
  {
    field: 'politicalTheory', header: 'Lý luận chính trị', required: false, kind: 'catalogue', catalogue: 'POLITICAL_THEORY', width: 16,
    aliases: ['Trình độ lý luận chính trị', 'Lí luận chính trị', 'Trình độ lí luận chính trị', 'LLCT', 'Trình độ LLCT'],
    note: 'Chọn trong danh sách',
  },
  {
    field: 'admissionDecisionNumber', header: 'Số quyết định kết nạp', required: false, kind: 'text', width: 16,
    aliases: ['Số QĐ kết nạp', 'Quyết định kết nạp số'],
    note: 'Ví dụ 125-QĐ/ĐU',
  },
  {
    field: 'admissionDecisionIssuer', header: 'Cấp ra quyết định kết nạp', required: false, kind: 'text', width: 26,
    aliases: ['Cấp ủy ra quyết định kết nạp', 'Cơ quan ra quyết định kết nạp', 'Nơi ra quyết định kết nạp', 'Cấp quyết định kết nạp'],
    note: 'Ví dụ Đảng ủy phường Thạch Thang',
  },
];

/**
 * Lower case, no diacritics, đ as d, and any run of whitespace, underscores or dots as one
 * space: "PHAT_GIAO", "Phật  Giáo" and "phat giao" fold alike. The catalogues' fold (which
 * education levels are read with) plus the separators spreadsheets and codes use.
 */
export function foldText(s: string): string {
  return foldWords(s.replace(/[_.]+/g, ' '));
}

/**
 * A header as it is compared: folded, without what staff add around a column's name ("Ngày sinh
 * (dd/mm/yyyy)", "Họ và tên *", "Giới tính:") and with punctuation as spaces ("Nam/Nữ", "Ngày,
 * tháng, năm sinh").
 */
function headerKey(header: string): string {
  return foldText(header.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ').replace(/[*:,;/\\|'"’‘“”–—-]+/g, ' '));
}

const FIELD_BY_HEADER: ReadonlyMap<string, ImportField> = new Map(
  IMPORT_COLUMNS.flatMap((column) => [column.header, ...column.aliases].map((h) => [headerKey(h), column.field] as const)),
);
const COLUMN_BY_FIELD: ReadonlyMap<ImportField, ImportColumn> = new Map(IMPORT_COLUMNS.map((c) => [c.field, c]));

/** The column of a field. */
export function importColumn(field: ImportField): ImportColumn {
  return COLUMN_BY_FIELD.get(field)!;
}

/** The field a header names, or undefined when Hồ sơ does not read that column. */
export function fieldOfHeader(header: string): ImportField | undefined {
  return FIELD_BY_HEADER.get(headerKey(header));
}

/** A spreadsheet's column letter for a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

export interface HeaderMatch {
  /** The columns read: position in the row (0-based), field, and the header as the file wrote it. */
  columns: { index: number; field: ImportField; header: string }[];
  /** Headers of columns Hồ sơ does not read, as the file wrote them (kept in the dry run's report). */
  ignored: string[];
  /** Why the header cannot be read (a required column missing, a column twice); empty when it can. */
  problems: string[];
}

/** Matches a header row's cells to the fields; empty cells are neither read nor ignored. */
export function matchHeaders(headers: readonly (string | null)[]): HeaderMatch {
  const columns: HeaderMatch['columns'] = [];
  const ignored: string[] = [];
  const problems: string[] = [];
  const seen = new Map<ImportField, number>();
  headers.forEach((raw, index) => {
    const header = raw?.normalize('NFC').trim() ?? '';
    if (!header) return;
    const field = fieldOfHeader(header);
    if (!field) {
      ignored.push(header);
      return;
    }
    const first = seen.get(field);
    if (first !== undefined) {
      problems.push(
        `Columns ${columnLetter(first)} ("${headers[first]!.trim()}") and ${columnLetter(index)} ("${header}") are both "${importColumn(field).header}": keep one of them.`,
      );
      return;
    }
    seen.set(field, index);
    columns.push({ index, field, header });
  });
  for (const column of IMPORT_COLUMNS) {
    if (column.required && !seen.has(column.field)) {
      problems.push(`The required column "${column.header}" is missing (${column.note}).`);
    }
  }
  return { columns, ignored, problems };
}

// Catalogue values

/**
 * Catalogue text compared without case, accents, spaces or punctuation: "Khơ-me", "Khơ me" and
 * "KHO ME" are one ethnic group, "PHAT_GIAO" and "Phật giáo" one religion.
 */
function catalogueKey(text: string): string {
  return foldText(text).replace(/[^a-z0-9]/g, '');
}

/** What staff write for "no religion" (recorded as none: no value). */
const NO_RELIGION = new Set(['', 'khong', 'khongco', 'khongtheo', 'khongtheotongiao', 'khongtongiao', 'none'].map(catalogueKey));

/**
 * Words for a catalogue's item beyond its code and label: "Không" under political theory is the
 * member's having had no training (NONE, chưa qua đào tạo), not "not declared".
 */
const CATALOGUE_WORDS: Partial<Record<CatalogueKind, Readonly<Record<string, string>>>> = {
  POLITICAL_THEORY: { khong: 'NONE', chua: 'NONE', chuadaotao: 'NONE', chuaquadaotao: 'NONE' },
  ETHNIC_GROUP: { mong: '08' },
};

/** Per catalogue: every code, retired ones too, by the folded code, the folded label and the extra words. */
const CATALOGUE_INDEX: ReadonlyMap<CatalogueKind, ReadonlyMap<string, string>> = new Map(
  (Object.keys(CATALOGUES) as CatalogueKind[]).map((kind) => {
    const index = new Map<string, string>();
    for (const [code, label] of [...CATALOGUES[kind].rows, ...CATALOGUES[kind].retired]) {
      index.set(catalogueKey(code), code);
      index.set(catalogueKey(label), code);
    }
    for (const [word, code] of Object.entries(CATALOGUE_WORDS[kind] ?? {})) index.set(word, code);
    return [kind, index];
  }),
);

const labelOf = (kind: CatalogueKind, code: string): string =>
  [...CATALOGUES[kind].rows, ...CATALOGUES[kind].retired].find(([c]) => c === code)?.[1] ?? code;

/** The Vietnamese name of a catalogue: the header of the column that reads it. */
const catalogueName = (kind: CatalogueKind): string => IMPORT_COLUMNS.find((c) => c.catalogue === kind)?.header ?? kind;

/**
 * A catalogue value as a spreadsheet gives it: its code (any case; a code of digits also without
 * its leading zero, as a number cell keeps it: 1 for 01) or its label, folded. For RELIGION,
 * "Không", "không có" or nothing is no religion: `{ code: '' }`, which means none (the record
 * keeps no value). Only codes staff may record now are accepted: a retired one is answered with
 * what to record instead.
 */
export function resolveCatalogue(kind: CatalogueKind, text: string): { code: string } | { problem: string } {
  const key = catalogueKey(text);
  if (kind === 'RELIGION' && NO_RELIGION.has(key)) return { code: '' };
  if (!text.trim()) return { problem: `No value given for ${catalogueName(kind)}.` };
  const index = CATALOGUE_INDEX.get(kind)!;
  const code = index.get(key) ?? (/^[0-9]+$/.test(key) ? index.get(key.padStart(2, '0')) : undefined);
  if (code === undefined || (!isSelectableCode(kind, code) && !isRetiredCode(kind, code))) {
    return { problem: `"${text.trim()}" is not in the ${catalogueName(kind)} list: write a name or code from the template's list.` };
  }
  if (isRetiredCode(kind, code)) {
    const instead = countedAs(kind, code);
    return {
      problem: `"${labelOf(kind, code)}" (${code}) is no longer recorded (it is counted as ${labelOf(kind, instead)}): record ${labelOf(kind, instead)} (${instead}).`,
    };
  }
  return { code };
}

// Gender

const GENDER_WORDS: Readonly<Record<string, 'MALE' | 'FEMALE'>> = {
  nam: 'MALE', m: 'MALE', male: 'MALE',
  nu: 'FEMALE', f: 'FEMALE', female: 'FEMALE',
};

/** Nam / Nữ (any case, with or without accents), or the enum's MALE / FEMALE, or M / F. */
export function resolveGender(text: string): { gender: Gender } | { problem: string } {
  const gender = GENDER_WORDS[catalogueKey(text)];
  if (!gender) return { problem: `"${text.trim()}" is not a gender: write Nam or Nữ.` };
  return { gender: gender as Gender };
}

// Dates

/** Excel's first serial day (1 = 1900-01-01) counts from 1899-12-31; from 61 on, from 1899-12-30 (Excel's 29/02/1900 is day 60). */
const EXCEL_EPOCH_EARLY = Date.UTC(1899, 11, 31);
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const EXCEL_LAST_SERIAL = 2958465; // 31/12/9999
const DAY_MS = 86_400_000;

const isoOf = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The ISO date of a day, month and year if that day exists (31/02 does not). */
function calendarDate(y: number, m: number, d: number): string | null {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? isoOf(y, m, d) : null;
}

/** A time of day after a date ("01/02/1980 00:00:00", "1980-02-01T00:00"), as some exports write dates. */
const TIME_SUFFIX = /(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?(?:\s*(?:AM|PM|SA|CH))?)$/i;
const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d+)$/;
const YEAR_FIRST = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/;

/**
 * A date as a spreadsheet gives it: a Date (an Excel date cell; its UTC day), an Excel serial
 * number (1900 system: 45292 is 2024-01-01), or text: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy,
 * dd.mm.yyyy, or ISO yyyy-mm-dd. Always day first: 03/04/2020 is 3 April. A two-digit year, a
 * day that does not exist and a year alone (1985, as a number) are refused, never guessed.
 */
export function parseDate(value: string | number | Date): { date: string } | { problem: string } {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { problem: 'not a date: an invalid date value' };
    return { date: isoOf(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()) };
  }
  if (typeof value === 'number') {
    // A number cell of 1985 is a year typed alone; as a serial it would be a day of 1905.
    if (Number.isInteger(value) && value >= 1900 && value <= 2100) {
      return { problem: `not a date: ${value} (a year alone; write dd/mm/yyyy)` };
    }
    const days = Math.floor(value);
    if (!Number.isFinite(value) || days < 1 || days > EXCEL_LAST_SERIAL || days === 60) {
      return { problem: `not a date: ${value} (dd/mm/yyyy)` };
    }
    const ms = (days < 60 ? EXCEL_EPOCH_EARLY : EXCEL_EPOCH) + days * DAY_MS;
    const date = new Date(ms);
    return { date: isoOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()) };
  }
  const text = value.normalize('NFC').trim();
  const bare = text.replace(TIME_SUFFIX, '').trim();
  const dayFirst = DAY_FIRST.exec(bare);
  if (dayFirst) {
    const [, d, m, y] = dayFirst;
    if (y.length === 2) return { problem: `not a date: "${text}" (write the year in full: dd/mm/yyyy)` };
    const date = y.length === 4 ? calendarDate(Number(y), Number(m), Number(d)) : null;
    return date ? { date } : { problem: `not a date: "${text}" (dd/mm/yyyy)` };
  }
  const yearFirst = YEAR_FIRST.exec(bare);
  if (yearFirst) {
    const date = calendarDate(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]));
    if (date) return { date };
  }
  return { problem: `not a date: "${text}" (dd/mm/yyyy)` };
}
