import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/access/passwords';
import { fixedClock } from '../src/clock';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

const TODAY = '2026-11-20';
const T = `id kind status issuedOn reportBy overdue memberName memberPartyCardNumber fromUnitName toUnitName
  member { id } fromUnit { code } toUnit { code } confirmedOn`;
const ISSUE = `mutation($input: TransferMemberInput!) { transferMember(input: $input) { transfer { ${T} } userErrors { field code message } } }`;
const CONFIRM = `mutation($input: ConfirmTransferInput!) { confirmTransfer(input: $input) { transfer { ${T} } userErrors { field code message } } }`;
const CANCEL = `mutation($input: CancelTransferInput!) { cancelTransfer(input: $input) { transfer { ${T} } userErrors { field code message } } }`;
const LIST = `query($filter: TransferFilter) { transfers(filter: $filter, first: 100) { totalCount edges { node { id overdue memberName } } } }`;
const decision = { number: '15-GGT/ĐU', date: '2026-11-01', issuedBy: 'Đảng ủy phường Thạch Thang' };

describe('transfers between units', () => {
  let t: TestApp;
  let sender: string;
  let receiver: string;
  let bystander: string;
  const pick = async (ward: string, offset = 0) =>
    (
      await ownerQuery<{ id: string; version: number; full_name: string; unit: string }>(
        t.db,
        `select m.id::text, m.version, m.full_name, u.code as unit from member m join org_unit u on u.id = m.unit_id
          where u.code like $1 and m.status = 'OFFICIAL' and m.joined_on < '2026-01-01'
            and not exists (select 1 from transfer x where x.member_id = m.id) order by m.id offset $2 limit 1`,
        [`${ward}.%`, offset],
      )
    )[0];

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    const hash = await hashPassword('test-password-1');
    await ownerQuery(
      t.db,
      `insert into account (username, password_hash, role, unit_id)
       select 'manthai.staff', $1, 'ORG_STAFF', id from org_unit where code = 'DN.SONTRA.MANTHAI'
       union all select 'hoacuongbac.staff', $1, 'ORG_STAFF', id from org_unit where code = 'DN.HAICHAU.HOACUONGBAC'`,
      [hash],
    );
    sender = await t.login('thachthang');
    receiver = await t.login('manthai.staff', 'test-password-1');
    bystander = await t.login('hoacuongbac.staff', 'test-password-1');
  });
  afterAll(() => t.close());

  it('round trip across districts: pending on both sides, the member stays with the sender until the receiver confirms', async () => {
    const member = await pick('DN.HAICHAU.THACHTHANG');
    const issued = await t.gql(
      ISSUE,
      { input: { memberId: member.id, expectedVersion: member.version, kind: 'PERMANENT', toUnitCode: 'DN.SONTRA.MANTHAI.CB01', issuedOn: '2026-11-02', decision, reason: 'Chuyển nơi ở' } },
      sender,
    );
    expect(issued.errors).toBeUndefined();
    const transfer = issued.data.transferMember.transfer;
    expect(transfer).toMatchObject({
      status: 'PENDING', reportBy: '2026-12-02', overdue: false, memberName: member.full_name,
      fromUnit: { code: member.unit }, toUnit: null, toUnitName: 'Chi bộ khu dân cư số 1', member: { id: member.id },
    });

    // The receiver: awaiting arrival, with the snapshot, but not the record.
    const incoming = await t.gql(LIST, { filter: { direction: 'INCOMING', status: ['PENDING'] } }, receiver);
    expect(incoming.data.transfers.edges.map((e: any) => e.node.id)).toContain(transfer.id);
    const asReceiver = await t.gql(`query($id: ID) { member(id: $id) { id } }`, { id: member.id }, receiver);
    expect(asReceiver.data.member).toBeNull();
    // The sender still has the member on its rolls.
    const asSender = await t.gql(`query($id: ID) { member(id: $id) { unit { code } } }`, { id: member.id }, sender);
    expect(asSender.data.member.unit.code).toBe(member.unit);
    // A third unit sees nothing of it.
    const third = await t.gql(LIST, {}, bystander);
    expect(third.data.transfers.edges.map((e: any) => e.node.id)).not.toContain(transfer.id);

    // Authority on each side: the sender does not confirm, the receiver does not cancel.
    const senderConfirms = await t.gql(CONFIRM, { input: { transferId: transfer.id, confirmedOn: '2026-11-10' } }, sender);
    expect(senderConfirms.data.confirmTransfer.userErrors[0].code).toBe('TRANSITION_NOT_ALLOWED');
    const receiverCancels = await t.gql(CANCEL, { input: { transferId: transfer.id, reason: 'x' } }, receiver);
    expect(receiverCancels.data.cancelTransfer.userErrors[0].code).toBe('TRANSITION_NOT_ALLOWED');

    const confirmed = await t.gql(CONFIRM, { input: { transferId: transfer.id, confirmedOn: '2026-11-10' } }, receiver);
    expect(confirmed.data.confirmTransfer.userErrors).toEqual([]);
    expect(confirmed.data.confirmTransfer.transfer).toMatchObject({ status: 'CONFIRMED', confirmedOn: '2026-11-10', member: { id: member.id } });

    // Now the member is the receiver's, and the sender no longer sees it.
    const afterReceiver = await t.gql(
      `query($id: ID) { member(id: $id) { unit { code } before: unitOn(date: "2026-11-09") { code } after: unitOn(date: "2026-11-10") { code } } }`,
      { id: member.id },
      receiver,
    );
    expect(afterReceiver.data.member).toEqual({ unit: { code: 'DN.SONTRA.MANTHAI.CB01' }, before: null, after: { code: 'DN.SONTRA.MANTHAI.CB01' } });
    const admin = await t.login('admin');
    const asCity = await t.gql(`query($id: ID) { member(id: $id) { before: unitOn(date: "2026-11-09") { code } } }`, { id: member.id }, admin);
    expect(asCity.data.member.before.code).toBe(member.unit);
    const afterSender = await t.gql(`query($id: ID) { member(id: $id) { id } }`, { id: member.id }, sender);
    expect(afterSender.data.member).toBeNull();
  });

  it('overdue transfers (not reported within 30 days) are listed on both sides', async () => {
    const member = await pick('DN.HAICHAU.THACHTHANG', 1);
    const issued = await t.gql(
      ISSUE,
      { input: { memberId: member.id, expectedVersion: member.version, kind: 'PERMANENT', toUnitCode: 'DN.SONTRA.MANTHAI.CB02', issuedOn: '2026-10-01', decision: { ...decision, date: '2026-10-01' } } },
      sender,
    );
    const transfer = issued.data.transferMember.transfer;
    expect(transfer.overdue).toBe(true);
    for (const token of [sender, receiver]) {
      const overdue = await t.gql(LIST, { filter: { overdue: true } }, token);
      expect(overdue.data.transfers.edges.map((e: any) => e.node.id)).toContain(transfer.id);
      expect(overdue.data.transfers.edges.every((e: any) => e.node.overdue)).toBe(true);
    }
    const cancelled = await t.gql(CANCEL, { input: { transferId: transfer.id, reason: 'Không chuyển nữa' } }, sender);
    expect(cancelled.data.cancelTransfer.transfer.status).toBe('CANCELLED');
  });

  it('a member under inspection is not transferred, nor one already on the way', async () => {
    const member = await pick('DN.HAICHAU.THACHTHANG', 2);
    await ownerQuery(t.db, `update member set under_review = true where id = $1`, [member.id]);
    const refused = await t.gql(
      ISSUE,
      { input: { memberId: member.id, expectedVersion: member.version, kind: 'PERMANENT', toUnitCode: 'DN.SONTRA.MANTHAI.CB01', issuedOn: '2026-11-02', decision } },
      sender,
    );
    expect(refused.data.transferMember.userErrors[0]).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', field: ['input', 'memberId'] });
    const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from transfer where member_id = $1`, [member.id]);
    expect(n).toBe(0);
  });

  it('an internal transfer within the ward moves the member at once; one to another ward is refused', async () => {
    const member = await pick('DN.HAICHAU.THACHTHANG', 3);
    const other = member.unit.endsWith('CB01') ? 'DN.HAICHAU.THACHTHANG.CB02' : 'DN.HAICHAU.THACHTHANG.CB01';
    const moved = await t.gql(
      ISSUE,
      { input: { memberId: member.id, expectedVersion: member.version, kind: 'INTERNAL', toUnitCode: other, issuedOn: '2026-11-05', decision } },
      sender,
    );
    expect(moved.data.transferMember.transfer).toMatchObject({ status: 'CONFIRMED', confirmedOn: '2026-11-05', toUnit: { code: other } });
    const [row] = await ownerQuery<{ code: string }>(t.db, `select u.code from member m join org_unit u on u.id = m.unit_id where m.id = $1`, [member.id]);
    expect(row.code).toBe(other);
    const next = await pick('DN.HAICHAU.THACHTHANG', 4);
    const outside = await t.gql(
      ISSUE,
      { input: { memberId: next.id, expectedVersion: next.version, kind: 'INTERNAL', toUnitCode: 'DN.SONTRA.MANTHAI.CB01', issuedOn: '2026-11-05', decision } },
      sender,
    );
    expect(outside.data.transferMember.userErrors[0].field).toEqual(['input', 'toUnitCode']);
  });

  it('a cursor or filter that is not an id is BAD_USER_INPUT or matches nothing, never a 500', async () => {
    const cursor = Buffer.from(JSON.stringify(['abc'])).toString('base64url');
    const bad = await t.gql(`query($after: String) { transfers(after: $after) { totalCount } }`, { after: cursor }, sender);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const auditor = await t.login('auditor');
    const log = await t.gql(`{ auditLog(filter: { accountId: "abc", entityId: "x" }) { totalCount } }`, {}, auditor);
    expect(log.errors).toBeUndefined();
    expect(log.data.auditLog.totalCount).toBe(0);
  });

  it('an unknown destination or a member outside scope is refused, naming the field', async () => {
    const member = await pick('DN.HAICHAU.THACHTHANG', 5);
    const unknown = await t.gql(
      ISSUE,
      { input: { memberId: member.id, expectedVersion: member.version, kind: 'PERMANENT', toUnitCode: 'DN.NOWHERE.CB01', issuedOn: '2026-11-02', decision } },
      sender,
    );
    expect(unknown.data.transferMember.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'toUnitCode'] });
    const foreign = await pick('DN.SONTRA.MANTHAI', 3);
    const notMine = await t.gql(
      ISSUE,
      { input: { memberId: foreign.id, expectedVersion: foreign.version, kind: 'PERMANENT', toUnitCode: 'DN.HAICHAU.THACHTHANG.CB01', issuedOn: '2026-11-02', decision } },
      sender,
    );
    expect(notMine.data.transferMember.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'memberId'] });
  });
});
