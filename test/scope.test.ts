import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/** docs/access.md, "Scope": an account reads only its unit's subtree; anything else behaves as absent. */
describe('scope from day one', () => {
  let t: TestApp;
  let thachthang: string;
  let sontraMember: { id: string; party_card_number: string };
  let unitIds: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    thachthang = await t.login('thachthang');
    [sontraMember] = await ownerQuery(
      t.db,
      `select m.id::text, m.party_card_number from member m join org_unit u on u.id = m.unit_id
        where u.code like 'DN.SONTRA.%' and m.party_card_number is not null order by m.id limit 1`,
    );
    const units = await ownerQuery<{ code: string; id: string }>(t.db, `select code, id::text from org_unit where kind <> 'CELL'`);
    unitIds = Object.fromEntries(units.map((u) => [u.code, u.id]));
  });
  afterAll(() => t.close());

  it('a ward account sees only its own ward’s members, and totalCount agrees', async () => {
    const [{ count }] = await ownerQuery<{ count: string }>(
      t.db,
      `select count(*) from member m join org_unit u on u.id = m.unit_id where u.code like 'DN.HAICHAU.THACHTHANG.%'`,
    );
    expect(Number(count)).toBeGreaterThan(0);
    const seen = new Set<string>();
    let after: string | null = null;
    let totalCount = 0;
    do {
      const page: any = await t.gql(
        `query($after: String) { members(first: 100, after: $after) {
           totalCount edges { node { id unit { code } } } pageInfo { hasNextPage endCursor } } }`,
        { after },
        thachthang,
      );
      expect(page.errors).toBeUndefined();
      totalCount = page.data.members.totalCount;
      for (const { node } of page.data.members.edges) {
        expect(node.unit.code.startsWith('DN.HAICHAU.THACHTHANG.')).toBe(true);
        seen.add(node.id);
      }
      after = page.data.members.pageInfo.hasNextPage ? page.data.members.pageInfo.endCursor : null;
    } while (after);
    expect(seen.size).toBe(Number(count));
    expect(totalCount).toBe(Number(count));
  });

  it('a Sơn Trà member fetched by id or by card number is null for a Hải Châu ward', async () => {
    const byId = await t.gql(`query($id: ID) { member(id: $id) { id fullName } }`, { id: sontraMember.id }, thachthang);
    expect(byId.errors).toBeUndefined();
    expect(byId.data.member).toBeNull();
    const byCard = await t.gql(
      `query($card: String) { member(partyCardNumber: $card) { id } }`,
      { card: sontraMember.party_card_number },
      thachthang,
    );
    expect(byCard.data.member).toBeNull();
    // The same member is visible to the city: the null above is scope, not a missing record.
    const admin = await t.login('admin');
    const asCity = await t.gql(`query($id: ID) { member(id: $id) { id } }`, { id: sontraMember.id }, admin);
    expect(asCity.data.member).toEqual({ id: sontraMember.id });
  });

  it('a unit of another district is null, by id and by code', async () => {
    const byId = await t.gql(`query($id: ID) { unit(id: $id) { id name } }`, { id: unitIds['DN.SONTRA'] }, thachthang);
    expect(byId.data.unit).toBeNull();
    const byCode = await t.gql(`{ unit(code: "DN.SONTRA.MANTHAI") { id } }`, {}, thachthang);
    expect(byCode.data.unit).toBeNull();
  });

  it('listing members of another district returns nothing', async () => {
    const result = await t.gql(
      `query($unitId: ID) { members(filter: { unitId: $unitId }) { totalCount edges { node { id } } } }`,
      { unitId: unitIds['DN.SONTRA'] },
      thachthang,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.members).toEqual({ totalCount: 0, edges: [] });
  });

  it('the parent of the ward (its district) is outside scope and reads as null', async () => {
    const result = await t.gql(`{ me { unit { code parent { id } } } }`, {}, thachthang);
    expect(result.data.me.unit).toEqual({ code: 'DN.HAICHAU.THACHTHANG', parent: null });
  });

  it('units lists only the subtree: the ward and its cells', async () => {
    const result = await t.gql(`{ units(first: 100) { totalCount edges { node { code } } } }`, {}, thachthang);
    const codes: string[] = result.data.units.edges.map((e: any) => e.node.code);
    expect(codes.length).toBe(result.data.units.totalCount);
    expect(codes[0]).toBe('DN.HAICHAU.THACHTHANG');
    expect(codes.slice(1).every((c) => c.startsWith('DN.HAICHAU.THACHTHANG.CB'))).toBe(true);
  });

  it('a district account sees all its wards, and nothing of other districts', async () => {
    const haichau = await t.login('haichau');
    const result = await t.gql(`{ members(first: 0) { totalCount } }`, {}, haichau);
    const [{ count }] = await ownerQuery<{ count: string }>(
      t.db,
      `select count(*) from member m join org_unit u on u.id = m.unit_id where u.code like 'DN.HAICHAU.%'`,
    );
    expect(result.data.members.totalCount).toBe(Number(count));
  });

  it('without a token, everything but login answers UNAUTHENTICATED', async () => {
    for (const query of [`{ me { id } }`, `{ members { totalCount } }`, `{ unit(code: "DN") { id } }`, `{ units { totalCount } }`]) {
      const result = await t.gql(query);
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.data ?? null).toBeNull();
    }
    const mixed = await t.gql(`mutation { login(input: {username: "admin", password: "x"}) { token } } `);
    expect(mixed.errors).toBeUndefined();
  });
});
