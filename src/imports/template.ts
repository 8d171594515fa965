import type ExcelJS from 'exceljs';
import { CATALOGUES, type CatalogueKind } from '../catalogues/catalogue-data';
import { IMPORT_COLUMNS, columnLetter, type ImportColumn } from './columns';
import { IMPORT_LIMITS, excel } from './read-file';

/**
 * The import's template (GET /imports/template.xlsx): a workbook with the columns the reader
 * matches (IMPORT_COLUMNS), their notes under the headers, drop-down lists from the catalogues
 * and the unit's cells, dates as dates and numbers as text, and a sheet of instructions. What
 * the template asks is what read-file.ts and the row rules accept, from the same table.
 */

export const TEMPLATE_SHEET = 'Đảng viên';
export const TEMPLATE_GUIDE_SHEET = 'Hướng dẫn';
/** Hidden: the lists the drop-downs take their values from, with the codes beside the names. */
export const TEMPLATE_LISTS_SHEET = 'Danh mục';
/** The drop-downs and formats reach this row: a large ward's members, with room to spare. */
export const TEMPLATE_LAST_ROW = 5000;
const FIRST_DATA_ROW = 3;

/** A drop-down's list: the values shown (names) and their codes. */
interface TemplateList {
  title: string;
  items: readonly (readonly [value: string, code: string])[];
}

/**
 * The lists of the catalogue columns, by label (what staff read), in the catalogues' order.
 * Religion starts with "Không" (none); retired codes are left out, as the reader refuses them.
 */
function catalogueList(kind: CatalogueKind, header: string): TemplateList {
  const items = CATALOGUES[kind].rows.map(([code, label]) => [label, code] as const);
  return { title: header, items: kind === 'RELIGION' ? [['Không', ''], ...items] : items };
}

/**
 * The cells' list: by name, as staff know them; a name that two cells share is given by code
 * instead (the reader takes either, and a shared name would be refused as ambiguous).
 */
function cellList(cells: readonly { code: string; name: string }[]): TemplateList {
  const names = new Map<string, number>();
  for (const cell of cells) names.set(cell.name, (names.get(cell.name) ?? 0) + 1);
  return { title: 'Chi bộ', items: cells.map((cell) => [names.get(cell.name)! > 1 ? cell.code : cell.name, cell.code] as const) };
}

/** The workbook's data validations (exceljs has them, its type declarations do not). */
type Validations = { add(range: string, validation: ExcelJS.DataValidation): void };
const validationsOf = (sheet: ExcelJS.Worksheet) => (sheet as unknown as { dataValidations: Validations }).dataValidations;

const quotedSheet = (name: string) => `'${name.replace(/'/g, "''")}'`;

/** What a column takes, for the instructions sheet, in Vietnamese. */
function guideLine(column: ImportColumn, cellsListed: boolean): string {
  const kind: Record<ImportColumn['kind'], string> = {
    date: 'Ô ngày của Excel, hoặc chữ dd/mm/yyyy (ngày trước, tháng sau; năm đủ 4 chữ số).',
    gender: 'Chọn trong danh sách thả xuống.',
    catalogue: `Chọn trong danh sách thả xuống (${column.catalogue ? CATALOGUES[column.catalogue].rows.length : 0} mục), hoặc ghi tên hay mã trong danh mục; không phân biệt hoa thường, có dấu hay không dấu.`,
    text: '',
  };
  const extra = column.field === 'cell' ? (cellsListed ? 'Chọn trong danh sách thả xuống các chi bộ của đơn vị; tên trùng nhau được ghi bằng mã.' : 'Ghi tên hoặc mã chi bộ.') : kind[column.kind];
  return [column.note.endsWith('.') ? column.note : `${column.note}.`, extra].filter(Boolean).join(' ');
}

/** The template, as XLSX bytes; `cells`: the cells in the caller's scope under the unit asked for, for the Chi bộ list. */
export async function importTemplate(cells?: readonly { code: string; name: string }[]): Promise<Buffer> {
  const workbook = new (excel().Workbook)();
  workbook.creator = 'Hồ sơ';
  const sheet = workbook.addWorksheet(TEMPLATE_SHEET, { views: [{ state: 'frozen', ySplit: 2 }] });
  const guide = workbook.addWorksheet(TEMPLATE_GUIDE_SHEET);
  const lists = workbook.addWorksheet(TEMPLATE_LISTS_SHEET, { state: 'hidden' });

  // Dates as dates; everything else as text, so that Excel keeps a card number's or a CCCD's
  // leading zero, an ethnic group's code "01", and does not turn 12/12 or 9/12 into a date.
  sheet.columns = IMPORT_COLUMNS.map((column) => ({ width: column.width ?? 16, style: { numFmt: column.kind === 'date' ? 'dd/mm/yyyy' : '@' } }));
  const header = sheet.addRow(IMPORT_COLUMNS.map((c) => c.header));
  header.height = 30;
  header.eachCell((cell, n) => {
    const required = IMPORT_COLUMNS[n - 1].required;
    cell.font = { bold: true, color: required ? { argb: 'FFC00000' } : undefined };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: required ? 'FFFFF2CC' : 'FFF2F2F2' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  const notes = sheet.addRow(IMPORT_COLUMNS.map((c) => c.note));
  notes.height = 45;
  notes.eachCell((cell) => {
    cell.font = { italic: true, size: 9, color: { argb: 'FF808080' } };
    cell.alignment = { vertical: 'top', wrapText: true };
  });

  // The lists, two columns each on the hidden sheet (the value shown, its code): inline lists are
  // limited to 255 characters and split on commas ("Cán bộ, công chức"), ranges are not.
  const listed: [ImportColumn, TemplateList][] = [];
  for (const column of IMPORT_COLUMNS) {
    if (column.catalogue) listed.push([column, catalogueList(column.catalogue, column.header)]);
    if (column.field === 'cell' && cells?.length) listed.push([column, cellList(cells)]);
  }
  const ranges = new Map<ImportColumn['field'], string>();
  listed.forEach(([column, list], k) => {
    const name = lists.getColumn(2 * k + 1);
    const code = lists.getColumn(2 * k + 2);
    name.width = 40;
    code.width = 22;
    name.values = [list.title, ...list.items.map(([value]) => value)];
    code.values = [`Mã ${list.title.toLowerCase()}`, ...list.items.map(([, c]) => c)];
    const letter = columnLetter(2 * k);
    ranges.set(column.field, `${quotedSheet(TEMPLATE_LISTS_SHEET)}!$${letter}$2:$${letter}$${list.items.length + 1}`);
  });
  lists.getRow(1).font = { bold: true };

  const validations = validationsOf(sheet);
  IMPORT_COLUMNS.forEach((column, i) => {
    const letter = columnLetter(i);
    const range = `${letter}${FIRST_DATA_ROW}:${letter}${TEMPLATE_LAST_ROW}`;
    // Warnings, not stops: the reader also takes codes and names without accents, which a strict list would block.
    const common = { allowBlank: true, showErrorMessage: true, errorStyle: 'warning' as const, errorTitle: column.header };
    if (column.kind === 'gender') {
      validations.add(range, { ...common, type: 'list', formulae: ['"Nam,Nữ"'], error: 'Nam hoặc Nữ.' });
    } else if (ranges.has(column.field)) {
      validations.add(range, { ...common, type: 'list', formulae: [ranges.get(column.field)!], error: 'Chọn trong danh sách (hoặc ghi mã trong danh mục).' });
    } else if (column.kind === 'date') {
      validations.add(range, {
        ...common,
        type: 'date',
        operator: 'greaterThan',
        formulae: [new Date(Date.UTC(1900, 0, 1))],
        error: 'Một ngày theo dd/mm/yyyy.',
      });
    }
  });

  guide.columns = [{ width: 28 }, { width: 10 }, { width: 100 }];
  guide.addRow(['Hướng dẫn nhập danh sách đảng viên']).font = { bold: true, size: 13 };
  for (const line of [
    `Mỗi đảng viên một dòng trên trang “${TEMPLATE_SHEET}”, từ dòng ${FIRST_DATA_ROW}. Giữ nguyên dòng tiêu đề (dòng 1); dòng ghi chú (dòng 2) có thể giữ hoặc xoá.`,
    'Không gộp ô ở dòng tiêu đề, không dùng công thức: nếu chép từ tệp khác, dán bằng Paste Special → Values.',
    'Ngày ghi ngày trước, tháng sau: dd/mm/yyyy. Số thẻ, số CCCD, số điện thoại để dạng chữ để giữ số 0 ở đầu.',
    `Mỗi lần nhập tối đa ${IMPORT_LIMITS.maxRows.toLocaleString('vi')} dòng. Có thể lưu thành CSV UTF-8. Các cột khác thêm vào được giữ trong báo cáo kiểm tra nhưng không được nhập.`,
  ]) {
    guide.addRow([line]);
  }
  guide.addRow([]);
  guide.addRow(['Cột', 'Bắt buộc', 'Nội dung']).font = { bold: true };
  for (const column of IMPORT_COLUMNS) {
    const row = guide.addRow([column.header, column.required ? 'Có' : '', guideLine(column, Boolean(cells?.length))]);
    row.getCell(3).alignment = { wrapText: true, vertical: 'top' };
  }

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
