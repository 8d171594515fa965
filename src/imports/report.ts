import { PassThrough } from 'node:stream';
import { excel, openImportFile } from './read-file';

/** A row's verdict as the report writes it. */
export interface ReportVerdict {
  outcome: string;
  text: string;
}

/** The outcome in the department's words. */
const OUTCOME_LABELS: Record<string, string> = {
  CREATE: 'Tạo mới',
  UPDATE: 'Cập nhật',
  UNCHANGED: 'Không thay đổi',
  DUPLICATE: 'Nghi trùng',
  REFUSED: 'Bị từ chối',
};

/**
 * The dry run's report as a workbook: every row of the file as it was read (all its columns,
 * ignored ones too), then two columns, the outcome and what to fix (each problem naming its
 * column), so staff correct the file where they read the errors. Written with exceljs's
 * streaming writer: rows go out as they are read, whatever the file's size.
 */
export async function importReport(
  file: Buffer,
  options: { encoding?: string; fileName?: string },
  verdicts: ReadonlyMap<number, ReportVerdict>,
): Promise<Buffer> {
  const opened = await openImportFile(file, { encoding: options.encoding as never, fileName: options.fileName });
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new (excel().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true });
  const sheet = workbook.addWorksheet('Kết quả kiểm tra', { views: [{ state: 'frozen', ySplit: 1 }] });
  const headers = [...opened.header.names, 'Kết quả', 'Chi tiết'];
  const head = sheet.addRow(['Dòng', ...headers]);
  head.font = { bold: true };
  head.commit();
  for await (const raw of opened.rows) {
    const verdict = verdicts.get(raw.rowNumber);
    // Control characters cannot be written into a workbook's XML: shown as spaces.
    const cells = raw.cells.map((c) => (typeof c === 'string' ? c.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ' ') : c));
    const row = sheet.addRow([raw.rowNumber, ...cells, verdict ? (OUTCOME_LABELS[verdict.outcome] ?? verdict.outcome) : '', verdict?.text ?? '']);
    if (verdict?.outcome === 'REFUSED') row.getCell(headers.length + 1).font = { color: { argb: 'FFB00020' } };
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
  await finished;
  return Buffer.concat(chunks);
}
