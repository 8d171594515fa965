import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CATALOGUES } from '../catalogues/catalogue-data';
import { IMPORT_COLUMNS, columnLetter, parseDate, resolveCatalogue } from './columns';
import { openImportFile, type RawRow } from './read-file';
import { TEMPLATE_GUIDE_SHEET, TEMPLATE_LAST_ROW, TEMPLATE_LISTS_SHEET, TEMPLATE_SHEET, importTemplate } from './template';

const CELLS = [
  { code: 'DN.HAICHAU2.CB01', name: 'Chi bộ khu dân cư số 1' },
  { code: 'DN.HAICHAU2.CB02', name: 'Chi bộ khu dân cư số 2' },
  // Two cells of one name (from two former wards): listed by code.
  { code: 'DN.HAICHAU2.THACHTHANG.CB05', name: 'Chi bộ khu dân cư số 5' },
  { code: 'DN.HAICHAU2.PHUOCNINH.CB05', name: 'Chi bộ khu dân cư số 5' },
];

async function load(file: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as never);
  return book;
}

/** The cell of a column's first data row (row 3). */
const firstCell = (sheet: ExcelJS.Worksheet, field: string) => sheet.getCell(`${columnLetter(IMPORT_COLUMNS.findIndex((c) => c.field === field))}3`);

/** The values a list validation offers, read from the range it points to. */
function listValues(book: ExcelJS.Workbook, validation: ExcelJS.DataValidation): string[] {
  const formula = validation.formulae[0] as string;
  if (formula.startsWith('"')) return formula.slice(1, -1).split(',');
  const [, sheetName, column, from, to] = /^'(.+)'!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)$/.exec(formula)!;
  const sheet = book.getWorksheet(sheetName)!;
  return Array.from({ length: Number(to) - Number(from) + 1 }, (_, i) => String(sheet.getCell(`${column}${Number(from) + i}`).value ?? ''));
}

describe('the import template', () => {
  it('reads back through the reader: every column matched, the notes row skipped, no rows', async () => {
    const opened = await openImportFile(await importTemplate(CELLS));
    expect(opened.sheet).toBe(TEMPLATE_SHEET);
    expect(opened.header.row).toBe(1);
    expect(opened.header.columns).toEqual(IMPORT_COLUMNS.map((c, index) => ({ index, field: c.field, header: c.header })));
    expect(opened.header.ignored).toEqual([]);
    const rows: RawRow[] = [];
    for await (const row of opened.rows) rows.push(row);
    expect(rows).toEqual([]);
  });

  it('has the headers in bold, frozen with the notes row under them in grey italics', async () => {
    const book = await load(await importTemplate());
    expect(book.worksheets.map((s) => [s.name, s.state])).toEqual([
      [TEMPLATE_SHEET, 'visible'],
      [TEMPLATE_GUIDE_SHEET, 'visible'],
      [TEMPLATE_LISTS_SHEET, 'hidden'],
    ]);
    const sheet = book.getWorksheet(TEMPLATE_SHEET)!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(IMPORT_COLUMNS.map((c) => c.header));
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(IMPORT_COLUMNS.map((c) => c.note));
    expect(sheet.getCell('A1').font.bold).toBe(true);
    expect(sheet.getCell('A2').font).toMatchObject({ italic: true, color: { argb: 'FF808080' } });
  });

  it('offers drop-down lists from the catalogues on rows 3 to 5000, names first, religion with "Không"', async () => {
    const book = await load(await importTemplate());
    const sheet = book.getWorksheet(TEMPLATE_SHEET)!;
    const gender = firstCell(sheet, 'gender').dataValidation;
    expect(gender).toMatchObject({ type: 'list', allowBlank: true });
    expect(listValues(book, gender)).toEqual(['Nam', 'Nữ']);
    const lists = {
      ethnicity: CATALOGUES.ETHNIC_GROUP.rows.map(([, label]) => label),
      religion: ['Không', ...CATALOGUES.RELIGION.rows.map(([, label]) => label)],
      occupation: CATALOGUES.OCCUPATION.rows.map(([, label]) => label),
      professionalLevel: CATALOGUES.PROFESSIONAL_LEVEL.rows.map(([, label]) => label),
      politicalTheory: CATALOGUES.POLITICAL_THEORY.rows.map(([, label]) => label),
    };
    for (const [field, values] of Object.entries(lists)) {
      const validation = firstCell(sheet, field).dataValidation;
      expect(validation?.type, field).toBe('list');
      // Too long for an inline list (255 characters), and "Cán bộ, công chức" holds a comma: a range of the hidden sheet.
      expect(validation.formulae[0], field).toMatch(/^'Danh mục'!\$[A-Z]+\$2:\$[A-Z]+\$\d+$/);
      expect(listValues(book, validation), field).toEqual(values);
      // What the list offers, the reader takes.
      const kind = IMPORT_COLUMNS.find((c) => c.field === field)!.catalogue!;
      for (const value of values) expect(resolveCatalogue(kind, value), value).not.toHaveProperty('problem');
    }
    // Every data row to the last, none in the header or notes rows.
    const column = columnLetter(IMPORT_COLUMNS.findIndex((c) => c.field === 'ethnicity'));
    expect(sheet.getCell(`${column}${TEMPLATE_LAST_ROW}`).dataValidation?.type).toBe('list');
    expect(sheet.getCell(`${column}${TEMPLATE_LAST_ROW + 1}`).dataValidation).toBeUndefined();
    expect(sheet.getCell(`${column}2`).dataValidation).toBeUndefined();
  });

  it('lists the caller\'s cells by name, by code where two share a name, with their codes beside them', async () => {
    const book = await load(await importTemplate(CELLS));
    const validation = firstCell(book.getWorksheet(TEMPLATE_SHEET)!, 'cell').dataValidation;
    expect(listValues(book, validation)).toEqual(['Chi bộ khu dân cư số 1', 'Chi bộ khu dân cư số 2', 'DN.HAICHAU2.THACHTHANG.CB05', 'DN.HAICHAU2.PHUOCNINH.CB05']);
    const column = /\$([A-Z]+)\$/.exec(validation.formulae[0] as string)![1];
    const lists = book.getWorksheet(TEMPLATE_LISTS_SHEET)!;
    const codeColumn = lists.getColumn(lists.getColumn(column).number + 1);
    expect((codeColumn.values as unknown[]).slice(2)).toEqual(CELLS.map((c) => c.code));
    // Without cells (no unit asked for), the column takes what is typed.
    const plain = await load(await importTemplate());
    expect(firstCell(plain.getWorksheet(TEMPLATE_SHEET)!, 'cell').dataValidation).toBeUndefined();
  });

  it('formats dates as dd/mm/yyyy with a date check, and numbers as text so that Excel keeps their leading zeros', async () => {
    const book = await load(await importTemplate());
    const sheet = book.getWorksheet(TEMPLATE_SHEET)!;
    IMPORT_COLUMNS.forEach((column, i) => {
      const format = sheet.getColumn(i + 1).numFmt;
      expect(format, column.field).toBe(column.kind === 'date' ? 'dd/mm/yyyy' : '@');
      if (column.kind === 'date') expect(sheet.getCell(`${columnLetter(i)}3`).dataValidation, column.field).toMatchObject({ type: 'date', operator: 'greaterThan' });
    });
    for (const field of ['partyCardNumber', 'nationalId', 'phone', 'generalEducation']) expect(firstCell(sheet, field).numFmt, field).toBe('@');
  });

  it('explains every column, in Vietnamese, on the second sheet', async () => {
    const book = await load(await importTemplate(CELLS));
    const guide = book.getWorksheet(TEMPLATE_GUIDE_SHEET)!;
    const lines = new Map<string, unknown[]>();
    guide.eachRow((row) => lines.set(String(row.getCell(1).value), (row.values as unknown[]).slice(1)));
    for (const column of IMPORT_COLUMNS) {
      const line = lines.get(column.header);
      expect(line, column.header).toBeDefined();
      expect(line![1] ?? '', column.header).toBe(column.required ? 'Có' : '');
      expect(String(line![2]), column.header).toContain(column.note);
    }
    expect(String(lines.get('Chi bộ')![2])).toContain('danh sách thả xuống các chi bộ của đơn vị');
  });

  it('is read back with what staff type into it', async () => {
    const book = await load(await importTemplate(CELLS));
    const sheet = book.getWorksheet(TEMPLATE_SHEET)!;
    const values: Record<string, ExcelJS.CellValue> = {
      fullName: 'Nguyễn Thị Mẫu', dateOfBirth: new Date(Date.UTC(1985, 6, 14)), gender: 'Nữ', ethnicity: 'Kinh', religion: 'Không',
      joinedOn: new Date(Date.UTC(2010, 1, 3)), nationalId: '048185000123', cell: 'Chi bộ khu dân cư số 1', generalEducation: '12/12',
    };
    for (const [field, value] of Object.entries(values)) firstCell(sheet, field).value = value;
    const [row] = await (async () => {
      const rows: RawRow[] = [];
      for await (const r of (await openImportFile(Buffer.from(await book.xlsx.writeBuffer()))).rows) rows.push(r);
      return rows;
    })();
    expect(row.rowNumber).toBe(3);
    expect(row.values).toEqual(values);
    expect(parseDate(row.values.dateOfBirth!)).toEqual({ date: '1985-07-14' });
  });
});
