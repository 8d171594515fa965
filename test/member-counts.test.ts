import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/access/passwords';
import { fixedClock } from '../src/clock';
import { startTestApp, type TestApp } from './support/app';

/**
 * member_count and member_subtree_count (migrations 23 and 24): per-unit and per-subtree counters
 * kept by triggers on member (and on a unit move), read by the API role
 * through hoso_member_count() within the request's scope. After each real change a user makes
 * (GraphQL mutations), and after raw bulk writes and a unit move by the owner, the function must
 * give exactly what counting the member rows gives: every expected figure is a count(*) over
 * member run as the owner, never a number written here.
 */
const TODAY = '2026-11-20';
const MEMBER = `member { id version status } userErrors { field code message }`;
const CREATE = `mutation($input: CreateMemberInput!) { createMember(input: $input) { ${MEMBER} } }`;
const CHANGE = `mutation($input: ChangeMemberStatusInput!) { changeMemberStatus(input: $input) { ${MEMBER} } }`;
const READMIT = `mutation($input: ReadmitMemberInput!) { readmitMember(input: $input) { ${MEMBER} } }`;
const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { ${MEMBER} } }`;
const TRANSFER = `transfer { id status } userErrors { field code message }`;
const ISSUE = `mutation($input: TransferMemberInput!) { transferMember(input: $input) { ${TRANSFER} } }`;
const CONFIRM = `mutation($input: ConfirmTransferInput!) { confirmTransfer(input: $input) { ${TRANSFER} } }`;

const decision = (date: string, issuedBy = 'Đảng ủy phường Thạch Thang') => ({ number: '23-QĐ/ĐU', date, issuedBy });

const ACTIVE = ['PROBATIONARY', 'OFFICIAL', 'RELEASED'];
const LEFT = ['REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED'];
const STATUS_FILTERS: (string[] | null)[] = [null, ACTIVE, ['OFFICIAL'], ['PROBATIONARY'], LEFT];

/** The scopes checked, each with units inside it to ask for (subtree and exact). */
const SCOPES: { scope: string; units: string[] }[] = [
  { scope: 'DN', units: ['DN', 'DN.HAICHAU', 'DN.SONTRA.MANTHAI.CB01'] },
  { scope: 'DN.HAICHAU', units: ['DN.HAICHAU', 'DN.HAICHAU.THACHTHANG', 'DN.HAICHAU.THACHTHANG.CB02'] },
  { scope: 'DN.HAICHAU.THACHTHANG', units: ['DN.HAICHAU.THACHTHANG', 'DN.HAICHAU.THACHTHANG.CB01', 'DN.HAICHAU.THACHTHANG.CB02'] },
  { scope: 'DN.HAICHAU.THACHTHANG.CB01', units: ['DN.HAICHAU.THACHTHANG.CB01'] },
  { scope: 'DN.SONTRA', units: ['DN.SONTRA.MANTHAI', 'DN.SONTRA.MANTHAI.CB01'] },
  { scope: 'DN.SONTRA.MANTHAI', units: ['DN.SONTRA.MANTHAI.CB01'] },
];

type Args = [unitId: string | null, subtree: boolean, statuses: string[] | null, includeTransferredOut: boolean];

describe('member counts kept by triggers, read through hoso_member_count within the scope', () => {
  let t: TestApp;
  let owner: Client;
  let api: Client;
  let staff: string;
  let receiver: string;
  let serial = 0;
  const units = new Map<string, { id: string; path: string }>();

  const ownerRows = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await owner.query<T>(sql, params)).rows;

  /** Codes to ids and today's paths (a unit move changes the paths). */
  async function loadUnits() {
    units.clear();
    for (const r of await ownerRows<{ code: string; id: string; path: string }>(`select code, id::text, path::text from org_unit`)) {
      units.set(r.code, { id: r.id, path: r.path });
    }
  }
  const unit = (code: string) => {
    const u = units.get(code);
    if (!u) throw new Error(`no unit ${code}`);
    return u;
  };

  /** hoso_member_count as the API role, in a transaction whose app.scope is `scope` (null: none set). */
  async function apiCount(scope: string | null, args: Args): Promise<number> {
    await api.query('begin');
    try {
      if (scope !== null) await api.query(`select set_config('app.scope', $1, true)`, [scope]);
      const { rows } = await api.query<{ n: string }>(`select hoso_member_count($1, $2, $3, $4)::text as n`, args);
      return Number(rows[0].n);
    } finally {
      await api.query('rollback');
    }
  }

  /** The same figure counted from the member rows, as the owner. */
  async function ownerCount(scopePath: string, [unitId, subtree, statuses, includeOut]: Args): Promise<number> {
    const [{ n }] = await ownerRows<{ n: number }>(
      `select count(*)::int n from member m
        where m.unit_path <@ $1::ltree
          and ($2::bigint is null or case when $3::boolean then m.unit_path <@ (select path from org_unit where id = $2) else m.unit_id = $2 end)
          and ($4::text[] is null or m.status = any($4))
          and ($5::boolean or m.transferred_out_on is null)`,
      [scopePath, unitId, subtree, statuses, includeOut],
    );
    return n;
  }

  /** Every scope × unit (none, subtree, exact) × status filter × transferred out: the function's answers and count(*)'s. */
  async function matrix(): Promise<{ actual: Record<string, number>; expected: Record<string, number> }> {
    await loadUnits();
    const actual: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const { scope, units: inside } of SCOPES) {
      const scopePath = unit(scope).path;
      const asks: [string, string | null, boolean][] = [['all', null, true]];
      for (const code of inside) asks.push([`${code} subtree`, unit(code).id, true], [`${code} exact`, unit(code).id, false]);
      for (const [label, unitId, subtree] of asks) {
        for (const statuses of STATUS_FILTERS) {
          for (const includeOut of [false, true]) {
            const args: Args = [unitId, subtree, statuses, includeOut];
            const key = `scope ${scope} | ${label} | ${statuses?.join(',') ?? 'any status'} | ${includeOut ? 'with' : 'without'} transferred out`;
            actual[key] = await apiCount(scopePath, args);
            expected[key] = await ownerCount(scopePath, args);
          }
        }
      }
    }
    return { actual, expected };
  }

  async function expectCountsMatch(): Promise<Record<string, number>> {
    const { actual, expected } = await matrix();
    expect(actual).toEqual(expected);
    // The comparison means something: most figures are members, and they differ between filters.
    expect(Object.values(expected).filter((n) => n > 0).length).toBeGreaterThan(Object.keys(expected).length / 2);
    expect(new Set(Object.values(expected)).size).toBeGreaterThan(10);
    return expected;
  }

  const counters = () =>
    ownerRows<{ unit_id: string; status: string; transferred_out: boolean; n: string; xmin: string }>(
      `select unit_id::text, status, transferred_out, n::text, xmin::text from member_count order by unit_id, status, transferred_out`,
    );

  async function gqlOk(query: string, input: Record<string, unknown>, token: string, field: string) {
    const result = await t.gql(query, { input }, token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data[field].userErrors, JSON.stringify(result.data[field].userErrors)).toEqual([]);
    return result.data[field];
  }
  const createMember = (extra: Record<string, unknown> = {}) => {
    serial++;
    const joinedOn = (extra.joinedOn as string) ?? '2026-03-20';
    return gqlOk(
      CREATE,
      {
        unitId: unit('DN.HAICHAU.THACHTHANG.CB01').id, fullName: `Trần Văn Đếm ${serial}`, gender: 'MALE', dateOfBirth: '1990-04-02',
        joinedOn, decision: decision(joinedOn), generalEducation: '12/12', ...extra,
      },
      staff,
      'createMember',
    ).then((p) => p.member as { id: string; version: number; status: string });
  };
  const changeStatus = (member: { id: string; version: number }, status: string, effectiveOn: string, extra: Record<string, unknown> = {}) =>
    gqlOk(
      CHANGE,
      { id: member.id, expectedVersion: member.version, status, effectiveOn, decision: decision(effectiveOn), reason: 'Theo quyết định', ...extra },
      staff,
      'changeMemberStatus',
    ).then((p) => p.member as { id: string; version: number; status: string });
  /** An official member of Thạch Thang admitted long ago, never transferred. */
  const pickOfficial = async (offset: number) =>
    (
      await ownerRows<{ id: string; version: number }>(
        `select m.id::text, m.version from member m
          where m.unit_path <@ (select path from org_unit where code = 'DN.HAICHAU.THACHTHANG')
            and m.status = 'OFFICIAL' and m.joined_on < '2020-01-01' and not m.under_review and m.transferred_out_on is null
            and not exists (select 1 from transfer x where x.member_id = m.id)
          order by m.id offset $1 limit 1`,
        [offset],
      )
    )[0];
  const exactCell = async (code: string, statuses: string[] | null, includeOut = false) => ownerCount(unit(code).path, [unit(code).id, false, statuses, includeOut]);

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    owner = new Client({ connectionString: t.db.ownerUrl });
    await owner.connect();
    api = new Client({ connectionString: t.db.apiUrl });
    await api.connect();
    await ownerRows(
      `insert into account (username, password_hash, role, unit_id) select 'manthai.counts', $1, 'ORG_STAFF', id from org_unit where code = 'DN.SONTRA.MANTHAI'`,
      [await hashPassword('test-password-1')],
    );
    staff = await t.login('thachthang');
    receiver = await t.login('manthai.counts', 'test-password-1');
    await loadUnits();
  });
  afterAll(async () => {
    await api?.end();
    await owner?.end();
    await t?.close();
  });

  it('member.unit_path is the path of member.unit_id (what makes counting by unit id equal counting by path)', async () => {
    const [{ n, stale }] = await ownerRows<{ n: number; stale: number }>(
      `select count(*)::int n, count(*) filter (where m.unit_path is distinct from u.path)::int stale from member m join org_unit u on u.id = m.unit_id`,
    );
    expect(n).toBeGreaterThan(1000);
    expect(stale).toBe(0);
  });

  it('the seeded register: every scope and filter gives what count(*) gives', async () => {
    await expectCountsMatch();
  });

  it('no scope, an empty scope or a unit outside the scope gives 0; the API role cannot read the counters or rebuild them', async () => {
    const city = unit('DN');
    expect(await ownerCount(city.path, [null, true, null, true])).toBeGreaterThan(0);
    expect(await apiCount(null, [null, true, null, true])).toBe(0);
    expect(await apiCount(null, [city.id, true, null, true])).toBe(0);
    expect(await apiCount('', [null, true, null, true])).toBe(0);

    const ward = unit('DN.HAICHAU.THACHTHANG').path;
    expect(await apiCount(ward, [unit('DN.HAICHAU.THACHTHANG.CB01').id, false, null, true])).toBeGreaterThan(0);
    for (const code of ['DN.SONTRA', 'DN.SONTRA.MANTHAI.CB01', 'DN.HAICHAU', 'DN']) {
      // Outside the ward, including its ancestors (whose subtree contains the ward).
      expect(await ownerCount(unit(code).path, [unit(code).id, true, null, true]), code).toBeGreaterThan(0);
      for (const subtree of [true, false]) expect(await apiCount(ward, [unit(code).id, subtree, null, true]), `${code} ${subtree}`).toBe(0);
    }
    expect(await apiCount(ward, ['999999999', true, null, true])).toBe(0);

    // The request's own way of setting the scope gives the same figures.
    const [{ id: accountId }] = await ownerRows<{ id: string }>(`select id::text from account where username = 'thachthang'`);
    await api.query('begin');
    try {
      await api.query(`select * from hoso_enter_account($1, 'member-counts-test')`, [accountId]);
      const { rows } = await api.query<{ n: string }>(`select hoso_member_count(null, true, $1, false)::text n`, [ACTIVE]);
      expect(Number(rows[0].n)).toBe(await ownerCount(ward, [null, true, ACTIVE, false]));
    } finally {
      await api.query('rollback');
    }

    await expect(api.query(`select count(*) from member_count`)).rejects.toThrow(/permission denied/);
    await expect(api.query(`select hoso_rebuild_member_counts()`)).rejects.toThrow(/permission denied/);
    await expect(api.query(`update member_count set n = 0`)).rejects.toThrow(/permission denied/);
  });

  it('stays exact through admissions, a death, an expulsion and a readmission', async () => {
    const before = await exactCell('DN.HAICHAU.THACHTHANG.CB01', ['PROBATIONARY']);
    await createMember();
    expect(await exactCell('DN.HAICHAU.THACHTHANG.CB01', ['PROBATIONARY'])).toBe(before + 1);
    await expectCountsMatch();

    const deceasedBefore = await exactCell('DN.HAICHAU.THACHTHANG.CB01', ['DECEASED']);
    const official = await createMember({ dateOfBirth: '1975-05-05', joinedOn: '2000-03-01', officialOn: '2001-03-01' });
    expect(official.status).toBe('OFFICIAL');
    await changeStatus(official, 'DECEASED', '2026-05-20');
    expect(await exactCell('DN.HAICHAU.THACHTHANG.CB01', ['DECEASED'])).toBe(deceasedBefore + 1);
    await expectCountsMatch();

    const expelledBefore = await exactCell('DN.HAICHAU.THACHTHANG.CB01', ['EXPELLED']);
    const another = await createMember({ dateOfBirth: '1975-05-05', joinedOn: '2000-03-01', officialOn: '2001-03-01' });
    const expelled = await changeStatus(another, 'EXPELLED', '2020-01-10', { grounds: 'Vi phạm nghiêm trọng Điều lệ Đảng' });
    expect(await exactCell('DN.HAICHAU.THACHTHANG.CB01', ['EXPELLED'])).toBe(expelledBefore + 1);
    await expectCountsMatch();

    const readmitted = await gqlOk(
      READMIT,
      { id: expelled.id, expectedVersion: expelled.version, joinedOn: '2023-01-10', decision: decision('2023-01-10', 'Ban Thường vụ Thành ủy Đà Nẵng'), reason: 'Kết nạp lại' },
      staff,
      'readmitMember',
    );
    expect(readmitted.member.status).toBe('PROBATIONARY');
    expect(await exactCell('DN.HAICHAU.THACHTHANG.CB01', ['EXPELLED'])).toBe(expelledBefore);
    await expectCountsMatch();
  });

  it('stays exact through transfers: within the ward, to another district (confirmed), out of the province', async () => {
    // Within the ward: the member moves at once.
    const inWard = await pickOfficial(0);
    const [{ code: from }] = await ownerRows<{ code: string }>(`select u.code from member m join org_unit u on u.id = m.unit_id where m.id = $1`, [inWard.id]);
    const to = from.endsWith('CB01') ? 'DN.HAICHAU.THACHTHANG.CB02' : 'DN.HAICHAU.THACHTHANG.CB01';
    const toBefore = await exactCell(to, null);
    await gqlOk(
      ISSUE,
      { memberId: inWard.id, expectedVersion: inWard.version, kind: 'INTERNAL', toUnitCode: to, issuedOn: '2026-11-05', decision: decision('2026-11-05') },
      staff,
      'transferMember',
    );
    expect(await exactCell(to, null)).toBe(toBefore + 1);
    await expectCountsMatch();

    // To Sơn Trà: counted at home while pending, in the receiving cell once confirmed.
    const leaving = await pickOfficial(1);
    const receivingBefore = await exactCell('DN.SONTRA.MANTHAI.CB01', null);
    const issued = await gqlOk(
      ISSUE,
      { memberId: leaving.id, expectedVersion: leaving.version, kind: 'PERMANENT', toUnitCode: 'DN.SONTRA.MANTHAI.CB01', issuedOn: '2026-11-02', decision: decision('2026-11-02') },
      staff,
      'transferMember',
    );
    expect(issued.transfer.status).toBe('PENDING');
    await expectCountsMatch();
    const confirmed = await gqlOk(CONFIRM, { transferId: issued.transfer.id, confirmedOn: '2026-11-10' }, receiver, 'confirmTransfer');
    expect(confirmed.transfer.status).toBe('CONFIRMED');
    expect(await exactCell('DN.SONTRA.MANTHAI.CB01', null)).toBe(receivingBefore + 1);
    await expectCountsMatch();

    // Out of the province: still OFFICIAL, still in its cell, but transferred out.
    const out = await pickOfficial(2);
    const withoutOut = await ownerCount(unit('DN.HAICHAU.THACHTHANG').path, [null, true, null, false]);
    await gqlOk(
      ISSUE,
      {
        memberId: out.id, expectedVersion: out.version, kind: 'PERMANENT', boundary: 'OTHER_PROVINCE', externalParty: 'Đảng bộ tỉnh Quảng Ngãi',
        issuedOn: '2026-11-05', decision: decision('2026-11-05'), reason: 'Chuyển công tác',
      },
      staff,
      'transferMember',
    );
    const [{ transferred_out_on }] = await ownerRows<{ transferred_out_on: string }>(`select transferred_out_on::text from member where id = $1`, [out.id]);
    expect(transferred_out_on).toBe('2026-11-05');
    expect(await ownerCount(unit('DN.HAICHAU.THACHTHANG').path, [null, true, null, false])).toBe(withoutOut - 1);
    await expectCountsMatch();
  });

  it('a phone number update does not touch member_count at all', async () => {
    const member = await pickOfficial(3);
    const before = await counters();
    expect(before.length).toBeGreaterThan(100);
    const updated = await gqlOk(UPDATE, { id: member.id, expectedVersion: member.version, phone: '0905 123 457', reason: 'Cập nhật' }, staff, 'updateMember');
    expect(updated.member.version).toBe(member.version + 1);
    const [{ phone }] = await ownerRows<{ phone: string }>(`select phone from member where id = $1`, [member.id]);
    expect(phone).toBe('0905 123 457');
    // Same rows, same values, same row versions (xmin): nothing was written.
    expect(await counters()).toEqual(before);
  });

  it('raw bulk writes by the owner under hoso.bulk_load (many rows per statement, mixed changes, deletes) keep it exact', async () => {
    const cells = [unit('DN.HAICHAU.THACHTHANG.CB01').id, unit('DN.SONTRA.MANTHAI.CB01').id];
    await owner.query('begin');
    await owner.query(`set local hoso.bulk_load = 'on'`);
    const { rows: inserted } = await owner.query<{ id: string }>(
      `insert into member (full_name, gender, date_of_birth, joined_on, official_on, status, unit_id)
       select 'Nạp Hàng Loạt ' || g, 'FEMALE', '1980-01-01', '2005-01-01', case when g % 3 = 0 then null else date '2006-01-01' end,
              case when g % 3 = 0 then 'PROBATIONARY' else 'OFFICIAL' end, ($1::bigint[])[1 + g % 2]
         from generate_series(1, 40) g
       returning id::text`,
      [cells],
    );
    await owner.query('commit');
    expect(inserted).toHaveLength(40);
    await expectCountsMatch();

    // One statement: some change only their phone, some their status, some their cell, some leave the province.
    const ids = inserted.map((r) => r.id);
    await owner.query('begin');
    await owner.query(`set local hoso.bulk_load = 'on'`);
    await owner.query(
      `update member m set phone = '0905000' || lpad((m.id % 1000)::text, 3, '0'),
              status = case when x.k = 1 then 'RESIGNED' else m.status end,
              unit_id = case when x.k = 2 then ($2::bigint[])[1] else m.unit_id end,
              transferred_out_on = case when x.k = 3 then date '2026-11-15' else m.transferred_out_on end
         from (select id, (row_number() over (order by id)) % 4 as k from member where id = any($1::bigint[])) x
        where m.id = x.id`,
      [ids, cells],
    );
    await owner.query('commit');
    await expectCountsMatch();

    await owner.query('begin');
    await owner.query(`set local hoso.bulk_load = 'on'`);
    await owner.query(`delete from member where id = any($1::bigint[]) and id % 2 = 0`, [ids]);
    await owner.query('commit');
    await expectCountsMatch();
  });

  it('a drifted counter is put right by hoso_rebuild_member_counts()', async () => {
    await ownerRows(`update member_count set n = n + 7 where (unit_id, status, transferred_out) = (select unit_id, status, transferred_out from member_count where n > 0 order by unit_id limit 1)`);
    await ownerRows(`update member_subtree_count set n = n - 3 where (unit_id, status, transferred_out) = (select unit_id, status, transferred_out from member_subtree_count where n > 3 order by unit_id limit 1)`);
    const { actual, expected } = await matrix();
    expect(actual).not.toEqual(expected);
    await ownerRows(`select hoso_rebuild_member_counts()`);
    await expectCountsMatch();
  });

  it('moving a ward to another district: the counters stay as they are, the counts follow the new tree', async () => {
    const before = await counters();
    const haiChauBefore = await ownerCount(unit('DN.HAICHAU').path, [null, true, null, true]);
    const wardMembers = await ownerCount(unit('DN.HAICHAU.THACHTHANG').path, [null, true, null, true]);
    expect(wardMembers).toBeGreaterThan(0);
    await ownerRows(`update org_unit set parent_id = (select id from org_unit where code = 'DN.SONTRA') where code = 'DN.HAICHAU.THACHTHANG'`);
    await loadUnits();
    expect(await ownerCount(unit('DN.HAICHAU').path, [null, true, null, true])).toBe(haiChauBefore - wardMembers);
    const [{ stale }] = await ownerRows<{ stale: number }>(
      `select count(*) filter (where m.unit_path is distinct from u.path)::int stale from member m join org_unit u on u.id = m.unit_id`,
    );
    expect(stale).toBe(0);
    expect(await counters()).toEqual(before);
    await expectCountsMatch();
  });
  it('members written under a ward while it moves are counted, and placed, under its new place (the move waits for the write)', async () => {
    const writer = new Client({ connectionString: t.db.ownerUrl });
    const mover = new Client({ connectionString: t.db.ownerUrl });
    await writer.connect();
    await mover.connect();
    try {
      const cell = unit('DN.HAICHAU.THACHTHANG.CB01').id;
      await writer.query('begin');
      await writer.query(`set local hoso.bulk_load = 'on'`);
      await writer.query(
        `insert into member (full_name, gender, date_of_birth, joined_on, official_on, status, unit_id)
         select 'Chuyển Cùng Lúc ' || g, 'MALE', '1985-01-01', '2010-01-01', date '2011-01-01', 'OFFICIAL', $1::bigint
           from generate_series(1, 5) g`,
        [cell],
      );
      // The ward moves (back to Hải Châu) while those five are not committed yet.
      await mover.query('begin');
      const moved = mover.query(`update org_unit set parent_id = (select id from org_unit where code = 'DN.HAICHAU') where code = 'DN.HAICHAU.THACHTHANG'`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writer.query('commit');
      await moved;
      await mover.query('commit');
    } finally {
      await writer.end();
      await mover.end();
    }
    const [{ stale }] = await ownerRows<{ stale: number }>(
      `select count(*) filter (where m.unit_path is distinct from u.path)::int stale from member m join org_unit u on u.id = m.unit_id`,
    );
    expect(stale).toBe(0);
    await expectCountsMatch();
  });
});
