import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS } from './columns';
import { IMPORT_LIMITS, ImportFileError, openImportFile, type ImportFileProblem, type OpenImportOptions, type RawRow } from './read-file';

// Helpers

async function rowsOf(file: Buffer, options?: OpenImportOptions): Promise<RawRow[]> {
  const opened = await openImportFile(file, options);
  const rows: RawRow[] = [];
  for await (const row of opened.rows) rows.push(row);
  return rows;
}

/** The refusal a file gets (from openImportFile or while its rows are read). */
async function refusal(file: Buffer, options?: OpenImportOptions): Promise<ImportFileError> {
  try {
    await rowsOf(file, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return error as ImportFileError;
  }
  throw new Error('the file was not refused');
}

async function expectRefused(file: Buffer, code: ImportFileProblem, message: RegExp | string, options?: OpenImportOptions): Promise<void> {
  const error = await refusal(file, options);
  expect(error.code, error.message).toBe(code);
  expect(error.message).toMatch(message);
}

/** A workbook made by exceljs, as Excel users' files are read. */
async function workbook(build: (sheet: ExcelJS.Worksheet, book: ExcelJS.Workbook) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  build(book.addWorksheet('Đảng viên'), book);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A workbook written row by row by exceljs's streaming writer without shared strings: every text is in the sheet itself, as exports from other software often are. */
async function streamedWorkbook(rows: readonly unknown[][]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise((resolve) => out.on('end', resolve));
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = book.addWorksheet('Đảng viên');
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  await book.commit();
  await finished;
  return Buffer.concat(chunks);
}

/** The size a workbook's part inflates to, as its zip directory says. */
function partSize(file: Buffer, name: string): number {
  const end = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  for (let p = file.readUInt32LE(end + 16), n = file.readUInt16LE(end + 10); n > 0; n--) {
    const nameLength = file.readUInt16LE(p + 28);
    if (file.toString('utf8', p + 46, p + 46 + nameLength) === name) return file.readUInt32LE(p + 24);
    p += 46 + nameLength + file.readUInt16LE(p + 30) + file.readUInt16LE(p + 32);
  }
  throw new Error(`no part ${name}`);
}

const REQUIRED = ['Họ và tên', 'Ngày sinh', 'Giới tính', 'Ngày vào Đảng', 'Chi bộ'];
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
const member = (i: number) => [`Nguyễn Văn ${i}`, utc(1980, 1, 1 + (i % 28)), 'Nam', utc(2010, 1, 1), 'CB01'];

/** A zip part, deflated (or given as deflated bytes), with the sizes its directory will declare. */
interface Part {
  name: string;
  compressed: Buffer;
  size: number;
  crc: number;
}
const part = (name: string, data: Buffer | string): Part => {
  const bytes = Buffer.from(data);
  return { name, compressed: zlib.deflateRawSync(bytes), size: bytes.length, crc: zlib.crc32(bytes) };
};

/** A zip written by hand: local headers, data, the central directory; sizes as each part declares them. */
function zip(parts: readonly Part[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc, 14);
    local.writeUInt32LE(p.compressed.length, 18);
    local.writeUInt32LE(p.size, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(p.crc, 16);
    entry.writeUInt32LE(p.compressed.length, 20);
    entry.writeUInt32LE(p.size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    chunks.push(local, name, p.compressed);
    central.push(entry, name);
    offset += 30 + name.length + p.compressed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directory, end]);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const WORKSHEET = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';
/** The parts a minimal workbook needs around its sheet (one sheet, at `path`; `properties`, the workbook's workbookPr). */
const workbookParts = (path = 'worksheets/sheet1.xml', properties = '') => [
  part('xl/workbook.xml', `<workbook xmlns="${MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${properties}<sheets><sheet name="Đảng viên" sheetId="1" r:id="rId1"/></sheets></workbook>`),
  part('xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${WORKSHEET}" Target="${path}"/></Relationships>`),
];
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
/** Row 1 of a sheet written by hand: the required headers, as inline strings. */
const HEADER_ROW = `<row r="1">${REQUIRED.map((h, i) => inline(`${'ABCDE'[i]}1`, h)).join('')}</row>`;

/** A CSV as Excel writes it: fields quoted when they must be, CRLF line ends. */
const csv = (rows: string[][], delimiter = ',') =>
  rows.map((cells) => cells.map((c) => (/["\n,;\t]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(delimiter)).join('\r\n') + '\r\n';

describe('XLSX', () => {
  it('reads headers written any way, under a title row, with Excel dates, text dates, numbers and blank rows', async () => {
    const file = await workbook((sheet) => {
      sheet.addRow(['DANH SÁCH ĐẢNG VIÊN CHI BỘ 1']);
      sheet.mergeCells('A1:H1');
      sheet.addRow(['STT', 'HO VA TEN', ' ngày  sinh ', 'GIOI TINH', 'Ngay vao Dang', 'chi bo', 'Số CCCD', 'Ghi chú']);
      sheet.addRow([1, 'Nguyễn Văn An', utc(1980, 5, 17), 'Nam', '02/09/2005', 'CB01', 48080001234, 'chuyển đến']);
      sheet.addRow([]);
      sheet.addRow([2, '  Trần Thị Bình ', '1/2/1979', 'Nữ', utc(2001, 12, 3), 'Chi bộ 1', '048079000001']);
      // A numbering column filled down with nothing else: no member.
      sheet.addRow([3]);
      sheet.addRow([4, { richText: [{ text: 'Lê ' }, { font: { bold: true }, text: 'Văn Cường' }] }, utc(1975, 1, 1), 'nam', utc(1999, 1, 1), 'CB02']);
    });
    const opened = await openImportFile(file);
    expect(opened.format).toBe('xlsx');
    expect(opened.sheet).toBe('Đảng viên');
    expect(opened.header.row).toBe(2);
    expect(opened.header.names).toEqual(['STT', 'HO VA TEN', 'ngày  sinh', 'GIOI TINH', 'Ngay vao Dang', 'chi bo', 'Số CCCD', 'Ghi chú']);
    expect(opened.header.ignored).toEqual(['STT', 'Ghi chú']);
    expect(opened.header.columns.map((c) => c.field)).toEqual(['fullName', 'dateOfBirth', 'gender', 'joinedOn', 'cell', 'nationalId']);
    const rows: RawRow[] = [];
    for await (const row of opened.rows) rows.push(row);
    expect(rows.map((r) => r.rowNumber)).toEqual([3, 5, 7]);
    expect(rows[0].values).toEqual({
      fullName: 'Nguyễn Văn An', dateOfBirth: utc(1980, 5, 17), gender: 'Nam', joinedOn: '02/09/2005', cell: 'CB01', nationalId: 48080001234,
    });
    expect(rows[0].cells).toEqual([1, 'Nguyễn Văn An', utc(1980, 5, 17), 'Nam', '02/09/2005', 'CB01', 48080001234, 'chuyển đến']);
    expect(rows[1].values).toMatchObject({ fullName: 'Trần Thị Bình', dateOfBirth: '1/2/1979', joinedOn: utc(2001, 12, 3), nationalId: '048079000001' });
    expect(rows[1].cells).toHaveLength(8);
    expect(rows[1].cells[7]).toBeNull();
    expect(rows[2].values.fullName).toBe('Lê Văn Cường');
  });

  it('skips the template\'s notes row right under the header, and only there', async () => {
    const notes = IMPORT_COLUMNS.map((c) => c.note);
    const file = await workbook((sheet) => {
      sheet.addRow(IMPORT_COLUMNS.map((c) => c.header));
      sheet.addRow(notes);
      sheet.addRow(member(1));
      sheet.addRow(notes);
    });
    const rows = await rowsOf(file);
    expect(rows.map((r) => r.rowNumber)).toEqual([3, 4]);
    expect(rows[1].values.fullName).toBe(notes[0]);
  });

  it('gives text in Unicode NFC, as typed in decomposed form (Unicode tổ hợp)', async () => {
    const file = await workbook((sheet) => {
      sheet.addRow(REQUIRED);
      sheet.addRow(['Nguye\u0302\u0303n Va\u0306n A', utc(1980, 1, 1), 'Nam', utc(2010, 1, 1), 'CB01']);
    });
    expect((await rowsOf(file))[0].values.fullName).toBe('Nguyễn Văn A');
  });

  it('refuses a formula, naming its cell and showing it, before giving any row', async () => {
    const file = await workbook((sheet) => {
      sheet.addRow(REQUIRED);
      sheet.addRow(member(1));
      sheet.addRow(member(2));
      sheet.getCell('B3').value = { formula: 'B2+1', result: 29222 } as ExcelJS.CellFormulaValue;
    });
    const error = (await openImportFile(file).catch((e: unknown) => e)) as ImportFileError;
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error.code).toBe('FORMULA');
    expect(error.message).toBe('Cell B3 holds a formula (=B2+1): Hồ sơ imports values only. Copy the sheet and paste it back with Paste Special → Values, then save.');
  });

  it('refuses a formula far down the sheet before giving the first row', async () => {
    const file = await workbook((sheet) => {
      sheet.addRow(REQUIRED);
      for (let i = 0; i < 1500; i++) sheet.addRow(member(i));
      sheet.getCell('E1499').value = { formula: 'CONCATENATE("CB","01")', result: 'CB01' } as ExcelJS.CellFormulaValue;
    });
    await expect(openImportFile(file)).rejects.toMatchObject({ code: 'FORMULA', message: expect.stringContaining('Cell E1499 holds a formula (=CONCATENATE("CB","01"))') });
  });

  it('refuses merged header cells, naming them; merged cells above the header are a title', async () => {
    const file = await workbook((sheet) => {
      sheet.addRow(['DANH SÁCH']);
      sheet.mergeCells('A1:F1');
      sheet.addRow([...REQUIRED, '']);
      sheet.mergeCells('E2:F2');
      sheet.addRow(member(1));
    });
    await expectRefused(file, 'MERGED_HEADER', /^The header \(row 2\) has merged cells \(E2:F2\): unmerge them/);
    const vertical = await workbook((sheet) => {
      sheet.addRow(REQUIRED);
      sheet.addRow(['', 'dd/mm/yyyy']);
      sheet.mergeCells('A1:A2');
      sheet.addRow(member(1));
    });
    await expectRefused(vertical, 'MERGED_HEADER', /\(A1:A2\)/);
  });

  it('refuses more data rows than the limit before giving any, and takes exactly the limit', async () => {
    const sheetOf = (rows: number) =>
      workbook((sheet) => {
        sheet.addRow(['DANH SÁCH']);
        sheet.addRow(REQUIRED);
        sheet.addRow(IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.note));
        for (let i = 0; i < rows; i++) sheet.addRow(member(i));
      });
    const limits = { maxRows: 10 };
    expect(await rowsOf(await sheetOf(10), { limits })).toHaveLength(10);
    await expect(openImportFile(await sheetOf(11), { limits })).rejects.toMatchObject({
      code: 'TOO_MANY_ROWS',
      message: 'The sheet has 11 rows of members; at most 10 can be imported at once: split it into several files.',
    });
  });

  it('refuses a sheet of 1,000,000 rows in a fraction of the time reading it would take', async () => {
    // One member copied down a million rows: 206 MB of sheet XML, 20 MB as a file, under the size limit.
    const deflate = zlib.createDeflateRaw({ level: 1 });
    const out: Buffer[] = [];
    deflate.on('data', (chunk: Buffer) => out.push(chunk));
    const ended = new Promise((resolve) => deflate.on('end', resolve));
    let crc = 0;
    let size = 0;
    const write = async (text: string) => {
      const bytes = Buffer.from(text);
      crc = zlib.crc32(bytes, crc);
      size += bytes.length;
      if (!deflate.write(bytes)) await new Promise((resolve) => deflate.once('drain', resolve));
    };
    await write(`<worksheet xmlns="${MAIN}"><sheetData>${HEADER_ROW}`);
    for (let from = 2; from < 1_000_002; from += 10_000) {
      let rows = '';
      for (let r = from; r < from + 10_000; r++) {
        rows += `<row r="${r}" spans="1:5"><c r="A${r}" t="s"><v>0</v></c><c r="B${r}" s="1"><v>29221</v></c><c r="C${r}" t="s"><v>1</v></c><c r="D${r}" s="1"><v>38000</v></c><c r="E${r}" t="s"><v>2</v></c></row>`;
      }
      await write(rows);
    }
    await write('</sheetData></worksheet>');
    deflate.end();
    await ended;
    const file = zip([
      ...workbookParts(),
      part('xl/sharedStrings.xml', `<sst xmlns="${MAIN}"><si><t>Nguyễn Văn A</t></si><si><t>Nam</t></si><si><t>CB01</t></si></sst>`),
      { name: 'xl/worksheets/sheet1.xml', compressed: Buffer.concat(out), size, crc },
    ]);
    expect(file.length).toBeLessThan(IMPORT_LIMITS.maxBytes);
    const started = performance.now();
    await expect(openImportFile(file)).rejects.toMatchObject({ code: 'TOO_MANY_ROWS', message: expect.stringContaining('more than 200,000 rows') });
    // Reading 100,000 rows takes about 5 s of CPU on the development machine; the refusal scans 200,000 without parsing them.
    expect(performance.now() - started).toBeLessThan(5000);
  }, 60_000);

  it('reads the first visible sheet', async () => {
    const file = await workbook((old, book) => {
      old.state = 'hidden';
      old.addRow(['Họ và tên', 'Ghi chú']);
      const current = book.addWorksheet('Danh sách 2025');
      current.addRow(REQUIRED);
      current.addRow(member(1));
      book.addWorksheet('Khác').addRow(REQUIRED);
    });
    const opened = await openImportFile(file);
    expect(opened.sheet).toBe('Danh sách 2025');
    expect((await rowsOf(file))[0].values.fullName).toBe('Nguyễn Văn 1');
  });

  it('reads a workbook other software wrote: inline strings, no shared strings or styles, the sheet under another name', async () => {
    const file = zip([
      part('xl/worksheets/data.xml', `<worksheet xmlns="${MAIN}"><sheetData>${HEADER_ROW}` +
        `<row r="2">${inline('A2', 'Phạm Thị Dung')}<c r="B2"><v>29221</v></c>${inline('C2', 'Nữ')}${inline('D2', '01/01/2010')}${inline('E2', 'CB01')}</row></sheetData></worksheet>`),
      ...workbookParts('worksheets/data.xml'),
    ]);
    expect((await rowsOf(file)).map((r) => r.values)).toEqual([{ fullName: 'Phạm Thị Dung', dateOfBirth: 29221, gender: 'Nữ', joinedOn: '01/01/2010', cell: 'CB01' }]);
  });

  it('reads what other software writes: namespace prefixes, rows and cells without references, rich text, escapes, booleans, errors, ISO dates', async () => {
    const text = (t: string) => `<x:c t="inlineStr"><x:is><x:t>${t}</x:t></x:is></x:c>`;
    const sheetXml =
      `<x:worksheet xmlns:x="${MAIN}"><x:sheetData>` +
      `<x:row>${[...REQUIRED, 'Ghi chú'].map(text).join('')}</x:row>` +
      // Row 2, its cells A to F: rich text whose phonetic guide is not its text; a shared string in runs; XML
      // entities and Excel's _xHHHH_ escapes (_x005F_ escapes an underscore); a boolean.
      '<x:row><x:c t="inlineStr"><x:is><x:r><x:t xml:space="preserve">Lê </x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>Văn Tám</x:t></x:r><x:rPh sb="0" eb="1"><x:t>レ</x:t></x:rPh></x:is></x:c>' +
      '<x:c t="d"><x:v>1980-05-17T00:00:00</x:v></x:c><x:c t="s"><x:v>0</x:v></x:c><x:c t="d"><x:v>2010-02-03</x:v></x:c>' +
      '<x:c t="inlineStr"><x:is><x:t>Chi b&#7897; &quot;H&#x1EA3;i Châu&quot; &amp; 1_x000D__x000A_mã _x005F_x0031_</x:t></x:is></x:c><x:c t="b"><x:v>1</x:v></x:c></x:row>' +
      // Row 4: a shared string, a number, a formula's cached text (t="str"), D4 left out, E4 empty, then an error without its reference (F4).
      '<x:row r="4"><x:c r="A4" t="s"><x:v>1</x:v></x:c><x:c r="B4"><x:v>29221</x:v></x:c><x:c r="C4" t="str"><x:v> Nữ </x:v></x:c><x:c r="E4"/><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>' +
      // Row 5, after row 4.
      '<x:row><x:c><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>';
    const sharedStrings = `<x:sst xmlns:x="${MAIN}"><x:si><x:r><x:t>N</x:t></x:r><x:r><x:t>am</x:t></x:r><x:rPh sb="0" eb="1"><x:t>ナム</x:t></x:rPh></x:si><x:si><x:t>Phạm Thị Hoa</x:t></x:si></x:sst>`;
    const file = zip([...workbookParts(), part('xl/sharedStrings.xml', sharedStrings), part('xl/worksheets/sheet1.xml', sheetXml)]);
    const rows = await rowsOf(file);
    expect(rows.map((r) => [r.rowNumber, r.cells])).toEqual([
      [2, ['Lê Văn Tám', utc(1980, 5, 17), 'Nam', utc(2010, 2, 3), 'Chi bộ "Hải Châu" & 1\r\nmã _x0031_', 'TRUE']],
      [4, ['Phạm Thị Hoa', 29221, 'Nữ', null, null, '#N/A']],
      [5, [7, null, null, null, null, null]],
    ]);
    // A formula written with a prefix, which the scan before does not see, is refused while reading.
    const formula = zip([...workbookParts(), part('xl/sharedStrings.xml', sharedStrings), part('xl/worksheets/sheet1.xml', sheetXml.replace('<x:v>29221</x:v>', '<x:f>DATE(1980,1,1)</x:f><x:v>29221</x:v>'))]);
    await expectRefused(formula, 'FORMULA', /^Cell B4 holds a formula \(=DATE\(1980,1,1\)\): Hồ sơ imports values only/);
  });

  it('reads a sheet whose rows are followed by megabytes of other markup (data validations)', async () => {
    const validations = Array.from({ length: 40_000 }, (_, i) => `<dataValidation type="list" allowBlank="1" sqref="C${i + 3}"><formula1>"Nam,Nữ"</formula1></dataValidation>`);
    const file = zip([
      ...workbookParts(),
      part('xl/worksheets/sheet1.xml', `<worksheet xmlns="${MAIN}"><sheetData>${HEADER_ROW}<row r="2">${inline('A2', 'Lê Văn An')}</row></sheetData><dataValidations count="40000">${validations.join('')}</dataValidations></worksheet>`),
    ]);
    expect((await rowsOf(file)).map((r) => r.cells)).toEqual([['Lê Văn An', null, null, null, null]]);
  });

  it('tells a date from a number by the cell\'s number format, in the 1900 and the 1904 date systems', async () => {
    const styles =
      `<styleSheet xmlns="${MAIN}"><numFmts count="4"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="[Red]#,##0.00"/>` +
      '<numFmt numFmtId="166" formatCode="0 &quot;ngày&quot;"/><numFmt numFmtId="167" formatCode="[$-42A]d mmmm yyyy"/></numFmts>' +
      // The named styles' list comes first: its date format is not cell format 0's.
      '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
      '<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="167"/><xf numFmtId="3"/></cellXfs></styleSheet>';
    // Built-in date, custom date, red, quoted "ngày", a date in a Vietnamese locale, a thousands format, no style.
    const formats = ['s="1"', 's="2"', 's="3"', 's="4"', 's="5"', 's="6"', ''];
    for (const date1904 of [false, true]) {
      // 1 January 1980 in each system.
      const day = date1904 ? 27759 : 29221;
      const file = zip([
        ...workbookParts('worksheets/sheet1.xml', date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>'),
        part('xl/styles.xml', styles),
        part('xl/worksheets/sheet1.xml', `<worksheet xmlns="${MAIN}"><sheetData><row r="1">${[...REQUIRED, 'Cột 6', 'Cột 7'].map((h, i) => inline(`${'ABCDEFG'[i]}1`, h)).join('')}</row>` +
          `<row r="2">${formats.map((s, i) => `<c r="${'ABCDEFG'[i]}2" ${s}><v>${day}</v></c>`).join('')}</row></sheetData></worksheet>`),
      ]);
      const [row] = await rowsOf(file);
      expect(row.cells, `date1904: ${date1904}`).toEqual([utc(1980, 1, 1), utc(1980, 1, 1), day, day, utc(1980, 1, 1), day, day]);
    }
  });

  it('cuts a value longer than any field takes', async () => {
    const file = await workbook((sheet) => {
      sheet.addRow(REQUIRED);
      sheet.addRow(['x'.repeat(5000), utc(1980, 1, 1), 'Nam', utc(2010, 1, 1), 'CB01']);
    });
    expect((await rowsOf(file, { limits: { maxCellChars: 50 } }))[0].values.fullName).toBe('x'.repeat(50));
  });

  it('refuses a damaged workbook', async () => {
    const file = await workbook((sheet) => {
      sheet.addRow(REQUIRED);
      sheet.addRow(member(1));
    });
    await expectRefused(file.subarray(0, Math.floor(file.length / 2)), 'NOT_A_SPREADSHEET', /damaged/);
    // A cell naming a shared text the workbook does not hold: a name would go missing.
    const missingText = zip([
      ...workbookParts(),
      part('xl/sharedStrings.xml', `<sst xmlns="${MAIN}"><si><t>Nam</t></si></sst>`),
      part('xl/worksheets/sheet1.xml', `<worksheet xmlns="${MAIN}"><sheetData>${HEADER_ROW}<row r="2"><c r="A2" t="s"><v>3</v></c><c r="C2" t="s"><v>0</v></c></row></sheetData></worksheet>`),
    ]);
    await expectRefused(missingText, 'NOT_A_SPREADSHEET', /^The workbook is damaged \(cell A2 refers to a text the workbook does not hold\)/);
  });

  describe('Vietnamese text, however the inflater cuts it', () => {
    // exceljs's streaming reader, used before, decoded each inflated piece on its own: a character
    // cut between two pieces came out as U+FFFD ("Ph��t giáo"), in names as in places.
    const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Dương'];
    const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Ngọc', 'Quốc', 'Xuân'];
    const GIVEN = ['Bình', 'Dũng', 'Hạnh', 'Hiếu', 'Hương', 'Khánh', 'Phúc', 'Thảo', 'Tuấn', 'Yến', 'Ánh', 'Nguyệt', 'Quyền'];
    const WARDS = ['Thạch Thang', 'Hải Châu', 'Phước Ninh', 'Hòa Cường Bắc', 'Khuê Trung', 'Thọ Quang', 'Mỹ An', 'Hòa Hải', 'Điện Ngọc'];
    const MEMBERS = 10_000;
    // Every row's text differs (house numbers), so that the shared strings are as large as an inline sheet.
    const members = Array.from({ length: MEMBERS }, (_, i) => ({
      fullName: `${FAMILY[i % FAMILY.length]} ${MIDDLE[Math.floor(i / FAMILY.length) % MIDDLE.length]} ${GIVEN[i % GIVEN.length]}`,
      dateOfBirth: utc(1950 + (i % 50), 1 + (i % 12), 1 + (i % 28)),
      gender: i % 2 ? 'Nữ' : 'Nam',
      homeTown: `Xã ${WARDS[i % WARDS.length]}, huyện Điện Bàn, tỉnh Quảng Nam`,
      permanentAddress: `Số ${i + 1} đường Nguyễn Hữu Thọ, phường ${WARDS[(i * 7) % WARDS.length]}, thành phố Đà Nẵng`,
      temporaryAddress: `Tổ ${i + 1}, khu phố Hòa Thuận Đông, phường ${WARDS[(i * 5) % WARDS.length]}`,
      joinedOn: utc(2000 + (i % 24), 9, 2),
      cell: `Chi bộ ${WARDS[(i * 3) % WARDS.length]} ${1 + (i % 4)}`,
    }));
    const fields = Object.keys(members[0]) as (keyof (typeof members)[number])[];
    const rows = [fields.map((f) => IMPORT_COLUMNS.find((c) => c.field === f)!.header), ...members.map((m) => fields.map((f) => m[f]))];

    const shown = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

    /** Reads the file and lists every value not read as it was written (none, when the reader is right). */
    async function misread(file: Buffer): Promise<unknown[]> {
      const read = await rowsOf(file);
      expect(read).toHaveLength(MEMBERS);
      return read.flatMap((row, i) =>
        fields
          .filter((f) => shown(row.values[f]) !== shown(members[i][f]))
          .map((f) => ({ row: row.rowNumber, field: f, read: row.values[f], written: members[i][f] })),
      );
    }

    it('reads every name and place of a sheet with inline strings exactly as written', async () => {
      const file = await streamedWorkbook(rows);
      // Large enough to be inflated in many pieces: 256 kB each here, 16 kB in exceljs's reader.
      expect(partSize(file, 'xl/worksheets/sheet1.xml')).toBeGreaterThan(4 * 1024 * 1024);
      expect(await misread(file)).toEqual([]);
    }, 60_000);

    it('reads every name and place of a workbook with shared strings exactly as written', async () => {
      const file = await workbook((sheet) => sheet.addRows(rows));
      expect(partSize(file, 'xl/sharedStrings.xml')).toBeGreaterThan(1.5 * 1024 * 1024);
      expect(await misread(file)).toEqual([]);
    }, 60_000);
  });

  describe('zip bombs and oversized parts', () => {
    it('refuses a part that declares a thousandfold inflation, before inflating it', async () => {
      const spaces = Buffer.alloc(64 * 1024 * 1024, 0x20);
      const bomb = { name: 'xl/worksheets/sheet1.xml', compressed: zlib.deflateRawSync(spaces, { level: 9 }), size: spaces.length, crc: 0 };
      await expectRefused(zip([...workbookParts(), bomb]), 'TOO_LARGE', /looks like a zip bomb: its part xl\/worksheets\/sheet1\.xml would inflate from \d+ kB to 64 MB \([\d,]+ times/);
    });

    it('refuses a part that inflates beyond what it declares', async () => {
      const spaces = Buffer.alloc(64 * 1024 * 1024, 0x20);
      const liar = { name: 'xl/worksheets/sheet1.xml', compressed: zlib.deflateRawSync(spaces, { level: 9 }), size: 1000, crc: 0 };
      await expectRefused(zip([...workbookParts(), liar]), 'TOO_LARGE', /inflates beyond the 1 kB it declares/);
    });

    it('refuses parts that inflate beyond the limit all together', async () => {
      const file = await workbook((sheet) => {
        sheet.addRow(REQUIRED);
        sheet.addRow(member(1));
      });
      await expectRefused(file, 'TOO_LARGE', /^The workbook's parts inflate to/, { limits: { maxUncompressedBytes: 2000 } });
    });

    it('refuses shared strings beyond the limit', async () => {
      const file = await workbook((sheet) => {
        sheet.addRow(REQUIRED);
        for (let i = 0; i < 200; i++) sheet.addRow(member(i));
      });
      await expectRefused(file, 'TOO_LARGE', /^The workbook holds .* of text/, { limits: { maxSharedStringsBytes: 1000 } });
    });
  });
});

describe('CSV', () => {
  const rows = [REQUIRED, ['Nguyễn Văn Ánh', '17/05/1980', 'Nam', '02/09/2005', 'CB01']];

  it('reads UTF-8 with or without a byte-order mark, keeping numbers as text', async () => {
    for (const text of [csv(rows), '\ufeff' + csv(rows)]) {
      const opened = await openImportFile(Buffer.from(text));
      expect(opened).toMatchObject({ format: 'csv', encoding: 'utf-8' });
      expect(opened.header.names).toEqual(REQUIRED);
    }
    const withId = csv([[...REQUIRED, 'CCCD'], [...rows[1], '001080000123']]);
    expect((await rowsOf(Buffer.from(withId)))[0].values).toEqual({
      fullName: 'Nguyễn Văn Ánh', dateOfBirth: '17/05/1980', gender: 'Nam', joinedOn: '02/09/2005', cell: 'CB01', nationalId: '001080000123',
    });
  });

  it('reads Windows-1258 when the bytes are not UTF-8, composing its separate tone marks', async () => {
    // "Nguyễn Văn" in Windows-1258: ê (0xEA) then the combining tilde (0xDE); ă is 0xE3.
    const file = Buffer.concat([
      Buffer.from('Ho va ten,Ngay sinh,Gioi tinh,Ngay vao Dang,Chi bo\r\nNguy', 'latin1'),
      Buffer.from([0xea, 0xde]),
      Buffer.from('n V\xe3n M\xe3,01/01/1980,Nam,01/01/2010,CB01\r\n', 'latin1'),
    ]);
    const opened = await openImportFile(file);
    expect(opened.encoding).toBe('windows-1258');
    const [row] = await rowsOf(file);
    expect(row.values.fullName).toBe('Nguyễn Văn Mă');
    expect(row.values.fullName).toBe('Nguyễn Văn Mă'.normalize('NFC'));
  });

  it('reads Windows-1252 when asked, and says so', async () => {
    const file = Buffer.from('Ho va ten,Ngay sinh,Gioi tinh,Ngay vao Dang,Chi bo\r\nJos\xe9 Mar\xeda,01/01/1980,Nam,01/01/2010,CB01\r\n', 'latin1');
    const opened = await openImportFile(file, { encoding: 'windows-1252' });
    expect(opened.encoding).toBe('windows-1252');
    expect((await rowsOf(file, { encoding: 'windows-1252' }))[0].values.fullName).toBe('José María');
    // The same byte is another letter in each: 0xE3 is ã in Windows-1252 and ă in Windows-1258.
    const byte = Buffer.from('Ho va ten,Ngay sinh,Gioi tinh,Ngay vao Dang,Chi bo\r\nV\xe3n,01/01/1980,Nam,01/01/2010,CB01\r\n', 'latin1');
    expect((await rowsOf(byte, { encoding: 'windows-1252' }))[0].values.fullName).toBe('Vãn');
    expect((await rowsOf(byte))[0].values.fullName).toBe('Văn');
  });

  it('refuses a file said to be UTF-8 that is not', async () => {
    await expectRefused(Buffer.from('Ho va ten\r\nV\xe3n\r\n', 'latin1'), 'ENCODING', /not valid UTF-8/, { encoding: 'utf-8' });
  });

  it('reads the UTF-16 of Excel\'s "Unicode Text", tab-delimited', async () => {
    const text = '\ufeff' + rows.map((r) => r.join('\t')).join('\r\n');
    const opened = await openImportFile(Buffer.from(text, 'utf16le'));
    expect(opened.encoding).toBe('utf-16le');
    expect((await rowsOf(Buffer.from(text, 'utf16le')))[0].values.fullName).toBe('Nguyễn Văn Ánh');
  });

  it('detects the delimiter, even a semicolon between addresses that hold commas', async () => {
    const header = [...REQUIRED, 'Nơi thường trú'];
    const row = [...rows[1], 'Tổ 5, phường Thạch Thang, quận Hải Châu'];
    // Excel quotes only fields holding the delimiter: the commas of the address stay bare.
    const semicolon = [header, row, row].map((r) => r.join(';')).join('\r\n');
    const tab = [header, row].map((r) => r.join('\t')).join('\n');
    for (const text of [semicolon, tab, csv([header, row])]) {
      const [read] = await rowsOf(Buffer.from(text));
      expect(read.values.permanentAddress, text).toBe('Tổ 5, phường Thạch Thang, quận Hải Châu');
      expect(read.values.cell).toBe('CB01');
    }
  });

  it('reads quotes, doubled quotes and line breaks inside quotes, numbering rows as a spreadsheet shows them', async () => {
    const text =
      'Họ và tên,Ngày sinh,Giới tính,Ngày vào Đảng,Chi bộ,Nơi tạm trú\r\n' +
      '"Lê Văn ""Tư""",01/01/1980,Nam,01/01/2010,CB01,"Tổ 1\r\nkhu phố 2"\r\n' +
      '\r\n' +
      ',,,,,\r\n' +
      'Hồ Thị Năm,01/01/1981,Nữ,01/01/2011,"CB, 02",\r' +
      'Đỗ Văn Sáu,01/01/1982,Nam,01/01/2012,CB03';
    const read = await rowsOf(Buffer.from(text));
    expect(read.map((r) => r.rowNumber)).toEqual([2, 5, 6]);
    expect(read[0].values).toMatchObject({ fullName: 'Lê Văn "Tư"', temporaryAddress: 'Tổ 1\r\nkhu phố 2' });
    expect(read[1].values).toEqual({ fullName: 'Hồ Thị Năm', dateOfBirth: '01/01/1981', gender: 'Nữ', joinedOn: '01/01/2011', cell: 'CB, 02' });
    expect(read[2].values.cell).toBe('CB03');
  });

  it('refuses a quote never closed, naming the row it opens in', async () => {
    const text = csv(rows) + '"Bùi Văn Bảy,01/01/1980,Nam,01/01/2010,CB01\r\n' + csv([rows[1]]);
    await expectRefused(Buffer.from(text), 'NOT_A_SPREADSHEET', /^A quote \(".*\) opened in row 3 is never closed/);
  });

  it('refuses 1,000,000 rows before giving any, quickly', async () => {
    const text = 'Họ và tên,Ngày sinh,Giới tính,Ngày vào Đảng,Chi bộ\n' + 'x\n'.repeat(1_000_000);
    const started = performance.now();
    await expect(openImportFile(Buffer.from(text))).rejects.toMatchObject({
      code: 'TOO_MANY_ROWS',
      message: 'The sheet has 1,000,000 rows of members; at most 200,000 can be imported at once: split it into several files.',
    });
    expect(performance.now() - started).toBeLessThan(5000);
  }, 30_000);
});

describe('the header', () => {
  it('refuses a header with required columns missing or a column twice, listing every problem', async () => {
    const file = Buffer.from(csv([['Họ và tên', 'Ngày sinh', 'CCCD', 'Số định danh cá nhân', 'Chi bộ'], ['A', '01/01/1980', '1', '2', 'CB01']]));
    await expectRefused(
      file,
      'BAD_HEADER',
      'The header (row 1) cannot be read: Columns C ("CCCD") and D ("Số định danh cá nhân") are both "Số CCCD": keep one of them. ' +
        'The required column "Giới tính" is missing (Bắt buộc. Nam hoặc Nữ). ' +
        'The required column "Ngày vào Đảng" is missing (Bắt buộc. dd/mm/yyyy (ngày của quyết định kết nạp)).',
    );
  });

  it('refuses rows with no header above them', async () => {
    await expectRefused(Buffer.from(csv([rows()[1], rows()[1]])), 'BAD_HEADER', /^No header row found/);
    function rows() {
      return [REQUIRED, ['Nguyễn Văn A', '01/01/1980', 'Nam', '01/01/2010', 'CB01']];
    }
  });
});

describe('files that are not spreadsheets', () => {
  it('refuses a PDF, an old .xls, a web page and binary garbage, saying what to do', async () => {
    await expectRefused(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n', 'latin1'), 'NOT_A_SPREADSHEET', /^"scan\.pdf" is a PDF document, not a spreadsheet: Hồ sơ reads Excel workbooks \(\.xlsx\) and CSV files/, { fileName: 'scan.pdf' });
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4096)]);
    await expectRefused(xls, 'NOT_A_SPREADSHEET', /old Excel 97–2003 workbook \(\.xls\).*save it as an Excel Workbook \(\.xlsx\)/);
    await expectRefused(Buffer.from('<html><body><table><tr><td>Họ và tên</td></tr></table></body></html>'), 'NOT_A_SPREADSHEET', /a web page \(HTML\)/);
    const garbage = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256));
    await expectRefused(garbage, 'NOT_A_SPREADSHEET', /a binary file/);
  });

  it('refuses a zip that is not a workbook', async () => {
    await expectRefused(zip([part('word/document.xml', '<w:document/>')]), 'NOT_A_SPREADSHEET', /a Word document, not an Excel workbook/);
    await expectRefused(zip([part('content.xml', '<office:document/>'), part('mimetype', 'application/vnd.oasis.opendocument.spreadsheet')]), 'NOT_A_SPREADSHEET', /OpenDocument/);
  });

  it('refuses an empty file, and one of blank lines', async () => {
    await expectRefused(Buffer.alloc(0), 'EMPTY', /empty/);
    await expectRefused(Buffer.from('\r\n , \r\n\r\n'), 'EMPTY', /no rows/);
  });

  it('refuses 100 MB at once, without reading it', async () => {
    const file = Buffer.alloc(100 * 1024 * 1024, 0x41);
    const started = performance.now();
    await expectRefused(file, 'TOO_LARGE', 'The file has 100 MB; at most 50 MB can be imported at once: split it.');
    expect(performance.now() - started).toBeLessThan(100);
  });
});
