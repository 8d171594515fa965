import { Client } from 'pg';
import { hashPassword } from '../src/access/passwords';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { version } userErrors { code } } }`;

/** Runs SQL as the superuser on the test database (tampering needs powers no role of ours has). */
async function asSuperuser(db: string, sql: string, params: unknown[] = []) {
  const url = new URL(inject('db').superUrl);
  url.pathname = `/${db}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Links committed events into the chain now (the API's sealer does it every 500 ms). */
const seal = (t: TestApp) => ownerQuery(t.db, 'select hoso_audit_seal()');

const verify = async (t: TestApp) =>
  (await ownerQuery<{ broken_id: string | null; problem: string | null; events: string }>(t.db, 'select broken_id::text, problem, events from hoso_verify_audit()'))[0];

describe('the audit trail', () => {
  let t: TestApp;
  let staff: string;
  let member: { id: string; version: number; home_town: string | null };
  beforeAll(async () => {
    t = await startTestApp();
    staff = await t.login('thachthang');
    [member] = await ownerQuery(t.db, `select m.id::text, m.version, m.home_town from member m join org_unit u on u.id = m.unit_id
      where u.code like 'DN.HAICHAU.THACHTHANG.%' order by m.id limit 1`);
  });
  afterAll(() => t.close());

  it('a change through the API leaves one event with the account, request, reason and the old and new values', async () => {
    const [{ id: accountId }] = await ownerQuery<{ id: string }>(t.db, `select id::text from account where username = 'thachthang'`);
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}`, 'x-request-id': 'req-audit-1' },
      body: JSON.stringify({ query: UPDATE, variables: { input: { id: member.id, expectedVersion: member.version, homeTown: 'Hội An', reason: 'Theo đơn' } } }),
    });
    expect(((await response.json()) as any).data.updateMember.userErrors).toEqual([]);
    await seal(t);
    const events = await ownerQuery<any>(t.db, `select account_id::text, request_id, reason, action, entity_type, entity_id, member_id::text, changes, hash is not null as sealed
      from audit_event where request_id = 'req-audit-1'`);
    expect(events).toEqual([
      {
        account_id: accountId, request_id: 'req-audit-1', reason: 'Theo đơn', action: 'UPDATE', entity_type: 'member',
        entity_id: member.id, member_id: member.id, changes: { home_town: [member.home_town, 'Hội An'], version: [member.version, member.version + 1] }, sealed: true,
      },
    ]);
  });

  it('a refused or conflicting change leaves no event', async () => {
    const [{ n: before }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from audit_event`);
    const stale = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: 1, homeTown: 'X' } }, staff);
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    const refused = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: member.version + 1, fullName: 'Đổi Tên', phone: 'bad' } }, staff);
    expect(refused.data.updateMember.userErrors.length).toBeGreaterThan(0);
    const [{ n: after }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from audit_event`);
    expect(after).toBe(before);
  });

  it('a change made with raw SQL, outside the API, is recorded too (no account)', async () => {
    await ownerQuery(t.db, `update member set aliases = 'Ba Lan' where id = $1`, [member.id]);
    const [event] = await ownerQuery<any>(t.db, `select account_id, changes from audit_event where entity_type = 'member' and entity_id = $1 order by id desc limit 1`, [member.id]);
    expect(event).toEqual({ account_id: null, changes: { aliases: [null, 'Ba Lan'] } });
  });

  it('events cannot be changed or removed: not by the API role, not by the owner', async () => {
    const [{ id }] = await ownerQuery<{ id: string }>(t.db, `select id::text from audit_event order by id limit 1`);
    await expect(ownerQuery(t.db, `update audit_event set reason = 'x' where id = $1`, [id])).rejects.toThrow(/cannot be changed/);
    await expect(ownerQuery(t.db, `delete from audit_event where id = $1`, [id])).rejects.toThrow(/cannot be changed/);
    await expect(ownerQuery(t.db, `truncate audit_event`)).rejects.toThrow(/cannot be changed/);
    const api = new Client({ connectionString: t.db.apiUrl });
    await api.connect();
    await expect(api.query(`update audit_event set reason = 'x' where id = $1`, [id])).rejects.toThrow(/permission denied/);
    await api.end();
  });

  it('8 concurrent writers: the chain stays whole', async () => {
    const writers = await ownerQuery<{ id: string; version: number }>(t.db, `select m.id::text, m.version from member m join org_unit u on u.id = m.unit_id
      where u.code like 'DN.HAICHAU.THACHTHANG.%' order by m.id offset 1 limit 8`);
    await Promise.all(
      writers.map(async (w) => {
        let version = w.version;
        for (let i = 0; i < 20; i++) {
          const result = await t.gql(UPDATE, { input: { id: w.id, expectedVersion: version, itLevel: `Level ${i}` } }, staff);
          version = result.data.updateMember.member.version;
        }
      }),
    );
    const result = await verify(t);
    expect(result.broken_id).toBeNull();
    expect(Number(result.events)).toBeGreaterThanOrEqual(160);
  });

  it('member.history shows the changes newest first, with the actor and reason; a viewer sees sensitive changes as "changed"', async () => {
    const update = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: (await ownerQuery<{ version: number }>(t.db, 'select version from member where id = $1', [member.id]))[0].version, phone: '0905123456', homeTown: 'Huế', reason: 'Cập nhật' } }, staff);
    expect(update.data.updateMember.userErrors).toEqual([]);
    const HISTORY = `query($id: ID) { member(id: $id) { history(first: 5) { totalCount edges { node { action entityType reason actor { username } changes } } } } }`;
    const asStaff = await t.gql(HISTORY, { id: member.id }, staff);
    const newest = asStaff.data.member.history.edges[0].node;
    expect(newest).toMatchObject({ action: 'UPDATE', entityType: 'member', reason: 'Cập nhật', actor: { username: 'thachthang' } });
    expect(newest.changes.phone[1]).toBe('0905123456');
    expect(newest.changes.home_town[1]).toBe('Huế');
    // A committee viewer of the district reads the record's history, but not the phone number.
    await ownerQuery(t.db, `insert into account (username, password_hash, role, unit_id) select 'haichau.viewer', $1, 'COMMITTEE_VIEWER', id from org_unit where code = 'DN.HAICHAU'`, [await hashPassword('viewer-password')]);
    const viewer = await t.login('haichau.viewer', 'viewer-password');
    const asViewer = await t.gql(HISTORY, { id: member.id }, viewer);
    const seen = asViewer.data.member.history.edges[0].node;
    expect(seen.changes.phone).toBe('changed');
    expect(seen.changes.home_town[1]).toBe('Huế');
    expect(JSON.stringify(asViewer)).not.toContain('0905123456');
  });

  it('auditLog is for auditors and city admins, within their scope; auditIntegrity reports the chain', async () => {
    await ownerQuery(t.db, `insert into account (username, password_hash, role, unit_id) select 'sontra.auditor', $1, 'AUDITOR', id from org_unit where code = 'DN.SONTRA'`, [await hashPassword('auditor-password')]);
    const cityAuditor = await t.login('auditor');
    const sontraAuditor = await t.login('sontra.auditor', 'auditor-password');
    const LOG = `query($f: AuditFilter) { auditLog(filter: $f, first: 100) { totalCount edges { node { id entityType entityId } } } }`;
    const all = await t.gql(LOG, { f: { entityType: 'member', entityId: member.id } }, cityAuditor);
    expect(all.data.auditLog.totalCount).toBeGreaterThan(0);
    const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from audit_event where entity_type = 'member' and entity_id = $1`, [member.id]);
    expect(all.data.auditLog.totalCount).toBe(n);
    const other = await t.gql(LOG, { f: { entityType: 'member', entityId: member.id } }, sontraAuditor);
    expect(other.data.auditLog.totalCount).toBe(0); // a Hải Châu member's events are outside Sơn Trà
    const staffTries = await t.gql(LOG, {}, staff);
    expect(staffTries.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const integrity = await t.gql(`{ auditIntegrity { intact brokenEventId events head } }`, {}, cityAuditor);
    expect(integrity.data.auditIntegrity).toMatchObject({ intact: true, brokenEventId: null });
    expect(integrity.data.auditIntegrity.head).toMatch(/^[0-9a-f]{64}$/);
  });

  it('member(asOf:) returns the record and its sub-records exactly as they were before a series of edits', async () => {
    const [m] = await ownerQuery<{ id: string; version: number; home_town: string | null; status: string }>(
      t.db,
      `select m.id::text, m.version, m.home_town, m.status from member m join org_unit u on u.id = m.unit_id
        where u.code like 'DN.HAICHAU.THACHTHANG.%' and m.status = 'OFFICIAL' order by m.id desc limit 1`,
    );
    const now = async () => (await ownerQuery<{ at: string }>(t.db, `select clock_timestamp()::text as at`))[0].at;
    const READ = `query($id: ID, $asOf: DateTime) { member(id: $id, asOf: $asOf) { version homeTown status
      awards { name } statusHistory { status validTo } } }`;
    const before = (await t.gql(READ, { id: m.id }, staff)).data.member;
    const t0 = new Date(await now()).toISOString();

    const first = await t.gql(UPDATE, { input: { id: m.id, expectedVersion: m.version, homeTown: 'Điện Bàn' } }, staff);
    const t1 = new Date(await now()).toISOString();
    await t.gql(`mutation($input: AddSubRecordInput!) { addSubRecord(input: $input) { userErrors { code } } }`,
      { input: { memberId: m.id, award: { kind: 'CERTIFICATE', name: 'Giấy khen 2026', awardedOn: '2026-01-15' }, decision: { number: '3-QĐ/ĐU', date: '2026-01-15', issuedBy: 'ĐU' } } }, staff);
    const v = first.data.updateMember.member.version;
    await t.gql(`mutation($input: ChangeMemberStatusInput!) { changeMemberStatus(input: $input) { userErrors { code message } } }`,
      { input: { id: m.id, expectedVersion: v, status: 'RELEASED', effectiveOn: '2026-02-01', decision: { number: '9', date: '2026-02-01', issuedBy: 'ĐU' }, reason: 'Sức khỏe' } }, staff);
    await t.gql(UPDATE, { input: { id: m.id, expectedVersion: v + 1, homeTown: 'Tam Kỳ' } }, staff);

    const atT0 = (await t.gql(READ, { id: m.id, asOf: t0 }, staff)).data.member;
    expect(atT0).toEqual(before);
    const atT1 = (await t.gql(READ, { id: m.id, asOf: t1 }, staff)).data.member;
    expect(atT1).toEqual({ ...before, version: before.version + 1, homeTown: 'Điện Bàn' });
    const current = (await t.gql(READ, { id: m.id }, staff)).data.member;
    expect(current.homeTown).toBe('Tam Kỳ');
    expect(current.status).toBe('RELEASED');
    expect(current.awards.map((a: any) => a.name)).toContain('Giấy khen 2026');
  });

  it('reading sensitive fields is recorded: one access event per member read, with the fields; a refused read is not', async () => {
    const before = (await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from audit_event where action = 'READ_SENSITIVE'`))[0].n;
    const page = await t.gql(`{ members(first: 3) { edges { node { id nationalId phone fullName } } } }`, {}, staff);
    const ids = page.data.members.edges.map((e: any) => e.node.id).sort();
    const events = await ownerQuery<{ entity_id: string; changes: unknown; account: string }>(
      t.db,
      `select e.entity_id, e.changes, a.username as account from audit_event e join account a on a.id = e.account_id
        where e.action = 'READ_SENSITIVE' order by e.id desc limit 3`,
    );
    expect(events.map((e) => e.entity_id).sort()).toEqual(ids);
    expect(events[0]).toMatchObject({ changes: { fields: ['nationalId', 'phone'] }, account: 'thachthang' });
    const viewer = await t.login('haichau.viewer', 'viewer-password');
    const denied = await t.gql(`{ members(first: 3) { edges { node { id nationalId } } } }`, {}, viewer);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const after = (await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from audit_event where action = 'READ_SENSITIVE'`))[0].n;
    expect(after).toBe(before + 3);
    expect((await verify(t)).broken_id).toBeNull();
  });

  it('tampering is detected: a changed event is named, and so is the one after a removed event', async () => {
    expect((await verify(t)).broken_id).toBeNull();
    const [victim, next] = await ownerQuery<{ id: string }>(t.db, `select id::text from audit_event order by chain_seq offset 2 limit 2`);
    // Only a superuser can get past the append-only trigger (replica mode skips triggers).
    await asSuperuser(t.db.name, `begin; set local session_replication_role = replica; update audit_event set reason = 'forged' where id = ${victim.id}; commit;`);
    expect(await verify(t)).toMatchObject({ broken_id: victim.id, problem: 'content changed' });
    await asSuperuser(t.db.name, `begin; set local session_replication_role = replica; delete from audit_event where id = ${victim.id}; commit;`);
    expect(await verify(t)).toMatchObject({ broken_id: next.id });
  });
});
