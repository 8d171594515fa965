import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

const TODAY = '2026-11-20';
const MERGED = '2026-10-01';
const decision = (date: string) => ({ number: '31-QĐ/ĐU', date, issuedBy: 'Đảng ủy phường Thạch Thang' });

/**
 * Nothing new starts in a unit that has ended (src/units/unit-life.ts, migration 34): two cells of
 * Thạch Thang merged into a new cell on 1 October; their codes still find them, ended.
 */
describe('an ended unit takes no new member, transfer or post', () => {
  let t: TestApp;
  let admin: string;
  let staff: string;
  let ended: { id: string; code: string };
  let ward: string;
  const counts = async () =>
    (await ownerQuery(t.db, `select (select count(*) from member)::int members, (select count(*) from transfer)::int transfers, (select count(*) from post)::int posts, (select count(*) from member_unit_period)::int periods`))[0];

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    admin = await t.login('admin');
    staff = await t.login('thachthang');
    const cells = await ownerQuery<{ id: string; code: string; parent: string }>(
      t.db,
      `select id::text, code, parent_id::text as parent from org_unit where code like 'DN.HAICHAU.THACHTHANG.%' and kind = 'CELL' order by code limit 2`,
    );
    ward = cells[0].parent;
    const merged = await t.gql(
      `mutation($input: ReorganiseUnitsInput!) { reorganiseUnits(input: $input) { createdUnits { id } userErrors { field message } } }`,
      {
        input: {
          effectiveOn: MERGED, decision: decision('2026-09-20'), reason: 'Hợp nhất hai chi bộ',
          newUnits: [{ key: 'cb', name: 'Chi bộ Khu dân cư hợp nhất', kind: 'CELL', parent: { id: ward } }],
          steps: [{ kind: 'MERGE', units: cells.map((c) => c.id), into: [{ key: 'cb' }] }],
        },
      },
      admin,
    );
    expect(merged.errors, JSON.stringify(merged.errors)).toBeUndefined();
    expect(merged.data.reorganiseUnits.userErrors).toEqual([]);
    ended = cells[0];
  });
  afterAll(() => t.close());

  it('createMember in the ended cell: a user error on unitId naming the day it ended, nothing written', async () => {
    const before = await counts();
    const result = await t.gql(
      `mutation($input: CreateMemberInput!) { createMember(input: $input) { member { id } userErrors { field code message } } }`,
      { input: { unitId: ended.id, fullName: 'Lê Văn Muộn', gender: 'MALE', dateOfBirth: '1990-04-02', joinedOn: '2026-03-20', decision: decision('2026-03-20'), generalEducation: '12/12' } },
      staff,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.createMember.member).toBeNull();
    expect(result.data.createMember.userErrors).toEqual([{ field: ['input', 'unitId'], code: 'INVALID', message: expect.stringContaining(`ended on ${MERGED}`) }]);
    expect(await counts()).toEqual(before);
  });

  it('a transfer to the ended cell by its old code is refused on toUnitCode, nothing written', async () => {
    const [mover] = await ownerQuery<{ id: string; version: number }>(
      t.db,
      `select m.id::text, m.version from member m join org_unit u on u.id = m.unit_id
        where u.code like 'DN.HAICHAU.HAICHAUI.%' and m.status = 'OFFICIAL' and m.joined_on < '2020-01-01' order by m.id limit 1`,
    );
    const haichau = await t.login('haichau');
    const before = await counts();
    const result = await t.gql(
      `mutation($input: TransferMemberInput!) { transferMember(input: $input) { transfer { id } userErrors { field code message } } }`,
      { input: { memberId: mover.id, expectedVersion: mover.version, kind: 'PERMANENT', toUnitCode: ended.code, issuedOn: '2026-11-01', decision: decision('2026-11-01'), reason: 'Chuyển nơi ở' } },
      haichau,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.transferMember.transfer).toBeNull();
    expect(result.data.transferMember.userErrors).toContainEqual({ field: ['input', 'toUnitCode'], code: 'INVALID', message: expect.stringContaining(`ended on ${MERGED}`) });
    expect(await counts()).toEqual(before);
  });

  it('appointToPost in the ended cell is refused on unitId, and an ended managing unit on managedByUnitId', async () => {
    const [m] = await ownerQuery<{ id: string }>(
      t.db,
      `select m.id::text from member m join org_unit c on c.id = m.unit_id where c.parent_id = $1 and m.status = 'OFFICIAL' and m.joined_on < '2020-01-01' order by m.id limit 1`,
      [ward],
    );
    const before = await counts();
    const result = await t.gql(
      `mutation($input: AppointToPostInput!) { appointToPost(input: $input) { post { id } userErrors { field code message } } }`,
      { input: { memberId: m.id, title: 'Bí thư Chi bộ', unitId: ended.id, managedByUnitId: ended.id, startOn: '2026-11-02', decision: decision('2026-11-01') } },
      staff,
    );
    expect(result.data.appointToPost.post).toBeNull();
    expect(result.data.appointToPost.userErrors.map((e: { field: string[] }) => e.field)).toEqual([['input', 'unitId'], ['input', 'managedByUnitId']]);
    expect(await counts()).toEqual(before);
  });

  it('the database refuses the same writes from any client (HS404), while a member of the new cell moves freely', async () => {
    const [live] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where parent_id = $1 and kind = 'CELL' and valid_to is null order by id limit 1`, [ward]);
    const attempt = (sql: string, params: unknown[]) => ownerQuery(t.db, sql, params).then(() => 'written', (e: { code?: string }) => e.code);
    const anyMember = (await ownerQuery<{ id: string }>(t.db, `select id::text from member where unit_id in (select id from org_unit where parent_id = $1) order by id limit 1`, [ward]))[0].id;
    expect(await attempt(`update member set unit_id = $1 where id = $2`, [ended.id, anyMember])).toBe('HS404');
    expect(await attempt(`insert into post (member_id, title, unit_id, managed_by_unit_id, start_on) values ($1, 'x', $2, $3, '2026-11-01')`, [anyMember, ended.id, ward])).toBe('HS404');
    expect(await attempt(`update member set unit_id = $1 where id = $2`, [live.id, anyMember])).toBe('written');
  });
});
