import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/**
 * Refusals from a hostile probe: every refusal is coded (never a 500), verification never fails
 * because a sealer ran, and a unique number held outside the caller's scope is not revealed.
 */
const TODAY = '2026-06-15';

const cursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
const MEMBERS = `query($after: String, $orderBy: MemberOrder) { members(first: 2, after: $after, orderBy: $orderBy) { edges { cursor node { id } } } }`;
const PAYLOAD = `member { id version status nationalId partyCardNumber fullName } userErrors { field message code } warnings { code message }`;
const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { ${PAYLOAD} } }`;
const CREATE = `mutation($input: CreateMemberInput!) { createMember(input: $input) { ${PAYLOAD} } }`;
const CHANGE = `mutation($input: ChangeMemberStatusInput!) { changeMemberStatus(input: $input) { ${PAYLOAD} } }`;
const CONFIRM = `mutation($input: ConfirmOfficialInput!) { confirmOfficial(input: $input) { ${PAYLOAD} } }`;
const READMIT = `mutation($input: ReadmitMemberInput!) { readmitMember(input: $input) { ${PAYLOAD} } }`;
const TRANSFER = `mutation($input: TransferMemberInput!) { transferMember(input: $input) { transfer { id status } userErrors { field message code } } }`;

const decision = (date = '2020-01-10') => ({ number: '12-QĐ/ĐU', date, issuedBy: 'Đảng ủy phường Thạch Thang' });

/** The error codes of a response: top-level errors, or none. */
const codes = (result: { errors?: { extensions?: { code?: string } }[] }) => (result.errors ?? []).map((e) => e.extensions?.code);

describe('hardening: coded refusals, audit verification under load, unique numbers outside scope', () => {
  let t: TestApp;
  let admin: string;
  let staff: string;
  let haichau: string;
  let auditor: string;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    [admin, staff, haichau, auditor] = await Promise.all([t.login('admin'), t.login('thachthang'), t.login('haichau'), t.login('auditor')]);
  });
  afterAll(() => t.close());

  /** A member of a unit subtree, straight from the database. */
  async function memberUnder(prefix: string, where = 'true', offset = 0) {
    const [row] = await ownerQuery<{ id: string; version: number; full_name: string; national_id: string | null; party_card_number: string | null; unit_code: string; unit_name: string; unit_path: string }>(
      t.db,
      `select m.id::text, m.version, m.full_name, m.national_id, m.party_card_number, u.code as unit_code, u.name as unit_name, m.unit_path::text as unit_path
         from member m join org_unit u on u.id = m.unit_id
        where u.code like $1 || '.%' and ${where} order by m.id offset ${offset} limit 1`,
      [prefix],
    );
    if (!row) throw new Error(`no member under ${prefix} where ${where}`);
    return row;
  }

  describe('item 7: tampered cursors and out-of-range dates are BAD_USER_INPUT, never a 500', () => {
    it('a members cursor whose id does not fit a bigint is BAD_USER_INPUT naming after', async () => {
      const result = await t.gql(MEMBERS, { after: cursor(['Nguyễn', '99999999999999999999']) }, admin);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions!.argument).toBe('after');
    });

    it('a members cursor whose sort value is not of the order (a date order given text, a NUL) is BAD_USER_INPUT', async () => {
      for (const [orderBy, values] of [
        [{ field: 'DATE_OF_BIRTH', direction: 'ASC' }, ['not a date', '1']],
        [{ field: 'JOINED_ON', direction: 'DESC' }, ['99999-01-01', '1']],
        [{ field: 'NAME', direction: 'ASC' }, ['a\u0000b', '1']],
        [{ field: 'NAME', direction: 'ASC' }, ['Nguyễn', '-1']],
        [{ field: 'NAME', direction: 'ASC' }, ['Nguyễn', 1]],
      ] as const) {
        const result = await t.gql(MEMBERS, { after: cursor([...values]), orderBy }, admin);
        expect(codes(result), JSON.stringify({ orderBy, values, result })).toEqual(['BAD_USER_INPUT']);
        expect(result.errors![0].extensions!.argument).toBe('after');
      }
    });

    it('a cursor that was issued by the list still works (dates and names)', async () => {
      for (const orderBy of [{ field: 'DATE_OF_BIRTH', direction: 'ASC' }, { field: 'NAME', direction: 'DESC' }]) {
        const first = await t.gql(MEMBERS, { orderBy }, admin);
        const next = await t.gql(MEMBERS, { orderBy, after: first.data.members.edges[1].cursor }, admin);
        expect(next.errors).toBeUndefined();
        expect(next.data.members.edges).toHaveLength(2);
      }
    });

    it('unit and id-ordered cursors with a NUL or an oversized id are BAD_USER_INPUT', async () => {
      const units = await t.gql(`query($after: String) { units(first: 2, after: $after) { edges { node { id } } } }`, { after: cursor(['DN\u0000']) }, admin);
      expect(codes(units)).toEqual(['BAD_USER_INPUT']);
      const transfers = await t.gql(`query($after: String) { transfers(first: 2, after: $after) { edges { node { id } } } }`, { after: cursor(['99999999999999999999']) }, admin);
      expect(codes(transfers)).toEqual(['BAD_USER_INPUT']);
    });

    it('badgesDue on a ceremony far in the future (9999-09-02) is BAD_USER_INPUT naming ceremonyOn', async () => {
      const result = await t.gql(`{ badgesDue(ceremonyOn: "9999-09-02") { totalCount edges { node { badgeYears } } } }`, {}, admin);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions!.argument).toBe('ceremonyOn');
      expect(result.errors![0].message).toMatch(/1930-01-01.*2100-12-31/);
      const early = await t.gql(`{ badgesDue(ceremonyOn: "0100-02-03") { totalCount } }`, {}, admin);
      expect(codes(early)).toEqual(['BAD_USER_INPUT']);
    });

    it('partyAge on a day outside 1930-01-01..2100-12-31 is BAD_USER_INPUT naming on, not thousands of years', async () => {
      const result = await t.gql(`{ members(first: 1) { edges { node { partyAge(on: "9999-12-31") { years } } } } }`, {}, admin);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions!.argument).toBe('on');
      const inRange = await t.gql(`{ members(first: 1) { edges { node { partyAge(on: "2100-12-31") { years } } } } }`, {}, admin);
      expect(inRange.errors).toBeUndefined();
      expect(inRange.data.members.edges[0].node.partyAge.years).toBeLessThan(200);
    });

    it('statistics and flows outside 1930-01-01..2100-12-31 are BAD_USER_INPUT naming the argument', async () => {
      const [{ id: city }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN'`);
      const cases: [string, string][] = [
        [`{ statistics(unitId: "${city}", asOf: "9999-12-31") { total } }`, 'asOf'],
        [`{ statistics(unitId: "${city}", asOf: "0100-01-01") { total } }`, 'asOf'],
        [`{ flows(unitId: "${city}", from: "2020-01-01", to: "9999-12-31") { closing } }`, 'to'],
        [`{ flows(unitId: "${city}", from: "0100-01-01", to: "2020-01-01") { closing } }`, 'from'],
      ];
      for (const [query, argument] of cases) {
        const result = await t.gql(query, {}, admin);
        expect(codes(result), query).toEqual(['BAD_USER_INPUT']);
        expect(result.errors![0].extensions!.argument, query).toBe(argument);
      }
      // The bounds themselves are accepted.
      const bounds = await t.gql(`{ flows(unitId: "${city}", from: "1930-01-01", to: "2100-12-31") { closing } }`, {}, admin);
      expect(bounds.errors).toBeUndefined();
    });
  });

  describe('item 7: concurrent lifecycle changes with one expected version', () => {
    it('10 parallel changeMemberStatus on one member: one succeeds, nine get CONFLICT, one new status period', async () => {
      const member = await memberUnder('DN.HAICHAU.THACHTHANG', `m.status = 'OFFICIAL'`);
      const [{ n: periodsBefore }] = await ownerQuery<{ n: number }>(t.db, 'select count(*)::int n from member_status_period where member_id = $1', [member.id]);
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          t.gql(
            CHANGE,
            { input: { id: member.id, expectedVersion: member.version, status: 'RELEASED', effectiveOn: '2026-06-01', decision: decision('2026-05-20'), reason: 'Theo đơn' } },
            staff,
          ),
        ),
      );
      const succeeded = results.filter((r) => !r.errors && r.data.changeMemberStatus.member);
      const conflicts = results.filter((r) => codes(r)[0] === 'CONFLICT');
      expect(results.flatMap(codes).filter((c) => c !== 'CONFLICT'), JSON.stringify(results.map((r) => r.errors))).toEqual([]);
      expect(succeeded).toHaveLength(1);
      expect(conflicts).toHaveLength(9);
      const [{ n: periodsAfter }] = await ownerQuery<{ n: number }>(t.db, 'select count(*)::int n from member_status_period where member_id = $1', [member.id]);
      expect(periodsAfter).toBe(periodsBefore + 1);
    });

    it('parallel confirmOfficial, readmitMember and transferMember with one expected version: one succeeds, the rest CONFLICT or refused, never a 500', async () => {
      const [{ id: cellId }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.HAICHAU.THACHTHANG.CB01'`);
      // A probationary member whose 12 months are over.
      const created = await t.gql(
        CREATE,
        { input: { unitId: cellId, fullName: 'Lê Văn Đua', gender: 'MALE', dateOfBirth: '1990-04-02', joinedOn: '2025-01-10', decision: decision('2025-01-10') } },
        staff,
      );
      const probationary = created.data.createMember.member;
      const confirms = await Promise.all(
        Array.from({ length: 6 }, () => t.gql(CONFIRM, { input: { id: probationary.id, expectedVersion: probationary.version, decision: decision('2026-02-01') } }, staff)),
      );
      expect(confirms.flatMap(codes).filter((c) => c !== 'CONFLICT')).toEqual([]);
      expect(confirms.filter((r) => r.data?.confirmOfficial?.member)).toHaveLength(1);

      // A member removed in 2020, readmittable.
      const removed = await memberUnder('DN.HAICHAU.THACHTHANG', `m.status = 'OFFICIAL'`, 3);
      const gone = await t.gql(
        CHANGE,
        { input: { id: removed.id, expectedVersion: removed.version, status: 'REMOVED', cause: 'LOST_QUALITIES', effectiveOn: '2020-01-01', decision: decision('2019-12-20'), reason: 'Xóa tên' } },
        staff,
      );
      expect(gone.errors, JSON.stringify(gone)).toBeUndefined();
      const left = gone.data.changeMemberStatus.member;
      expect(left, JSON.stringify(gone.data.changeMemberStatus.userErrors)).not.toBeNull();
      {
        const readmits = await Promise.all(
          Array.from({ length: 6 }, () =>
            t.gql(READMIT, { input: { id: left.id, expectedVersion: left.version, joinedOn: '2026-01-10', decision: decision('2026-01-05'), reason: 'Kết nạp lại' } }, staff),
          ),
        );
        expect(readmits.flatMap(codes).filter((c) => c !== 'CONFLICT')).toEqual([]);
        expect(readmits.filter((r) => r.data?.readmitMember?.member)).toHaveLength(1);
      }

      const mover = await memberUnder('DN.HAICHAU.THACHTHANG', `m.status = 'OFFICIAL' and not m.under_review`, 5);
      const transfers = await Promise.all(
        Array.from({ length: 6 }, () =>
          t.gql(
            TRANSFER,
            { input: { memberId: mover.id, expectedVersion: mover.version, kind: 'PERMANENT', toUnitCode: 'DN.SONTRA.MANTHAI.CB02', issuedOn: '2026-06-01', decision: decision('2026-05-30') } },
            staff,
          ),
        ),
      );
      expect(transfers.flatMap(codes).filter((c) => c !== 'CONFLICT'), JSON.stringify(transfers)).toEqual([]);
      expect(transfers.filter((r) => r.data?.transferMember?.transfer)).toHaveLength(1);
      const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from transfer where member_id = $1 and status = 'PENDING'`, [mover.id]);
      expect(n).toBe(1);
    });
  });

  describe('item 8: auditIntegrity under concurrent writes', () => {
    it('9 concurrent auditIntegrity calls while members are being updated all answer intact', async () => {
      const writers = await ownerQuery<{ id: string; version: number }>(
        t.db,
        `select m.id::text, m.version from member m join org_unit u on u.id = m.unit_id where u.code like 'DN.HAICHAU.THACHTHANG.%' order by m.id desc limit 3`,
      );
      let writing = true;
      const write = Promise.all(
        writers.map(async (w) => {
          let version = w.version;
          for (let i = 0; writing && i < 200; i++) {
            const result = await t.gql(UPDATE, { input: { id: w.id, expectedVersion: version, itLevel: `Level ${i}` } }, staff);
            expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
            version = result.data.updateMember.member.version;
          }
        }),
      );
      const answers: any[] = [];
      try {
        for (let round = 0; round < 4; round++) {
          answers.push(...(await Promise.all(Array.from({ length: 9 }, () => t.gql(`{ auditIntegrity { intact brokenEventId problem events } }`, {}, auditor)))));
          // Single calls right after a write, too.
          for (let i = 0; i < 10; i++) answers.push(await t.gql(`{ auditIntegrity { intact brokenEventId problem events } }`, {}, auditor));
        }
      } finally {
        writing = false;
        await write;
      }
      for (const answer of answers) {
        expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
        expect(answer.data.auditIntegrity).toMatchObject({ intact: true, brokenEventId: null, problem: null });
      }
      // Once the sealer has caught up, the whole chain is checked and whole.
      await ownerQuery(t.db, 'select hoso_audit_seal()');
      const last = await t.gql(`{ auditIntegrity { intact events } }`, {}, auditor);
      const [{ n }] = await ownerQuery<{ n: number }>(t.db, 'select count(*)::int n from audit_event');
      expect(last.data.auditIntegrity.intact).toBe(true);
      expect(last.data.auditIntegrity.events).toBeLessThanOrEqual(n);
      expect(last.data.auditIntegrity.events).toBeGreaterThan(0);
    });
  });

  describe('item 13: a unique number held outside the caller’s scope', () => {
    const NEUTRAL = /cannot be used; contact the city organisation department/;

    it('as haichau, the national ID of a Sơn Trà member: a neutral INVALID, nothing revealed, an access event, nothing changed', async () => {
      const holder = await memberUnder('DN.SONTRA', 'm.national_id is not null');
      const own = await memberUnder('DN.HAICHAU', 'm.national_id is null');
      const [{ id: haichauId }] = await ownerQuery<{ id: string }>(t.db, `select id::text from account where username = 'haichau'`);
      const result = await t.gql(UPDATE, { input: { id: own.id, expectedVersion: own.version, nationalId: holder.national_id, reason: 'Cập nhật CCCD' } }, haichau);
      expect(result.errors).toBeUndefined();
      expect(result.data.updateMember.member).toBeNull();
      expect(result.data.updateMember.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'nationalId'], message: expect.stringMatching(NEUTRAL) }]);
      const text = JSON.stringify(result);
      for (const secret of [holder.full_name, holder.unit_code, holder.unit_name, holder.id, 'Sơn Trà', 'SONTRA']) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/already|member holds|recorded for/i);

      const events = await ownerQuery<{ action: string; account_id: string; entity_id: string; member_id: string; scope_path: string; changes: any }>(
        t.db,
        `select action, account_id::text, entity_id, member_id::text, scope_path::text, changes from audit_event where action = 'UNIQUE_CONFLICT_OUTSIDE_SCOPE' order by id`,
      );
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ account_id: haichauId, entity_id: holder.id, member_id: holder.id, changes: { field: 'nationalId' } });
      // Filed under the holder's unit: the city's and Sơn Trà's auditors see it, Hải Châu's do not.
      expect(events[0].scope_path).toBe(holder.unit_path);
      expect(JSON.stringify(events[0].changes)).not.toContain(holder.national_id!);

      const [after] = await ownerQuery<{ version: number; national_id: string | null }>(t.db, 'select version, national_id from member where id = $1', [own.id]);
      expect(after).toEqual({ version: own.version, national_id: null });
      // The event is part of the chain, and an auditor sees it.
      const log = await t.gql(`{ auditLog(filter: { action: "UNIQUE_CONFLICT_OUTSIDE_SCOPE" }) { totalCount edges { node { entityId actor { username } } } } }`, {}, auditor);
      expect(log.data.auditLog.totalCount).toBe(1);
      expect(log.data.auditLog.edges[0].node).toMatchObject({ entityId: holder.id, actor: { username: 'haichau' } });
      const integrity = await t.gql(`{ auditIntegrity { intact } }`, {}, auditor);
      expect(integrity.data.auditIntegrity.intact).toBe(true);
    });

    it('as thachthang, creating a member with the party card number of a Sơn Trà member: the same neutral answer and an event', async () => {
      const holder = await memberUnder('DN.SONTRA', 'm.party_card_number is not null');
      const [{ id: cellId }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.HAICHAU.THACHTHANG.CB01'`);
      const [{ n: before }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from member`);
      const result = await t.gql(
        CREATE,
        {
          input: {
            unitId: cellId, fullName: 'Phạm Thị Thử', gender: 'FEMALE', dateOfBirth: '1990-04-02', joinedOn: '2025-01-10',
            decision: decision('2025-01-10'), partyCardNumber: ` ${holder.party_card_number} `,
          },
        },
        staff,
      );
      expect(result.data.createMember.member).toBeNull();
      expect(result.data.createMember.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'partyCardNumber'], message: expect.stringMatching(NEUTRAL) }]);
      expect(JSON.stringify(result)).not.toContain(holder.full_name);
      const [{ n: after }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from member`);
      expect(after).toBe(before);
      const events = await ownerQuery<{ entity_id: string; changes: any }>(
        t.db,
        `select e.entity_id, e.changes from audit_event e join account a on a.id = e.account_id
          where e.action = 'UNIQUE_CONFLICT_OUTSIDE_SCOPE' and a.username = 'thachthang'`,
      );
      expect(events).toEqual([{ entity_id: holder.id, changes: expect.objectContaining({ field: 'partyCardNumber' }) }]);
    });

    it('within scope the answer stays TAKEN, and no access event is written', async () => {
      const holder = await memberUnder('DN.HAICHAU', 'm.national_id is not null', 1);
      const own = await memberUnder('DN.HAICHAU', 'm.national_id is null', 2);
      const [{ n: before }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from audit_event where action = 'UNIQUE_CONFLICT_OUTSIDE_SCOPE'`);
      const result = await t.gql(UPDATE, { input: { id: own.id, expectedVersion: own.version, nationalId: holder.national_id, reason: 'Cập nhật CCCD' } }, haichau);
      expect(result.data.updateMember.userErrors).toEqual([{ code: 'TAKEN', field: ['input', 'nationalId'], message: expect.any(String) }]);
      const [{ n: after }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from audit_event where action = 'UNIQUE_CONFLICT_OUTSIDE_SCOPE'`);
      expect(after).toBe(before);
    });
  });

  it('a mutation PostgreSQL ends in a deadlock is CONFLICT ("send it again"), writes nothing, and leaves the request\'s other mutations done', async () => {
    const a = await memberUnder('DN.HAICHAU.THACHTHANG', 'true', 10);
    const b = await memberUnder('DN.HAICHAU.THACHTHANG', 'true', 11);
    const both = `mutation($a: UpdateMemberInput!, $b: UpdateMemberInput!) {
      a: updateMember(input: $a) { ${PAYLOAD} }
      b: updateMember(input: $b) { ${PAYLOAD} }
    }`;
    const other = new Client({ connectionString: t.db.ownerUrl });
    await other.connect();
    try {
      // Another session holds b; the request locks a, then waits for b; the other session then
      // waits for a: a cycle, which PostgreSQL breaks by ending the request's statement (it waited first).
      await other.query('begin');
      await other.query('select id from member where id = $1 for update', [b.id]);
      const answer = t.gql(both, { a: { id: a.id, expectedVersion: a.version, itLevel: 'Cơ bản' }, b: { id: b.id, expectedVersion: b.version, itLevel: 'Nâng cao' } }, staff);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const otherWaits = other.query('select id from member where id = $1 for update', [a.id]);
      const result = await answer;
      await otherWaits;
      await other.query('commit');
      expect(codes(result)).toEqual(['CONFLICT']);
      expect(result.errors![0].path).toEqual(['b']);
      expect(result.errors![0].message).toMatch(/send it again/);
      // Both fields are non-null, so GraphQL answers no data at all; `a` was written all the same.
    } finally {
      await other.end();
    }
    const [after] = await ownerQuery<{ a: number; b: number; it_b: string | null }>(
      t.db,
      `select (select version from member where id = $1) a, (select version from member where id = $2) b, (select it_level from member where id = $2) it_b`,
      [a.id, b.id],
    );
    expect(after.a).toBe(a.version + 1);
    expect(after.b).toBe(b.version);
    expect(after.it_b).not.toBe('Nâng cao');
  });
});
