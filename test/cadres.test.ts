import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

describe('cadres: posts and planning, seen only at the managing level and above', () => {
  let t: TestApp;
  let secretary: { member_id: string; id: string };
  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock('2026-06-15') });
    // The secretary of Thạch Thang ward: a post managed by the district.
    [secretary] = await ownerQuery(
      t.db,
      `select p.member_id::text, p.id::text from post p join org_unit h on h.id = p.unit_id join org_unit g on g.id = p.managed_by_unit_id
        where h.code = 'DN.HAICHAU.THACHTHANG' and g.code = 'DN.HAICHAU'`,
    );
  });
  afterAll(() => t.close());

  const POSTS = `query($id: ID) { member(id: $id) { id posts { id title managedBy { code } startOn termYears reappointmentDue } } }`;

  it('a post managed by the district is seen by the district and the city, not by the ward', async () => {
    for (const [username, sees] of [['admin', true], ['haichau', true], ['thachthang', false]] as const) {
      const result = await t.gql(POSTS, { id: secretary.member_id }, await t.login(username));
      expect(result.errors).toBeUndefined();
      expect(result.data.member.id).toBe(secretary.member_id); // the member is in scope for all three
      expect(result.data.member.posts.some((p: any) => p.id === secretary.id)).toBe(sees);
    }
  });

  it('appointment: the reappointment is due at the end of the 5-year term; the post can be ended once', async () => {
    const staff = await t.login('thachthang');
    const [m] = await ownerQuery<{ id: string; ward: string; cell: string }>(
      t.db,
      `select m.id::text, w.id::text as ward, c.id::text as cell from member m join org_unit c on c.id = m.unit_id join org_unit w on w.id = c.parent_id
        where w.code = 'DN.HAICHAU.THACHTHANG' and m.status = 'OFFICIAL' and m.joined_on < '2024-01-01' order by m.id desc limit 1`,
    );
    const appointed = await t.gql(
      `mutation($input: AppointToPostInput!) { appointToPost(input: $input) { post { id version title reappointmentDue managedBy { code } } userErrors { field message } } }`,
      { input: { memberId: m.id, title: 'Bí thư Chi bộ', unitId: m.cell, managedByUnitId: m.ward, startOn: '2024-03-01', decision: { number: '5-QĐ/ĐU', date: '2024-02-20', issuedBy: 'Đảng ủy phường Thạch Thang' } } },
      staff,
    );
    const post = appointed.data.appointToPost.post;
    expect(post).toMatchObject({ title: 'Bí thư Chi bộ', reappointmentDue: '2029-03-01', managedBy: { code: 'DN.HAICHAU.THACHTHANG' } });
    const END = `mutation($input: EndPostInput!) { endPost(input: $input) { post { endOn } userErrors { field message } } }`;
    const ended = await t.gql(END, { input: { postId: post.id, expectedVersion: post.version, endOn: '2026-01-31', reason: 'Chuyển công tác' } }, staff);
    expect(ended.data.endPost.post.endOn).toBe('2026-01-31');
    const again = await t.gql(END, { input: { postId: post.id, expectedVersion: post.version + 1, endOn: '2026-02-01', reason: 'x' } }, staff);
    expect(again.data.endPost.userErrors[0].field).toEqual(['input', 'postId']);
  });

  it('a post managed above the ward cannot be ended by the ward: NOT_FOUND, unchanged', async () => {
    const staff = await t.login('thachthang');
    const result = await t.gql(
      `mutation($input: EndPostInput!) { endPost(input: $input) { post { id } userErrors { code } } }`,
      { input: { postId: secretary.id, expectedVersion: 1, endOn: '2026-01-01', reason: 'x' } },
      staff,
    );
    expect(result.data.endPost.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    const [row] = await ownerQuery<{ end_on: string | null }>(t.db, `select end_on from post where id = $1`, [secretary.id]);
    expect(row.end_on).toBeNull();
  });

  it('a ward cannot appoint to a post managed above it (it could not see it afterwards)', async () => {
    const staff = await t.login('thachthang');
    const [{ id: district }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.HAICHAU'`);
    const result = await t.gql(
      `mutation($input: AppointToPostInput!) { appointToPost(input: $input) { post { id } userErrors { field code } } }`,
      { input: { memberId: secretary.member_id, title: 'X', unitId: district, managedByUnitId: district, startOn: '2024-01-01', decision: { number: '1', date: '2024-01-01', issuedBy: 'x' } } },
      staff,
    );
    expect(result.data.appointToPost.userErrors.map((e: any) => e.field)).toContainEqual(['input', 'managedByUnitId']);
  });

  it('a page of 50 members with unit, posts, awards and ratings takes as many statements as a page of 5', async () => {
    const admin = await t.login('admin');
    const PAGE = `query($first: Int) { members(first: $first) { edges { node { id unit { name } posts { id } awards { id } ratings { id } } } } }`;
    const count = async (first: number) => {
      t.queries.length = 0;
      const result = await t.gql(PAGE, { first }, admin);
      expect(result.data.members.edges).toHaveLength(first);
      return t.queries.length;
    };
    const five = await count(5);
    const fifty = await count(50);
    console.log(`SQL statements, page with unit, posts, awards, ratings: 5 → ${five}, 50 → ${fifty}`);
    expect(fifty).toBe(five);
  });
});
