import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/**
 * The spreadsheet exports over HTTP (GET /exports/…): what an office downloads and opens in
 * Excel, scoped like the API, without sensitive columns for roles that may not read them,
 * every export recorded, rows fetched in batches.
 */
const TODAY = '2026-11-20';
const WARD = 'DN.HAICHAU.THACHTHANG';
const SENSITIVE_HEADERS = ['Số CCCD', 'Dân tộc', 'Tôn giáo'];

/** RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

interface Download {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** A CSV export as a table: header and rows as objects keyed by header. */
function csvTable(body: Buffer) {
  const text = body.toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const [header, ...rows] = parseCsv(text.slice(1));
  for (const row of rows) expect(row.length).toBe(header.length);
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

/** An XLSX export as a table, with cell values as ExcelJS reads them. */
async function xlsxTable(body: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, ExcelJS.Cell>[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    if (!row.hasValues) continue;
    rows.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1)])));
  }
  return { workbook, sheet, header, rows };
}

/** A CSV field as it was before the export neutralised a leading = + - @ (formula injection). */
const unneutralised = (field: string) => field.replace(/^'(?=[=+\-@\t\r])/, '');
const text = (cell: ExcelJS.Cell) => (cell.value === null || cell.value === undefined ? '' : String(cell.value));

describe('exports', () => {
  let t: TestApp;
  let admin: string;
  let staff: string;
  let reporter: string;
  let auditor: string;
  let wardId: string;
  let wardName: string;

  async function download(name: string, params: Record<string, string> = {}, token?: string | null, headers: Record<string, string> = {}): Promise<Download> {
    const query = new URLSearchParams(params).toString();
    const response = await fetch(`${t.url}/exports/${name}${query ? `?${query}` : ''}`, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }
  const errorCode = (d: Download) => JSON.parse(d.body.toString('utf8')).errors?.[0]?.extensions?.code;

  /** Members of the ward as SQL sees them: the expected rows. */
  async function wardMembers(where = 'true', params: unknown[] = []) {
    return ownerQuery<{ card: string | null; full_name: string; dob: string; joined: string; national_id: string | null; status: string }>(
      t.db,
      `select m.party_card_number card, m.full_name, m.date_of_birth::text dob, m.joined_on::text joined, m.national_id, m.status
         from member m where m.unit_path <@ (select path from org_unit where code = '${WARD}') and (${where})`,
      params,
    );
  }
  const key = (card: string | null, name: string, dob: string) => `${card ?? ''}|${name}|${dob}`;

  /** The names a GraphQL members list gives for a filter, as the same account. */
  async function listed(filter: Record<string, unknown>, token: string) {
    const names: string[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (;;) {
      const result: { data?: any; errors?: unknown } = await t.gql(
        `query($filter: MemberFilter, $after: String) { members(filter: $filter, first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { fullName } } } }`,
        { filter, after },
        token,
      );
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      totalCount = result.data.members.totalCount;
      names.push(...result.data.members.edges.map((e: any) => e.node.fullName));
      if (!result.data.members.pageInfo.hasNextPage) break;
      after = result.data.members.pageInfo.endCursor;
    }
    expect(names.length).toBe(totalCount);
    return names.sort();
  }

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    [admin, staff, reporter, auditor] = await Promise.all([t.login('admin'), t.login('thachthang'), t.login('reporter'), t.login('auditor')]);
    [{ id: wardId, name: wardName }] = await ownerQuery<{ id: string; name: string }>(t.db, `select id::text, name from org_unit where code = $1`, [WARD]);
  });
  afterAll(() => t.close());

  describe('members.csv', () => {
    it('a ward account’s CSV: BOM, Vietnamese header, exactly the ward’s members, Vietnamese text byte-identical', async () => {
      const csv = await download('members.csv', { unitId: wardId }, staff);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.csv"/);
      expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const { header, rows } = csvTable(csv.body);
      for (const h of ['Số thẻ đảng viên', 'Họ và tên', 'Giới tính', 'Ngày sinh', 'Ngày vào Đảng', 'Tình trạng', 'Chi bộ', 'Đảng bộ', ...SENSITIVE_HEADERS]) {
        expect(header).toContain(h);
      }

      const expected = await wardMembers();
      expect(expected.length).toBeGreaterThan(10);
      // Row count: the same as the members list of the same account, and as SQL.
      const count = await t.gql(`query($u: ID) { members(filter: { unitId: $u }) { totalCount } }`, { u: wardId }, staff);
      expect(rows.length).toBe(count.data.members.totalCount);
      expect(rows.length).toBe(expected.length);
      // The very rows of the ward: card number, name, birth date, national ID.
      expect(rows.map((r) => key(r['Số thẻ đảng viên'] || null, r['Họ và tên'], r['Ngày sinh'])).sort()).toEqual(
        expected.map((m) => key(m.card, m.full_name, m.dob)).sort(),
      );
      expect(new Set(rows.map((r) => r['Số thẻ đảng viên']).filter(Boolean))).toEqual(new Set(expected.map((m) => m.card).filter(Boolean)));
      expect(rows.map((r) => r['Số CCCD']).filter(Boolean).sort()).toEqual(expected.map((m) => m.national_id).filter(Boolean).sort());
      // Every row is filed under the ward (the cells' parent), and the text is the database's, byte for byte.
      for (const row of rows) expect(row['Đảng bộ']).toBe(wardName);
      const accented = expected.filter((m) => m.full_name !== m.full_name.normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
      expect(accented.length).toBeGreaterThan(0);
      for (const m of accented) expect(csv.body.includes(Buffer.from(m.full_name, 'utf8'))).toBe(true);
      expect(csv.body.includes(Buffer.from(wardName, 'utf8'))).toBe(true);
    });

    it('without unitId the export is the account’s whole scope; a REPORTER’s has no sensitive columns and no national ID', async () => {
      const scope = csvTable((await download('members.csv', {}, staff)).body);
      expect(scope.rows.length).toBe((await wardMembers()).length);

      const city = await download('members.csv', {}, reporter);
      expect(city.status).toBe(200);
      const { header, rows } = csvTable(city.body);
      for (const h of SENSITIVE_HEADERS) expect(header).not.toContain(h);
      expect(header).toContain('Họ và tên');
      const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from member`);
      expect(rows.length).toBe(n);
      // No national ID (12 digits) anywhere in the file.
      const ids = await ownerQuery<{ national_id: string }>(t.db, `select national_id from member where national_id is not null limit 50`);
      const content = city.body.toString('utf8');
      for (const { national_id } of ids) expect(content).not.toContain(national_id);
      expect(content).not.toMatch(/(^|[^0-9])[0-9]{12}([^0-9]|$)/);

      const xlsx = await xlsxTable((await download('members.xlsx', {}, reporter)).body);
      for (const h of SENSITIVE_HEADERS) expect(xlsx.header).not.toContain(h);
      expect(xlsx.rows.length).toBe(n);
    });

    it('filters work like the members list of the same account (status, gender, birth dates, national ID, probation, cell, search)', async () => {
      const official = csvTable((await download('members.csv', { status: 'OFFICIAL' }, staff)).body);
      expect(official.rows.length).toBe((await wardMembers(`m.status = 'OFFICIAL'`)).length);
      expect(official.rows.length).toBeGreaterThan(0);
      expect(new Set(official.rows.map((r) => r['Tình trạng']))).toEqual(new Set(['Chính thức']));

      const [{ id: cellId }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = $1`, [`${WARD}.CB01`]);
      const [{ word }] = await ownerQuery<{ word: string }>(
        t.db,
        `select split_part(full_name, ' ', 1) word from member where unit_path <@ (select path from org_unit where code = $1) group by 1 order by count(*) desc limit 1`,
        [WARD],
      );
      const cases: [Record<string, string>, Record<string, unknown>][] = [
        [{ status: 'OFFICIAL,RELEASED' }, { status: ['OFFICIAL', 'RELEASED'] }],
        [{ gender: 'FEMALE', bornFrom: '1970-01-01', bornTo: '1990-12-31' }, { gender: 'FEMALE', bornFrom: '1970-01-01', bornTo: '1990-12-31' }],
        [{ hasNationalId: 'false' }, { hasNationalId: false }],
        [{ probationEndsBy: '2026-12-20' }, { probationEndsBy: '2026-12-20' }],
        [{ unitId: cellId, includeSubunits: 'false' }, { unitId: cellId, includeSubunits: false }],
        [{ search: word }, { search: word }],
      ];
      for (const [params, filter] of cases) {
        const csv = await download('members.csv', params, staff);
        expect(csv.status, JSON.stringify(params)).toBe(200);
        const names = csvTable(csv.body).rows.map((r) => r['Họ và tên']).sort();
        expect(names, JSON.stringify(params)).toEqual(await listed(filter, staff));
      }
    });

    it('refusals: no token 401, AUDITOR 403, a unit outside scope 404, a bad parameter 400 — and no file', async () => {
      const [{ id: sontra }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.SONTRA'`);
      const cases: [Download, number, string][] = [
        [await download('members.csv', {}, null), 401, 'UNAUTHENTICATED'],
        [await download('members.csv', {}, 'not-a-token'), 401, 'UNAUTHENTICATED'],
        [await download('members.csv', {}, auditor), 403, 'FORBIDDEN'],
        [await download('members.xlsx', {}, auditor), 403, 'FORBIDDEN'],
        [await download('statistics.xlsx', {}, auditor), 403, 'FORBIDDEN'],
        [await download('members.csv', { unitId: sontra }, staff), 404, 'NOT_FOUND'],
        [await download('members.xlsx', { unitId: sontra }, staff), 404, 'NOT_FOUND'],
        [await download('members.csv', { unitId: 'abc' }, staff), 404, 'NOT_FOUND'],
        [await download('statistics.xlsx', { unitId: sontra }, staff), 404, 'NOT_FOUND'],
        [await download('members.csv', { status: 'FOO' }, staff), 400, 'BAD_USER_INPUT'],
        [await download('members.csv', { status: 'OFFICIAL,FOO' }, staff), 400, 'BAD_USER_INPUT'],
        [await download('members.csv', { gender: 'X' }, staff), 400, 'BAD_USER_INPUT'],
        [await download('members.csv', { bornFrom: '1990-13-01' }, staff), 400, 'BAD_USER_INPUT'],
        [await download('members.csv', { includeSubunits: 'maybe' }, staff), 400, 'BAD_USER_INPUT'],
        [await download('members.csv', { hasNationalId: 'yes' }, staff), 400, 'BAD_USER_INPUT'],
        [await download('statistics.xlsx', { asOf: 'yesterday' }, staff), 400, 'BAD_USER_INPUT'],
        [await download('nothing.csv', {}, staff), 404, 'NOT_FOUND'],
      ];
      cases.forEach(([d, status, code], i) => {
        expect(d.status, `case ${i}`).toBe(status);
        expect(d.headers.get('content-type'), `case ${i}`).toMatch(/^application\/json/);
        expect(errorCode(d), `case ${i}`).toBe(code);
      });
      const post = await fetch(`${t.url}/exports/members.csv`, { method: 'POST', headers: { authorization: `Bearer ${staff}` } });
      expect(post.status).toBe(405);
    });

    it('a status or gender that only looks like a property name (toString, constructor, __proto__) is refused too', async () => {
      const cases: Record<string, string>[] = [{ status: 'toString' }, { status: 'constructor' }, { gender: '__proto__' }, { gender: 'hasOwnProperty' }];
      for (const params of cases) {
        const d = await download('members.csv', params, staff);
        expect(d.status, JSON.stringify(params)).toBe(400);
      }
    });
  });

  describe('members.csv and .xlsx: other roles and awkward text', () => {
    it('a COMMITTEE_VIEWER exports its district, without sensitive columns', async () => {
      const viewer = await t.login('sontra.viewer');
      const { header, rows } = csvTable((await download('members.csv', {}, viewer)).body);
      for (const h of SENSITIVE_HEADERS) expect(header).not.toContain(h);
      const expected = await ownerQuery<{ card: string | null; full_name: string; dob: string }>(
        t.db,
        `select party_card_number card, full_name, date_of_birth::text dob from member where unit_path <@ (select path from org_unit where code = 'DN.SONTRA')`,
      );
      expect(rows.map((r) => key(r['Số thẻ đảng viên'] || null, r['Họ và tên'], r['Ngày sinh'])).sort()).toEqual(
        expected.map((m) => key(m.card, m.full_name, m.dob)).sort(),
      );
    });

    it('quotes, commas and a leading = survive: quoted per RFC 4180, and never a formula', async () => {
      const [{ id: cell }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = $1`, [`${WARD}.CB01`]);
      const names = ['Lê Thị "Út", Hai', '=Trần Văn Công'];
      for (const fullName of names) {
        const created = await t.gql(
          `mutation($input: CreateMemberInput!) { createMember(input: $input) { member { id fullName } userErrors { message } } }`,
          { input: { unitId: cell, fullName, gender: 'MALE', dateOfBirth: '1980-08-08', joinedOn: '2010-08-08', decision: { number: '1-QĐ/ĐU', date: '2010-08-08', issuedBy: 'Đảng ủy phường Thạch Thang' } } },
          staff,
        );
        expect(created.data.createMember.userErrors).toEqual([]);
      }
      const stored = await ownerQuery<{ full_name: string }>(t.db, `select full_name from member where date_of_birth = '1980-08-08' and joined_on = '2010-08-08' order by id`);
      const csvNames = csvTable((await download('members.csv', { bornFrom: '1980-08-08', bornTo: '1980-08-08' }, staff)).body).rows.map((r) => r['Họ và tên']);
      expect(csvNames).toContain('Lê Thị "Út", Hai');
      expect(csvNames).not.toContain('=Trần Văn Công');
      expect(csvNames.some((n) => /^'=Trần Văn Công$/.test(n))).toBe(true);
      for (const { full_name } of stored) if (!full_name.startsWith('=')) expect(csvNames).toContain(full_name);

      const xlsx = await xlsxTable((await download('members.xlsx', { bornFrom: '1980-08-08', bornTo: '1980-08-08' }, staff)).body);
      const cells = xlsx.rows.map((r) => r['Họ và tên']);
      for (const c of cells) expect(c.type).not.toBe(ExcelJS.ValueType.Formula);
      for (const { full_name } of stored) expect(cells.map(text)).toContain(full_name);
    });
  });

  describe('members.xlsx', () => {
    it('opens in ExcelJS with the ward’s rows, Vietnamese text intact and dates as real date cells', async () => {
      const d = await download('members.xlsx', { unitId: wardId }, staff);
      expect(d.status).toBe(200);
      expect(d.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const { sheet, header, rows } = await xlsxTable(d.body);
      expect(sheet.name).toBe('Danh sách đảng viên');
      expect(header).toContain('Họ và tên');
      for (const h of SENSITIVE_HEADERS) expect(header).toContain(h);
      const expected = await wardMembers();
      expect(rows.length).toBe(expected.length);
      const isoOf = (cell: ExcelJS.Cell) => {
        expect(cell.type).toBe(ExcelJS.ValueType.Date);
        expect(cell.value).toBeInstanceOf(Date);
        return (cell.value as Date).toISOString().slice(0, 10);
      };
      expect(rows.map((r) => key(text(r['Số thẻ đảng viên']) || null, text(r['Họ và tên']), isoOf(r['Ngày sinh']))).sort()).toEqual(
        expected.map((m) => key(m.card, m.full_name, m.dob)).sort(),
      );
      expect(rows.map((r) => `${text(r['Họ và tên'])}|${isoOf(r['Ngày vào Đảng'])}`).sort()).toEqual(expected.map((m) => `${m.full_name}|${m.joined}`).sort());
      for (const r of rows) expect(text(r['Đảng bộ'])).toBe(wardName);
    });
  });

  describe('statistics.xlsx', () => {
    const STATS = `query($u: ID!, $asOf: Date) { statistics(unitId: $u, asOf: $asOf) { unit { name } asOf total averageAge byGeneralEducation { label count } children { total } } }`;

    async function statisticsFile(params: Record<string, string>, token: string) {
      const d = await download('statistics.xlsx', params, token);
      expect(d.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(d.body as unknown as ArrayBuffer);
      const cells = (sheet: ExcelJS.Worksheet) => {
        const rows: unknown[][] = [];
        sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
        return rows;
      };
      return { first: cells(workbook.worksheets[0]), second: cells(workbook.worksheets[1]) };
    }

    it('opens, names the unit and the date, and its total is statistics(unitId).total', async () => {
      const [{ id: haichau }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.HAICHAU'`);
      for (const [asOf, token] of [['2026-11-01', admin], [null, admin], ['2026-11-01', reporter], [null, staff]] as const) {
        const unit = token === staff ? wardId : haichau;
        const stats = (await t.gql(STATS, { u: unit, asOf }, token)).data.statistics;
        const file = await statisticsFile({ unitId: unit, ...(asOf ? { asOf } : {}) }, token);
        const flat = file.first.flat().map(String);
        expect(flat.some((c) => c.toLocaleUpperCase('vi') === stats.unit.name.toLocaleUpperCase('vi'))).toBe(true);
        const [y, m, d] = stats.asOf.split('-');
        expect(flat.some((c) => c.includes(`${d}/${m}/${y}`))).toBe(true);
        const totalRow = file.first.find((r) => r[1] === 'Tổng số đảng viên')!;
        expect(totalRow[2]).toBe(stats.total);
        // The average age and the general education in the forms' levels, as statistics gives them.
        expect(file.first.find((r) => r[1] === 'Tuổi bình quân')![2]).toBe(stats.averageAge);
        const education = file.first.findIndex((r) => r[1] === 'Trình độ giáo dục phổ thông');
        expect(file.first.slice(education + 1, education + 6).map((r) => [r[1], r[2]])).toEqual(
          stats.byGeneralEducation.map((c: { label: string; count: number }) => [c.label, c.count]),
        );
        expect(stats.byGeneralEducation.map((c: { label: string }) => c.label).slice(0, 3)).toEqual(['Tiểu học', 'Trung học cơ sở', 'Trung học phổ thông']);
        const sumRow = file.second.find((r) => r[1] === 'Cộng')!;
        expect(sumRow[2]).toBe(stats.total);
        // One line per child unit, plus the header and the sum.
        expect(file.second.length).toBe(stats.children.length + 2);
      }
    });
  });

  describe('every export is recorded', () => {
    const LOG = `query($filter: AuditFilter) { auditLog(filter: $filter, first: 100) { totalCount edges { node { id action entityType entityId requestId actor { username } changes } } } }`;

    it('the EXPORT event names the account, the export, the unit, the filter and the row count', async () => {
      const requestId = `export-test-${Date.now()}`;
      const csv = await download('members.csv', { unitId: wardId, status: 'OFFICIAL' }, staff, { 'x-request-id': requestId });
      expect(csv.status).toBe(200);
      const rows = csvTable(csv.body).rows.length;
      const xlsxId = `${requestId}-x`;
      await download('members.xlsx', {}, reporter, { 'x-request-id': xlsxId });
      const statsId = `${requestId}-s`;
      await download('statistics.xlsx', { asOf: '2026-11-01' }, admin, { 'x-request-id': statsId });
      // A refused export leaves no event.
      const refusedId = `${requestId}-r`;
      const [{ id: sontra }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.SONTRA'`);
      expect((await download('members.csv', { unitId: sontra }, staff, { 'x-request-id': refusedId })).status).toBe(404);

      const log = await t.gql(LOG, { filter: { action: 'EXPORT' } }, auditor);
      expect(log.errors, JSON.stringify(log.errors)).toBeUndefined();
      const events = log.data.auditLog.edges.map((e: any) => e.node);
      const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from audit_event where action = 'EXPORT'`);
      expect(log.data.auditLog.totalCount).toBe(n);
      expect(events.every((e: any) => e.action === 'EXPORT' && e.entityType === 'export')).toBe(true);

      const byRequest = (id: string) => events.filter((e: any) => e.requestId === id);
      expect(byRequest(requestId)).toEqual([
        expect.objectContaining({
          entityId: 'members.csv',
          actor: { username: 'thachthang' },
          changes: expect.objectContaining({ rows, format: 'csv', complete: true, unitId: wardId, filter: { unitId: wardId, status: 'OFFICIAL' } }),
        }),
      ]);
      expect(csv.headers.get('x-request-id')).toBe(requestId);
      const [{ n: all }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from member`);
      expect(byRequest(xlsxId)).toEqual([
        expect.objectContaining({ entityId: 'members.xlsx', actor: { username: 'reporter' }, changes: expect.objectContaining({ rows: all, format: 'xlsx' }) }),
      ]);
      expect(byRequest(xlsxId)[0].changes.columns).not.toContain('Số CCCD');
      const [{ id: city }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN'`);
      const cityTotal = (await t.gql(`query($u: ID!) { statistics(unitId: $u, asOf: "2026-11-01") { total } }`, { u: city }, admin)).data.statistics.total;
      expect(byRequest(statsId)).toEqual([
        expect.objectContaining({ entityId: 'statistics.xlsx', actor: { username: 'admin' }, changes: expect.objectContaining({ total: cityTotal, asOf: '2026-11-01' }) }),
      ]);
      expect(byRequest(refusedId)).toEqual([]);
    });

    it('the auditor can find the exports of one file by its entityId', async () => {
      const requestId = `export-entity-${Date.now()}`;
      expect((await download('members.csv', {}, staff, { 'x-request-id': requestId })).status).toBe(200);
      const log = await t.gql(LOG, { filter: { action: 'EXPORT', entityId: 'members.csv' } }, auditor);
      expect(log.errors, JSON.stringify(log.errors)).toBeUndefined();
      expect(log.data.auditLog.edges.map((e: any) => e.node.requestId)).toContain(requestId);
    });
  });

  describe('rows are fetched in batches', () => {
    it('a city-wide export of every member runs one keyset query per 1,000 rows, not one giant query', async () => {
      const everyone = await ownerQuery<{ card: string | null; full_name: string; dob: string }>(
        t.db,
        `select party_card_number card, full_name, date_of_birth::text dob from member`,
      );
      const n = everyone.length;
      expect(n).toBeGreaterThan(2000);
      for (const name of ['members.csv', 'members.xlsx']) {
        t.queries.length = 0;
        const d = await download(name, {}, admin);
        expect(d.status).toBe(200);
        // Every member exactly once: no row lost or repeated at a batch boundary.
        const keys = name.endsWith('.csv')
          ? csvTable(d.body).rows.map((r) => key(r['Số thẻ đảng viên'] || null, unneutralised(r['Họ và tên']), r['Ngày sinh']))
          : (await xlsxTable(d.body)).rows.map((r) => key(text(r['Số thẻ đảng viên']) || null, text(r['Họ và tên']), (r['Ngày sinh'].value as Date).toISOString().slice(0, 10)));
        expect(keys.length).toBe(n);
        const expected = everyone.map((m) => key(m.card, m.full_name, m.dob)).sort();
        keys.sort();
        expect(keys.filter((k, i) => k !== expected[i]).slice(0, 5), name).toEqual([]);
        // The keyset batches: the member list in name order, each bounded to 1,000 rows (the
        // statements as sent; every member came exactly once, above).
        const batches = t.queries.filter((q) => /from "member" as "m"/.test(q) && /order by m\.sort_name/.test(q));
        expect(batches.length, name).toBe(Math.floor(n / 1000) + 1);
        for (const q of batches) expect(q, name).toMatch(/\blimit 1000$/);
        // No statement reads the member list without a bound.
        const unbounded = t.queries.filter((q) => /from "member"/.test(q) && /party_card_number/.test(q) && !/\blimit\b/.test(q));
        expect(unbounded, name).toEqual([]);
      }
    });
  });
});
