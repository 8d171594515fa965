import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/access/passwords';
import { fixedClock } from '../src/clock';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';


/**
 * Transfers across the organisation's boundary, temporary transfers and late arrivals
 * (docs/domain.md, "Transfers"): what the register refuses, and what the statistics count.
 */
const TODAY = '2026-11-20';
const T = `id kind boundary status issuedOn reportBy confirmedOn externalParty country fromUnitName toUnitName lateReason arrivedLate
  returnsOn forStudy returnedOn returnOverdue overdue version fromUnit { code } toUnit { code } member { id status unit { code } }`;
const PAYLOAD = `transfer { ${T} } userErrors { field code message }`;
const ISSUE = `mutation($input: TransferMemberInput!) { transferMember(input: $input) { ${PAYLOAD} } }`;
const CONFIRM = `mutation($input: ConfirmTransferInput!) { confirmTransfer(input: $input) { ${PAYLOAD} } }`;
const RECEIVE = `mutation($input: ReceiveTransferFromOutsideInput!) { receiveTransferFromOutside(input: $input) { ${PAYLOAD} warnings { code } } }`;
const RETURN = `mutation($input: RecordTransferReturnInput!) { recordTransferReturn(input: $input) { ${PAYLOAD} } }`;
const STATS = `query($unitId: ID!, $asOf: Date) { statistics(unitId: $unitId, asOf: $asOf) { total byPartyAgeBand { key count } } }`;
const FLOWS = `query($unitId: ID!, $from: Date!, $to: Date!) { flows(unitId: $unitId, from: $from, to: $to) { opening admissions transfersIn transfersOut closing } }`;
const decision = (date: string) => ({ number: '21-GGT/ĐU', date, issuedBy: 'Đảng ủy phường Thạch Thang' });

describe('transfers across the boundary, temporary transfers, late arrivals', () => {
  let t: TestApp;
  let staff: string;
  let receiver: string;
  let cells: { id: string; code: string }[];
  const taken = new Set<string>();
  /** An official member of a ward, admitted long ago, never transferred, not used by another test here. */
  const pick = async (ward = 'DN.HAICHAU.THACHTHANG') => {
    const rows = await ownerQuery<{ id: string; version: number; unit: string; unit_id: string; joined_on: string }>(
      t.db,
      `select m.id::text, m.version, u.code as unit, u.id::text as unit_id, m.joined_on::text from member m join org_unit u on u.id = m.unit_id
        where u.code like $1 and m.status = 'OFFICIAL' and m.joined_on < '2020-01-01' and not m.under_review
          and not exists (select 1 from transfer x where x.member_id = m.id) order by m.id limit 50`,
      [`${ward}.%`],
    );
    const row = rows.find((r) => !taken.has(r.id))!;
    taken.add(row.id);
    return row;
  };
  const count = async (sql: string, params: unknown[]) => (await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from (${sql}) x`, params))[0].n;
  const stats = async (unitId: string, asOf: string) => (await t.gql(STATS, { unitId, asOf }, staff)).data.statistics;
  const band = (s: { byPartyAgeBand: { key: string; count: number }[] }, key: string) => s.byPartyAgeBand.find((b) => b.key === key)?.count ?? 0;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    staff = await t.login('thachthang');
    await ownerQuery(
      t.db,
      `insert into account (username, password_hash, role, unit_id) select 'manthai.h3', $1, 'ORG_STAFF', id from org_unit where code = 'DN.SONTRA.MANTHAI'`,
      [await hashPassword('test-password-1')],
    );
    receiver = await t.login('manthai.h3', 'test-password-1');
    cells = await ownerQuery(t.db, `select id::text, code from org_unit where code like 'DN.HAICHAU.THACHTHANG.%' and kind = 'CELL' order by code`);
  });
  afterAll(() => t.close());

  it('out to another province: the member leaves the rolls on the dispatch date, not before, and keeps its status', async () => {
    const member = await pick();
    const before = await stats(member.unit_id, '2026-11-04');
    const onDay = await stats(member.unit_id, '2026-11-05');
    const flowsBefore = (await t.gql(FLOWS, { unitId: member.unit_id, from: '2026-11-01', to: '2026-11-15' }, staff)).data.flows;

    const out = await t.gql(
      ISSUE,
      {
        input: {
          memberId: member.id, expectedVersion: member.version, kind: 'PERMANENT', boundary: 'OTHER_PROVINCE',
          externalParty: 'Đảng bộ tỉnh Quảng Ngãi', issuedOn: '2026-11-05', decision: decision('2026-11-05'), reason: 'Chuyển công tác',
        },
      },
      staff,
    );
    expect(out.errors).toBeUndefined();
    expect(out.data.transferMember.userErrors).toEqual([]);
    expect(out.data.transferMember.transfer).toMatchObject({
      boundary: 'OTHER_PROVINCE', status: 'CONFIRMED', confirmedOn: '2026-11-05', externalParty: 'Đảng bộ tỉnh Quảng Ngãi',
      toUnitName: 'Đảng bộ tỉnh Quảng Ngãi', toUnit: null, fromUnit: { code: member.unit }, member: { status: 'OFFICIAL' },
    });

    // One fewer in the cell from the dispatch date; the day before is unchanged.
    expect((await stats(member.unit_id, '2026-11-04')).total).toBe(before.total);
    expect((await stats(member.unit_id, '2026-11-05')).total).toBe(onDay.total - 1);
    expect((await stats(member.unit_id, TODAY)).total).toBe(onDay.total - 1);
    const flows = (await t.gql(FLOWS, { unitId: member.unit_id, from: '2026-11-01', to: '2026-11-15' }, staff)).data.flows;
    expect(flows.transfersOut).toBe(flowsBefore.transfersOut + 1);
    expect(flows.closing).toBe(flowsBefore.closing - 1);
    expect(flows.opening + flows.admissions + flows.transfersIn - flows.transfersOut).toBe(flows.closing);

    const [row] = await ownerQuery<{ transferred_out_on: string; status: string; open: number }>(
      t.db,
      `select transferred_out_on::text, status, (select count(*)::int from member_unit_period p where p.member_id = m.id and p.valid_to is null) as open
         from member m where id = $1`,
      [member.id],
    );
    expect(row).toEqual({ transferred_out_on: '2026-11-05', status: 'OFFICIAL', open: 0 });

    // Off the rolls: not transferred again.
    const [{ version }] = await ownerQuery<{ version: number }>(t.db, `select version from member where id = $1`, [member.id]);
    const again = await t.gql(
      ISSUE,
      { input: { memberId: member.id, expectedVersion: version, kind: 'PERMANENT', toUnitCode: 'DN.SONTRA.MANTHAI.CB01', issuedOn: '2026-11-10', decision: decision('2026-11-10') } },
      staff,
    );
    expect(again.data.transferMember.userErrors[0]).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', field: ['input', 'memberId'] });
    expect(await count(`select 1 from transfer where member_id = $1`, [member.id])).toBe(1);

    // Nor does its lifecycle go on here: the organisation it went to keeps it.
    const status = await t.gql(
      `mutation($input: ChangeMemberStatusInput!) { changeMemberStatus(input: $input) { member { id } userErrors { field code message } } }`,
      { input: { id: member.id, expectedVersion: version, status: 'RELEASED', effectiveOn: '2026-11-20', decision: decision('2026-11-20'), reason: 'Tuổi cao' } },
      staff,
    );
    expect(status.data.changeMemberStatus.userErrors).toEqual([
      expect.objectContaining({ code: 'TRANSITION_NOT_ALLOWED', field: ['input', 'id'], message: expect.stringMatching(/transferred out .* 2026-11-05/) }),
    ]);

    // The cell's member list leaves it out unless asked for.
    const LIST = `query($filter: MemberFilter) { members(filter: $filter, first: 100) { totalCount edges { node { id transferredOutOn } } } }`;
    const listed = (await t.gql(LIST, { filter: { unitId: String(member.unit_id) } }, staff)).data.members;
    expect(listed.edges.map((e: any) => e.node.id)).not.toContain(member.id);
    const all = (await t.gql(LIST, { filter: { unitId: String(member.unit_id), includeTransferredOut: true } }, staff)).data.members;
    expect(all.totalCount).toBe(listed.totalCount + 1);
    expect(all.edges.find((e: any) => e.node.id === member.id)?.node.transferredOutOn).toBe('2026-11-05');
  });

  it('abroad needs the receiving organisation and the country; a refusal writes nothing', async () => {
    const member = await pick();
    const input = { memberId: member.id, expectedVersion: member.version, kind: 'PERMANENT', boundary: 'ABROAD', issuedOn: '2026-11-05', decision: decision('2026-11-05') };
    const refused = await t.gql(ISSUE, { input: { ...input, toUnitCode: 'DN.SONTRA.MANTHAI.CB01' } }, staff);
    expect(refused.data.transferMember.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.toUnitCode', 'INVALID'],
      ['input.externalParty', 'REQUIRED'],
      ['input.country', 'REQUIRED'],
    ]);
    expect(await count(`select 1 from transfer where member_id = $1`, [member.id])).toBe(0);
    expect(await count(`select 1 from member where id = $1 and version = $2 and transferred_out_on is null`, [member.id, member.version])).toBe(1);

    const abroad = await t.gql(ISSUE, { input: { ...input, externalParty: 'Đảng ủy ngoài nước', country: 'Nhật Bản' } }, staff);
    expect(abroad.data.transferMember.transfer).toMatchObject({ boundary: 'ABROAD', country: 'Nhật Bản', toUnitName: 'Đảng ủy ngoài nước', status: 'CONFIRMED' });
  });

  it('in from another province: the file keeps its dates, counted only from arrival, party age from admission', async () => {
    const cell = cells[cells.length - 1];
    const before = { eve: await stats(cell.id, '2026-11-09'), day: await stats(cell.id, '2026-11-10') };
    const flowsBefore = (await t.gql(FLOWS, { unitId: cell.id, from: '2026-11-01', to: '2026-11-15' }, staff)).data.flows;
    const member = {
      unitId: cell.id, fullName: 'Trần Văn Đến', gender: 'MALE', dateOfBirth: '1975-03-04', joinedOn: '2000-05-19', officialOn: '2001-05-19',
      partyCardNumber: '77001234', decision: { number: '12-QĐ/ĐU', date: '2000-05-19', issuedBy: 'Đảng ủy xã Bình Sơn' },
    };
    const input = {
      member, boundary: 'OTHER_PROVINCE', externalParty: 'Đảng bộ tỉnh Quảng Ngãi', issuedOn: '2026-10-01',
      decision: { number: '88-GGT/TU', date: '2026-10-01', issuedBy: 'Ban Tổ chức Tỉnh ủy Quảng Ngãi' }, arrivedOn: '2026-11-10',
    };

    // 40 days after the letter: late, and refused without the reason; nothing is written.
    const late = await t.gql(RECEIVE, { input }, staff);
    expect(late.errors).toBeUndefined();
    expect(late.data.receiveTransferFromOutside.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED', field: ['input', 'lateReason'] })]);
    expect(await count(`select 1 from member where full_name = $1`, [member.fullName])).toBe(0);
    // The file's own checks name the nested field.
    const badFile = await t.gql(RECEIVE, { input: { ...input, lateReason: 'Chờ bàn giao công việc', member: { ...member, officialOn: '2001-06-01' } } }, staff);
    expect(badFile.data.receiveTransferFromOutside.userErrors[0].field).toEqual(['input', 'member', 'officialOn']);
    expect(await count(`select 1 from member where full_name = $1`, [member.fullName])).toBe(0);

    const received = await t.gql(RECEIVE, { input: { ...input, lateReason: 'Chờ bàn giao công việc' } }, staff);
    expect(received.data.receiveTransferFromOutside.userErrors).toEqual([]);
    const transfer = received.data.receiveTransferFromOutside.transfer;
    expect(transfer).toMatchObject({
      boundary: 'OTHER_PROVINCE', status: 'CONFIRMED', confirmedOn: '2026-11-10', fromUnit: null, fromUnitName: 'Đảng bộ tỉnh Quảng Ngãi',
      toUnit: { code: cell.code }, lateReason: 'Chờ bàn giao công việc', arrivedLate: true, member: { status: 'OFFICIAL', unit: { code: cell.code } },
    });
    const file = await t.gql(
      `query($id: ID) { member(id: $id) { joinedOn officialOn partyCardNumber partyAge(on: "2026-11-10") { years months }
         before: unitOn(date: "2026-11-09") { code } after: unitOn(date: "2026-11-10") { code } } }`,
      { id: transfer.member.id },
      staff,
    );
    // 2000-05-19 to 2026-11-10: 26 years and 5 completed months (317 months).
    expect(file.data.member).toEqual({
      joinedOn: '2000-05-19', officialOn: '2001-05-19', partyCardNumber: '77001234', partyAge: { years: 26, months: 317 }, before: null, after: { code: cell.code },
    });

    // Its history belongs to the receiving unit (there is no sending unit here): the auditor sees it.
    const auditor = await t.login('auditor');
    const log = await t.gql(`query($id: ID) { auditLog(filter: { entityType: "transfer", entityId: $id }) { totalCount } }`, { id: transfer.id }, auditor);
    expect(log.data.auditLog.totalCount).toBe(1);

    // Not back-dated: the day before arrival is unchanged; from arrival one more, in the 20–29 years band.
    const eve = await stats(cell.id, '2026-11-09');
    const day = await stats(cell.id, '2026-11-10');
    expect(eve.total).toBe(before.eve.total);
    expect(day.total).toBe(before.day.total + 1);
    expect(band(day, 'FROM_20_TO_29')).toBe(band(before.day, 'FROM_20_TO_29') + 1);
    const flows = (await t.gql(FLOWS, { unitId: cell.id, from: '2026-11-01', to: '2026-11-15' }, staff)).data.flows;
    expect(flows.transfersIn).toBe(flowsBefore.transfersIn + 1);
    expect(flows.admissions).toBe(flowsBefore.admissions);
    expect(flows.opening).toBe(flowsBefore.opening);
  });

  it('temporary: a return date within the limits, the member stays registered at home, and returns', async () => {
    const member = await pick();
    const base = { memberId: member.id, expectedVersion: member.version, kind: 'TEMPORARY', toUnitCode: 'DN.SONTRA.MANTHAI.CB01', issuedOn: '2026-11-02', decision: decision('2026-11-02') };
    const noEnd = await t.gql(ISSUE, { input: base }, staff);
    expect(noEnd.data.transferMember.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED', field: ['input', 'returnsOn'] })]);
    // A full year is not "under a year"; to study, up to 2 years.
    const tooLong = await t.gql(ISSUE, { input: { ...base, returnsOn: '2027-11-02' } }, staff);
    expect(tooLong.data.transferMember.userErrors).toEqual([expect.objectContaining({ code: 'INVALID', field: ['input', 'returnsOn'] })]);
    expect(await count(`select 1 from transfer where member_id = $1`, [member.id])).toBe(0);

    const issued = await t.gql(ISSUE, { input: { ...base, returnsOn: '2028-09-01', forStudy: true } }, staff);
    const transfer = issued.data.transferMember.transfer;
    expect(transfer).toMatchObject({ kind: 'TEMPORARY', status: 'PENDING', returnsOn: '2028-09-01', forStudy: true });
    const confirmed = await t.gql(CONFIRM, { input: { transferId: transfer.id, confirmedOn: '2026-11-12' } }, receiver);
    expect(confirmed.data.confirmTransfer.transfer).toMatchObject({ status: 'CONFIRMED', returnOverdue: false });
    const [home] = await ownerQuery<{ code: string }>(t.db, `select u.code from member m join org_unit u on u.id = m.unit_id where m.id = $1`, [member.id]);
    expect(home.code).toBe(member.unit);

    // The receiver does not record the return; the home unit does, once, not in the future.
    const byReceiver = await t.gql(RETURN, { input: { transferId: transfer.id, returnedOn: '2026-11-19' } }, receiver);
    expect(byReceiver.data.recordTransferReturn.userErrors[0]).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', field: ['input', 'transferId'] });
    const future = await t.gql(RETURN, { input: { transferId: transfer.id, returnedOn: '2026-11-21' } }, staff);
    expect(future.data.recordTransferReturn.userErrors[0].field).toEqual(['input', 'returnedOn']);
    const back = await t.gql(RETURN, { input: { transferId: transfer.id, returnedOn: '2026-11-19', reason: 'Về sớm' } }, staff);
    expect(back.data.recordTransferReturn.transfer).toMatchObject({ returnedOn: '2026-11-19' });
    const twice = await t.gql(RETURN, { input: { transferId: transfer.id, returnedOn: '2026-11-20' } }, staff);
    expect(twice.data.recordTransferReturn.userErrors[0].code).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('a temporary transfer out of the province past its return date is listed until the return is recorded', async () => {
    const member = await pick();
    const issued = await t.gql(
      ISSUE,
      {
        input: {
          memberId: member.id, expectedVersion: member.version, kind: 'TEMPORARY', boundary: 'OTHER_PROVINCE', externalParty: 'Đảng bộ tỉnh Quảng Nam',
          issuedOn: '2026-01-05', returnsOn: '2026-07-05', decision: decision('2026-01-05'),
        },
      },
      staff,
    );
    const transfer = issued.data.transferMember.transfer;
    // Still registered at home: a temporary transfer does not take the member off the rolls.
    expect(transfer).toMatchObject({ status: 'CONFIRMED', confirmedOn: '2026-01-05', returnOverdue: true, member: { unit: { code: member.unit } } });
    const list = `query { transfers(filter: { returnOverdue: true }, first: 100) { edges { node { id } } } }`;
    expect((await t.gql(list, {}, staff)).data.transfers.edges.map((e: any) => e.node.id)).toContain(transfer.id);
    await t.gql(RETURN, { input: { transferId: transfer.id, returnedOn: '2026-07-05' } }, staff);
    expect((await t.gql(list, {}, staff)).data.transfers.edges.map((e: any) => e.node.id)).not.toContain(transfer.id);
  });

  it('an arrival more than 30 days after issue is confirmed only with the reason, which is kept', async () => {
    const member = await pick();
    const issued = await t.gql(
      ISSUE,
      { input: { memberId: member.id, expectedVersion: member.version, kind: 'PERMANENT', toUnitCode: 'DN.SONTRA.MANTHAI.CB02', issuedOn: '2026-10-01', decision: decision('2026-10-01') } },
      staff,
    );
    const transfer = issued.data.transferMember.transfer;
    const refused = await t.gql(CONFIRM, { input: { transferId: transfer.id, confirmedOn: '2026-11-01' } }, receiver);
    expect(refused.data.confirmTransfer.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED', field: ['input', 'lateReason'] })]);
    expect(await count(`select 1 from transfer where id = $1 and status = 'PENDING' and version = $2 and late_reason is null`, [transfer.id, transfer.version])).toBe(1);
    // The 30th day is on time: no reason needed (a transfer issued 2026-10-01 is due by 2026-10-31).
    expect(transfer.reportBy).toBe('2026-10-31');
    const confirmed = await t.gql(CONFIRM, { input: { transferId: transfer.id, confirmedOn: '2026-11-01', lateReason: 'Ốm, điều trị tại bệnh viện' } }, receiver);
    expect(confirmed.data.confirmTransfer.transfer).toMatchObject({ status: 'CONFIRMED', lateReason: 'Ốm, điều trị tại bệnh viện', arrivedLate: true });
  });

  it('a member who left is neither transferred nor, with a transfer pending, confirmed at the receiver', async () => {
    const member = await pick();
    const issued = await t.gql(
      ISSUE,
      { input: { memberId: member.id, expectedVersion: member.version, kind: 'PERMANENT', toUnitCode: 'DN.SONTRA.MANTHAI.CB01', issuedOn: '2026-11-02', decision: decision('2026-11-02') } },
      staff,
    );
    const transfer = issued.data.transferMember.transfer;
    // The member dies and the pending transfer was not closed (as data entered before the rule).
    await ownerQuery(t.db, `update member set status = 'DECEASED', left_on = '2026-11-06' where id = $1`, [member.id]);
    const confirm = await t.gql(CONFIRM, { input: { transferId: transfer.id, confirmedOn: '2026-11-10' } }, receiver);
    expect(confirm.data.confirmTransfer.userErrors).toEqual([
      expect.objectContaining({ code: 'TRANSITION_NOT_ALLOWED', field: ['input', 'transferId'], message: expect.stringMatching(/can no longer be received/) }),
    ]);
    // The receiver, outside the member's scope, is not told how the member left.
    expect(confirm.data.confirmTransfer.userErrors[0].message).not.toMatch(/DECEASED|2026-11-06|left/);
    const [row] = await ownerQuery<{ status: string; code: string }>(
      t.db,
      `select t.status, u.code from transfer t join member m on m.id = t.member_id join org_unit u on u.id = m.unit_id where t.id = $1`,
      [transfer.id],
    );
    expect(row).toEqual({ status: 'PENDING', code: member.unit });

    const other = await pick();
    await ownerQuery(t.db, `update member set status = 'EXPELLED', left_on = '2026-10-01' where id = $1`, [other.id]);
    const [{ version }] = await ownerQuery<{ version: number }>(t.db, `select version from member where id = $1`, [other.id]);
    const refused = await t.gql(
      ISSUE,
      { input: { memberId: other.id, expectedVersion: version, kind: 'PERMANENT', boundary: 'OTHER_PROVINCE', externalParty: 'Đảng bộ tỉnh Quảng Nam', issuedOn: '2026-11-02', decision: decision('2026-11-02') } },
      staff,
    );
    expect(refused.data.transferMember.userErrors[0]).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', field: ['input', 'memberId'] });
    expect(await count(`select 1 from transfer where member_id = $1`, [other.id])).toBe(0);
  });

  it('a member under inspection is not transferred out of the organisation either', async () => {
    const member = await pick();
    await ownerQuery(t.db, `update member set under_review = true where id = $1`, [member.id]);
    const [{ version }] = await ownerQuery<{ version: number }>(t.db, `select version from member where id = $1`, [member.id]);
    const refused = await t.gql(
      ISSUE,
      { input: { memberId: member.id, expectedVersion: version, kind: 'PERMANENT', boundary: 'ABROAD', externalParty: 'Đảng ủy ngoài nước', country: 'Lào', issuedOn: '2026-11-02', decision: decision('2026-11-02') } },
      staff,
    );
    expect(refused.data.transferMember.userErrors[0]).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', field: ['input', 'memberId'], message: expect.stringMatching(/inspection/) });
    expect(await count(`select 1 from transfer where member_id = $1`, [member.id])).toBe(0);
    expect(await count(`select 1 from member where id = $1 and transferred_out_on is null`, [member.id])).toBe(1);
  });
});
