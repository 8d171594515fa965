import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { COMMIT_CHUNK, UNDO_CHUNK } from '../src/imports/imports.service';
import { NUMBER_UNUSABLE } from '../src/members/unique-numbers';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

const TODAY = '2026-11-20';

type WardMember = {
  id: string;
  party_card_number: string;
  national_id: string;
  full_name: string;
  date_of_birth: string;
  joined_on: string;
  gender: string;
  phone: string | null;
  version: number;
  unit_code: string;
};

/**
 * Spreadsheet imports end to end (issue 17): POST /imports (dry run), importBatch, the report,
 * commitImport, a re-run, undoImport and its refusal, scope and roles, and bad files, over HTTP
 * on a real PostgreSQL with the demo data.
 */
describe('spreadsheet import', () => {
  let t: TestApp;
  let staff: string; // thachthang: ORG_STAFF of the ward
  let admin: string;
  let viewer: string; // sontra.viewer: COMMITTEE_VIEWER elsewhere
  let ward: { id: string; code: string };
  let cell: { id: string; code: string; name: string };
  let sontraCell: { id: string; code: string };
  /** A member of the ward, with numbers: matched by card number, by national ID. */
  let byCard: WardMember;
  let byNationalId: WardMember;
  /** A member of the ward matched only by name and birth date. */
  let namesake: WardMember;
  /** A member of Sơn Trà (outside the ward's scope) and their card number. */
  let outsider: { id: string; party_card_number: string };

  const counts = async () =>
    (await ownerQuery<{ members: number; batches: number; periods: number }>(
      t.db,
      `select (select count(*) from member)::int members, (select count(*) from import_batch)::int batches, (select count(*) from member_status_period)::int periods`,
    ))[0];

  async function upload(token: string | null, body: Buffer | string, params: Record<string, string>) {
    const query = new URLSearchParams(params).toString();
    const response = await fetch(`${t.url}/imports?${query}`, {
      method: 'POST',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    });
    const text = await response.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, json };
  }

  const BATCH_FIELDS = `id status fileName fileFormat fileEncoding committedThroughRow ignoredColumns reason
    counts { create update unchanged duplicate refused }
    rows(first: 100) { rowNumber outcome memberId duplicateOfRow fullName changes { column from to } problems { column message } }`;

  async function batch(id: string, token = staff) {
    const result = await t.gql(`query($id: ID!) { importBatch(id: $id) { ${BATCH_FIELDS} } }`, { id }, token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data.importBatch;
  }

  async function commit(id: string, token = staff, reason = 'Nhập hồ sơ từ tệp của phường') {
    const result = await t.gql(
      `mutation($id: ID!, $reason: String!) { commitImport(id: $id, reason: $reason) { batch { id status committedThroughRow counts { create update } } userErrors { field code message } blockers { rowNumber memberId } } }`,
      { id, reason },
      token,
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data.commitImport;
  }

  async function undo(id: string, token = staff) {
    const result = await t.gql(
      `mutation($id: ID!, $reason: String!) { undoImport(id: $id, reason: $reason) { batch { id status } userErrors { field code message } blockers { rowNumber memberId } } }`,
      { id, reason: 'Nhập nhầm tệp' },
      token,
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data.undoImport;
  }

  /** A CSV of the rows given, under headers written the way a ward's spreadsheet might (case, accents, spacing). */
  function csv(rows: string[][], headers = ['HO VA TEN', ' ngày  sinh ', 'Giới Tính', 'dan toc', 'Tôn giáo', 'Ngày vào Đảng', 'Ngày chính thức', 'Số thẻ Đảng viên', 'CCCD', 'Chi bộ', 'Số điện thoại', 'Ghi chú riêng']): string {
    const line = (cells: string[]) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
    return '\ufeff' + [line(headers), ...rows.map(line)].join('\r\n') + '\r\n';
  }

  /** A member's row as the file would give it (the columns of csv()), with some cells changed. */
  const rowOf = (m: WardMember, changes: Partial<Record<'card' | 'nationalId' | 'phone', string>> = {}) => [
    m.full_name, dmy(m.date_of_birth), m.gender === 'MALE' ? 'Nam' : 'Nữ', '', '', dmy(m.joined_on), '',
    changes.card ?? '', changes.nationalId ?? '', m.unit_code, changes.phone ?? '', '',
  ];

  const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    [staff, admin, viewer] = await Promise.all([t.login('thachthang'), t.login('admin'), t.login('sontra.viewer')]);
    [ward] = await ownerQuery(t.db, `select id::text, code from org_unit where code = 'DN.HAICHAU.THACHTHANG'`);
    [cell] = await ownerQuery(t.db, `select id::text, code, name from org_unit where code = 'DN.HAICHAU.THACHTHANG.CB01'`);
    [sontraCell] = await ownerQuery(t.db, `select id::text, code from org_unit where code like 'DN.SONTRA.%' and kind = 'CELL' order by code limit 1`);
    const inWard = `from member m join org_unit u on u.id = m.unit_id where u.path <@ (select path from org_unit where id = ${ward.id}) and m.status = 'OFFICIAL'
      and m.party_card_number is not null and m.national_id is not null and m.transferred_out_on is null`;
    const members = await ownerQuery<any>(
      t.db,
      `select m.id::text, m.party_card_number, m.national_id, m.full_name, m.date_of_birth::text, m.joined_on::text, m.phone, m.version, m.gender, u.code as unit_code ${inWard} order by m.id limit 3`,
    );
    [byCard, byNationalId, namesake] = members;
    [outsider] = await ownerQuery(
      t.db,
      `select m.id::text, m.party_card_number from member m join org_unit u on u.id = m.unit_id where u.code like 'DN.SONTRA.%' and m.party_card_number is not null limit 1`,
    );
  });
  afterAll(() => t.close());

  describe('a dry run', () => {
    let id: string;
    let rows: Map<number, any>;
    let before: Awaited<ReturnType<typeof counts>>;

    beforeAll(async () => {
      before = await counts();
      const file = csv([
        // 2: a new member, catalogue values by name, the cell by its code.
        ['Nguyễn Thị Nhập', '05/03/1990', 'Nữ', 'Kinh', 'Không', '12/06/2015', '12/06/2016', '48990001', '048190000001', cell.code, '0905123456', 'x'],
        // 3: an existing member by card number, a new phone.
        rowOf(byCard, { card: byCard.party_card_number, phone: '0911222333' }),
        // 4: an existing member by national ID, nothing new.
        rowOf(byNationalId, { nationalId: byNationalId.national_id }),
        // 5: same name and birth date as a member of the ward, no numbers.
        [namesake.full_name.toUpperCase(), dmy(namesake.date_of_birth), 'Nam', '', '', dmy(namesake.joined_on), '', '', '', cell.name, '', ''],
        // 6: same name and birth date as row 2.
        ['Nguyen Thi Nhap', '05/03/1990', 'Nữ', '', '', '12/06/2015', '', '', '', cell.code, '', ''],
        // 7: not a date.
        ['Trần Văn Ngày', '31/02/1990', 'Nam', '', '', '12/06/2015', '', '', '', cell.code, '', ''],
        // 8: no such cell.
        ['Lê Văn Chi', '01/01/1980', 'Nam', '', '', '12/06/2015', '', '', '', 'Chi bộ số 99', '', ''],
        // 9: an unknown ethnicity.
        ['Phạm Thị Dân', '01/01/1980', 'Nữ', 'Xyz', '', '12/06/2015', '', '', '', cell.code, '', ''],
        // 10: official before the 12 months of probation ended.
        ['Võ Văn Sớm', '01/01/1980', 'Nam', '', '', '12/06/2015', '01/01/2016', '', '', cell.code, '', ''],
        // 11: a card number held in Sơn Trà.
        ['Đỗ Văn Ngoài', '01/01/1980', 'Nam', '', '', '12/06/2015', '', outsider.party_card_number, '', cell.code, '', ''],
        // 12: the same card number as row 2.
        ['Bùi Văn Trùng', '01/01/1981', 'Nam', '', '', '12/06/2015', '', '48990001', '', cell.code, '', ''],
        // 13: a cell outside the caller's scope, by its code.
        ['Hà Văn Xa', '01/01/1980', 'Nam', '', '', '12/06/2015', '', '', '', sontraCell.code, '', ''],
        // 14: admitted at 16.
        ['Lý Văn Trẻ', '01/01/2000', 'Nam', '', '', '01/01/2016', '', '', '', cell.code, '', ''],
        // 15: gender missing (required).
        ['Mai Văn Thiếu', '01/01/1980', '', '', '', '12/06/2015', '', '', '', cell.code, '', ''],
      ]);
      const uploaded = await upload(staff, file, { unit: ward.id, name: 'danh-sach-phuong.csv' });
      expect(uploaded.status, JSON.stringify(uploaded.json)).toBe(201);
      id = uploaded.json.data.import.id;
      const read = await batch(id);
      rows = new Map(read.rows.map((r: any) => [r.rowNumber, r]));
    });

    it('writes nothing to the records', async () => {
      const after = await counts();
      expect(after.members).toBe(before.members);
      expect(after.periods).toBe(before.periods);
      expect(after.batches).toBe(before.batches + 1);
      const [member] = await ownerQuery<{ phone: string | null; version: number }>(t.db, `select phone, version from member where id = $1`, [byCard.id]);
      expect(member).toEqual({ phone: byCard.phone, version: byCard.version });
    });

    it('matches headers without regard to case, accents and spacing, and lists the ones it ignores', async () => {
      const read = await batch(id);
      expect(read.fileFormat).toBe('csv');
      expect(read.fileEncoding).toBe('utf-8');
      expect(read.ignoredColumns).toEqual(['Ghi chú riêng']);
      expect(read.status).toBe('DRY_RUN');
    });

    it('says for every row what it will do, with counts per outcome', async () => {
      expect(rows.get(2)).toMatchObject({ outcome: 'CREATE', fullName: 'Nguyễn Thị Nhập', problems: [] });
      expect(rows.get(3)).toMatchObject({ outcome: 'UPDATE', memberId: byCard.id });
      expect(rows.get(3).changes).toEqual([{ column: 'Số điện thoại', from: byCard.phone, to: '0911222333' }]);
      expect(rows.get(4)).toMatchObject({ outcome: 'UNCHANGED', memberId: byNationalId.id, changes: [] });
      expect(rows.get(5)).toMatchObject({ outcome: 'DUPLICATE', memberId: namesake.id });
      expect(rows.get(6)).toMatchObject({ outcome: 'DUPLICATE', duplicateOfRow: 2, memberId: null });
      const read = await batch(id);
      expect(read.counts).toEqual({ create: 1, update: 1, unchanged: 1, duplicate: 2, refused: 9 });
    });

    it('refuses a row for each problem, naming its column', () => {
      const problem = (row: number) => rows.get(row).problems as { column: string; message: string }[];
      expect(rows.get(7).outcome).toBe('REFUSED');
      expect(problem(7)).toEqual([expect.objectContaining({ column: 'Ngày sinh' })]);
      expect(problem(8)).toEqual([{ column: 'Chi bộ', message: expect.stringContaining('Chi bộ số 99') }]);
      expect(problem(9)).toEqual([{ column: 'Dân tộc', message: expect.stringContaining('Xyz') }]);
      expect(problem(10)).toEqual([{ column: 'Ngày chính thức', message: expect.stringContaining('12 months') }]);
      expect(problem(11)).toEqual([{ column: 'Số thẻ đảng viên', message: NUMBER_UNUSABLE }]);
      expect(problem(12)).toEqual([{ column: 'Số thẻ đảng viên', message: 'The same party card number as row 2.' }]);
      expect(problem(14)).toEqual([{ column: 'Ngày vào Đảng', message: expect.stringContaining('18') }]);
      expect(problem(15)).toEqual([{ column: 'Giới tính', message: 'Required: nothing is written in this column.' }]);
    });

    it('answers a cell outside the scope as a cell that does not exist, and a number held elsewhere without saying where', async () => {
      // The same answer as for a cell that does not exist anywhere (row 8), word for word.
      const unknown = rows.get(8).problems[0].message as string;
      expect(rows.get(13).problems).toEqual([{ column: 'Chi bộ', message: unknown.replace('Chi bộ số 99', sontraCell.code) }]);
      const text = JSON.stringify(rows.get(11));
      expect(text).not.toContain(outsider.id);
      expect(text).not.toMatch(/Sơn Trà|SONTRA/);
      const events = await ownerQuery(t.db, `select 1 from audit_event where action = 'UNIQUE_CONFLICT_OUTSIDE_SCOPE' and member_id = $1`, [outsider.id]);
      expect(events.length).toBeGreaterThan(0);
    });

    it('records the upload as an access event', async () => {
      const [event] = await ownerQuery<{ account: string; changes: any }>(
        t.db,
        `select a.username as account, e.changes from audit_event e join account a on a.id = e.account_id where e.action = 'IMPORT' and e.entity_id = $1`,
        [id],
      );
      expect(event.account).toBe('thachthang');
      expect(event.changes).toMatchObject({ what: 'UPLOAD', fileName: 'danh-sach-phuong.csv', rows: 14 });
    });

    it('gives the report as a workbook: the original rows, their outcome and what to fix', async () => {
      const response = await fetch(`${t.url}/imports/${id}/report.xlsx`, { headers: { authorization: `Bearer ${staff}` } });
      expect(response.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
      const sheet = workbook.worksheets[0];
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(header.slice(-2)).toEqual(['Kết quả', 'Chi tiết']);
      expect(header).toContain('Ghi chú riêng');
      const [outcome, fix] = [header.length - 1, header.length];
      const byRow = new Map<number, ExcelJS.Row>();
      sheet.eachRow((row, n) => n > 1 && byRow.set(Number(row.getCell(1).value), row));
      expect(byRow.size).toBe(14);
      expect(byRow.get(7)!.getCell(outcome).value).toBe('Bị từ chối');
      expect(String(byRow.get(7)!.getCell(fix).value)).toMatch(/^Ngày sinh: /);
      expect(byRow.get(2)!.getCell(outcome).value).toBe('Tạo mới');
      expect(byRow.get(2)!.getCell(header.indexOf('HO VA TEN') + 1).value).toBe('Nguyễn Thị Nhập');
    });
  });

  describe('commit, re-run and undo', () => {
    let id: string;
    let created: string;
    const file = () =>
      csv([
        ['Trương Thị Mới', '14/07/1988', 'Nữ', 'Kinh', 'Phật giáo', '03/02/2012', '03/02/2013', '48990101', '048188000101', cell.code, '0905000101', ''],
        ['Đặng Văn Hai', '02/09/1975', 'Nam', '01', '', '15/05/2000', '', '48990102', '', cell.code, '', ''],
        ['', '', '', '', '', '', '', byCard.party_card_number, '', '', '0988777666', ''],
      ], ['Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Tôn giáo', 'Ngày vào Đảng', 'Ngày chính thức', 'Số thẻ đảng viên', 'Số CCCD', 'Chi bộ', 'Số điện thoại', 'Ghi chú']);

    it('a row with only a card number and a phone is refused for what it lacks (an import names the whole record)', async () => {
      const uploaded = await upload(staff, file(), { unit: ward.id, name: 'bo-sung.csv' });
      expect(uploaded.status).toBe(201);
      id = uploaded.json.data.import.id;
      const read = await batch(id);
      expect(read.counts).toEqual({ create: 2, update: 0, unchanged: 0, duplicate: 0, refused: 1 });
      expect(read.rows[2].problems.map((p: any) => p.column)).toEqual(expect.arrayContaining(['Họ và tên', 'Ngày sinh']));
    });

    it('commits the accepted rows, each change in the history with the import and the reason', async () => {
      const before = await counts();
      const result = await commit(id);
      expect(result.userErrors).toEqual([]);
      expect(result.batch).toMatchObject({ status: 'COMMITTED', committedThroughRow: 3 });
      expect((await counts()).members).toBe(before.members + 2);
      const [member] = await ownerQuery<any>(
        t.db,
        `select id::text, full_name, gender, date_of_birth::text, ethnicity, religion, status, official_on::text, unit_id::text, phone, national_id from member where party_card_number = '48990101'`,
      );
      created = member.id;
      expect(member).toMatchObject({
        full_name: 'Trương Thị Mới', gender: 'FEMALE', date_of_birth: '1988-07-14', ethnicity: '01', religion: 'PHAT_GIAO',
        status: 'OFFICIAL', official_on: '2013-02-03', unit_id: cell.id, phone: '0905000101', national_id: '048188000101',
      });
      // The reporting facts were derived from the periods, as for any member.
      const facts = await ownerQuery(t.db, `select 1 from member_fact where member_id = $1`, [created]);
      expect(facts.length).toBeGreaterThan(0);
      const periods = await ownerQuery(t.db, `select status, valid_from::text, valid_to::text from member_status_period where member_id = $1 order by valid_from`, [created]);
      expect(periods).toEqual([
        { status: 'PROBATIONARY', valid_from: '2012-02-03', valid_to: '2013-02-03' },
        { status: 'OFFICIAL', valid_from: '2013-02-03', valid_to: null },
      ]);
      const events = await ownerQuery<{ reason: string; username: string }>(
        t.db,
        `select e.reason, a.username from audit_event e join account a on a.id = e.account_id where e.member_id = $1 and e.action = 'INSERT'`,
        [created],
      );
      expect(events.length).toBeGreaterThanOrEqual(3);
      for (const event of events) expect(event).toEqual({ reason: `Import #${id}: Nhập hồ sơ từ tệp của phường`, username: 'thachthang' });
      // Found by the API as any member: the word index and the unit's counters saw it.
      const found = await t.gql(`{ members(filter: { search: "truong thi moi" }) { totalCount edges { node { id } } } }`, {}, staff);
      expect(found.data.members).toEqual({ totalCount: 1, edges: [{ node: { id: created } }] });
    });

    it('refuses a second commit of the same import', async () => {
      const again = await commit(id);
      expect(again.userErrors).toEqual([expect.objectContaining({ message: 'This import has already been committed.' })]);
    });

    it('the same file again changes nothing', async () => {
      const before = await counts();
      const uploaded = await upload(staff, file(), { unit: ward.id, name: 'bo-sung.csv' });
      const rerun = uploaded.json.data.import.id;
      const read = await batch(rerun);
      expect(read.counts).toEqual({ create: 0, update: 0, unchanged: 2, duplicate: 0, refused: 1 });
      const result = await commit(rerun);
      expect(result.userErrors).toEqual([]);
      expect(result.batch.status).toBe('COMMITTED');
      const after = await counts();
      expect(after.members).toBe(before.members);
      expect(after.periods).toBe(before.periods);
    });

    it('refuses an undo while a member of the import has been changed since, naming the member, and changes nothing', async () => {
      const [{ version }] = await ownerQuery<{ version: number }>(t.db, `select version from member where id = $1`, [created]);
      const edited = await t.gql(
        `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { userErrors { message } } }`,
        { input: { id: created, expectedVersion: version, foreignLanguages: 'Tiếng Anh B1' } },
        staff,
      );
      expect(edited.data.updateMember.userErrors).toEqual([]);
      const before = await counts();
      const result = await undo(id);
      expect(result.batch).toBeNull();
      expect(result.blockers).toEqual([{ rowNumber: 2, memberId: created }]);
      expect(result.userErrors[0].message).toContain(`member ${created} (row 2)`);
      expect(await counts()).toEqual(before);
    });

    it('undoes an import whose members are unchanged: created members removed, corrected ones restored', async () => {
      const [start] = await ownerQuery<{ phone: string | null }>(t.db, `select phone from member where id = $1`, [byCard.id]);
      const before = await counts();
      const total = async () => (await t.gql(`query($u: ID!) { members(filter: { unitId: $u }) { totalCount } }`, { u: cell.id }, staff)).data.members.totalCount;
      const cellBefore = await total();
      const uploaded = await upload(
        staff,
        csv([
          ['Cao Văn Tạm', '01/01/1985', 'Nam', '', '', '01/01/2010', '01/01/2011', '48990201', '', cell.code, '', ''],
          rowOf(byCard, { card: byCard.party_card_number, phone: '0977000201' }),
        ]),
        { unit: ward.id, name: 'tam.csv' },
      );
      const temporary = uploaded.json.data.import.id;
      const reads = () =>
        ownerQuery<{ fields: string[] }>(t.db, `select changes -> 'fields' as fields from audit_event where action = 'READ_SENSITIVE' and member_id = $1 order by id`, [byCard.id]);
      const readsBefore = (await reads()).length;
      const read = await batch(temporary);
      expect(read.rows.map((r: any) => r.outcome)).toEqual(['CREATE', 'UPDATE']);
      // The correction shows the member's current phone: read as the member's own field would be.
      expect(read.rows[1].changes).toEqual([{ column: 'Số điện thoại', from: start.phone, to: '0977000201' }]);
      const readsAfter = await reads();
      expect(readsAfter).toHaveLength(readsBefore + 1);
      expect(readsAfter[readsAfter.length - 1].fields).toEqual(['phone']);
      expect((await commit(temporary)).userErrors).toEqual([]);
      expect(await total()).toBe(cellBefore + 1);
      const [changed] = await ownerQuery<{ phone: string }>(t.db, `select phone from member where id = $1`, [byCard.id]);
      expect(changed.phone).toBe('0977000201');

      const result = await undo(temporary);
      expect(result.userErrors).toEqual([]);
      expect(result.batch.status).toBe('UNDONE');
      const after = await counts();
      expect(after.members).toBe(before.members);
      expect(after.periods).toBe(before.periods);
      expect(await total()).toBe(cellBefore);
      const [restored] = await ownerQuery<{ phone: string | null; full_name: string }>(t.db, `select phone, full_name from member where id = $1`, [byCard.id]);
      expect(restored.phone).toBe(start.phone);
      const gone = await ownerQuery(t.db, `select 1 from member_fact where member_id not in (select id from member)`);
      expect(gone).toEqual([]);
      const again = await undo(temporary);
      expect(again.userErrors).toEqual([expect.objectContaining({ message: 'This import has already been undone.' })]);
    });
  });

  describe('verdicts made in the import unit, whoever uploads', () => {
    it('a city administrator importing into the ward learns nothing the ward may not see', async () => {
      const [elsewhere] = await ownerQuery<WardMember>(
        t.db,
        `select m.id::text, m.party_card_number, m.full_name, m.date_of_birth::text, m.joined_on::text, m.gender, u.code as unit_code
           from member m join org_unit u on u.id = m.unit_id
          where u.code like 'DN.HAICHAU.%' and u.code not like 'DN.HAICHAU.THACHTHANG%' and m.party_card_number is not null and m.status = 'OFFICIAL'
          order by m.id limit 1`,
      );
      const uploaded = await upload(
        admin,
        csv([
          [elsewhere.full_name, dmy(elsewhere.date_of_birth), elsewhere.gender === 'MALE' ? 'Nam' : 'Nữ', '', '', dmy(elsewhere.joined_on), '', elsewhere.party_card_number, '', cell.code, '', ''],
          [elsewhere.full_name, dmy(elsewhere.date_of_birth), elsewhere.gender === 'MALE' ? 'Nam' : 'Nữ', '', '', dmy(elsewhere.joined_on), '', '', '', cell.code, '', ''],
        ]),
        { unit: ward.id, name: 'thanh-pho.csv' },
      );
      expect(uploaded.status).toBe(201);
      const read = await batch(uploaded.json.data.import.id, staff);
      expect(read.rows[0]).toMatchObject({ outcome: 'REFUSED', memberId: null, problems: [{ column: 'Số thẻ đảng viên', message: NUMBER_UNUSABLE }] });
      // The namesake outside the ward is not the ward's business: a new member for the ward.
      expect(read.rows[1]).toMatchObject({ outcome: 'CREATE', memberId: null });
      expect(JSON.stringify(read.rows.map((r: any) => r.problems))).not.toMatch(new RegExp(`member ${elsewhere.id}\\b`));
    });

    it('a name written without diacritics is no correction; a member who has left is not corrected', async () => {
      const [deceased] = await ownerQuery<WardMember>(
        t.db,
        `select m.id::text, m.party_card_number, m.national_id, m.full_name, m.date_of_birth::text, m.joined_on::text, m.gender, u.code as unit_code
           from member m join org_unit u on u.id = m.unit_id
          where u.code like 'DN.HAICHAU.THACHTHANG.%' and m.status = 'DECEASED' and m.party_card_number is not null order by m.id limit 1`,
      );
      expect(deceased).toBeDefined();
      const plain = { ...byNationalId, full_name: byNationalId.full_name.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toUpperCase() };
      const uploaded = await upload(staff, csv([rowOf(plain, { nationalId: byNationalId.national_id }), rowOf(deceased, { card: deceased.party_card_number, phone: '0905999888' })]), { unit: ward.id, name: 'khong-dau.csv' });
      const read = await batch(uploaded.json.data.import.id);
      expect(read.rows[0]).toMatchObject({ outcome: 'UNCHANGED', memberId: byNationalId.id, changes: [] });
      expect(read.rows[1]).toMatchObject({ outcome: 'REFUSED', problems: [{ column: 'Số thẻ đảng viên', message: expect.stringContaining('has left the party (DECEASED)') }] });
    });
  });

  describe('a file larger than a chunk', () => {
    it('commits and undoes in chunks, each a transaction, going on from where it stopped; a member moved out of scope between two undo calls stops it there', async () => {
      const before = await counts();
      const rows = Array.from({ length: COMMIT_CHUNK + 1 }, (_, i) => {
        const born = new Date(Date.UTC(1960, 0, 1 + i)).toISOString().slice(0, 10);
        return [`Lê Văn Số ${i + 1}`, dmy(born), 'Nam', '', '', '01/01/2010', '', String(49000000 + i), '', cell.code, '', ''];
      });
      const uploaded = await upload(staff, csv(rows), { unit: ward.id, name: 'lon.csv' });
      expect(uploaded.status, JSON.stringify(uploaded.json)).toBe(201);
      const id = uploaded.json.data.import.id;
      const first = await commit(id);
      expect(first.batch).toMatchObject({ status: 'COMMITTING', committedThroughRow: COMMIT_CHUNK + 1 });
      expect((await counts()).members).toBe(before.members + COMMIT_CHUNK);
      const second = await commit(id);
      expect(second.batch).toMatchObject({ status: 'COMMITTED', committedThroughRow: COMMIT_CHUNK + 2 });
      expect((await counts()).members).toBe(before.members + COMMIT_CHUNK + 1);

      // Audited per statement (migration 36), as the row trigger did: one event per record written,
      // by the staff account, with the import's reason, filed under the member's cell, every column
      // from nothing to its value (the derived ones left out).
      const created = await ownerQuery<{ id: string; row: Record<string, unknown>; unit_path: string }>(
        t.db,
        `select m.id::text, to_jsonb(m) as row, m.unit_path::text from import_row r join member m on m.id = r.member_id where r.batch_id = $1 order by m.id`,
        [id],
      );
      expect(created).toHaveLength(COMMIT_CHUNK + 1);
      const [account] = await ownerQuery<{ id: string }>(t.db, `select id::text from account where username = 'thachthang'`);
      const events = async (action: string) =>
        ownerQuery<{ entity_type: string; member_id: string; entity_id: string; account_id: string; reason: string; scope_path: string; changes: Record<string, [unknown, unknown]> }>(
          t.db,
          `select entity_type, member_id::text, entity_id, account_id::text, reason, scope_path::text, changes from audit_event
            where action = $1 and member_id = any($2::bigint[]) order by id`,
          [action, created.map((m) => m.id)],
        );
      const inserted = await events('INSERT');
      expect(inserted.filter((e) => e.entity_type === 'member')).toHaveLength(COMMIT_CHUNK + 1);
      expect(inserted.filter((e) => e.entity_type === 'member_status_period')).toHaveLength(COMMIT_CHUNK + 1);
      expect(inserted.filter((e) => e.entity_type === 'member_unit_period')).toHaveLength(COMMIT_CHUNK + 1);
      const sample = created[created.length - 1]; // the last row: taken back by the first undo call
      const memberEvent = inserted.find((e) => e.entity_type === 'member' && e.entity_id === sample.id)!;
      expect(memberEvent).toMatchObject({ member_id: sample.id, account_id: account.id, reason: `Import #${id}: Nhập hồ sơ từ tệp của phường`, scope_path: sample.unit_path });
      const history = Object.fromEntries(Object.entries(sample.row).filter(([k]) => !['search_name', 'sort_name', 'unit_path', 'updated_at'].includes(k)).map(([k, v]) => [k, [null, v]]));
      expect(memberEvent.changes).toEqual(history);
      for (const e of inserted) expect(e.scope_path, e.entity_type).toBe(created.find((m) => m.id === e.member_id)!.unit_path);

      // The first call checks the whole import and takes back the last UNDO_CHUNK rows.
      const undone = await undo(id);
      expect(undone.userErrors).toEqual([]);
      expect(undone.batch.status).toBe('UNDOING');
      expect((await counts()).members).toBe(before.members + COMMIT_CHUNK + 1 - UNDO_CHUNK);
      // A member of the rows left moves out of the ward between two calls (to Sơn Trà, outside the
      // staff's scope): the next call stops there, naming it, though the staff can no longer read it.
      const [left] = await ownerQuery<{ id: string }>(t.db, `select r.member_id::text as id from import_row r where r.batch_id = $1 and r.row_number = 2`, [id]);
      await ownerQuery(t.db, `update member set unit_id = $2 where id = $1`, [left.id, sontraCell.id]);
      const stopped = await undo(id);
      expect(stopped.batch).toBeNull();
      expect(stopped.blockers).toEqual([{ rowNumber: 2, memberId: left.id }]);
      const after = await counts();
      expect(after.members).toBe(before.members + 1);
      expect(after.periods).toBe(before.periods + 1);
      expect((await batch(id)).status).toBe('UNDOING');
      // The removals are history too: every record of theirs, from its value to nothing.
      const deleted = await events('DELETE');
      for (const type of ['member', 'member_status_period', 'member_unit_period']) {
        expect(deleted.filter((e) => e.entity_type === type), type).toHaveLength(UNDO_CHUNK);
      }
      const removal = deleted.find((e) => e.entity_type === 'member' && e.entity_id === sample.id)!;
      expect(removal).toMatchObject({ account_id: account.id, reason: `Undo of import #${id}: Nhập nhầm tệp`, scope_path: sample.unit_path });
      expect(removal.changes).toEqual(Object.fromEntries(Object.entries(history).map(([k, [, v]]) => [k, [v, null]])));
    });
  });

  describe('scope and roles', () => {
    it('only staff and city administrators import', async () => {
      const reporter = await t.login('reporter');
      for (const token of [viewer, reporter]) {
        const refused = await upload(token, csv([]), { unit: ward.id, name: 'x.csv' });
        expect(refused.status).toBe(403);
        expect(refused.json.errors[0].extensions.code).toBe('FORBIDDEN');
      }
      const anonymous = await upload(null, csv([]), { unit: ward.id, name: 'x.csv' });
      expect(anonymous.status).toBe(401);
      const query = await t.gql(`{ importBatch(id: "1") { id } }`, {}, viewer);
      expect(query.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });

    it('into units in scope only; a batch outside it is not found, nor its file', async () => {
      const [sontra] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.SONTRA'`);
      const refused = await upload(staff, csv([['A', '01/01/1980', 'Nam', '', '', '01/01/2010', '', '', '', sontraCell.code, '', '']]), { unit: sontra.id, name: 'x.csv' });
      expect(refused.status).toBe(400);
      expect(refused.json.errors[0].message).toBe('No such unit in your scope.');
      const theirs = await upload(admin, csv([['Hoàng Văn Sơn', '01/01/1980', 'Nam', '', '', '01/01/2010', '', '', '', sontraCell.code, '', '']]), { unit: sontra.id, name: 'son-tra.csv' });
      expect(theirs.status).toBe(201);
      const id = theirs.json.data.import.id;
      expect((await t.gql(`query($id: ID!) { importBatch(id: $id) { id } }`, { id }, staff)).data.importBatch).toBeNull();
      const file = await fetch(`${t.url}/imports/${id}/file`, { headers: { authorization: `Bearer ${staff}` } });
      expect(file.status).toBe(404);
      const committed = await commit(id);
      expect(committed.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
      const own = await fetch(`${t.url}/imports/${id}/file`, { headers: { authorization: `Bearer ${admin}` } });
      expect(own.status).toBe(200);
      expect(await own.text()).toContain('Hoàng Văn Sơn');
    });
  });

  describe('bad files get a clear refusal and write nothing', () => {
    const refusal = async (body: Buffer | string, name: string) => {
      const before = await counts();
      const result = await upload(staff, body, { unit: ward.id, name });
      expect(await counts()).toEqual(before);
      return result;
    };

    it('not a spreadsheet', async () => {
      const result = await refusal(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n', 'latin1'), 'scan.pdf');
      expect(result.status).toBe(400);
      expect(result.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', importProblem: 'NOT_A_SPREADSHEET' });
    });

    it('a file of 100 MB', async () => {
      const result = await refusal(Buffer.alloc(100 * 1024 * 1024, 0x41), 'big.csv');
      expect(result.status).toBe(413);
    });

    it('1,000,000 rows', async () => {
      const header = 'Họ và tên,Ngày sinh,Giới tính,Ngày vào Đảng,Chi bộ\n';
      const result = await refusal(header + 'x\n'.repeat(1_000_000), 'million.csv');
      expect(result.status).toBe(400);
      expect(result.json.errors[0].extensions.importProblem).toBe('TOO_MANY_ROWS');
    });

    it('a zip bomb', async () => {
      const result = await refusal(zipBomb(), 'bomb.xlsx');
      expect(result.status).toBe(400);
      expect(result.json.errors[0].extensions.importProblem).toBe('TOO_LARGE');
    });

    it('formulas', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Đảng viên');
      sheet.addRow(['Họ và tên', 'Ngày sinh', 'Giới tính', 'Ngày vào Đảng', 'Chi bộ']);
      sheet.addRow(['Nguyễn Văn Công', new Date(Date.UTC(1980, 0, 1)), 'Nam', new Date(Date.UTC(2010, 0, 1)), cell.code]);
      sheet.getCell('B3').value = { formula: 'B2+1', result: 29222 } as never;
      sheet.getCell('A3').value = 'Nguyễn Văn Thức';
      const result = await refusal(Buffer.from(await workbook.xlsx.writeBuffer()), 'formula.xlsx');
      expect(result.status).toBe(400);
      expect(result.json.errors[0].extensions.importProblem).toBe('FORMULA');
      expect(result.json.errors[0].message).toContain('B3');
    });

    it('merged header cells', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Đảng viên');
      sheet.addRow(['Họ và tên', 'Ngày sinh', 'Giới tính', 'Ngày vào Đảng', 'Chi bộ', '']);
      sheet.mergeCells('E1:F1');
      sheet.addRow(['Nguyễn Văn Gộp', new Date(Date.UTC(1980, 0, 1)), 'Nam', new Date(Date.UTC(2010, 0, 1)), cell.code, '']);
      const result = await refusal(Buffer.from(await workbook.xlsx.writeBuffer()), 'merged.xlsx');
      expect(result.status).toBe(400);
      expect(result.json.errors[0].extensions.importProblem).toBe('MERGED_HEADER');
    });
  });

  it('reads an XLSX with Excel dates and a Windows-1258 CSV alike', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Đảng viên');
    sheet.addRow(['Họ và tên', 'Ngày sinh', 'Giới tính', 'Ngày vào Đảng', 'Chi bộ']);
    sheet.addRow(['Nguyễn Văn Excel', new Date(Date.UTC(1980, 4, 17)), 'Nam', new Date(Date.UTC(2010, 8, 2)), cell.code]);
    const xlsx = await upload(staff, Buffer.from(await workbook.xlsx.writeBuffer()), { unit: ward.id, name: 'excel.xlsx' });
    expect(xlsx.status, JSON.stringify(xlsx.json)).toBe(201);
    expect((await batch(xlsx.json.data.import.id)).rows[0]).toMatchObject({ outcome: 'CREATE', fullName: 'Nguyễn Văn Excel' });
    // "Nguyễn" in Windows-1258: the tone mark is a combining character of its own (0xDE: tilde).
    const text = Buffer.concat([
      Buffer.from('Ho va ten,Ngay sinh,Gioi tinh,Ngay vao Dang,Chi bo\r\nNguy', 'latin1'),
      Buffer.from([0xea, 0xde]),
      // "Văn": ă is 0xE3 of its own; "Mã": a, then the combining tilde 0xDE.
      Buffer.from('n V\xe3n Ma', 'latin1'),
      Buffer.from([0xde]),
      Buffer.from(`,01/01/1980,Nam,01/01/2010,${cell.code}\r\n`, 'latin1'),
    ]);
    const legacy = await upload(staff, text, { unit: ward.id, name: 'cu.csv' });
    expect(legacy.status, JSON.stringify(legacy.json)).toBe(201);
    const read = await batch(legacy.json.data.import.id);
    expect(read.fileEncoding).toBe('windows-1258');
    expect(read.rows[0].fullName).toBe('Nguyễn Văn Mã');
  });
});

/** A real zip whose one part inflates a thousandfold: a "spreadsheet" no server should open. */
function zipBomb(): Buffer {
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const size = 64 * 1024 * 1024;
  // 64 MB of spaces deflate to about 64 kB: a ratio no spreadsheet has (its CRC is left 0: it is refused before any inflating).
  const data = zlib.deflateRawSync(Buffer.alloc(size, 0x20), { level: 9 });
  const crc = 0;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0, 6);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12);
  end.writeUInt32LE(30 + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}
