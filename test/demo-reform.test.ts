import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JULY_2025 } from '../seeds/danang-reform';
import { DISTRICTS } from '../seeds/danang-tree';
import { DEMO_ACCOUNTS } from '../seeds/demo';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/**
 * The demo as `npm start` serves it: the tree before 2025, then the reorganisations of 1 January
 * and 1 July 2025 applied through reorganiseUnits itself (seeds/demo-reform.ts). Beside it, the
 * same seed without the reform: the reform must change the tree and nothing about the members'
 * own history, so every count over the members agrees between the two.
 */
describe('the demo after the 2025 reform', () => {
  let reformed: TestApp;
  let before: TestApp;
  let admin: string;
  let adminBefore: string;
  let city: string;

  /** The answer's data, after checking it carries no error. */
  const ok = (result: { data?: any; errors?: unknown }): any => {
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data;
  };
  const unitByCode = async (code: string) =>
    ok(await reformed.gql(`query($c: String) { unit(code: $c) { id code name kind validFrom validTo } }`, { c: code }, admin)).unit;
  const STATISTICS = `query($u: ID!, $d: Date) { statistics(unitId: $u, asOf: $d) { total byStatus { key count } children { unit { code name } total } } }`;
  const FLOWS = `query($u: ID!, $f: Date!, $t: Date!) { flows(unitId: $u, from: $f, to: $t) {
    opening closing admissions readmissions officialConfirmations transfersIn transfersOut reorganisedIn reorganisedOut departures { key count } } }`;
  /** closing − opening as the flows explain it: what came onto the subtree's rolls minus what left. */
  const net = (f: any) =>
    f.admissions + f.readmissions + f.transfersIn - f.transfersOut + f.reorganisedIn - f.reorganisedOut - f.departures.reduce((n: number, d: any) => n + d.count, 0);
  const memberIds = async (app: TestApp, token: string) => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = ok(await app.gql(`query($a: String) { members(first: 100, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { a: after }, token)).members;
      ids.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) return ids.sort();
      after = page.pageInfo.endCursor;
    }
  };

  beforeAll(async () => {
    [reformed, before] = await Promise.all([startTestApp({}, { reformed: true }), startTestApp()]);
    [admin, adminBefore] = await Promise.all([reformed.login('admin'), before.login('admin')]);
    city = (await unitByCode('DN')).id;
  });
  afterAll(async () => {
    await Promise.all([reformed?.close(), before?.close()]);
  });

  it('has the 15 committees of Nghị quyết 1659 directly under the city today, and no district', async () => {
    const units = ok(await reformed.gql(`query($p: ID) { units(parentId: $p, first: 100) { edges { node { code name kind validFrom } } } }`, { p: city }, admin))
      .units.edges.map((e: any) => e.node);
    expect(units.map((u: any) => u.name).sort()).toEqual(JULY_2025.units.map((u) => `Đảng bộ ${u.name.charAt(0).toLowerCase()}${u.name.slice(1)}`).sort());
    expect(units.every((u: any) => u.kind === 'WARD' && u.validFrom === '2025-07-01')).toBe(true);
    // The new committee of Hải Châu's core takes the next free code: the district's is never reused.
    expect(units.find((u: any) => u.name === 'Đảng bộ phường Hải Châu').code).toBe('DN.HAICHAU2');
    const [alive] = await ownerQuery<{ districts: number; wards: number }>(
      reformed.db,
      `select count(*) filter (where kind = 'DISTRICT' and valid_to is null)::int districts,
              count(*) filter (where kind = 'WARD' and valid_to is null)::int wards from org_unit`,
    );
    expect(alive).toEqual({ districts: 0, wards: 15 });
  });

  it('keeps the old codes finding their units, ended, with their successors in the lineage', async () => {
    const district = await unitByCode('DN.HAICHAU');
    expect(district).toMatchObject({ kind: 'DISTRICT', validTo: '2025-07-01' });
    const ward = await unitByCode('DN.HAICHAU.THACHTHANG');
    expect(ward.validTo).toBe('2025-07-01');
    const lineage = ok(
      await reformed.gql(
        `query($c: String) { unit(code: $c) { lineage { successors { kind effectiveOn decision { number } to { code name } } } } }`,
        { c: 'DN.HAICHAU.THACHTHANG' },
        admin,
      ),
    ).unit.lineage;
    expect(lineage.successors).toEqual([
      { kind: 'MERGE', effectiveOn: '2025-07-01', decision: { number: '1659/NQ-UBTVQH15' }, to: { code: 'DN.HAICHAU2', name: 'Đảng bộ phường Hải Châu' } },
    ]);
    // Hải Châu I went first into the Hải Châu ward of 1 January 2025, which went into Phường Hải Châu.
    const first = ok(
      await reformed.gql(`query($c: String) { unit(code: $c) { lineage { successors { to { code } } } } }`, { c: 'DN.HAICHAU.HAICHAUI' }, admin),
    ).unit.lineage.successors;
    expect(first).toEqual([{ to: { code: 'DN.HAICHAU.HAICHAU' } }]);
  });

  it('reports the city as of a date by the tree of that date: districts on 2024-12-31, the new committees on 2025-07-01, the same totals as without the reform', async () => {
    const on = async (app: TestApp, token: string, unit: string, date: string) => ok(await app.gql(STATISTICS, { u: unit, d: date }, token)).statistics;
    const beforeCity = ok(await before.gql(`query { unit(code: "DN") { id } }`, {}, adminBefore)).unit.id;
    const dates = ['2024-12-31', '2025-01-01', '2025-06-30', '2025-07-01'];
    const [dec31, jan1, jun30, jul1] = await Promise.all(dates.map((d) => on(reformed, admin, city, d)));
    const without = await Promise.all(dates.map((d) => on(before, adminBefore, beforeCity, d)));
    expect(dec31.children.map((c: any) => c.unit.name).sort()).toEqual(DISTRICTS.map((d) => `Đảng bộ ${d.type.toLowerCase()} ${d.name}`).sort());
    expect(jul1.children.map((c: any) => c.unit.code).sort()).toEqual(
      ['DN.HAICHAU2', 'DN.HOACUONG', 'DN.THANHKHE2', 'DN.ANKHE', 'DN.ANHAI', 'DN.SONTRA2', 'DN.NGUHANHSON2', 'DN.HOAKHANH', 'DN.HAIVAN', 'DN.LIENCHIEU2', 'DN.CAMLE2', 'DN.HOAXUAN', 'DN.HOAVANG2', 'DN.HOATIEN', 'DN.BANA'].sort(),
    );
    // The unit the report returns is of its date too: its own children are the districts then.
    const nested = ok(
      await reformed.gql(`query($u: ID!) { statistics(unitId: $u, asOf: "2024-12-31") { unit { children(first: 50) { edges { node { kind } } } } } }`, { u: city }, admin),
    ).statistics.unit.children.edges.map((e: any) => e.node.kind);
    expect(nested).toEqual(DISTRICTS.map(() => 'DISTRICT'));
    // A pure reorganisation neither adds nor loses a member: on every date the city's figures are
    // those of the same register without the reform, and the children add up to the city.
    [dec31, jan1, jun30, jul1].forEach((s, i) => {
      expect(s.total, dates[i]).toBe(without[i].total);
      expect(s.byStatus, dates[i]).toEqual(without[i].byStatus);
      expect(s.children.reduce((n: number, c: any) => n + c.total, 0), dates[i]).toBe(s.total);
    });
    // Before the reform, the same tree: the same figures per district.
    expect(jun30.children.map((c: any) => [c.unit.name, c.total])).toEqual(without[2].children.map((c: any) => [c.unit.name, c.total]));
    // Across each reform day the total changes only by what the day's own flows show (admissions,
    // departures: the register's own events), and not at all by the reorganisation.
    for (const [dayBefore, day, a, b] of [
      ['2024-12-31', '2025-01-01', dec31, jan1],
      ['2025-06-30', '2025-07-01', jun30, jul1],
    ] as const) {
      const f = ok(await reformed.gql(FLOWS, { u: city, f: day, t: day }, admin)).flows;
      expect([f.opening, f.closing], dayBefore).toEqual([a.total, b.total]);
      expect(b.total - a.total, day).toBe(net(f));
      expect([f.transfersIn, f.transfersOut, f.reorganisedIn, f.reorganisedOut], day).toEqual([0, 0, 0, 0]);
    }
  });

  it('shows no admission, departure or transfer caused by the reform in the flows over its dates', async () => {
    const beforeCity = ok(await before.gql(`query { unit(code: "DN") { id } }`, {}, adminBefore)).unit.id;
    for (const [from, to] of [
      ['2024-12-01', '2025-01-31'],
      ['2025-06-01', '2025-07-31'],
    ]) {
      const after = ok(await reformed.gql(FLOWS, { u: city, f: from, t: to }, admin)).flows;
      const without = ok(await before.gql(FLOWS, { u: beforeCity, f: from, t: to }, adminBefore)).flows;
      expect(after).toEqual(without);
      expect(after.closing - after.opening).toBe(net(after));
    }
    // The new committee's first month: the members it took in on 1 July came by the reorganisation,
    // not by transfer; its flows balance with them counted as reorganisedIn.
    const haichau = (await unitByCode('DN.HAICHAU2')).id;
    const first = ok(await reformed.gql(FLOWS, { u: haichau, f: '2025-07-01', t: '2025-07-31' }, admin)).flows;
    const [received] = await ownerQuery<{ n: number }>(
      reformed.db,
      `select count(*)::int n from member_fact f
        where f.valid_from = date '2025-07-01' and f.status in ('PROBATIONARY', 'OFFICIAL', 'RELEASED')
          and f.unit_path <@ (select path from org_unit where code = 'DN.HAICHAU2')
          and exists (select 1 from member_fact g where g.member_id = f.member_id and g.valid_to = date '2025-07-01'
                        and g.unit_id = f.unit_id and g.status in ('PROBATIONARY', 'OFFICIAL', 'RELEASED'))`,
    );
    expect(received.n).toBeGreaterThan(0);
    expect(first.reorganisedIn).toBe(received.n);
    expect(first.opening).toBe(0);
    expect(first.transfersIn).toBe(0);
    expect(first.closing - first.opening).toBe(net(first));
  });

  it('moved haichau, sontra.viewer and thachthang to the units that succeeded theirs, and deactivated camle', async () => {
    const accounts = await ownerQuery<{ username: string; code: string; active: boolean }>(
      reformed.db,
      `select a.username, u.code, a.active from account a join org_unit u on u.id = a.unit_id where a.username = any($1) order by a.username`,
      [DEMO_ACCOUNTS.map((a) => a.username)],
    );
    expect(accounts).toEqual(
      DEMO_ACCOUNTS.map((a) => ({ username: a.username, code: a.unit, active: a.active })).sort((x, y) => x.username.localeCompare(y.username)),
    );
    const camle = await reformed.gql(`mutation { login(input: { username: "camle", password: "hoso-demo" }) { token userErrors { code } } }`);
    expect(camle.data?.login?.token ?? null).toBeNull();
    // The same account and password sign in on the register without the reform: it is the reform that closed it.
    expect(await before.login('camle')).toBeTruthy();
  });

  it('lets haichau see the members now in Phường Hải Châu, with their history from before the reform, and no longer the rest of the old district', async () => {
    const token = await reformed.login('haichau');
    const seen = await memberIds(reformed, token);
    const expected = (
      await ownerQuery<{ id: string }>(
        reformed.db,
        `select m.id::text as id from member m where m.unit_path <@ (select path from org_unit where code = 'DN.HAICHAU2')`,
      )
    )
      .map((r) => r.id)
      .sort();
    expect(seen).toEqual(expected);
    // Hòa Cường Bắc was in the Hải Châu district and went to Phường Hòa Cường: out of sight now.
    const [hoaCuong] = await ownerQuery<{ id: string }>(
      reformed.db,
      `select m.id::text as id from member m join org_unit c on c.id = m.unit_id where c.code like 'DN.HAICHAU.HOACUONGBAC.%' order by m.id limit 1`,
    );
    expect(ok(await reformed.gql(`query($id: ID) { member(id: $id) { id } }`, { id: hoaCuong.id }, token)).member).toBeNull();
    // A member of the former Thạch Thang ward: visible with the unit history and audit trail from before.
    const [old] = await ownerQuery<{ id: string }>(
      reformed.db,
      `select m.id::text as id from member m join org_unit c on c.id = m.unit_id
        where c.code like 'DN.HAICHAU.THACHTHANG.%' and m.joined_on < '2020-01-01' and m.status = 'OFFICIAL' order by m.id limit 1`,
    );
    const file = ok(
      await reformed.gql(
        `query($id: ID) { member(id: $id) { id unitHistory { validFrom unit { code } } } }`,
        { id: old.id },
        token,
      ),
    ).member;
    expect(file.id).toBe(old.id);
    expect(file.unitHistory[0].unit.code).toMatch(/^DN\.HAICHAU\.THACHTHANG\.CB/);
    const asOf = ok(await reformed.gql(`query($id: ID) { member(id: $id, asOf: "2024-06-30T12:00:00+07:00") { id } }`, { id: old.id }, token)).member;
    expect(asOf?.id).toBe(old.id);
  });

  it('splits Hòa Liên: an account of Phường Liên Chiểu sees the cells that went to it, not those that went to Hải Vân', async () => {
    const cells = await ownerQuery<{ code: string; ward: string }>(
      reformed.db,
      `select c.code, p.code as ward from org_unit c join org_unit p on p.id = c.parent_id where c.code like 'DN.HOAVANG.HOALIEN.%' order by c.code`,
    );
    const toHaiVan = cells.filter((c) => c.ward === 'DN.HAIVAN');
    const toLienChieu = cells.filter((c) => c.ward === 'DN.LIENCHIEU2');
    // The first 30 % of the commune's cells (seeds/danang-reform.ts) went to Hải Vân.
    expect(toHaiVan.length).toBe(Math.max(1, Math.round(cells.length * JULY_2025.split.firstShare)));
    expect(toHaiVan.map((c) => c.code)).toEqual(cells.slice(0, toHaiVan.length).map((c) => c.code));
    expect(toLienChieu.length).toBeGreaterThan(0);
    expect(toHaiVan.length + toLienChieu.length).toBe(cells.length);

    await ownerQuery(
      reformed.db,
      `insert into account (username, password_hash, role, unit_id)
       select 'lienchieu.test', password_hash, 'ORG_STAFF', (select id from org_unit where code = 'DN.LIENCHIEU2') from account where username = 'admin'`,
    );
    const token = await reformed.login('lienchieu.test');
    const seen = new Set(await memberIds(reformed, token));
    const members = await ownerQuery<{ id: string; code: string }>(
      reformed.db,
      `select m.id::text as id, c.code from member m join org_unit c on c.id = m.unit_id where c.code like 'DN.HOAVANG.HOALIEN.%'`,
    );
    const lienChieuCells = new Set(toLienChieu.map((c) => c.code));
    expect(members.some((m) => lienChieuCells.has(m.code))).toBe(true);
    expect(members.some((m) => !lienChieuCells.has(m.code))).toBe(true);
    for (const m of members) expect(seen.has(m.id), `${m.code} member ${m.id}`).toBe(lienChieuCells.has(m.code));
  });

  it('lets the successor read where it came from: its predecessors named in its lineage, though they lie outside its scope', async () => {
    const token = await reformed.login('haichau');
    const result = ok(
      await reformed.gql(`query { me { unit { code lineage { predecessors { kind decision { number } from { code name } } } } } }`, {}, token),
    );
    expect(result.me.unit.code).toBe('DN.HAICHAU2');
    const predecessors = result.me.unit.lineage.predecessors;
    expect(predecessors.map((p: any) => p.from.name).sort()).toEqual(
      ['Đảng bộ phường Thanh Bình', 'Đảng bộ phường Thuận Phước', 'Đảng bộ phường Thạch Thang', 'Đảng bộ phường Phước Ninh', 'Đảng bộ phường Hải Châu'].sort(),
    );
    expect(predecessors.every((p: any) => p.kind === 'MERGE' && p.decision.number === '1659/NQ-UBTVQH15')).toBe(true);
    // The predecessor itself stays out of scope: only its name and code come with the step.
    expect(ok(await reformed.gql(`query { unit(code: "DN.HAICHAU.THACHTHANG") { id } }`, {}, token)).unit).toBeNull();
  });

  it('follows a cell through the reform: its flows open and close on its own rolls, with nothing reorganised', async () => {
    const cell = (await unitByCode('DN.HAICHAU.THACHTHANG.CB01')).id;
    const total = async (d: string) => ok(await reformed.gql(STATISTICS, { u: cell, d }, admin)).statistics.total as number;
    const f = ok(await reformed.gql(FLOWS, { u: cell, f: '2025-06-01', t: '2025-07-31' }, admin)).flows;
    expect([f.opening, f.closing]).toEqual([await total('2025-05-31'), await total('2025-07-31')]);
    expect([f.reorganisedIn, f.reorganisedOut]).toEqual([0, 0]);
    expect(f.opening).toBeGreaterThan(0);
  });

  it('left reporting facts equal to a full rebuild, no member marked for one, and the marks out of the API role’s reach', async () => {
    const fingerprint = async () =>
      (
        await ownerQuery<{ f: string }>(
          reformed.db,
          `select md5(string_agg(format('%s|%s|%s|%s|%s|%s', member_id, valid_from, valid_to, status, unit_id, unit_path), ',' order by member_id, valid_from)) f
             from member_fact`,
        )
      )[0].f;
    const [stale] = await ownerQuery<{ n: number }>(reformed.db, `select count(*)::int n from member_fact_stale`);
    expect(stale.n).toBe(0);
    const kept = await fingerprint();
    await ownerQuery(reformed.db, `select hoso_rebuild_all_member_facts()`);
    expect(await fingerprint()).toBe(kept);
    const api = new Client({ connectionString: reformed.db.apiUrl });
    await api.connect();
    try {
      await expect(api.query(`select * from member_fact_stale`)).rejects.toThrow(/permission denied/);
      await expect(api.query(`insert into member_fact_stale values (1)`)).rejects.toThrow(/permission denied/);
      // Nor can it file a reorganisation on a unit outside its scope (here, with no scope: none).
      await expect(
        api.query(
          `insert into reorganisation (effective_on, decision_number, decision_date, decision_body, reason, unit_id)
           values ('2025-07-01', '1-QĐ', '2025-07-01', 'x', 'x', (select min(id) from org_unit))`,
        ),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await api.end();
    }
  });

  it('gives no API key to a unit that ended, and one to its successor', async () => {
    const create = async (code: string) =>
      ok(
        await reformed.gql(
          `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key userErrors { code field message } } }`,
          { i: { name: `báo cáo ${code}`, role: 'REPORTER', unitId: (await unitByCode(code)).id } },
          admin,
        ),
      ).createApiKey;
    const ended = await create('DN.HAICHAU');
    expect(ended.key).toBeNull();
    expect(ended.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'unitId'], message: expect.stringContaining('ended on 2025-07-01') }]);
    expect((await create('DN.HAICHAU2')).key).toMatch(/^hoso_/);
  });

  it('ended the posts of the units that ended, and appointed the new committees from 1 July 2025', async () => {
    const [posts] = await ownerQuery<{ open_in_ended: number; ended_on_reform: number; new_secretaries: number }>(
      reformed.db,
      `select count(*) filter (where p.end_on is null and u.valid_to is not null)::int open_in_ended,
              count(*) filter (where p.end_on = date '2025-07-01')::int ended_on_reform,
              count(*) filter (where p.title like 'Bí thư Đảng ủy%' and u.valid_from = date '2025-07-01' and p.end_on is null)::int new_secretaries
         from post p join org_unit u on u.id = p.unit_id`,
    );
    expect(posts.open_in_ended).toBe(0);
    // Posts and planning still running are managed by units that exist: a cell's post managed by
    // its merged ward now by the ward committee the cell belongs to.
    const [managed] = await ownerQuery<{ posts: number; planning: number }>(
      reformed.db,
      `select (select count(*) from post p join org_unit g on g.id = p.managed_by_unit_id where p.end_on is null and g.valid_to is not null)::int posts,
              (select count(*) from planning_entry e join org_unit g on g.id = e.managed_by_unit_id where e.period_end >= 2025 and g.valid_to is not null)::int planning`,
    );
    expect(managed).toEqual({ posts: 0, planning: 0 });
    const [cellPosts] = await ownerQuery<{ open: number; elsewhere: number }>(
      reformed.db,
      `select count(*)::int open, count(*) filter (where p.managed_by_unit_id <> h.parent_id)::int elsewhere
         from post p join org_unit h on h.id = p.unit_id
        where p.title = 'Chi ủy viên' and h.kind = 'CELL' and p.end_on is null`,
    );
    expect(cellPosts).toEqual({ open: 1, elsewhere: 0 });
    expect(posts.ended_on_reform).toBeGreaterThan(0);
    expect(posts.new_secretaries).toBe(15);
  });
});
