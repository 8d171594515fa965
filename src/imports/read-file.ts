import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import type ExcelJS from 'exceljs';
import { IMPORT_COLUMNS, foldText, matchHeaders, type HeaderMatch, type ImportField } from './columns';

/**
 * The reader of an import's file (issue 17): an XLSX workbook or a CSV text, into the header's
 * columns and the data rows, one at a time. Pure: no database. Tolerant of what departments'
 * files hold (headers in any case and accent, title rows above the header, the template's notes
 * row, blank rows, legacy encodings), and strict about what would make the import wrong or the
 * server suffer (formulas, merged header cells, zip bombs, too many rows), which it refuses with
 * an ImportFileError saying what to change.
 *
 * Errors come at two moments. openImportFile refuses before it returns whatever it can see
 * without reading the data: the size, the format, the zip's parts, a formula or a merged header
 * anywhere in the sheet, the header, the number of rows. The `rows` iterator may still throw
 * (a part of the workbook that cannot be parsed, the exact row limit), after yielding rows: a
 * caller that writes as it reads must do so in a transaction it rolls back on that error, as the
 * dry run does (imports.service.ts).
 */

export type ImportFileProblem =
  | 'NOT_A_SPREADSHEET'
  | 'TOO_LARGE'
  | 'TOO_MANY_ROWS'
  | 'FORMULA'
  | 'MERGED_HEADER'
  | 'BAD_HEADER'
  | 'ENCODING'
  | 'EMPTY';

/** A file the import refuses as a whole; the message says what is wrong and what to do, for the department's staff. */
export class ImportFileError extends Error {
  constructor(
    readonly code: ImportFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export interface ImportLimits {
  /** The file as uploaded (the server refuses a larger body before reading it: src/app/server.ts). */
  maxBytes: number;
  /** Data rows of one import: twice a large district's members. */
  maxRows: number;
  /** The workbook's parts once inflated, all together. */
  maxUncompressedBytes: number;
  /** How much a part may inflate (parts over 1 MB): workbooks compress 5–20 times, zip bombs a thousand. */
  maxCompressionRatio: number;
  /** The shared strings, which the reader keeps in memory while it reads the sheet: about 2.5 times this in heap. */
  maxSharedStringsBytes: number;
  /** A value longer than this is cut: no field takes as much, so the row rules refuse it anyway. */
  maxCellChars: number;
}

export const IMPORT_LIMITS: Readonly<ImportLimits> = {
  // A 100,000-row CSV with every column is about 37 MB (the same rows as XLSX about 14 MB).
  maxBytes: 50 * 1024 * 1024,
  maxRows: 200_000,
  maxUncompressedBytes: 400 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxSharedStringsBytes: 64 * 1024 * 1024,
  maxCellChars: 2000,
};

/** Encodings a CSV may be read in when it is not UTF-8 (old software writes Windows-1258 or -1252). */
export type ImportEncoding = 'utf-8' | 'windows-1258' | 'windows-1252';

export type ImportValue = string | number | Date;

export interface RawRow {
  /** The sheet's row number as a spreadsheet shows it (for a CSV: the record's number, the header's included). */
  rowNumber: number;
  /**
   * The values of the columns read, by field; blank cells absent, text trimmed (and in Unicode
   * NFC). Numbers stay numbers (a card number typed as a number has lost its leading zero: the
   * row rules give it back), Excel date cells are Dates (UTC midnight of the day).
   */
  values: Partial<Record<ImportField, ImportValue>>;
  /** Every cell of the row under the header, read or not, as read (null: blank): the dry run's report shows them. */
  cells: readonly (ImportValue | null)[];
}

export interface ImportHeader {
  /** The header's row number (title rows above it are passed over). */
  row: number;
  /** Every header cell's text, in column order ('' for a blank one). */
  names: string[];
  columns: HeaderMatch['columns'];
  ignored: string[];
}

export interface OpenedImportFile {
  format: 'xlsx' | 'csv';
  /** CSV: the encoding the text was read in. */
  encoding?: ImportEncoding | 'utf-16le' | 'utf-16be';
  /** XLSX: the name of the sheet read (the first visible one). */
  sheet?: string;
  header: ImportHeader;
  /** The data rows, read as they are asked for; iterate once. */
  rows: AsyncIterable<RawRow>;
}

export interface OpenImportOptions {
  /** A CSV that is not valid UTF-8 is read in this encoding (Windows-1258 when not given). */
  encoding?: ImportEncoding;
  /** The name the file was uploaded under, for messages only: the content decides the format. */
  fileName?: string;
  /** Lower limits (tests). */
  limits?: Partial<ImportLimits>;
}

/**
 * Opens an import's file: detects its format by content, finds and matches the header, and
 * gives the data rows as an async iterable read on demand, so that a workbook of 100,000 rows
 * never sits in memory as a whole.
 */
export async function openImportFile(file: Buffer, options: OpenImportOptions = {}): Promise<OpenedImportFile> {
  const limits: ImportLimits = { ...IMPORT_LIMITS, ...options.limits };
  const named = options.fileName ? `"${options.fileName}"` : 'The file';
  if (file.length > limits.maxBytes) {
    throw new ImportFileError('TOO_LARGE', `${named} has ${megabytes(file.length)}; at most ${megabytes(limits.maxBytes)} can be imported at once: split it.`);
  }
  if (file.length === 0) throw new ImportFileError('EMPTY', `${named} is empty.`);
  const format = sniff(file, named);
  if (format === 'xlsx') {
    const workbook = await openWorkbook(file, limits);
    return { format, sheet: workbook.sheet, ...(await openTable(workbook, limits)) };
  }
  const text = openText(file, options.encoding);
  return { format, encoding: text.encoding, ...(await openTable(text, limits)) };
}

const megabytes = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024).toLocaleString('en')} kB` : `${(bytes / 1024 / 1024).toLocaleString('en', { maximumFractionDigits: 1 })} MB`;
const counted = (n: number) => n.toLocaleString('en');

// Format

const ZIP = Buffer.from('PK\x03\x04', 'latin1');
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const SAVE_AS_XLSX = 'open it in Excel and save it as an Excel Workbook (.xlsx), or as CSV UTF-8';
const SPREADSHEETS_ONLY = 'Hồ sơ reads Excel workbooks (.xlsx) and CSV files: send the spreadsheet the list came from, or fill in the template';

/** XLSX or CSV, by the file's first bytes; anything else is refused, naming what it looks like. */
function sniff(file: Buffer, named: string): 'xlsx' | 'csv' {
  if (file.subarray(0, 4).equals(ZIP)) return 'xlsx';
  const refuse = (what: string, advice = SPREADSHEETS_ONLY) => new ImportFileError('NOT_A_SPREADSHEET', `${named} is ${what}, not a spreadsheet: ${advice}.`);
  if (file.subarray(0, 8).equals(OLE2)) {
    throw new ImportFileError(
      'NOT_A_SPREADSHEET',
      `${named} is an old Excel 97–2003 workbook (.xls) or a password-protected one: open it in Excel and save it as an Excel Workbook (.xlsx), without a password.`,
    );
  }
  if (file.subarray(0, 5).toString('latin1') === '%PDF-') throw refuse('a PDF document');
  if (file.subarray(0, 2).toString('latin1') === 'PK') throw refuse('a zip archive with no files');
  // Text with a byte-order mark is text, whatever follows (UTF-16 is full of zero bytes).
  if (bomOf(file)) return 'csv';
  const head = file.subarray(0, 64 * 1024);
  const start = head.toString('latin1', 0, 2048).trimStart().toLowerCase();
  // "Export to Excel" of many web applications writes an HTML table or the XML Spreadsheet 2003 format under an .xls name.
  if (start.startsWith('<!doctype html') || start.startsWith('<html') || start.startsWith('<table')) throw refuse('a web page (HTML) saved under a spreadsheet name', SAVE_AS_XLSX);
  if (start.startsWith('<?xml') && start.includes('urn:schemas-microsoft-com:office:spreadsheet')) throw refuse('an XML Spreadsheet 2003 file', SAVE_AS_XLSX);
  let control = 0;
  for (const byte of head) {
    if (byte === 0) throw refuse('a binary file');
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  if (control > head.length / 100) throw refuse('a binary file');
  return 'csv';
}

// The table: header, notes row, data rows, shared by both formats

/** A row with at least one value, its cells by 0-based column. */
interface SheetRow {
  rowNumber: number;
  cells: (ImportValue | null)[];
}

/** What a format gives the table reader: its non-blank rows, and what it knows of them before they are read. */
interface TableSource {
  rows: AsyncIterator<SheetRow>;
  /** Refuses a header row the format can tell is wrong (merged cells). */
  checkHeaderRow(row: number): void;
  /** How many rows holding something come after the first `rowsSoFar` of them, counted before reading them. */
  rowsAfter(rowsSoFar: number): number;
}

/** The header is among the first rows that hold anything: title lines may come above it. */
const HEADER_SEARCH_ROWS = 20;
/** A row naming this many columns is the header (a valid one names at least the 5 required). */
const HEADER_MIN_COLUMNS = 3;

const NOTES = new Map(IMPORT_COLUMNS.map((c) => [c.field, foldText(c.note)]));

async function openTable(source: TableSource, limits: ImportLimits): Promise<Omit<OpenedImportFile, 'format' | 'encoding' | 'sheet'>> {
  try {
    return await readTable(source, limits);
  } catch (error) {
    // A refused file lets go of its reader (the sheet's inflater) at once.
    await source.rows.return?.();
    throw error;
  }
}

async function readTable(source: TableSource, limits: ImportLimits): Promise<Omit<OpenedImportFile, 'format' | 'encoding' | 'sheet'>> {
  const candidates: { row: SheetRow; match: HeaderMatch }[] = [];
  let header: { row: SheetRow; match: HeaderMatch } | undefined;
  while (candidates.length < HEADER_SEARCH_ROWS) {
    const next = await source.rows.next();
    if (next.done) break;
    const match = matchHeaders(next.value.cells.map(headerText));
    candidates.push({ row: next.value, match });
    if (match.columns.length >= HEADER_MIN_COLUMNS) {
      header = candidates[candidates.length - 1];
      break;
    }
  }
  if (!candidates.length) throw new ImportFileError('EMPTY', 'The file has no rows: fill in the template, one member per row under the header.');
  if (!header) {
    const best = candidates.reduce((a, b) => (b.match.columns.length > a.match.columns.length ? b : a));
    if (!best.match.columns.length) {
      throw new ImportFileError(
        'BAD_HEADER',
        `No header row found: none of the first rows names the columns Hồ sơ reads (${IMPORT_COLUMNS.filter((c) => c.required).map((c) => `"${c.header}"`).join(', ')}…). Put the headers in one row above the data, as the template does.`,
      );
    }
    header = best;
  }
  const { row: headerRow, match } = header;
  source.checkHeaderRow(headerRow.rowNumber);
  if (match.problems.length) {
    throw new ImportFileError('BAD_HEADER', `The header (row ${headerRow.rowNumber}) cannot be read: ${match.problems.join(' ')}`);
  }
  const columns = match.columns;
  // The row under the header: the template's notes are not data (and not counted as data below).
  let first = await source.rows.next();
  let rowsSoFar = candidates.length;
  if (!first.done && first.value.rowNumber === headerRow.rowNumber + 1 && isNotesRow(first.value.cells, columns)) {
    rowsSoFar++;
    first = await source.rows.next();
  }
  const below = source.rowsAfter(rowsSoFar);
  if (below > limits.maxRows) throw tooManyRows(limits, counted(below));

  const width = Math.max(0, ...headerRow.cells.map((c, i) => (c === null ? 0 : i + 1)));
  const names = Array.from({ length: width }, (_, i) => headerText(headerRow.cells[i] ?? null) ?? '');
  const cut = (value: ImportValue): ImportValue => (typeof value === 'string' && value.length > limits.maxCellChars ? value.slice(0, limits.maxCellChars) : value);

  async function* dataRows(): AsyncGenerator<RawRow> {
    let count = 0;
    try {
      for (let next = first; !next.done; next = await source.rows.next()) {
        const { rowNumber, cells } = next.value;
        const values: RawRow['values'] = {};
        let any = false;
        for (const { index, field } of columns) {
          const value = cells[index];
          if (value !== null && value !== undefined) {
            values[field] = cut(value);
            any = true;
          }
        }
        // A row with nothing in the columns read (a numbering column filled down, a note) holds no member.
        if (!any) continue;
        // The exact count; openImportFile already refused files whose rows were counted beyond the limit.
        if (++count > limits.maxRows) throw tooManyRows(limits, `more than ${counted(limits.maxRows)}`);
        yield { rowNumber, values, cells: Array.from({ length: width }, (_, i) => cells[i] ?? null) };
      }
    } finally {
      // Also when the caller stops early: the reader's inflater is let go.
      await source.rows.return?.();
    }
  }
  return {
    header: { row: headerRow.rowNumber, names, columns, ignored: match.ignored.map((h) => h.slice(0, limits.maxCellChars)) },
    rows: dataRows(),
  };
}

function headerText(value: ImportValue | null): string | null {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** The template's notes row: most of its values are the notes of their columns (staff may have edited one). */
function isNotesRow(cells: readonly (ImportValue | null)[], columns: HeaderMatch['columns']): boolean {
  let values = 0;
  let notes = 0;
  for (const { index, field } of columns) {
    const value = cells[index];
    if (value === null || value === undefined) continue;
    values++;
    if (typeof value === 'string' && foldText(value) === NOTES.get(field)) notes++;
  }
  return notes > 0 && notes * 2 >= values;
}

function tooManyRows(limits: ImportLimits, rows: string): ImportFileError {
  return new ImportFileError(
    'TOO_MANY_ROWS',
    `The sheet has ${rows} rows of members; at most ${counted(limits.maxRows)} can be imported at once: split it into several files.`,
  );
}

/** A cell's value as read: text trimmed and in NFC (blank is null), numbers and dates as they are. */
function cleanText(text: string): string | null {
  const trimmed = text.normalize('NFC').trim();
  return trimmed === '' ? null : trimmed;
}

// CSV

const BOMS: readonly [bytes: Buffer, encoding: 'utf-8' | 'utf-16le' | 'utf-16be'][] = [
  [Buffer.from([0xef, 0xbb, 0xbf]), 'utf-8'],
  [Buffer.from([0xff, 0xfe]), 'utf-16le'],
  [Buffer.from([0xfe, 0xff]), 'utf-16be'],
];

function bomOf(file: Buffer): (typeof BOMS)[number] | undefined {
  return BOMS.find(([bom]) => file.subarray(0, bom.length).equals(bom));
}

/**
 * The CSV's encoding: a byte-order mark (UTF-8, or the UTF-16 of Excel's "Unicode Text"); else
 * UTF-8 when the bytes are valid UTF-8 (a legacy file with accents practically never is); else
 * the encoding asked for, or Windows-1258, Vietnamese Windows' own.
 */
function encodingOf(file: Buffer, asked: ImportEncoding | undefined): { encoding: NonNullable<OpenedImportFile['encoding']>; start: number } {
  const bom = bomOf(file);
  if (bom) return { encoding: bom[1], start: bom[0].length };
  if (isUtf8(file)) return { encoding: 'utf-8', start: 0 };
  if (asked === 'utf-8') {
    throw new ImportFileError(
      'ENCODING',
      'The file is not valid UTF-8, as was said: it was probably written by older software in Windows-1258 or Windows-1252. Send it again choosing that encoding, or save it from Excel as "CSV UTF-8".',
    );
  }
  return { encoding: asked ?? 'windows-1258', start: 0 };
}

/** The text in pieces of about 1 MB, decoded as they are asked for. */
function* decoded(file: Buffer, encoding: string, start: number): Generator<string> {
  // Fatal: a UTF-16 file with a broken character is refused rather than read with replacement marks.
  const decoder = new TextDecoder(encoding, { fatal: true });
  const piece = 1024 * 1024;
  try {
    for (let at = start; at < file.length; at += piece) {
      yield decoder.decode(file.subarray(at, Math.min(file.length, at + piece)), { stream: at + piece < file.length });
    }
  } catch (error) {
    if (error instanceof TypeError) throw new ImportFileError('ENCODING', `The file is not valid ${encoding}: save it from Excel as "CSV UTF-8".`);
    throw error;
  }
}

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * The delimiter: the one that splits the first lines into the same number of fields most
 * often. Counting alone would choose the comma in a semicolon file whose addresses hold commas
 * ("Xã Hòa Sơn, huyện Hòa Vang"), which Excel leaves unquoted there.
 */
function detectDelimiter(sample: string): string {
  const lines: Record<string, number>[] = [];
  let counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  let content = false;
  for (let i = 0; i < sample.length && lines.length < 50; i++) {
    const c = sample[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      if (content) lines.push(counts);
      counts = { ',': 0, ';': 0, '\t': 0 };
      content = false;
    } else if (!quoted && c in counts) counts[c]++;
    if (c !== '\n' && c !== '\r') content = true;
  }
  if (content) lines.push(counts);
  let best: { delimiter: string; score: number; fields: number } = { delimiter: ',', score: 0, fields: 0 };
  for (const delimiter of DELIMITERS) {
    const frequency = new Map<number, number>();
    for (const line of lines) if (line[delimiter] > 0) frequency.set(line[delimiter], (frequency.get(line[delimiter]) ?? 0) + 1);
    for (const [fields, score] of frequency) {
      if (score > best.score || (score === best.score && fields > best.fields)) best = { delimiter, score, fields };
    }
  }
  return best.delimiter;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * RFC 4180 records, as Excel writes and reads them: fields quoted or not, "" for a quote inside
 * quotes, line breaks inside quotes, CRLF, LF or CR line ends. A quote inside an unquoted field
 * is kept as a character, as Excel does. A quote never closed is refused: it would swallow the
 * rest of the file into one cell.
 */
function* csvRecords(chunks: Iterable<string>, delimiter: string): Generator<string[]> {
  const delim = delimiter.charCodeAt(0);
  let record: string[] = [];
  let field = '';
  // 0: at a field's start; 1: in an unquoted field; 2: in a quoted field; 3: after a quote in a quoted field.
  let state = 0;
  let skipLf = false;
  let recordNumber = 1;
  let quoteOpenedIn = 0;
  for (const chunk of chunks) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (skipLf) {
        skipLf = false;
        if (c === LF) {
          start = i + 1;
          continue;
        }
      }
      switch (state) {
        case 0:
          if (c === QUOTE) {
            state = 2;
            quoteOpenedIn = recordNumber;
            start = i + 1;
            break;
          }
          start = i;
          state = 1;
        // falls through: the character starts an unquoted field
        case 1:
          if (c === delim) {
            record.push(field + chunk.slice(start, i));
            field = '';
            state = 0;
          } else if (c === LF || c === CR) {
            record.push(field + chunk.slice(start, i));
            field = '';
            yield record;
            record = [];
            recordNumber++;
            state = 0;
            skipLf = c === CR;
            start = i + 1;
          }
          break;
        case 2:
          if (c === QUOTE) {
            field += chunk.slice(start, i);
            state = 3;
          }
          break;
        case 3:
          if (c === QUOTE) {
            field += '"';
            state = 2;
            start = i + 1;
          } else if (c === delim) {
            record.push(field);
            field = '';
            state = 0;
          } else if (c === LF || c === CR) {
            record.push(field);
            field = '';
            yield record;
            record = [];
            recordNumber++;
            state = 0;
            skipLf = c === CR;
            start = i + 1;
          } else {
            // Text after a closing quote ("abc"def): kept, as Excel keeps it.
            state = 1;
            start = i;
          }
          break;
      }
    }
    if (state === 1 || state === 2) field += chunk.slice(start);
  }
  if (state === 2) {
    throw new ImportFileError('NOT_A_SPREADSHEET', `A quote (") opened in row ${quoteOpenedIn} is never closed: the file is not a well-formed CSV. Open it in Excel and save it again as CSV UTF-8.`);
  }
  if (state !== 0 || record.length) {
    record.push(field);
    yield record;
  }
}

function openText(file: Buffer, asked: ImportEncoding | undefined): TableSource & { encoding: NonNullable<OpenedImportFile['encoding']> } {
  const { encoding, start } = encodingOf(file, asked);
  const firstChunk = decoded(file, encoding, start).next();
  const delimiter = detectDelimiter(firstChunk.done ? '' : firstChunk.value.slice(0, 64 * 1024));
  function* sheetRows(): Generator<SheetRow> {
    let rowNumber = 0;
    for (const fields of csvRecords(decoded(file, encoding, start), delimiter)) {
      rowNumber++;
      const cells = fields.map(cleanText);
      if (cells.some((c) => c !== null)) yield { rowNumber, cells };
    }
  }
  // Counted before anything is read: a whole pass costs about a second at the size limit, and
  // the dry run then never checks a row of a file it would refuse at the end.
  let total = 0;
  for (const _ of sheetRows()) total++;
  const rows = sheetRows();
  return {
    encoding,
    rows: { next: async () => rows.next(), return: async () => rows.return(undefined) },
    checkHeaderRow: () => undefined,
    rowsAfter: (rowsSoFar) => total - rowsSoFar,
  };
}

// XLSX: the zip's directory, checked before anything is inflated

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  dataOffset: number;
}

/** Workbooks have a few dozen parts. */
const MAX_ZIP_ENTRIES = 10_000;
/** Parts below this size are not held to the compression ratio (a few kB of repeated XML compress very well). */
const RATIO_FLOOR = 1024 * 1024;

const damaged = (why: string) =>
  new ImportFileError('NOT_A_SPREADSHEET', `The workbook is damaged (${why}): open it in Excel and save it again as an Excel Workbook (.xlsx).`);

/** The central directory: every part's name, method, sizes and where its data starts. */
function readZipDirectory(file: Buffer): ZipEntry[] {
  try {
    let eocd = -1;
    for (let i = file.length - 22; i >= Math.max(0, file.length - 22 - 0xffff); i--) {
      if (file.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw damaged('no zip directory: the file is cut short');
    let count = file.readUInt16LE(eocd + 10);
    let offset = file.readUInt32LE(eocd + 16);
    if (count === 0xffff || offset === 0xffffffff) {
      // Zip64: the sizes are in the zip64 end record, which a locator just before points to.
      const locator = eocd - 20;
      if (locator < 0 || file.readUInt32LE(locator) !== 0x07064b50) throw damaged('a zip64 directory without its locator');
      const end64 = Number(file.readBigUInt64LE(locator + 8));
      if (file.readUInt32LE(end64) !== 0x06064b50) throw damaged('a zip64 directory that is not there');
      count = Number(file.readBigUInt64LE(end64 + 32));
      offset = Number(file.readBigUInt64LE(end64 + 48));
    }
    if (count > MAX_ZIP_ENTRIES) throw new ImportFileError('TOO_LARGE', `The workbook has ${counted(count)} parts; a workbook has a few dozen.`);
    const entries: ZipEntry[] = [];
    let p = offset;
    for (let n = 0; n < count; n++) {
      if (file.readUInt32LE(p) !== 0x02014b50) throw damaged('a broken zip directory');
      const nameLength = file.readUInt16LE(p + 28);
      const extraLength = file.readUInt16LE(p + 30);
      const commentLength = file.readUInt16LE(p + 32);
      let compressedSize = file.readUInt32LE(p + 20);
      let size = file.readUInt32LE(p + 24);
      let localOffset = file.readUInt32LE(p + 42);
      // Zip64 extra field: the 64-bit values of the fields set to 0xFFFFFFFF, in this order.
      for (let x = p + 46 + nameLength; x + 4 <= p + 46 + nameLength + extraLength; x += 4 + file.readUInt16LE(x + 2)) {
        if (file.readUInt16LE(x) !== 0x0001) continue;
        let at = x + 4;
        if (size === 0xffffffff) (size = Number(file.readBigUInt64LE(at))), (at += 8);
        if (compressedSize === 0xffffffff) (compressedSize = Number(file.readBigUInt64LE(at))), (at += 8);
        if (localOffset === 0xffffffff) localOffset = Number(file.readBigUInt64LE(at));
      }
      if (file.readUInt32LE(localOffset) !== 0x04034b50) throw damaged('a part that is not where the directory says');
      // The local header's own name and extra lengths may differ from the directory's.
      const dataOffset = localOffset + 30 + file.readUInt16LE(localOffset + 26) + file.readUInt16LE(localOffset + 28);
      if (dataOffset + compressedSize > file.length) throw damaged('a part cut short');
      entries.push({
        name: file.toString('utf8', p + 46, p + 46 + nameLength),
        flags: file.readUInt16LE(p + 8),
        method: file.readUInt16LE(p + 10),
        crc: file.readUInt32LE(p + 16),
        compressedSize,
        size,
        dataOffset,
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    if (error instanceof RangeError) throw damaged('its zip directory points outside the file');
    throw error;
  }
}

/** What the parts declare they inflate to: refused beyond the limits before any byte is inflated. */
function checkDeclaredSizes(entries: readonly ZipEntry[], limits: ImportLimits): void {
  let total = 0;
  for (const entry of entries) {
    total += entry.size;
    if (entry.size > RATIO_FLOOR && entry.size > limits.maxCompressionRatio * Math.max(1, entry.compressedSize)) {
      throw new ImportFileError(
        'TOO_LARGE',
        `The file looks like a zip bomb: its part ${entry.name} would inflate from ${megabytes(entry.compressedSize)} to ${megabytes(entry.size)} (${counted(Math.round(entry.size / Math.max(1, entry.compressedSize)))} times; workbooks compress 5 to 20 times). It is not opened.`,
      );
    }
  }
  if (total > limits.maxUncompressedBytes) {
    throw new ImportFileError(
      'TOO_LARGE',
      `The workbook's parts inflate to ${megabytes(total)}; at most ${megabytes(limits.maxUncompressedBytes)} can be read: split the file, or remove pictures and other sheets.`,
    );
  }
}

/**
 * A part's bytes, inflated in pieces as they are asked for, never more than the part declared
 * (the directory's sizes were checked against the limits; a part inflating beyond its own size
 * is a zip bomb that lied about it).
 */
async function* inflated(file: Buffer, entry: ZipEntry): AsyncGenerator<Buffer> {
  if (entry.flags & 0x1) throw new ImportFileError('NOT_A_SPREADSHEET', 'The workbook is encrypted: save it again without a password, as an Excel Workbook (.xlsx).');
  const data = file.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === 0) {
    if (data.length !== entry.size) throw damaged(`part ${entry.name} has the wrong size`);
    for (let at = 0; at < data.length; at += 256 * 1024) yield data.subarray(at, at + 256 * 1024);
    return;
  }
  if (entry.method !== 8) throw damaged(`part ${entry.name} is compressed in a way Excel does not use (method ${entry.method})`);
  const inflater = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
  Readable.from(slices(data), { objectMode: false }).pipe(inflater);
  let total = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > entry.size) {
        throw new ImportFileError('TOO_LARGE', `The file looks like a zip bomb: its part ${entry.name} inflates beyond the ${megabytes(entry.size)} it declares. It is not opened.`);
      }
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw damaged(`part ${entry.name} cannot be inflated`);
  } finally {
    inflater.destroy();
  }
  if (total !== entry.size) throw damaged(`part ${entry.name} is shorter than it declares`);
}

function* slices(data: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

/** The workbook's small parts (workbook, relationships, styles), held whole while read: a few kB, a few MB for the most bloated styles. */
const MAX_SMALL_PART = 16 * 1024 * 1024;

function checkSmallPart(entry: ZipEntry): void {
  if (entry.size > MAX_SMALL_PART) throw new ImportFileError('TOO_LARGE', `The workbook's part ${entry.name} has ${megabytes(entry.size)}; a workbook's has a few kB.`);
}

/**
 * A part's text, decoded whole (a character cut between two inflated pieces is joined); its size
 * is checked by the caller. The pieces are copied into one buffer of the declared size, which
 * inflated() never exceeds: no second copy of a 64 MB part.
 */
async function entryText(file: Buffer, entry: ZipEntry): Promise<string> {
  const bytes = Buffer.allocUnsafe(entry.size);
  let length = 0;
  for await (const chunk of inflated(file, entry)) length += chunk.copy(bytes, length);
  return bytes.toString('utf8', 0, length);
}

/** A small part's text (workbook, relationships, styles), refused beyond MAX_SMALL_PART. */
async function smallPartText(file: Buffer, entry: ZipEntry): Promise<string> {
  checkSmallPart(entry);
  return entryText(file, entry);
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** XML text with its entities decoded; a character reference beyond Unicode is left as written (it would throw). */
function xmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-f]{1,8}|#[0-9]{1,10});/gi, (whole, e: string) => {
    if (e[0] !== '#') return XML_ENTITIES[e.toLowerCase()];
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** An XML tag's attributes by name without namespace prefix (r:id → id). */
function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [, name, double, single] of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    found[name.replace(/^.*:/, '')] = xmlText(double ?? single);
  }
  return found;
}

/**
 * The worksheet read: the first the workbook lists that is not hidden (what staff see first when
 * they open it), with its part's path in the zip.
 */
function firstSheet(workbookXml: string, relsXml: string): { name: string; path: string } {
  const targets = new Map<string, { type: string; target: string }>();
  for (const [tag] of relsXml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const a = attributes(tag);
    if (a.Id && a.Target) targets.set(a.Id, { type: a.Type ?? '', target: a.Target });
  }
  for (const [tag] of workbookXml.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const a = attributes(tag);
    if (a.state === 'hidden' || a.state === 'veryHidden') continue;
    const rel = a.id ? targets.get(a.id) : undefined;
    if (!rel || !rel.type.endsWith('/worksheet')) continue;
    const path = rel.target.startsWith('/') ? rel.target.slice(1) : `xl/${rel.target.replace(/^\.\//, '')}`;
    return { name: a.name ?? '', path };
  }
  throw new ImportFileError('NOT_A_SPREADSHEET', 'The workbook has no visible worksheet: put the members in the first sheet.');
}

/** A merged range, by row and column (1-based, inclusive). */
interface MergedRange {
  ref: string;
  top: number;
  bottom: number;
}

/** Merges starting below this row cannot touch a header (the header is among the first rows that hold anything). */
const MERGES_KEPT_ROWS = 1000;

/**
 * One pass over the sheet's XML before it is parsed: the part inflates within what it declared
 * (a lying zip bomb is caught here), a formula anywhere refuses the file, the merged ranges
 * near the top are kept for the header's check, and the rows holding a value are counted, so
 * that a sheet of a million rows is refused after scanning a fifth of it rather than after
 * parsing it. It matches only the few tags it needs in the text, about ten times faster than
 * parsing the XML.
 */
async function scanSheet(file: Buffer, entry: ZipEntry, limits: ImportLimits): Promise<{ merges: MergedRange[]; valueRows: number }> {
  const merges: MergedRange[] = [];
  let valueRows = 0;
  let rowOpen = false;
  let rowHasValue = false;
  const tokens = /<(row|v|is|f|mergeCell)[\s>/]/g;
  // The text kept from the previous piece (a tag cut in two, the cell before a formula) and its offset in the part.
  let carry = '';
  let carryAt = 0;
  let scannedTo = 0;
  // The most value rows a sheet may have and still pass: the rows up to the header (and its notes row) are not data.
  const rowBound = limits.maxRows + HEADER_SEARCH_ROWS + 1;
  for await (const chunk of inflated(file, entry)) {
    // Latin-1 keeps one character per byte: the tags are ASCII, and a formula's text is decoded again below.
    const text = carry + chunk.toString('latin1');
    const base = carryAt;
    let pending = -1;
    tokens.lastIndex = Math.max(0, scannedTo - base);
    for (let m = tokens.exec(text); m; m = tokens.exec(text)) {
      const tag = m[1];
      if (tag === 'row') {
        if (rowOpen && rowHasValue && ++valueRows > rowBound) throw tooManyRows(limits, `more than ${counted(limits.maxRows)}`);
        rowOpen = true;
        rowHasValue = false;
      } else if (tag === 'v' || tag === 'is') {
        rowHasValue = true;
      } else if (tag === 'f') {
        throw formulaError(text, m.index);
      } else {
        const close = text.indexOf('>', m.index);
        if (close < 0) {
          pending = m.index;
          break;
        }
        const ref = attributes(text.slice(m.index, close)).ref;
        const range = ref && /^[A-Z]+(\d+)(?::[A-Z]+(\d+))?$/i.exec(ref);
        if (range && Number(range[1]) <= MERGES_KEPT_ROWS) merges.push({ ref, top: Number(range[1]), bottom: Number(range[2] ?? range[1]) });
      }
      scannedTo = base + tokens.lastIndex;
    }
    if (pending >= 0) scannedTo = base + pending;
    // Keep 1 kB behind for the cell a formula sits in, and whatever a pending tag needs.
    const keepFrom = Math.min(pending >= 0 ? pending : text.length, Math.max(0, text.length - 1024));
    carry = text.slice(keepFrom);
    carryAt = base + keepFrom;
    if (carry.length > 1024 * 1024) throw damaged('a tag of the sheet never ends');
  }
  if (rowOpen && rowHasValue) valueRows++;
  return { merges, valueRows };
}

/** The refusal of a formula found at `at` in the sheet's text: names the cell and shows the formula. */
function formulaError(text: string, at: number): ImportFileError {
  let cellAt = text.lastIndexOf('<c ', at);
  // A cell written without attributes (<c>) has no reference: do not take the previous cell's.
  if (cellAt >= 0 && text.lastIndexOf('</c>', at) > cellAt) cellAt = -1;
  const cell = cellAt >= 0 ? attributes(text.slice(cellAt, text.indexOf('>', cellAt))).r : undefined;
  const open = text.indexOf('>', at);
  const close = text.indexOf('</f>', at);
  let formula = '';
  if (open >= 0 && text[open - 1] !== '/' && close > open) formula = xmlText(Buffer.from(text.slice(open + 1, Math.min(close, open + 81)), 'latin1').toString('utf8'));
  return formulaRefusal(cell, formula);
}

/** The refusal of a formula, naming its cell and showing it when known. */
function formulaRefusal(cell: string | undefined, formula: string): ImportFileError {
  const shown = formula ? ` (=${formula})` : '';
  return new ImportFileError(
    'FORMULA',
    `${cell ? `Cell ${cell}` : 'A cell'} holds a formula${shown}: Hồ sơ imports values only. Copy the sheet and paste it back with Paste Special → Values, then save.`,
  );
}

/** exceljs, loaded the first time a workbook is written (the template): it holds about 28 MB of memory. */
export function excel(): typeof ExcelJS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('exceljs') as typeof ExcelJS;
}

/** The workbook's first visible sheet, checked, as rows read on demand from its XML. */
async function openWorkbook(file: Buffer, limits: ImportLimits): Promise<TableSource & { sheet: string }> {
  const entries = readZipDirectory(file);
  checkDeclaredSizes(entries, limits);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const workbook = byName.get('xl/workbook.xml');
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) {
    const what = byName.has('content.xml') ? 'an OpenDocument spreadsheet (.ods)' : byName.has('word/document.xml') ? 'a Word document' : 'a zip archive';
    throw new ImportFileError('NOT_A_SPREADSHEET', `The file is ${what}, not an Excel workbook: ${SAVE_AS_XLSX}.`);
  }
  const workbookXml = await smallPartText(file, workbook);
  const sheet = firstSheet(workbookXml, await smallPartText(file, rels));
  const sheetEntry = byName.get(sheet.path);
  if (!sheetEntry) throw damaged(`its sheet "${sheet.name}" is missing`);
  const styles = byName.get('xl/styles.xml');
  const shared = byName.get('xl/sharedStrings.xml');
  if (shared && shared.size > limits.maxSharedStringsBytes) {
    throw new ImportFileError(
      'TOO_LARGE',
      `The workbook holds ${megabytes(shared.size)} of text; at most ${megabytes(limits.maxSharedStringsBytes)} can be read at once: split the file.`,
    );
  }
  if (styles) checkSmallPart(styles);
  const scan = await scanSheet(file, sheetEntry, limits);
  // Read after the scan: a file it refuses costs no more than the scan.
  const formats = cellFormats(styles ? await entryText(file, styles) : '', workbookXml);
  const strings = shared ? sharedStrings(await entryText(file, shared)) : [];
  return {
    sheet: sheet.name,
    rows: worksheetRows(file, sheetEntry, strings, formats),
    checkHeaderRow(headerRow) {
      const merged = scan.merges.filter((m) => m.top <= headerRow && headerRow <= m.bottom);
      if (merged.length) {
        throw new ImportFileError(
          'MERGED_HEADER',
          `The header (row ${headerRow}) has merged cells (${merged.map((m) => m.ref).join(', ')}): unmerge them (Home → Merge & Center) and give each column its own header in row ${headerRow}.`,
        );
      }
    },
    // The scan counted rows holding a value (a row holding only spaces counts too: an upper bound).
    rowsAfter: (rowsSoFar) => scan.valueRows - rowsSoFar,
  };
}

// XLSX: the sheet's rows, parsed from its XML as it inflates

/**
 * The sheet's rows holding a value, read as its XML inflates. exceljs's streaming reader, used
 * before, decoded each inflated piece on its own, turning a character cut between two pieces
 * into U+FFFD (61 names and places in a 100,000-row Vietnamese workbook); the decoder here
 * carries such a character over to the next piece.
 */
async function* worksheetRows(file: Buffer, entry: ZipEntry, strings: readonly (string | null)[], formats: CellFormats): AsyncGenerator<SheetRow> {
  const decoder = new StringDecoder('utf8');
  const parser = new SheetParser(strings, formats);
  try {
    for await (const chunk of inflated(file, entry)) {
      for (const row of parser.read(decoder.write(chunk))) yield row;
    }
    parser.end(decoder.end());
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw damaged(`its sheet cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Excel's last column, XFD, and last row: a reference beyond them is a damaged sheet (a column beyond would make a row of millions of cells). */
const MAX_COLUMN = 16_384;
const MAX_ROW = 1_048_576;

/**
 * The tags the rows are read from, with or without a namespace prefix (x:row): a row, a cell, its
 * value, its inline string and the string's text and phonetic guide, a formula. Other tags are
 * passed over. A v or a t holds only text, so the text between one and the next tag found is its
 * content. No groups: reading the tag from the text where it was found costs less than capturing them.
 */
const SHEET_TAG = /<\/?(?:[\w.-]+:)?(?:row|c|v|is|t|rPh|f)(?=[\s/>])[^>]*>/g;

// Character codes the sheet's tags are read by (QUOTE, LF and CR are the CSV reader's).
const [TAB, SPACE, APOSTROPHE, SLASH, COLON, EQUALS, GREATER] = [9, 32, 39, 47, 58, 61, 62];
const [DIGIT_0, DIGIT_9, LETTER_A, LETTER_Z] = [48, 57, 97, 122];
const [LETTER_C, LETTER_O, LETTER_R, LETTER_S, LETTER_T, LETTER_V] = [...'corstv'].map((c) => c.charCodeAt(0));

const isSpace = (c: number) => c === SPACE || c === TAB || c === LF || c === CR;

/** A cell being read: where it is, what its tag says, and the raw text of its <v> and its inline string's text (undefined: none). */
interface OpenCell {
  row: number;
  column: number;
  type: string;
  style: number;
  value: string | undefined;
  inline: string | undefined;
}

/**
 * A worksheet's XML read into rows, given as text in pieces. The tags that matter are found by a
 * regex over the text, as the scan finds its own; what a piece's end cuts (a tag, a value's text)
 * is carried to the next piece.
 */
class SheetParser {
  private readonly tags = new RegExp(SHEET_TAG);
  private carry = '';
  /** Whether the last tag found opens a v or a t, whose text is read at its closing tag. */
  private inText = false;
  private rowNumber = 0;
  /** The open row's cells (undefined between rows), whether one holds a value, the last cell's column. */
  private cells: (ImportValue | null)[] | undefined;
  private any = false;
  private column = 0;
  private cell: OpenCell | undefined;
  private phonetic = false;
  /** The last row or cell tag's attributes: where its reference's value starts (-1: none), its type, its style. */
  private referenceAt = -1;
  private type = '';
  private style = 0;

  constructor(
    private readonly strings: readonly (string | null)[],
    private readonly formats: CellFormats,
  ) {}

  /** The rows this piece of the text completes. */
  read(piece: string): SheetRow[] {
    const rows: SheetRow[] = [];
    const text = this.carry + piece;
    const tags = this.tags;
    let end = 0;
    tags.lastIndex = 0;
    for (let m = tags.exec(text); m; m = tags.exec(text)) {
      const at = m.index;
      const close = tags.lastIndex - 1;
      const closing = text.charCodeAt(at + 1) === SLASH;
      const selfClosing = text.charCodeAt(close - 1) === SLASH;
      // The name without its prefix: after the last colon before the name ends.
      let i = closing ? at + 2 : at + 1;
      let name = i;
      for (let c = text.charCodeAt(i); !isSpace(c) && c !== SLASH && c !== GREATER; c = text.charCodeAt(++i)) if (c === COLON) name = i + 1;
      const length = i - name;
      const first = text.charCodeAt(name);
      this.inText = !closing && !selfClosing && length === 1 && (first === LETTER_V || first === LETTER_T);
      if (length === 3 && text.charCodeAt(name + 1) === LETTER_O) {
        // row
        if (closing) {
          if (this.cells && this.any) rows.push({ rowNumber: this.rowNumber, cells: this.cells });
          this.cells = undefined;
        } else {
          this.attributes(text, i, close);
          // A row without its number follows the previous one.
          let r = 0;
          for (let k = this.referenceAt, c = text.charCodeAt(k); k >= 0 && c >= DIGIT_0 && c <= DIGIT_9 && r <= MAX_ROW; c = text.charCodeAt(++k)) r = r * 10 + c - DIGIT_0;
          this.rowNumber = r > 0 ? r : this.rowNumber + 1;
          if (this.rowNumber > MAX_ROW) throw damaged("a row of its sheet is numbered beyond Excel's last row");
          this.cells = selfClosing ? undefined : [];
          this.any = false;
          this.column = 0;
        }
      } else if (length === 3) {
        // rPh: a phonetic guide, whose text is not the string's
        this.phonetic = !closing && !selfClosing;
      } else if (length === 1 && first === LETTER_C) {
        if (this.cells && closing) this.closeCell(this.cells);
        else if (this.cells) this.openCell(text, i, close, selfClosing);
      } else if (length === 1 && first === LETTER_V) {
        if (this.cell && closing) this.cell.value = text.slice(end, at);
        else if (this.cell && selfClosing) this.cell.value = '';
      } else if (length === 2) {
        // is: an inline string
        if (this.cell && !closing) this.cell.inline = '';
      } else if (length === 1 && first === LETTER_T) {
        // An inline string is its text, or its rich-text runs' texts joined, but not its phonetic guide.
        if (this.cell?.inline !== undefined && closing && !this.phonetic) this.cell.inline += stringText(text.slice(end, at));
      } else if (this.cell && !closing) {
        // f: the scan refuses formulas before; this is one written with a namespace prefix, which it does not see.
        const formulaEnd = text.indexOf('<', close);
        throw formulaRefusal(addressOf(this.cell), selfClosing || formulaEnd < 0 ? '' : xmlText(text.slice(close + 1, Math.min(formulaEnd, close + 81))));
      }
      end = close + 1;
    }
    // Inside a v or a t, its text so far; elsewhere, only a tag cut at the end: the rest is markup
    // the rows do not need (megabytes of data validations or merged cells after the rows).
    this.carry = text.slice(this.inText ? end : Math.max(end, text.lastIndexOf('<')));
    if (this.carry.length > 1024 * 1024) throw damaged('a tag of the sheet never ends');
    return rows;
  }

  /** The text after the last piece: the sheet must not end inside a row. */
  end(rest: string): void {
    this.read(rest);
    if (this.cells) throw damaged('its sheet ends inside a row');
  }

  private openCell(text: string, from: number, to: number, selfClosing: boolean): void {
    this.attributes(text, from, to);
    // A cell without its reference is in the column after the previous one.
    let column = 0;
    for (let k = this.referenceAt, c = text.charCodeAt(k) | 0x20; k >= 0 && c >= LETTER_A && c <= LETTER_Z && column <= MAX_COLUMN; c = text.charCodeAt(++k) | 0x20) {
      column = column * 26 + c - LETTER_A + 1;
    }
    this.column = column || this.column + 1;
    if (this.column > MAX_COLUMN) throw damaged(`a cell of its row ${this.rowNumber} is beyond Excel's last column`);
    if (!selfClosing) this.cell = { row: this.rowNumber, column: this.column, type: this.type || 'n', style: this.style, value: undefined, inline: undefined };
  }

  private closeCell(cells: (ImportValue | null)[]): void {
    const cell = this.cell;
    if (!cell) return;
    this.cell = undefined;
    const value = cellValue(cell, this.strings, this.formats);
    if (value === null) return;
    while (cells.length < cell.column - 1) cells.push(null);
    cells[cell.column - 1] = value;
    this.any = true;
  }

  /** Reads a row or cell tag's r, t and s (the only attributes the rows need), between its name and its end. */
  private attributes(text: string, from: number, to: number): void {
    this.referenceAt = -1;
    this.type = '';
    this.style = 0;
    let i = from;
    while (i < to) {
      let c = text.charCodeAt(i);
      if (isSpace(c) || c === SLASH) {
        i++;
        continue;
      }
      const name = i;
      while (i < to && c !== EQUALS && !isSpace(c)) c = text.charCodeAt(++i);
      const nameLength = i - name;
      while (i < to && c !== EQUALS) c = text.charCodeAt(++i);
      do c = text.charCodeAt(++i);
      while (isSpace(c));
      if (c !== QUOTE && c !== APOSTROPHE) return;
      const valueEnd = text.indexOf(c === QUOTE ? '"' : "'", i + 1);
      if (valueEnd < 0 || valueEnd > to) return;
      if (nameLength === 1) {
        const attribute = text.charCodeAt(name);
        if (attribute === LETTER_R) this.referenceAt = i + 1;
        else if (attribute === LETTER_T) this.type = text.slice(i + 1, valueEnd);
        else if (attribute === LETTER_S) this.style = Number(text.slice(i + 1, valueEnd)) || 0;
      }
      i = valueEnd + 1;
    }
  }
}

/** A cell's value as the import reads it, from its type (t), its style (s) and its content. */
function cellValue(cell: OpenCell, strings: readonly (string | null)[], formats: CellFormats): ImportValue | null {
  const { type, value, inline } = cell;
  // An inline string (t="inlineStr"), also from a writer that left the type out.
  if (inline !== undefined) return cleanText(inline);
  // No value, or a blank one (<v/>): a blank cell, whatever its type.
  if (value === undefined || value.trim() === '') return null;
  switch (type) {
    case 's': {
      const index = Number(value);
      if (!Number.isInteger(index) || index < 0 || index >= strings.length) throw damaged(`cell ${addressOf(cell)} refers to a text the workbook does not hold`);
      return strings[index];
    }
    case 'inlineStr':
    case 'str':
      return cleanText(stringText(value));
    case 'b':
      return /^\s*(0|false)\s*$/i.test(value) ? 'FALSE' : 'TRUE';
    case 'e':
      // The error as Excel shows it (#N/A, #VALUE!): the row rules refuse it where a value is needed.
      return cleanText(value);
    case 'd':
      return isoDate(value) ?? cleanText(value);
    default: {
      const number = parseFloat(value);
      if (!Number.isFinite(number)) return null;
      return formats.dates[cell.style] ? excelDate(number, formats.date1904) : number;
    }
  }
}

/** A cell's reference as Excel names it (B3). */
function addressOf(cell: OpenCell): string {
  let letters = '';
  for (let n = cell.column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(0x41 + ((n - 1) % 26)) + letters;
  return `${letters}${cell.row}`;
}

/**
 * A string's text as Excel writes it in XML: the XML entities, then the _xHHHH_ escapes Excel
 * writes for characters XML cannot hold (_x000D_, a carriage return), _x005F_ escaping an
 * underscore that would read as one.
 */
function stringText(raw: string): string {
  const text = xmlText(raw);
  return text.includes('_x') ? text.replace(/_x([0-9a-f]{4})_/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/**
 * The shared strings (the workbook's texts, which cells of type s name by index), each cleaned
 * as a cell's text is. An item's text is its <t>, or its rich-text runs' <t> joined, without the
 * phonetic guide (<rPh>) East Asian editions add.
 */
function sharedStrings(xml: string): (string | null)[] {
  const strings: (string | null)[] = [];
  const tags = /<(\/?)(?:[\w.-]+:)?(si|t|rPh)(?=[\s/>])([^>]*)>/g;
  let item: string | undefined;
  let phonetic = false;
  let end = 0;
  for (let m = tags.exec(xml); m; m = tags.exec(xml)) {
    const closing = m[1] === '/';
    const selfClosing = m[3].endsWith('/');
    if (m[2] === 'si') {
      if (closing || selfClosing) strings.push(cleanText(item ?? ''));
      item = closing || selfClosing ? undefined : '';
    } else if (m[2] === 'rPh') {
      phonetic = !closing && !selfClosing;
    } else if (closing && !phonetic && item !== undefined) {
      item += stringText(xml.slice(end, m.index));
    }
    end = tags.lastIndex;
  }
  return strings;
}

/** What tells a date cell from a number: which cell formats (styles.xml's cellXfs, by index) show a date, and the workbook's date system. */
interface CellFormats {
  dates: boolean[];
  /** The 1904 date system (Excel for Mac's old default): serial 0 is 1 January 1904 rather than 31 December 1899. */
  date1904: boolean;
}

/** Excel's built-in number formats that show a date or a time, the locale-dependent ones (27–36, 50–58) included. */
const isBuiltInDateFormat = (id: number) => (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);

/** A custom number format shows a date when it has a day, month or year outside quoted text, [brackets] ([Red], [$-409]) and escaped characters (\d, _m, *y). */
function isDateFormat(code: string): boolean {
  return /[dmy]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\.|[_*]./g, ''));
}

function cellFormats(stylesXml: string, workbookXml: string): CellFormats {
  const properties = /<(?:[\w.-]+:)?workbookPr\b[^>]*>/.exec(workbookXml);
  const date1904 = properties !== null && /^(1|true)$/i.test(attributes(properties[0]).date1904 ?? '');
  const custom = new Map<number, string>();
  for (const [tag] of stylesXml.matchAll(/<(?:[\w.-]+:)?numFmt\b[^>]*>/g)) {
    const a = attributes(tag);
    if (a.numFmtId !== undefined && a.formatCode !== undefined) custom.set(Number(a.numFmtId), a.formatCode);
  }
  // Only cellXfs: the cellStyleXfs before them are named styles, which cells do not refer to by index.
  const list = /<(?:[\w.-]+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?cellXfs\s*>/.exec(stylesXml);
  const dates: boolean[] = [];
  for (const [tag] of list ? list[1].matchAll(/<(?:[\w.-]+:)?xf\b[^>]*>/g) : []) {
    const id = Number(attributes(tag).numFmtId ?? 0);
    const code = custom.get(id);
    dates.push(code !== undefined ? isDateFormat(code) : isBuiltInDateFormat(id));
  }
  return { dates, date1904 };
}

/** Excel's day number as a Date: a whole day is its UTC midnight, a fraction its time of day in UTC; null beyond what a Date holds. */
function excelDate(serial: number, date1904: boolean): Date | null {
  const date = new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date cell written as ISO 8601 text (t="d", from software other than Excel), as its day at UTC midnight; null when it is not a day. */
function isoDate(text: string): Date | null {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?!\d)/.exec(text);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCFullYear() === Number(m[1]) && date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]) ? date : null;
}
