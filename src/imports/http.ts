import type { AuthAccount } from '../access/account-context';
import { can } from '../access/capabilities';
import type { Services } from '../access/context';
import { codedError } from '../graphql/errors';
import { importBatchOf } from './imports.types';
import { ImportFileError } from './read-file';
import { importReport } from './report';
import { importTemplate } from './template';

/**
 * The import's HTTP endpoints (the file goes up and comes back as bytes, which GraphQL does not
 * carry). The server (src/app/server.ts) authenticates, opens the request's transaction and
 * sends the answer after it has committed; these decide what is done and answered.
 *
 * - POST /imports?unit=<unit id>&name=<file name>[&encoding=windows-1258|windows-1252|utf-8]:
 *   the file is the body; the dry run; answers the batch (201).
 * - GET /imports/template.xlsx[?unit=<unit id>]: the template, the unit's cells in its list.
 * - GET /imports/<id>/report.xlsx: the file's rows with the dry run's verdict and problems.
 * - GET /imports/<id>/file: the file as uploaded.
 */
export interface ImportHttpContext {
  account: AuthAccount;
  services: Services;
  method: string;
  /** The path after /imports ('' for /imports itself). */
  path: string;
  params: URLSearchParams;
  /** POST: the body, already read within its limit. */
  body: Buffer | null;
}

export interface ImportHttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A download is a file, never a page: no browser sniffs it into HTML. */
const NOSNIFF = { 'x-content-type-options': 'nosniff' };
const ENCODINGS = ['utf-8', 'windows-1258', 'windows-1252'] as const;

/** A download's Content-Disposition, with the UTF-8 name for browsers and an ASCII fallback. */
function attachment(name: string): string {
  const ascii = name.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_') || 'file';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Which method a path takes; null: no such path. */
export function importMethodOf(path: string): 'GET' | 'POST' | null {
  if (path === '' || path === '/') return 'POST';
  if (path === '/template.xlsx' || /^\/\d{1,18}\/(report\.xlsx|file)$/.test(path)) return 'GET';
  return null;
}

export async function answerImport(ctx: ImportHttpContext): Promise<ImportHttpAnswer> {
  if (!can(ctx.account.role, 'importRecords')) throw codedError('FORBIDDEN', 'Your role does not allow imports.');
  const imports = ctx.services.imports;
  if (ctx.path === '' || ctx.path === '/') {
    const unitId = ctx.params.get('unit');
    if (!unitId) throw codedError('BAD_USER_INPUT', 'Give the unit to import into: ?unit=<unit id>.', { argument: 'unit' });
    const encoding = ctx.params.get('encoding') || undefined;
    if (encoding && !(ENCODINGS as readonly string[]).includes(encoding)) {
      throw codedError('BAD_USER_INPUT', `encoding is one of ${ENCODINGS.join(', ')}.`, { argument: 'encoding' });
    }
    if (!ctx.body?.length) throw codedError('BAD_USER_INPUT', 'Send the file as the request body.', { argument: 'file' });
    const batch = await imports.dryRun(ctx.body, {
      unitId,
      fileName: ctx.params.get('name') || 'import',
      encoding: encoding as (typeof ENCODINGS)[number] | undefined,
    });
    return { status: 201, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ data: { import: importBatchOf(batch) } }) };
  }
  if (ctx.path === '/template.xlsx') {
    const unitId = ctx.params.get('unit');
    const cells = unitId ? await imports.cellsForTemplate(unitId) : undefined;
    return { status: 200, headers: { 'content-type': XLSX, 'content-disposition': attachment('mau-nhap-dang-vien.xlsx'), ...NOSNIFF }, body: await importTemplate(cells) };
  }
  const [, id, what] = /^\/(\d{1,18})\/(report\.xlsx|file)$/.exec(ctx.path)!;
  const stored = await imports.file(id);
  if (!stored) throw codedError('NOT_FOUND', 'No such import in your scope.');
  // The file and the report show the rows' sensitive values: each download is an access event.
  await imports.recordDownload(id, what === 'file' ? 'FILE' : 'REPORT');
  if (what === 'file') {
    const type = stored.file_format === 'csv' ? 'text/csv' : XLSX;
    return { status: 200, headers: { 'content-type': type, 'content-disposition': attachment(stored.file_name), ...NOSNIFF }, body: stored.file };
  }
  const batch = (await imports.batch(id))!;
  const rows = await imports.allRows(id);
  let report: Buffer;
  try {
    report = await importReport(stored.file, { encoding: batch.file_encoding ?? undefined, fileName: stored.file_name }, rows);
  } catch (error) {
    if (error instanceof ImportFileError) throw codedError('BAD_USER_INPUT', `The stored file can no longer be read: ${error.message}`, { argument: 'file' });
    throw error;
  }
  return { status: 200, headers: { 'content-type': XLSX, 'content-disposition': attachment(`ket-qua-kiem-tra-${id}.xlsx`), ...NOSNIFF }, body: report };
}
