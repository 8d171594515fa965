import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

const SEARCH = `query($filter: MemberFilter, $first: Int) {
  members(filter: $filter, first: $first) { totalCount edges { node { id fullName partyCardNumber } } }
}`;

describe('member search', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  it('finds names without regard to Vietnamese diacritics or case', async () => {
    // Take a real member with diacritics in every part of the name, then search for it in plain ASCII.
    const [person] = await ownerQuery<{ id: string; full_name: string; plain: string }>(
      t.db,
      `select id::text, full_name, hoso_fold(full_name) as plain from member
        where full_name ~ '^(Nguyễn|Trần|Lê|Phạm|Huỳnh|Võ|Đặng) ' and full_name <> hoso_fold(full_name)
        order by id limit 1`,
    );
    const typed = person.plain.toUpperCase(); // e.g. "NGUYEN VAN DUC" for "Nguyễn Văn Đức"
    const result = await t.gql(SEARCH, { filter: { search: typed }, first: 100 }, admin);
    expect(result.errors).toBeUndefined();
    const names: string[] = result.data.members.edges.map((e: any) => e.node.fullName);
    expect(names).toContain(person.full_name);
    // Every hit really contains the typed words, accents aside.
    for (const name of names) {
      const folded = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase();
      expect(folded).toContain(person.plain);
    }
    const [{ count }] = await ownerQuery<{ count: string }>(
      t.db,
      `select count(*) from member where search_name like $1 || '%' or search_name like '% ' || $1 || '%'`,
      [person.plain],
    );
    expect(result.data.members.totalCount).toBe(Number(count));
  });

  it('"nguyen van an" finds "Nguyễn Văn An" but not names where "an" is inside a word', async () => {
    const result = await t.gql(SEARCH, { filter: { search: 'nguyen van an' }, first: 100 }, admin);
    const names: string[] = result.data.members.edges.map((e: any) => e.node.fullName);
    const [{ count }] = await ownerQuery<{ count: string }>(t.db, `select count(*) from member where full_name = 'Nguyễn Văn An'`);
    expect(names.filter((n) => n === 'Nguyễn Văn An')).toHaveLength(Number(count));
    expect(names.every((n) => /^Nguyễn Văn An/.test(n))).toBe(true);
  });

  it('matches a party card number exactly, and only that member', async () => {
    const [member] = await ownerQuery<{ id: string; party_card_number: string }>(
      t.db,
      `select id::text, party_card_number from member where party_card_number is not null order by id desc limit 1`,
    );
    const exact = await t.gql(SEARCH, { filter: { search: member.party_card_number } }, admin);
    expect(exact.data.members.edges.map((e: any) => e.node.id)).toEqual([member.id]);
    const partial = await t.gql(SEARCH, { filter: { search: member.party_card_number.slice(0, -1) } }, admin);
    expect(partial.data.members.totalCount).toBe(0);
  });

  it('matches a national ID exactly for staff', async () => {
    const [member] = await ownerQuery<{ id: string; national_id: string }>(
      t.db,
      `select id::text, national_id from member where national_id is not null order by id limit 1`,
    );
    const result = await t.gql(SEARCH, { filter: { search: member.national_id } }, admin);
    expect(result.data.members.edges.map((e: any) => e.node.id)).toEqual([member.id]);
  });

  it('treats LIKE wildcards in the search text as plain characters', async () => {
    const result = await t.gql(SEARCH, { filter: { search: '%' } }, admin);
    expect(result.errors).toBeUndefined();
    expect(result.data.members.totalCount).toBe(0);
  });
});
