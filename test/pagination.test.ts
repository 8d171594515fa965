import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

const PAGE = `query($filter: MemberFilter, $orderBy: MemberOrder, $first: Int, $after: String) {
  members(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    edges { cursor node { id fullName dateOfBirth joinedOn unit { id name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('pagination and ordering', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  async function walk(variables: Record<string, unknown>, first: number) {
    const ids: string[] = [];
    const rows: any[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (let guard = 0; guard < 1000; guard++) {
      const result: any = await t.gql(PAGE, { ...variables, first, after }, admin);
      expect(result.errors).toBeUndefined();
      totalCount = result.data.members.totalCount;
      for (const edge of result.data.members.edges) {
        ids.push(edge.node.id);
        rows.push(edge.node);
      }
      const { hasNextPage, endCursor } = result.data.members.pageInfo;
      if (!hasNextPage) break;
      after = endCursor;
    }
    return { ids, rows, totalCount };
  }

  it('walking all pages of a filtered list returns every matching member exactly once', async () => {
    const filter = { status: ['OFFICIAL'], gender: 'FEMALE', bornFrom: '1960-01-01', bornTo: '1990-12-31' };
    const expected = await ownerQuery<{ id: string }>(
      t.db,
      `select id::text from member where status = 'OFFICIAL' and gender = 'FEMALE'
         and date_of_birth between '1960-01-01' and '1990-12-31'`,
    );
    const { ids, totalCount } = await walk({ filter }, 37);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(expected.map((r) => r.id)));
    expect(totalCount).toBe(expected.length);
  });

  it('orders by date of birth descending with ties broken by id, across pages', async () => {
    const filter = { bornFrom: '1980-01-01', bornTo: '1985-12-31' };
    const expected = await ownerQuery<{ id: string }>(
      t.db,
      `select id::text from member where date_of_birth between '1980-01-01' and '1985-12-31' order by date_of_birth desc, member.id desc`,
    );
    const { ids } = await walk({ filter, orderBy: { field: 'DATE_OF_BIRTH', direction: 'DESC' } }, 50);
    expect(ids).toEqual(expected.map((r) => r.id));
  });

  it('orders by name the Vietnamese way: given name first', async () => {
    const { rows } = await walk({ filter: { bornFrom: '1990-01-01', bornTo: '1991-12-31' } }, 100);
    const given = rows.map((r) => r.fullName.split(' ').pop().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase());
    const sorted = [...given].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(given).toEqual(sorted);
  });

  it('first above 100 is a BAD_USER_INPUT error', async () => {
    const result = await t.gql(PAGE, { first: 101 }, admin);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a cursor that is not ours is a BAD_USER_INPUT error', async () => {
    const result = await t.gql(PAGE, { first: 10, after: 'not-a-cursor' }, admin);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('the number of SQL statements is the same for a page of 10 and a page of 100 (with units)', async () => {
    const count = async (first: number) => {
      t.queries.length = 0;
      const result = await t.gql(PAGE, { first }, admin);
      expect(result.data.members.edges).toHaveLength(first);
      return t.queries.length;
    };
    const ten = await count(10);
    const hundred = await count(100);
    console.log(`SQL statements: page of 10 → ${ten}, page of 100 → ${hundred}`);
    expect(hundred).toBe(ten);
  });
});
