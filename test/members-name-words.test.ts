import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { memberConditions, memberPageSql } from '../src/members/members.queries';
import { MemberOrderField, OrderDirection } from '../src/members/members.inputs';
import { createTestDatabase, ownerQuery } from './support/db';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/app';

/**
 * Name search over member_name_word (migration 32): one row per word start of each folded name,
 * kept by triggers on member, read by the API role only through hoso_member_name_matches() within
 * the request's scope. Every expected search result is computed here from member itself with the
 * search's definition (`search_name like q || '%' or search_name like '% ' || q || '%'`, wildcards
 * escaped), never from the word table; DRIFT compares the table, row for row, with the words of
 * member's rows as they are now.
 */
const TODAY = '2026-11-20';
const SEARCH = `query($filter: MemberFilter, $first: Int, $after: String, $orderBy: MemberOrder) {
  members(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount edges { node { id fullName } } pageInfo { hasNextPage endCursor }
  }
}`;
const MEMBER = `member { id version fullName } userErrors { field code message }`;
const CREATE = `mutation($input: CreateMemberInput!) { createMember(input: $input) { ${MEMBER} } }`;
const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { ${MEMBER} } }`;
const ISSUE = `mutation($input: TransferMemberInput!) { transferMember(input: $input) { transfer { id status } userErrors { field code message } } }`;

const decision = (date: string) => ({ number: '32-QĐ/ĐU', date, issuedBy: 'Đảng ủy phường Thạch Thang' });

/** Rows of member_name_word that are not what member says, and rows member says that are missing (as the owner). */
const DRIFT = `
  select count(*)::int as n from (
    (select member_id, transferred_out, suffix, sort_name, unit_path::text from member_name_word
     except all
     select m.id, m.transferred_out_on is not null, s, m.sort_name, m.unit_path::text from member m, hoso_name_word_starts(m.search_name) s)
    union all
    (select m.id, m.transferred_out_on is not null, s, m.sort_name, m.unit_path::text from member m, hoso_name_word_starts(m.search_name) s
     except all
     select member_id, transferred_out, suffix, sort_name, unit_path::text from member_name_word)
  ) d`;

describe('member name search through the word index', () => {
  let t: TestApp;
  let admin: string;
  let district: string;
  let staff: string;
  let sontra: string;
  let api: Client;
  const units = new Map<string, { id: string; path: string }>();

  const owner = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => ownerQuery<T>(t.db, sql, params);
  const unit = (code: string) => units.get(code)!;
  const drift = async () => (await owner<{ n: number }>(DRIFT))[0].n;

  /** What the search must answer, from member itself: the ids in (sort_name, id) order, in the scope path. */
  async function expected(text: string, scopePath: string, includeTransferredOut = false): Promise<string[]> {
    const rows = await owner<{ id: string }>(
      `select m.id::text from member m
        where m.unit_path <@ $2::ltree
          and (m.search_name like replace(replace(replace(hoso_fold($1), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'
               or m.search_name like '% ' || replace(replace(replace(hoso_fold($1), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'
               or m.party_card_number = $1 or m.national_id = $1)
          and ($3 or m.transferred_out_on is null)
        order by m.sort_name, m.id`,
      [text, scopePath, includeTransferredOut],
    );
    return rows.map((r) => r.id);
  }

  async function search(token: string, text: string, first = 100, extra: Record<string, unknown> = {}) {
    const result = await t.gql(SEARCH, { filter: { search: text, ...extra }, first }, token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return {
      total: result.data.members.totalCount as number,
      ids: result.data.members.edges.map((e: any) => e.node.id as string),
      names: result.data.members.edges.map((e: any) => e.node.fullName as string),
    };
  }

  async function gqlOk(query: string, input: Record<string, unknown>, token: string, field: string) {
    const result = await t.gql(query, { input }, token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data[field].userErrors, JSON.stringify(result.data[field].userErrors)).toEqual([]);
    return result.data[field];
  }

  async function createMember(cell: string, fullName: string, official = false) {
    const joinedOn = official ? '2000-03-01' : '2026-03-20';
    const payload = await gqlOk(
      CREATE,
      {
        unitId: unit(cell).id, fullName, gender: 'FEMALE', dateOfBirth: official ? '1975-05-05' : '1990-04-02', joinedOn,
        ...(official ? { officialOn: '2001-03-01' } : {}), decision: decision(joinedOn), generalEducation: '12/12',
      },
      admin,
      'createMember',
    );
    return payload.member as { id: string; version: number };
  }

  /** hoso_member_name_matches as the API role, with app.scope set to `scope` (null: none). */
  async function apiMatches(scope: string | null, prefix: string, includeTransferredOut = true): Promise<string[]> {
    await api.query('begin');
    try {
      if (scope !== null) await api.query(`select set_config('app.scope', $1, true)`, [scope]);
      const { rows } = await api.query<{ text: string }>(`select distinct n.id, n.id::text as text from hoso_member_name_matches($1, $2) n order by n.id`, [prefix, includeTransferredOut]);
      return rows.map((r) => r.text);
    } finally {
      await api.query('rollback');
    }
  }

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    for (const r of await owner<{ code: string; id: string; path: string }>(`select code, id::text, path::text from org_unit`)) {
      units.set(r.code, { id: r.id, path: r.path });
    }
    admin = await t.login('admin');
    district = await t.login('haichau');
    staff = await t.login('thachthang');
    sontra = await t.login('sontra.viewer');
    api = new Client({ connectionString: t.db.apiUrl });
    await api.connect();
  });
  afterAll(async () => {
    await api?.end();
    await t?.close();
  });

  it('the seeded register: the words are exactly the word starts of every name, and searches answer what the LIKE definition answers', async () => {
    expect(await drift()).toBe(0);
    const [{ words, members }] = await owner<{ words: number; members: number }>(
      `select (select count(*) from member_name_word)::int as words, (select count(*) from member)::int as members`,
    );
    expect(words).toBeGreaterThan(2 * members);

    const city = unit('DN').path;
    // Whole names, a given name inside names, a middle word, one letter, a phrase that crosses
    // a word boundary mid-word, and upper case with diacritics.
    for (const text of ['nguyen thi huong', 'Nguyễn Văn', 'thi', 'huong', 'van a', 'H', 'TRẦN']) {
      const want = await expected(text, city);
      const got = await search(admin, text);
      expect(got.total, text).toBe(want.length);
      expect(got.ids, text).toEqual(want.slice(0, 100));
    }
    // "an" starts words ("An", "Anh") but is inside others ("Toàn", "Lan"): only the word starts.
    const an = await expected('an', city);
    const got = await search(admin, 'an');
    expect(got.total).toBe(an.length);
    expect(got.names.every((n: string) => /(^|\s)an/i.test(n.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd')))).toBe(true);
  });

  it('pages through a search with cursors, both directions, and the total stays that of all pages', async () => {
    const want = await expected('thi', unit('DN').path);
    expect(want.length).toBeGreaterThan(45);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const result: GraphQLResponse = await t.gql(SEARCH, { filter: { search: 'thi' }, first: 15, after }, admin);
      expect(result.errors).toBeUndefined();
      expect(result.data.members.totalCount).toBe(want.length);
      seen.push(...result.data.members.edges.map((e: any) => e.node.id));
      after = result.data.members.pageInfo.endCursor;
    }
    expect(seen).toEqual(want.slice(0, 45));
    const desc = await t.gql(SEARCH, { filter: { search: 'thi' }, first: 10, orderBy: { field: 'NAME', direction: 'DESC' } }, admin);
    expect(desc.data.members.edges.map((e: any) => e.node.id)).toEqual([...want].reverse().slice(0, 10));
    // With another condition the matches are read from the member rows: same answers.
    const females = await owner<{ id: string }>(
      `select m.id::text from member m where m.id = any($1::bigint[]) and m.gender = 'FEMALE' order by m.sort_name, m.id`,
      [want],
    );
    const filtered = await search(admin, 'thi', 100, { gender: 'FEMALE' });
    expect(filtered.total).toBe(females.length);
    expect(filtered.ids).toEqual(females.map((r) => r.id).slice(0, 100));
  });

  it('a new member is found by every word start of the name at once, not by the middle of a word', async () => {
    const member = await createMember('DN.HAICHAU.THACHTHANG.CB01', 'Trần Thị Zêta Quỳnh');
    for (const text of ['tran thi zeta quynh', 'Zêta', 'zeta quy', 'thi zeta', 'quynh']) {
      const found = await search(admin, text);
      expect(found.ids, text).toContain(member.id);
      expect(found.total, text).toBe((await expected(text, unit('DN').path)).length);
    }
    expect((await search(admin, 'eta quynh')).ids).not.toContain(member.id);
    expect((await search(admin, 'ran thi')).ids).not.toContain(member.id);
    expect(await drift()).toBe(0);
  });

  it('a member whose name has the text at two word starts is one member: counted once, and on one page once', async () => {
    // "Vexor Lê Vexor Anh" (given name Anh) comes before "Vexor Bình" in name order, and twice in the words.
    const twice = await createMember('DN.HAICHAU.THACHTHANG.CB01', 'Vexor Lê Vexor Anh');
    const once = await createMember('DN.HAICHAU.THACHTHANG.CB02', 'Vexor Bình');
    expect(await search(admin, 'vexor')).toMatchObject({ total: 2, ids: [twice.id, once.id] });
    const first: GraphQLResponse = await t.gql(SEARCH, { filter: { search: 'vexor' }, first: 1 }, admin);
    expect(first.data.members).toMatchObject({ totalCount: 2, edges: [{ node: { id: twice.id } }], pageInfo: { hasNextPage: true } });
    const second: GraphQLResponse = await t.gql(SEARCH, { filter: { search: 'vexor' }, first: 1, after: first.data.members.pageInfo.endCursor }, admin);
    expect(second.data.members).toMatchObject({ totalCount: 2, edges: [{ node: { id: once.id } }], pageInfo: { hasNextPage: false } });
  });

  it('a renamed member is found by the new name and no longer by the old one', async () => {
    const member = await createMember('DN.HAICHAU.THACHTHANG.CB01', 'Lê Thị Ykaterin');
    expect((await search(staff, 'ykaterin')).ids).toEqual([member.id]);
    const renamed = await gqlOk(
      UPDATE,
      { id: member.id, expectedVersion: member.version, fullName: 'Lê Thị Xuyến Omicron', reason: 'Sửa họ tên theo giấy khai sinh' },
      staff,
      'updateMember',
    );
    expect(renamed.member.fullName).toBe('Lê Thị Xuyến Omicron');
    expect(await search(staff, 'ykaterin')).toEqual({ total: 0, ids: [], names: [] });
    expect((await search(staff, 'xuyen omicron')).ids).toEqual([member.id]);
    expect((await search(staff, 'le thi xuyen o')).ids).toEqual([member.id]);
    // A change of anything else (the phone) leaves the words alone, and the search unchanged.
    const before = await owner<{ ctid: string }>(`select ctid::text from member_name_word where member_id = $1 order by suffix`, [member.id]);
    await gqlOk(UPDATE, { id: member.id, expectedVersion: renamed.member.version, phone: '0905 111 222', reason: 'Cập nhật' }, staff, 'updateMember');
    expect(await owner<{ ctid: string }>(`select ctid::text from member_name_word where member_id = $1 order by suffix`, [member.id])).toEqual(before);
    expect(await drift()).toBe(0);
  });

  it('LIKE wildcards and the escape character in the search text are plain characters', async () => {
    const percent = await createMember('DN.HAICHAU.THACHTHANG.CB02', 'Phạm 50%_Hạnh');
    const backslash = await createMember('DN.HAICHAU.THACHTHANG.CB02', 'Phạm A\\B Lưu');
    expect((await search(admin, '50%_')).ids).toEqual([percent.id]);
    expect((await search(admin, '50%_hanh')).ids).toEqual([percent.id]);
    expect((await search(admin, 'a\\b')).ids).toEqual([backslash.id]);
    expect((await search(admin, 'pham a\\')).ids).toEqual([backslash.id]);
    for (const text of ['%', '_', '5_%', '50__', '%hanh', '\\', 'a_b', 'a%']) {
      const found = await search(admin, text);
      expect(found.total, text).toBe((await expected(text, unit('DN').path)).length);
      expect(found.ids, text).not.toContain(percent.id);
      expect(found.ids, text).not.toContain(backslash.id);
    }
  });

  it('a district finds only the members of its scope, and learns nothing of the others: not their number, not their ids', async () => {
    const inside = await createMember('DN.HAICHAU.THACHTHANG.CB01', 'Hoàng Thị Quyzxa Hải');
    const outside = await createMember('DN.SONTRA.MANTHAI.CB01', 'Hoàng Thị Quyzxa Sơn');
    const both = await search(admin, 'hoang thi quyzxa');
    expect(both.ids.sort()).toEqual([inside.id, outside.id].sort());
    expect(await search(district, 'hoang thi quyzxa')).toMatchObject({ total: 1, ids: [inside.id] });
    expect(await search(sontra, 'hoang thi quyzxa')).toMatchObject({ total: 1, ids: [outside.id] });
    // A name that exists only outside reads exactly as one that does not exist.
    expect(await search(district, 'quyzxa son')).toEqual(await search(district, 'quyzxa khong co'));
    expect((await search(district, 'quyzxa son')).total).toBe(0);

    // The same as raw SQL through the API role: the table is not readable, the function answers
    // only inside app.scope, and nothing without a scope.
    await expect(api.query(`select count(*) from member_name_word`)).rejects.toThrow(/permission denied/);
    await expect(api.query(`select hoso_rebuild_member_name_words()`)).rejects.toThrow(/permission denied/);
    await expect(api.query(`delete from member_name_word`)).rejects.toThrow(/permission denied/);
    expect(await apiMatches(unit('DN.HAICHAU').path, 'hoang thi quyzxa')).toEqual([inside.id]);
    expect(await apiMatches(unit('DN.SONTRA').path, 'hoang thi quyzxa')).toEqual([outside.id]);
    expect((await apiMatches(unit('DN').path, 'hoang thi quyzxa')).sort()).toEqual([inside.id, outside.id].sort());
    expect(await apiMatches(null, 'hoang thi quyzxa')).toEqual([]);
    expect(await apiMatches('', 'hoang thi quyzxa')).toEqual([]);
    // Every match the function gives a district is a member the district may read.
    const districtPath = unit('DN.HAICHAU').path;
    const all = await apiMatches(districtPath, 'ng');
    expect(all.length).toBeGreaterThan(10);
    const [{ outsiders }] = await owner<{ outsiders: number }>(
      `select count(*)::int outsiders from member where id = any($1::bigint[]) and not unit_path <@ $2::ltree`,
      [all, districtPath],
    );
    expect(outsiders).toBe(0);
    expect(all).toEqual((await expected('ng', districtPath, true)).map(Number).sort((a, b) => a - b).map(String));
  });

  it('a member transferred to another province leaves the default search and stays in includeTransferredOut', async () => {
    const member = await createMember('DN.HAICHAU.THACHTHANG.CB01', 'Võ Thị Quixotê', true);
    expect((await search(staff, 'vo thi quixote')).ids).toEqual([member.id]);
    await gqlOk(
      ISSUE,
      {
        memberId: member.id, expectedVersion: member.version, kind: 'PERMANENT', boundary: 'OTHER_PROVINCE', externalParty: 'Đảng bộ tỉnh Quảng Ngãi',
        issuedOn: '2026-11-05', decision: decision('2026-11-05'), reason: 'Chuyển công tác',
      },
      staff,
      'transferMember',
    );
    expect(await search(staff, 'vo thi quixote')).toMatchObject({ total: 0, ids: [] });
    expect(await search(staff, 'vo thi quixote', 100, { includeTransferredOut: true })).toMatchObject({ total: 1, ids: [member.id] });
    expect(await drift()).toBe(0);
  });

  it('bulk writes by the owner under hoso.bulk_load keep the words (inserts, renames, moves and deletes of many rows per statement)', async () => {
    const cells = [unit('DN.HAICHAU.THACHTHANG.CB01').id, unit('DN.SONTRA.MANTHAI.CB01').id];
    const writer = new Client({ connectionString: t.db.ownerUrl });
    await writer.connect();
    try {
      const bulk = async (sql: string, params: unknown[]) => {
        await writer.query('begin');
        await writer.query(`set local hoso.bulk_load = 'on'`);
        const { rows } = await writer.query<{ id: string }>(sql, params);
        await writer.query('commit');
        return rows;
      };
      const inserted = await bulk(
        `insert into member (full_name, gender, date_of_birth, joined_on, status, unit_id)
         select 'Nạp Hàng Loạt ' || g, 'FEMALE', '1980-01-01', '2005-01-01', 'PROBATIONARY', ($1::bigint[])[1 + g % 2]
           from generate_series(1, 40) g
         returning id::text`,
        [cells],
      );
      expect((await search(admin, 'nap hang loat')).total).toBe(40);
      expect((await search(district, 'nap hang loat')).total).toBe(20);
      const ids = inserted.map((r) => r.id);
      // One statement: ten renamed, ten moved to the other cell, the rest only a phone.
      await bulk(
        `update member m set full_name = case when x.k = 0 then 'Đổi Tên Loạt ' || m.id else m.full_name end,
                unit_id = case when x.k <> 1 then m.unit_id when m.unit_id = ($2::bigint[])[1] then ($2::bigint[])[2] else ($2::bigint[])[1] end,
                phone = '0905000000'
           from (select id, (row_number() over (order by id)) % 4 as k from member where id = any($1::bigint[])) x
          where m.id = x.id`,
        [ids, cells],
      );
      expect((await search(admin, 'nap hang loat')).total).toBe(30);
      expect((await search(admin, 'doi ten loat')).total).toBe(10);
      expect((await search(district, 'nap hang loat')).ids).toEqual(await expected('nap hang loat', unit('DN.HAICHAU').path));
      expect(await drift()).toBe(0);
      await bulk(`delete from member where id = any($1::bigint[]) and id % 2 = 0 returning id::text`, [ids]);
      expect((await search(admin, 'nap hang loat')).ids).toEqual(await expected('nap hang loat', unit('DN').path));
      expect(await drift()).toBe(0);
    } finally {
      await writer.end();
    }
  });

  it('words lost by a load that bypassed the triggers are put back by hoso_rebuild_member_name_words()', async () => {
    const want = await expected('nguyen thi', unit('DN').path);
    const lost = await owner(
      `delete from member_name_word
        where member_id in (select id from member where search_name like 'nguyen thi %' and transferred_out_on is null order by id limit 5)
       returning 1`,
    );
    expect(lost.length).toBeGreaterThanOrEqual(5 * 3);
    expect((await search(admin, 'nguyen thi')).total).toBe(want.length - 5);
    expect(await drift()).toBe(lost.length);
    await owner(`select hoso_rebuild_member_name_words()`);
    expect(await drift()).toBe(0);
    expect((await search(admin, 'nguyen thi')).total).toBe(want.length);
  });

  it('a ward moved to another district: its members are found by the new district and no longer by the old one', async () => {
    const member = await createMember('DN.HAICHAU.THACHTHANG.CB02', 'Đinh Thị Quarkzy');
    expect((await search(district, 'dinh thi quarkzy')).ids).toEqual([member.id]);
    await owner(`update org_unit set parent_id = (select id from org_unit where code = 'DN.SONTRA') where code = 'DN.HAICHAU.THACHTHANG'`);
    expect(await search(district, 'dinh thi quarkzy')).toMatchObject({ total: 0, ids: [] });
    expect((await search(sontra, 'dinh thi quarkzy')).ids).toEqual([member.id]);
    expect(await drift()).toBe(0);
  });

  it('the search statement the API sends reads the word index, not the trigram index or the member table', async () => {
    const db = inject('db');
    const url = new URL(db.superUrl);
    url.pathname = `/${t.db.name}`;
    const superuser = new Client({ connectionString: url.toString() });
    await superuser.connect();
    const notices: string[] = [];
    superuser.on('notice', (n) => notices.push(n.message ?? ''));
    try {
      // auto_explain shows the plan of the statement inside hoso_member_name_matches too.
      for (const setting of [
        `load 'auto_explain'`, `set auto_explain.log_min_duration = 0`, `set auto_explain.log_nested_statements = on`,
        `set auto_explain.log_level = notice`, `set auto_explain.log_analyze = on`,
      ]) await superuser.query(setting);
      const city = unit('DN').path;
      for (const nationalId of [false, true]) {
        const { text, values } = memberPageSql({
          scope: city,
          columns: ['id', 'unit_id', 'full_name'],
          conditions: memberConditions({ search: 'nguyen thi huong' }, nationalId),
          order: { field: MemberOrderField.NAME, direction: OrderDirection.ASC },
          after: null,
          limit: 21,
          count: true,
          preloads: [],
        });
        let n = 0;
        const numbered = text.replace(/\?/g, () => `$${++n}`);
        notices.length = 0;
        await superuser.query('begin');
        await superuser.query('set local role hoso_api');
        await superuser.query(`select set_config('app.scope', $1, true)`, [city]);
        const { rows } = await superuser.query<{ total_count: string }>(numbered, values);
        await superuser.query('rollback');
        expect(Number(rows[0].total_count)).toBe((await expected('nguyen thi huong', city)).length);
        const plans = notices.join('\n');
        expect(plans).toMatch(/Index Only Scan using member_name_word_key on member_name_word/);
        expect(plans).toMatch(/Index Cond: \(\(suffix >= /);
        expect(plans).not.toMatch(/member_search_trgm/);
        expect(plans).not.toMatch(/Seq Scan on member\b/);
        // The member table is read by id for the page only (21 rows at most), not for each match.
        for (const scan of plans.matchAll(/Index Scan using member_pkey on member \w+ .*?rows=(\d+)(?:\.\d+)? loops=(\d+)/g)) {
          expect(Number(scan[1]) * Number(scan[2])).toBeLessThanOrEqual(21);
        }
      }
    } finally {
      await superuser.end();
    }
  });
});

describe('member name words after the 2025 reform', () => {
  it('the reform (units moved, members moved out of ended units through reorganiseUnits) leaves the words exact', async () => {
    const db = await createTestDatabase({ reformed: true });
    try {
      const [{ n }] = await ownerQuery<{ n: number }>(db, DRIFT);
      expect(n).toBe(0);
      const [{ moved }] = await ownerQuery<{ moved: number }>(
        db,
        `select count(*)::int moved from member_name_word w join org_unit u on w.unit_path <@ u.path where u.code = 'DN.HAICHAU2'`,
      );
      expect(moved).toBeGreaterThan(0);
    } finally {
      await db.drop();
    }
  });
});
