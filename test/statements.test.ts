import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/**
 * How many SQL statements a request sends (BEGIN and COMMIT count, as the benchmark counts
 * them): a read is its opening message (BEGIN with the statement that enters the account), one
 * statement for its page with the total and every nested list asked for, and COMMIT; a mutation
 * adds its savepoint (with its reason), its reads and its writes. The figures do not grow with
 * the page size or with the number of nested lists.
 */
describe('statements per request', () => {
  let t: TestApp;
  let admin: string;
  let district: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
    district = await t.login('haichau');
  });
  afterAll(() => t.close());

  async function statements(query: string, variables: Record<string, unknown>, token: string) {
    t.queries.length = 0;
    const result = await t.gql(query, variables, token);
    expect(result.errors).toBeUndefined();
    return { result, sent: [...t.queries] };
  }

  const PAGE = `query($first: Int!) { members(first: $first) { totalCount edges { cursor node { id fullName status partyCardNumber unit { id name } } } pageInfo { hasNextPage endCursor } } }`;
  const FULL_PAGE = `query($first: Int!) { members(first: $first) { totalCount edges { node { id unit { name } statusHistory { status } unitHistory { validFrom }
    workHistory { id } training { id } awards { id } disciplines { id } ratings { year } family { id } posts { id } planning { id } partyAge { years } } } } }`;

  it('a district page of members with units and its total: 3 statements, for 5 or 100 members', async () => {
    for (const first of [5, 100]) {
      const { result, sent } = await statements(PAGE, { first }, district);
      expect(result.data.members.edges).toHaveLength(first);
      expect(sent).toHaveLength(3);
      expect(sent[0]).toMatch(/^begin isolation level repeatable read; select .* from hoso_enter_account\(/);
      expect(sent[2]).toMatch(/^COMMIT/i);
    }
  });

  it('a page asking every nested list of every member: still 3 statements, for 5 or 100 members', async () => {
    for (const first of [5, 100]) {
      const { result, sent } = await statements(FULL_PAGE, { first }, admin);
      expect(result.data.members.edges).toHaveLength(first);
      expect(sent).toHaveLength(3);
    }
  });

  it('one member by card number with unit, posts, awards and ratings: 3 statements, and the lists are the stored ones', async () => {
    const [cadre] = await ownerQuery<{ id: string; card: string; posts: string; awards: string }>(
      t.db,
      `select m.id::text, m.party_card_number as card,
              (select count(*) from post p where p.member_id = m.id) as posts,
              (select count(*) from award a where a.member_id = m.id and a.superseded_at is null) as awards
         from member m where m.party_card_number is not null and exists (select 1 from post p where p.member_id = m.id)
        order by (select count(*) from award a where a.member_id = m.id) desc limit 1`,
    );
    const { result, sent } = await statements(
      `query($card: String!) { member(partyCardNumber: $card) { id unit { name } posts { id title } awards { id name } ratings { year } } }`,
      { card: cadre.card },
      admin,
    );
    expect(result.data.member.id).toBe(cadre.id);
    expect(result.data.member.posts).toHaveLength(Number(cadre.posts));
    expect(result.data.member.awards).toHaveLength(Number(cadre.awards));
    expect(sent).toHaveLength(3);
  });

  it('a name search with its total: 3 statements, the values bound as parameters, not written into the SQL', async () => {
    const { result, sent } = await statements(`query($q: String!) { members(filter: { search: $q }, first: 20) { totalCount edges { node { id unit { name } } } } }`, { q: 'nguyen thi' }, admin);
    expect(result.data.members.totalCount).toBeGreaterThan(0);
    expect(sent).toHaveLength(3);
    expect(sent[1]).not.toContain('nguyen');
    expect(sent[1]).toMatch(/hoso_fold\(\$\d+\)/);
  });

  it('updateMember with a reason: at most 6 statements, and the change is written with its audit event', async () => {
    const [member] = await ownerQuery<{ id: string; version: number }>(
      t.db,
      `select m.id::text, m.version from member m join org_unit u on u.id = m.unit_id where u.code like 'DN.HAICHAU%' and m.status = 'OFFICIAL' order by m.id limit 1`,
    );
    const reason = `Cập nhật số điện thoại; it's "quoted" \\ and 50% done?`;
    const { result, sent } = await statements(
      `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { id version phone } userErrors { message } } }`,
      { input: { id: member.id, expectedVersion: member.version, phone: '0905123456', reason } },
      district,
    );
    expect(result.data.updateMember.userErrors).toEqual([]);
    expect(result.data.updateMember.member).toMatchObject({ phone: '0905123456', version: member.version + 1 });
    expect(sent.length).toBeLessThanOrEqual(6);
    // The reason, whatever characters it holds, reached the audit trigger unchanged.
    const [event] = await ownerQuery<{ reason: string }>(t.db, `select reason from audit_event where entity_type = 'member' and entity_id = $1 and action = 'UPDATE' order by id desc limit 1`, [member.id]);
    expect(event.reason).toBe(reason);
  });

  const MEMBER_FIELDS = `id version fullName gender dateOfBirth nationalId phone partyCardNumber joinedOn admissionCeremonyOn officialOn status birthName aliases
    placeOfBirth homeTown permanentAddress temporaryAddress generalEducation introducers underReview leftOn transferredOutOn seriousIllnessSince seriousIllnessGround
    readmittedOn ageExceptionDecision { number date issuedBy } occupation { code } ethnicity religion unit { id name }`;

  it('updateMember answers the record as a read of it shows it afterwards; an update that changes nothing writes nothing', async () => {
    const [member] = await ownerQuery<{ id: string; version: number }>(
      t.db,
      `select m.id::text, m.version from member m join org_unit u on u.id = m.unit_id where u.code like 'DN.HAICHAU%' and m.status = 'OFFICIAL' order by m.id desc limit 1`,
    );
    const update = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { ${MEMBER_FIELDS} } userErrors { message } } }`;
    const input = { id: member.id, expectedVersion: member.version, phone: '0905765432', introducers: ['Nguyễn Văn A', 'Trần Thị B'], reason: 'Cập nhật' };
    const { result } = await statements(update, { input }, district);
    const { result: read } = await statements(`query($id: ID!) { member(id: $id) { ${MEMBER_FIELDS} } }`, { id: member.id }, district);
    expect(result.data.updateMember.member).toEqual(read.data.member);
    expect(read.data.member).toMatchObject({ version: member.version + 1, phone: '0905765432', introducers: ['Nguyễn Văn A', 'Trần Thị B'] });

    const events = async () => (await ownerQuery<{ n: string }>(t.db, `select count(*)::text as n from audit_event where entity_type = 'member' and entity_id = $1 and action = 'UPDATE'`, [member.id]))[0].n;
    const before = await events();
    const { result: same, sent } = await statements(update, { input: { ...input, expectedVersion: member.version + 1 } }, district);
    expect(same.data.updateMember.member).toEqual(read.data.member);
    expect(sent.some((s) => /^update /i.test(s))).toBe(false);
    expect(await events()).toBe(before);
  });
});
