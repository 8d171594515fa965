import { GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { buildBareSchema } from '../src/app/schema';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/**
 * Every mutation of the schema, called once as a user would, leaves exactly the audit events it
 * should: the rows it writes, with the account, request id and reason. A mutation added to the
 * schema without a line here fails the first test.
 */
const decision = { number: '7-QĐ/ĐU', date: '2024-01-02', issuedBy: 'Đảng ủy phường Thạch Thang' };

interface Step {
  mutation: string;
  query: string;
  variables: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Events as "table ACTION", in any order. */
  events: string[];
  /** The reason the events carry (a function when it names something made by an earlier step). */
  reason?: string | (() => string);
  after?: (data: any) => void;
}

describe('every mutation leaves exactly its audit events', () => {
  let t: TestApp;
  let staff: string;
  let admin: string;
  let accountId: string;
  const s: Record<string, any> = {};

  const steps: Step[] = [
    { mutation: 'login', query: `mutation { login(input: {username: "thachthang", password: "hoso-demo"}) { token } }`, variables: () => ({}), events: [] },
    {
      mutation: 'createMember', reason: 'Kết nạp',
      query: `mutation($input: CreateMemberInput!) { createMember(input: $input) { member { id version } userErrors { message } } }`,
      variables: () => ({ input: { unitId: s.cell, fullName: 'Lê Thị Kiểm Toán', gender: 'FEMALE', dateOfBirth: '1990-01-01', joinedOn: '2025-06-01', decision, reason: 'Kết nạp' } }),
      events: ['member INSERT', 'member_status_period INSERT', 'member_unit_period INSERT'],
      after: (d) => (s.probationary = d.createMember.member),
    },
    {
      mutation: 'updateMember', reason: 'Bổ sung',
      query: `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { id version } userErrors { message } } }`,
      variables: () => ({ input: { id: s.probationary.id, expectedVersion: s.probationary.version, homeTown: 'Đà Nẵng', reason: 'Bổ sung' } }),
      events: ['member UPDATE'],
      after: (d) => (s.probationary = d.updateMember.member),
    },
    {
      mutation: 'confirmOfficial', reason: 'Đủ 12 tháng',
      query: `mutation($input: ConfirmOfficialInput!) { confirmOfficial(input: $input) { member { id version } userErrors { message } } }`,
      variables: () => ({ input: { id: s.probationary.id, expectedVersion: s.probationary.version, decision: { ...decision, date: '2026-07-01' }, reason: 'Đủ 12 tháng' } }),
      events: ['member_status_period UPDATE', 'member_status_period INSERT', 'member UPDATE'],
      after: (d) => (s.official = d.confirmOfficial.member),
    },
    {
      mutation: 'changeMemberStatus', reason: 'Vi phạm',
      query: `mutation($input: ChangeMemberStatusInput!) { changeMemberStatus(input: $input) { member { id version } userErrors { message } } }`,
      variables: () => ({ input: { id: s.old.id, expectedVersion: s.old.version, status: 'REMOVED', cause: 'LOST_QUALITIES', effectiveOn: '2020-01-01', decision: { ...decision, date: '2020-01-01' }, reason: 'Vi phạm' } }),
      events: ['member_status_period UPDATE', 'member_status_period INSERT', 'member UPDATE'],
      after: (d) => (s.old = d.changeMemberStatus.member),
    },
    {
      mutation: 'readmitMember', reason: 'Kết nạp lại',
      query: `mutation($input: ReadmitMemberInput!) { readmitMember(input: $input) { member { id version } userErrors { message } } }`,
      variables: () => ({ input: { id: s.old.id, expectedVersion: s.old.version, joinedOn: '2024-01-02', decision, reason: 'Kết nạp lại' } }),
      events: ['member_status_period UPDATE', 'member_status_period INSERT', 'member UPDATE'],
    },
    {
      mutation: 'addSubRecord', reason: 'Khen thưởng',
      query: `mutation($input: AddSubRecordInput!) { addSubRecord(input: $input) { record { ... on Award { id version } } userErrors { message } } }`,
      variables: () => ({ input: { memberId: s.official.id, award: { kind: 'CERTIFICATE', name: 'Giấy khen', awardedOn: '2026-01-01' }, decision: { ...decision, date: '2026-01-01' }, reason: 'Khen thưởng' } }),
      events: ['award INSERT'],
      after: (d) => (s.award = d.addSubRecord.record),
    },
    {
      mutation: 'correctSubRecord', reason: 'Sai tên',
      query: `mutation($input: CorrectSubRecordInput!) { correctSubRecord(input: $input) { record { ... on Award { id version } } userErrors { message } } }`,
      variables: () => ({ input: { id: s.award.id, expectedVersion: s.award.version, award: { kind: 'CERTIFICATE', name: 'Bằng khen', awardedOn: '2026-01-01' }, decision: { ...decision, date: '2026-01-01' }, reason: 'Sai tên' } }),
      events: ['award UPDATE', 'award INSERT', 'award UPDATE'],
      after: (d) => (s.award = d.correctSubRecord.record),
    },
    {
      mutation: 'voidSubRecord', reason: 'Nhập nhầm',
      query: `mutation($input: VoidSubRecordInput!) { voidSubRecord(input: $input) { record { ... on Award { id } } userErrors { message } } }`,
      variables: () => ({ input: { kind: 'AWARD', id: s.award.id, expectedVersion: s.award.version, reason: 'Nhập nhầm' } }),
      events: ['award UPDATE'],
    },
    {
      mutation: 'transferMember', reason: 'Chuyển nơi ở',
      query: `mutation($input: TransferMemberInput!) { transferMember(input: $input) { transfer { id } userErrors { message } } }`,
      variables: () => ({ input: { memberId: s.mover.id, expectedVersion: s.mover.version, kind: 'PERMANENT', toUnitCode: 'DN.HAICHAU.HAICHAUI.CB01', issuedOn: '2026-11-01', decision: { ...decision, date: '2026-11-01' }, reason: 'Chuyển nơi ở' } }),
      events: ['transfer INSERT'],
      after: (d) => (s.transfer = d.transferMember.transfer),
    },
    {
      mutation: 'cancelTransfer', reason: 'Hủy',
      query: `mutation($input: CancelTransferInput!) { cancelTransfer(input: $input) { transfer { id } userErrors { message } } }`,
      variables: () => ({ input: { transferId: s.transfer.id, reason: 'Hủy' } }),
      events: ['transfer UPDATE'],
    },
    {
      mutation: 'confirmTransfer', reason: 'Đã đến', as: 'admin',
      query: `mutation($input: ConfirmTransferInput!) { confirmTransfer(input: $input) { transfer { id } userErrors { message } } }`,
      variables: async () => {
        // A fresh transfer into a cell of the city, confirmed by the city (both sides are its own).
        const issued = await t.gql(
          `mutation($input: TransferMemberInput!) { transferMember(input: $input) { transfer { id } userErrors { message } } }`,
          { input: { memberId: s.mover.id, expectedVersion: s.mover.version, kind: 'PERMANENT', toUnitCode: 'DN.HAICHAU.HAICHAUI.CB01', issuedOn: '2026-11-02', decision: { ...decision, date: '2026-11-02' } } },
          staff,
        );
        return { input: { transferId: issued.data.transferMember.transfer.id, confirmedOn: '2026-11-10', reason: 'Đã đến' } };
      },
      events: ['member_unit_period UPDATE', 'member_unit_period INSERT', 'member UPDATE', 'transfer UPDATE'],
    } as Step & { as: string },
    {
      mutation: 'receiveTransferFromOutside', reason: 'Chuyển đến',
      query: `mutation($input: ReceiveTransferFromOutsideInput!) { receiveTransferFromOutside(input: $input) { transfer { id } userErrors { message } } }`,
      variables: () => ({
        input: {
          member: {
            unitId: s.cell, fullName: 'Trần Văn Chuyển Đến', gender: 'MALE', dateOfBirth: '1990-03-03', joinedOn: '2025-09-01',
            decision: { number: '12-QĐ/ĐU', date: '2025-09-01', issuedBy: 'Đảng ủy xã Bình Sơn, Quảng Ngãi' },
          },
          boundary: 'OTHER_PROVINCE', externalParty: 'Đảng bộ tỉnh Quảng Ngãi', issuedOn: '2026-11-05',
          decision: { number: '40-GGT/TU', date: '2026-11-05', issuedBy: 'Tỉnh ủy Quảng Ngãi' }, arrivedOn: '2026-11-12', reason: 'Chuyển đến',
        },
      }),
      // The member's file, its status from admission, its unit from arrival, and the transfer.
      events: ['member INSERT', 'member_status_period INSERT', 'member_unit_period INSERT', 'transfer INSERT'],
    },
    {
      mutation: 'recordTransferReturn', reason: 'Đã về', as: 'admin',
      query: `mutation($input: RecordTransferReturnInput!) { recordTransferReturn(input: $input) { transfer { id } userErrors { message } } }`,
      variables: async () => {
        // A temporary transfer of a member of the ward, issued by the city, who comes back.
        const issued = await t.gql(
          `mutation($input: TransferMemberInput!) { transferMember(input: $input) { transfer { id } userErrors { message } } }`,
          {
            input: {
              memberId: s.returner.id, expectedVersion: s.returner.version, kind: 'TEMPORARY', toUnitCode: 'DN.HAICHAU.HAICHAUI.CB01', issuedOn: '2026-06-01',
              returnsOn: '2026-10-01', decision: { ...decision, date: '2026-06-01' },
            },
          },
          admin,
        );
        expect(issued.data.transferMember.userErrors).toEqual([]);
        const transferId = issued.data.transferMember.transfer.id;
        const arrived = await t.gql(
          `mutation($input: ConfirmTransferInput!) { confirmTransfer(input: $input) { userErrors { message } } }`,
          { input: { transferId, confirmedOn: '2026-06-10' } },
          admin,
        );
        expect(arrived.data.confirmTransfer.userErrors).toEqual([]);
        return { input: { transferId, returnedOn: '2026-10-01', reason: 'Đã về' } };
      },
      events: ['transfer UPDATE'],
    } as Step & { as: string },
    {
      mutation: 'appointToPost', reason: 'Bổ nhiệm',
      query: `mutation($input: AppointToPostInput!) { appointToPost(input: $input) { post { id version } userErrors { message } } }`,
      variables: () => ({ input: { memberId: s.official.id, title: 'Bí thư Chi bộ', unitId: s.cell, managedByUnitId: s.ward, startOn: '2026-07-15', decision: { ...decision, date: '2026-07-10' }, reason: 'Bổ nhiệm' } }),
      events: ['post INSERT'],
      after: (d) => (s.post = d.appointToPost.post),
    },
    {
      mutation: 'endPost', reason: 'Thôi giữ',
      query: `mutation($input: EndPostInput!) { endPost(input: $input) { post { id } userErrors { message } } }`,
      variables: () => ({ input: { postId: s.post.id, expectedVersion: s.post.version, endOn: '2026-11-01', reason: 'Thôi giữ' } }),
      events: ['post UPDATE'],
    },
    {
      mutation: 'addPlanningEntry', reason: 'Quy hoạch',
      query: `mutation($input: AddPlanningEntryInput!) { addPlanningEntry(input: $input) { entry { id } userErrors { message } } }`,
      variables: () => ({ input: { memberId: s.official.id, postTitle: 'Phó Bí thư', periodStart: 2025, periodEnd: 2030, managedByUnitId: s.ward, reason: 'Quy hoạch', decision: { ...decision, date: '2026-01-10' } } }),
      events: ['planning_entry INSERT'],
    },
    {
      mutation: 'reorganiseUnits', reason: 'Đổi tên chi bộ',
      query: `mutation($input: ReorganiseUnitsInput!) { reorganiseUnits(input: $input) { reorganisation { id } userErrors { message } } }`,
      variables: async () => {
        const [{ id }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.HAICHAU.THACHTHANG.CB02'`);
        return {
          input: {
            effectiveOn: '2026-11-01', decision: { ...decision, date: '2026-10-30' }, reason: 'Đổi tên chi bộ',
            steps: [{ kind: 'RENAME', units: [id], name: 'Chi bộ khu dân cư số 2 mới' }],
          },
        };
      },
      // The unit (its dated period is written by a trigger, not audited), the reorganisation and its step.
      events: ['org_unit UPDATE', 'reorganisation INSERT', 'unit_lineage INSERT'],
    },
    {
      mutation: 'commitImport',
      reason: () => `Import #${s.importId}: Nhập hồ sơ`,
      query: `mutation($id: ID!, $reason: String!) { commitImport(id: $id, reason: $reason) { batch { id status } userErrors { message } } }`,
      variables: async () => {
        const file = `Họ và tên,Ngày sinh,Giới tính,Ngày vào Đảng,Chi bộ\r\nPhan Văn Nhập,01/01/1980,Nam,01/01/2010,DN.HAICHAU.THACHTHANG.CB01\r\n`;
        const uploaded = await fetch(`${t.url}/imports?unit=${s.ward}&name=nhap.csv`, { method: 'POST', headers: { authorization: `Bearer ${staff}` }, body: file });
        expect(uploaded.status).toBe(201);
        s.importId = ((await uploaded.json()) as any).data.import.id;
        return { id: s.importId, reason: 'Nhập hồ sơ' };
      },
      events: ['member INSERT', 'member_status_period INSERT', 'member_unit_period INSERT'],
    },
    {
      mutation: 'undoImport',
      reason: () => `Undo of import #${s.importId}: Nhập nhầm`,
      query: `mutation($id: ID!, $reason: String!) { undoImport(id: $id, reason: $reason) { batch { id status } userErrors { message } } }`,
      variables: () => ({ id: s.importId, reason: 'Nhập nhầm' }),
      // The member the import created, removed with the periods its creation wrote.
      events: ['member DELETE', 'member_status_period DELETE', 'member_unit_period DELETE'],
    },
    {
      mutation: 'createApiKey', as: 'admin',
      query: `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } userErrors { message } } }`,
      variables: () => ({ input: { name: 'Báo cáo', role: 'REPORTER', unitId: s.ward } }),
      events: ['api_key INSERT'],
      after: (d) => (s.key = d.createApiKey.apiKey),
    } as Step & { as: string },
    {
      mutation: 'revokeApiKey', as: 'admin',
      query: `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id } userErrors { message } } }`,
      variables: () => ({ input: { id: s.key.id } }),
      events: ['api_key UPDATE'],
    } as Step & { as: string },
  ];

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock('2026-11-20') });
    staff = await t.login('thachthang');
    admin = await t.login('admin');
    [{ id: accountId }] = await ownerQuery<{ id: string }>(t.db, `select id::text from account where username = 'thachthang'`);
    [{ cell: s.cell, ward: s.ward }] = await ownerQuery(t.db, `select c.id::text cell, w.id::text ward from org_unit c join org_unit w on w.id = c.parent_id where c.code = 'DN.HAICHAU.THACHTHANG.CB01'`);
    const pick = async (offset: number) =>
      (await ownerQuery<{ id: string; version: number }>(t.db, `select m.id::text, m.version from member m join org_unit u on u.id = m.unit_id
        where u.code like 'DN.HAICHAU.THACHTHANG.%' and m.status = 'OFFICIAL' and m.official_on < '2015-01-01' and m.under_review = false
          and not exists (select 1 from transfer x where x.member_id = m.id) order by m.id offset $1 limit 1`, [offset]))[0];
    s.old = await pick(0);
    s.mover = await pick(1);
    s.returner = await pick(2);
  });
  afterAll(() => t.close());

  it('the list covers every mutation of the schema', () => {
    const mutations = Object.keys((buildBareSchema().getMutationType() as GraphQLObjectType).getFields()).sort();
    expect(steps.map((step) => step.mutation).sort()).toEqual(mutations);
  });

  it.each(steps.map((step, i) => [step.mutation, i] as const))('%s', async (_name, i) => {
    const step = steps[i] as Step & { as?: string };
    const requestId = `audit-walk-${i}`;
    const variables = await step.variables();
    const token = step.as === 'admin' ? admin : staff;
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
      body: JSON.stringify({ query: step.query, variables }),
    });
    const result = (await response.json()) as any;
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const payload = Object.values(result.data)[0] as { userErrors?: unknown[] };
    expect(payload.userErrors ?? []).toEqual([]);
    step.after?.(result.data);
    await ownerQuery(t.db, 'select hoso_audit_seal()'); // the API's sealer would within 500 ms
    const events = await ownerQuery<{ entity_type: string; action: string; account_id: string | null; reason: string | null; sealed: boolean }>(
      t.db,
      `select entity_type, action, account_id::text, reason, hash is not null as sealed from audit_event where request_id = $1 and action in ('INSERT', 'UPDATE', 'DELETE')`,
      [requestId],
    );
    expect(events.map((e) => `${e.entity_type} ${e.action}`).sort()).toEqual([...step.events].sort());
    const [{ id: adminId }] = await ownerQuery<{ id: string }>(t.db, `select id::text from account where username = 'admin'`);
    for (const event of events) {
      expect(event.account_id).toBe(step.as === 'admin' ? adminId : accountId);
      expect(event.reason).toBe((typeof step.reason === 'function' ? step.reason() : step.reason) ?? null);
      expect(event.sealed).toBe(true);
    }
  });
});
