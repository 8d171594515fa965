import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

describe('the unit tree', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  const TREE = `query($first: Int, $kind: UnitKind) {
    units(first: $first, kind: $kind) { edges { node { code children(first: 20) { totalCount edges { node { code kind } } } } } }
  }`;

  it('children of every listed unit are its real children, in code order', async () => {
    const result = await t.gql(TREE, { first: 56, kind: 'WARD' }, admin);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const expected = await ownerQuery<{ parent: string; code: string }>(
      t.db,
      `select p.code as parent, c.code from org_unit c join org_unit p on p.id = c.parent_id where p.kind = 'WARD' order by c.code`,
    );
    for (const { node } of result.data.units.edges) {
      const children = expected.filter((e) => e.parent === node.code).map((e) => e.code);
      expect(node.children.edges.map((e: any) => e.node.code)).toEqual(children);
      expect(node.children.totalCount).toBe(children.length);
    }
  });

  it('paginates children with a cursor', async () => {
    const first = await t.gql(`{ unit(code: "DN") { children(first: 3) { edges { node { code } } pageInfo { hasNextPage endCursor } } } }`, {}, admin);
    const page1 = first.data.unit.children;
    expect(page1.edges).toHaveLength(3);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await t.gql(
      `query($after: String) { unit(code: "DN") { children(first: 10, after: $after) { edges { node { code } } pageInfo { hasNextPage } } } }`,
      { after: page1.pageInfo.endCursor },
      admin,
    );
    const all = [...page1.edges, ...second.data.unit.children.edges].map((e: any) => e.node.code);
    expect(all).toEqual(['DN.CAMLE', 'DN.HAICHAU', 'DN.HOAVANG', 'DN.LIENCHIEU', 'DN.NGUHANHSON', 'DN.SONTRA', 'DN.THANHKHE']);
    expect(second.data.unit.children.pageInfo.hasNextPage).toBe(false);
  });

  it('the number of SQL statements does not grow with the number of units listed (children batched)', async () => {
    const count = async (first: number) => {
      t.queries.length = 0;
      const result = await t.gql(TREE, { first, kind: 'WARD' }, admin);
      expect(result.data.units.edges).toHaveLength(first);
      return t.queries.length;
    };
    expect(await count(50)).toBe(await count(5));
  });
});
