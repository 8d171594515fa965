import type http from 'node:http';
import { PassThrough } from 'node:stream';
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded the first time a spreadsheet is written: it holds about 28 MB of the process's
 * memory, and most running servers never write one.
 */
function excel(): typeof ExcelJS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('exceljs') as typeof ExcelJS;
}
import type { AuthAccount } from '../access/account-context';
import type { Loaders, Services } from '../access/context';
import { can, type Capability } from '../access/capabilities';
import { SENSITIVE_COLUMNS } from '../access/sensitive';
import { catalogueItem, type CatalogueKind } from '../catalogues/catalogues';
import { codedError } from '../graphql/errors';
import { isIsoDate } from '../graphql/scalars';
import { Gender, MemberStatus } from '../members/member.entity';
import { MemberFilter } from '../members/members.inputs';
import { ALL_STATUS_LABELS, GENDER_LABELS } from './labels';
import type { StatisticsCount, UnitStatistics } from './reports.types';

/** Rows fetched per round trip: the server holds one batch at a time, whatever the export's size. */
const BATCH = 1000;

export interface ExportContext {
  em: EntityManager;
  account: AuthAccount;
  loaders: Loaders;
  /** The request's services (src/app/context.ts), as a resolver has them. */
  services: Services;
  today: string;
  params: URLSearchParams;
  res: http.ServerResponse;
}

/** What an export leaves to do after its transaction (and its access event) has committed. */
export type FinishExport = () => Promise<void>;

type Row = Record<string, unknown>;
interface Column {
  header: string;
  /** The member column the value comes from, when one does: a sensitive column (src/access/sensitive.ts) is left out for roles that may not read it. */
  column?: string;
  date?: boolean;
  value: (row: Row, units: { cell: string; parent: string }) => string | null;
}

const label = (kind: CatalogueKind) => (row: Row, column: string) => catalogueItem(kind, row[column] as string | null)?.label ?? null;

/** The member list's columns, with the headers of the department's forms. */
const MEMBER_COLUMNS: Column[] = [
  { header: 'Số thẻ đảng viên', value: (r) => r.party_card_number as string | null },
  { header: 'Họ và tên', value: (r) => r.full_name as string },
  { header: 'Giới tính', value: (r) => GENDER_LABELS[r.gender as Gender] },
  { header: 'Ngày sinh', date: true, value: (r) => r.date_of_birth as string },
  { header: 'Dân tộc', column: 'ethnicity', value: (r) => label('ETHNIC_GROUP')(r, 'ethnicity') },
  { header: 'Tôn giáo', column: 'religion', value: (r) => label('RELIGION')(r, 'religion') },
  { header: 'Số CCCD', column: 'national_id', value: (r) => r.national_id as string | null },
  { header: 'Ngày vào Đảng', date: true, value: (r) => r.joined_on as string },
  { header: 'Ngày chính thức', date: true, value: (r) => r.official_on as string | null },
  { header: 'Tình trạng', value: (r) => ALL_STATUS_LABELS[r.status as string] },
  { header: 'Chi bộ', value: (_r, u) => u.cell },
  { header: 'Đảng bộ', value: (_r, u) => u.parent },
  { header: 'Giáo dục phổ thông', value: (r) => r.general_education as string | null },
  { header: 'Chuyên môn', value: (r) => label('PROFESSIONAL_LEVEL')(r, 'professional_level') },
  { header: 'Lý luận chính trị', value: (r) => label('POLITICAL_THEORY')(r, 'political_theory') },
  { header: 'Nghề nghiệp', value: (r) => label('OCCUPATION')(r, 'occupation') },
];
const MEMBER_FIELDS = [
  'id', 'sort_name', 'party_card_number', 'full_name', 'gender', 'date_of_birth', 'ethnicity', 'religion', 'national_id', 'joined_on',
  'official_on', 'status', 'unit_id', 'general_education', 'professional_level', 'political_theory', 'occupation',
];

function badRequest(message: string, argument: string) {
  return codedError('BAD_USER_INPUT', message, { argument });
}

function demand(account: AuthAccount, capability: Capability) {
  if (!can(account.role, capability)) throw codedError('FORBIDDEN', 'Your role does not allow this export.');
}

function dateParam(params: URLSearchParams, name: string): string | null {
  const value = params.get(name);
  if (value === null || value === '') return null;
  if (!isIsoDate(value)) throw badRequest(`${name} must be a date YYYY-MM-DD.`, name);
  return value;
}

function booleanParam(params: URLSearchParams, name: string): boolean | null {
  const value = params.get(name);
  if (value === null || value === '') return null;
  if (value !== 'true' && value !== 'false') throw badRequest(`${name} must be true or false.`, name);
  return value === 'true';
}

/** The member list's query string, read as the GraphQL MemberFilter (same names, same meaning). */
export function memberFilterOf(params: URLSearchParams): MemberFilter {
  const filter = new MemberFilter();
  filter.unitId = params.get('unitId') || null;
  filter.includeSubunits = booleanParam(params, 'includeSubunits') ?? true;
  filter.search = params.get('search') || null;
  const statuses = params.get('status')?.split(',').filter(Boolean) ?? [];
  for (const status of statuses) {
    if (!(Object.values(MemberStatus) as string[]).includes(status)) throw badRequest(`status ${status} is not a MemberStatus.`, 'status');
  }
  filter.status = statuses.length ? (statuses as MemberStatus[]) : null;
  const gender = params.get('gender');
  if (gender && !(Object.values(Gender) as string[]).includes(gender)) throw badRequest('gender must be MALE or FEMALE.', 'gender');
  filter.gender = (gender as Gender) || null;
  filter.bornFrom = dateParam(params, 'bornFrom');
  filter.bornTo = dateParam(params, 'bornTo');
  filter.hasNationalId = booleanParam(params, 'hasNationalId');
  filter.probationEndsBy = dateParam(params, 'probationEndsBy');
  return filter;
}

/** RFC 4180 field; a leading = + - @ is neutralised so a spreadsheet never runs a cell as a formula. */
function csvField(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function write(res: http.ServerResponse, chunk: string): Promise<void> | void {
  // Waits when the client reads slower than we fetch: memory stays at one batch. A client that
  // goes away ends the wait too; the loop then stops and the event records an incomplete export.
  if (gone(res)) return;
  if (!res.write(chunk)) return waitForDrain(res);
}

/** The client closed the connection (or it was cut): nothing more can reach it. */
function gone(res: http.ServerResponse): boolean {
  return res.destroyed || res.socket === null || res.socket.destroyed;
}

function waitForDrain(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    // A client already gone emits no more 'close': waiting for it would hold the export's
    // transaction, and its pool connection, for ever.
    if (gone(res)) return resolve();
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/**
 * Danh sách đảng viên as CSV (UTF-8 with a byte-order mark, so Excel reads Vietnamese) or XLSX
 * (exceljs streaming writer), fetched in keyset batches inside the request's snapshot and written
 * as they come. Same filter and scope as `members`; sensitive columns only for roles that may
 * read them.
 */
async function exportMembers(ctx: ExportContext, format: 'csv' | 'xlsx', recordDetails: Row): Promise<FinishExport> {
  demand(ctx.account, 'readRecords');
  const filter = memberFilterOf(ctx.params);
  const sensitive = can(ctx.account.role, 'readSensitive');
  const columns = MEMBER_COLUMNS.filter((c) => sensitive || !(c.column && SENSITIVE_COLUMNS.has(c.column)));
  const fields = MEMBER_FIELDS.filter((f) => sensitive || !SENSITIVE_COLUMNS.has(f));
  const filtered = await ctx.services.members.filtered(filter);
  if (!filtered && filter.unitId) throw codedError('NOT_FOUND', 'No such unit in your scope.', { argument: 'unitId' });

  const name = `danh-sach-dang-vien-${ctx.today}.${format}`;
  ctx.res.writeHead(200, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'no-store',
  });
  let workbook: ExcelJS.stream.xlsx.WorkbookWriter | null = null;
  let sheet: ExcelJS.Worksheet | null = null;
  if (format === 'csv') {
    await write(ctx.res, '\uFEFF' + columns.map((c) => csvField(c.header)).join(',') + '\r\n');
  } else {
    // The writer goes through a pipe of ours: when the client leaves, the rest of the workbook is
    // read and dropped, so the writer (which waits for its stream's 'finish') completes and lets
    // go of its buffers, instead of waiting for ever on a closed response.
    const out = new PassThrough();
    out.pipe(ctx.res);
    ctx.res.once('close', () => {
      if (ctx.res.writableFinished) return;
      out.unpipe(ctx.res);
      out.resume();
    });
    workbook = new (excel().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true, useSharedStrings: false });
    sheet = workbook.addWorksheet('Danh sách đảng viên', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({ header: c.header, width: c.date ? 12 : 22, style: c.date ? { numFmt: 'dd/mm/yyyy' } : {} }));
    sheet.getRow(1).font = { bold: true };
  }

  let rows = 0;
  let after: [string, string] | null = null;
  // Stop before reading another batch for a client that has left (it may leave during a query).
  while (filtered && !gone(ctx.res)) {
    const qb = filtered.qb.clone();
    if (after) qb.andWhere('(m.sort_name, m.id) > (?, ?)', after);
    const batch = (await qb
      .select(fields.map((f) => raw(`m.${f}${f.endsWith('_on') || f === 'date_of_birth' ? '::text' : ''} as ${f}`)))
      .orderBy({ [raw('m.sort_name')]: 'asc', id: 'asc' })
      .limit(BATCH)
      .execute('all', false)) as Row[];
    const units = await ctx.loaders.unitById.loadMany([...new Set(batch.map((r) => String(r.unit_id)))]);
    const parents = await ctx.loaders.unitById.loadMany([...new Set(units.flatMap((u) => (u && !(u instanceof Error) && u.parent ? [u.parent.id] : [])))]);
    const unitName = new Map<string, { name: string; parent?: string }>();
    for (const u of units) if (u && !(u instanceof Error)) unitName.set(u.id, { name: u.name, parent: u.parent?.id });
    const parentName = new Map<string, string>();
    for (const p of parents) if (p && !(p instanceof Error)) parentName.set(p.id, p.name);

    // Rows handed to the connection while it was open count as sent (they may have reached the client).
    if (gone(ctx.res)) break;
    let chunk = '';
    for (const row of batch) {
      const unit = unitName.get(String(row.unit_id));
      const place = { cell: unit?.name ?? '', parent: (unit?.parent && parentName.get(unit.parent)) ?? '' };
      const values = columns.map((c) => c.value(row, place));
      if (sheet) {
        sheet.addRow(values.map((v, i) => (columns[i].date && v ? new Date(`${v}T00:00:00Z`) : v))).commit();
      } else {
        chunk += values.map(csvField).join(',') + '\r\n';
      }
    }
    if (chunk) await write(ctx.res, chunk);
    // The XLSX writer does not wait for the client; wait here so its buffer stays one batch.
    if (sheet && ctx.res.writableNeedDrain) await waitForDrain(ctx.res);
    rows += batch.length;
    if (batch.length < BATCH) break;
    const last = batch[batch.length - 1];
    after = [String(last.sort_name), String(last.id)];
  }
  // The workbook's end (the sheet's last rows, the zip's directory) is handed over inside the
  // transaction too, so the event knows whether the whole file went out.
  if (workbook) await workbook.commit();
  Object.assign(recordDetails, {
    unitId: filter.unitId ?? ctx.account.unitId,
    format,
    rows,
    complete: !gone(ctx.res),
    columns: columns.map((c) => c.header),
    filter: Object.fromEntries(ctx.params),
  });
  return async () => {
    // The workbook writer has ended the response already.
    if (!workbook) ctx.res.end();
  };
}


/** Báo cáo số lượng, chất lượng đảng viên: the statistics of a unit on a date, laid out like the form. */
async function exportStatistics(ctx: ExportContext, recordDetails: Row): Promise<FinishExport> {
  demand(ctx.account, 'readStatistics');
  const unitId = ctx.params.get('unitId') || ctx.account.unitId;
  const asOf = dateParam(ctx.params, 'asOf');
  const stats = await ctx.services.reports.statistics(unitId, asOf);
  const workbook = statisticsWorkbook(stats);
  Object.assign(recordDetails, { unitId: stats.unit.id, format: 'xlsx', asOf: stats.asOf, total: stats.total });
  ctx.res.writeHead(200, {
    'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'content-disposition': `attachment; filename="bao-cao-dang-vien-${stats.unit.code}-${stats.asOf}.xlsx"`,
    'cache-control': 'no-store',
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return async () => {
    ctx.res.end(Buffer.from(buffer));
  };
}

function statisticsWorkbook(stats: UnitStatistics): ExcelJS.Workbook {
  const workbook = new (excel().Workbook)();
  const sheet = workbook.addWorksheet('Số lượng, cơ cấu');
  sheet.columns = [{ width: 8 }, { width: 48 }, { width: 14 }, { width: 12 }];
  const [y, m, d] = stats.asOf.split('-');
  sheet.addRow([`${stats.unit.name.toUpperCase()}`]).font = { bold: true };
  sheet.addRow(['BÁO CÁO SỐ LƯỢNG, CƠ CẤU ĐẢNG VIÊN']).font = { bold: true, size: 14 };
  sheet.addRow([`Tính đến ngày ${d}/${m}/${y}`]).font = { italic: true };
  sheet.addRow([]);
  sheet.addRow(['STT', 'Chỉ tiêu', 'Số lượng', 'Tỷ lệ (%)']).font = { bold: true };
  const percent = (n: number) => (stats.total ? Math.round((n * 10000) / stats.total) / 100 : 0);
  sheet.addRow(['', 'Tổng số đảng viên', stats.total, stats.total ? 100 : 0]).font = { bold: true };
  sheet.addRow(['', 'Tuổi bình quân', stats.averageAge ?? '']);
  const sections: [string, StatisticsCount[]][] = [
    ['Chia theo tình trạng', stats.byStatus],
    ['Giới tính', stats.byGender],
    ['Độ tuổi', stats.byAgeBand],
    ['Tuổi đảng', stats.byPartyAgeBand],
    ['Dân tộc', stats.byEthnicity],
    ['Tôn giáo', stats.byReligion],
    ['Trình độ giáo dục phổ thông', stats.byGeneralEducation],
    ['Trình độ chuyên môn', stats.byProfessionalLevel],
    ['Lý luận chính trị', stats.byPoliticalTheory],
    ['Nghề nghiệp', stats.byOccupation],
  ];
  const roman = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];
  sections.forEach(([title, counts], i) => {
    sheet.addRow([roman[i], title]).font = { bold: true };
    counts.forEach((c, j) => sheet.addRow([j + 1, c.label, c.count, percent(c.count)]));
  });

  const children = workbook.addWorksheet('Theo đơn vị trực thuộc');
  children.columns = [{ width: 8 }, { width: 44 }, { width: 12 }, { width: 12 }, { width: 14 }, { width: 14 }];
  children.addRow(['STT', 'Đơn vị', 'Tổng số', ...stats.byStatus.map((s) => s.label)]).font = { bold: true };
  stats.children.forEach((c, i) => children.addRow([i + 1, c.unit.name, c.total, ...c.byStatus.map((s) => s.count)]));
  if (stats.registeredDirectly) children.addRow(['', 'Sinh hoạt trực tiếp tại đơn vị', stats.registeredDirectly]);
  children.addRow(['', 'Cộng', stats.total, ...stats.byStatus.map((s) => s.count)]).font = { bold: true };
  return workbook;
}

/** The exports served under /exports/, by file name. */
export const EXPORTS: Record<string, (ctx: ExportContext, details: Row) => Promise<FinishExport>> = {
  'members.csv': (ctx, details) => exportMembers(ctx, 'csv', details),
  'members.xlsx': (ctx, details) => exportMembers(ctx, 'xlsx', details),
  'statistics.xlsx': (ctx, details) => exportStatistics(ctx, details),
};

/** Writes the EXPORT access event of this request (who, what, unit, filter, rows). */
export async function recordExport(em: EntityManager, unitId: string, what: string, details: Row): Promise<void> {
  await em.getConnection().execute('select hoso_record_export(?, ?, ?::jsonb)', [unitId, what, JSON.stringify(details)], 'all', em.getTransactionContext());
}
