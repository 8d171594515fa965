import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { ensureBenchDatabase, datasetName, type BenchDatabase } from '../bench/seed';
import { DEMO_PASSWORD } from '../seeds/demo';
import { PROVINCES } from '../seeds/vietnam-tree';
import { startApp, type RunningApp } from '../src/app';
import { loadConfig } from '../src/config';
import type { EmbeddedDatabase } from '../src/database/embedded';

/**
 * The benchmark's nation-shaped dataset (bench/seed.ts, seeds/vietnam-tree.ts), loaded small into
 * the test server: the tree of the country after the 2025 reform with Đà Nẵng's city tree among
 * its provinces, the members spread by province, the root's account reading the whole party and a
 * province through the API while the demo's accounts keep their city scopes, and the same data
 * from a second load. Expected figures come from the tree's own rows (read as the owner) or
 * from the resolutions' counts, never from the generator.
 */
const MEMBERS = 6000;
const SECRET = 'bench-nation-secret-that-is-long-enough-for-hs256';

let cluster: EmbeddedDatabase;
let db: BenchDatabase;
let app: RunningApp;

async function ownerQuery<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: db.ownerUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T };
}

async function login(username: string): Promise<string> {
  const { data } = await gql(`mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }`, { u: username, p: DEMO_PASSWORD });
  expect(data?.login?.token, `login as ${username}`).toBeTruthy();
  return data.login.token;
}

/** A digest of the tree and the members' files, to compare two loads. */
async function fingerprint(): Promise<Record<string, unknown>> {
  const [row] = await ownerQuery(`
    select (select md5(string_agg(concat_ws('|', u.code, u.name, u.kind, p.code), ',' order by u.code)) from org_unit u left join org_unit p on p.id = u.parent_id) as units,
           (select md5(string_agg(concat_ws('|', m.id, m.full_name, m.date_of_birth, m.status, m.party_card_number, u.code), ',' order by m.id)) from member m join org_unit u on u.id = m.unit_id) as members,
           (select md5(string_agg(concat_ws('|', member_id, status, valid_from, valid_to), ',' order by member_id, valid_from)) from member_status_period) as periods,
           (select md5(string_agg(concat_ws('|', p.member_id, p.title, u.code, g.code), ',' order by p.member_id, p.title)) from post p join org_unit u on u.id = p.unit_id join org_unit g on g.id = p.managed_by_unit_id) as posts`);
  return row;
}

beforeAll(async () => {
  const info = inject('db');
  const at = (url: string) => (database: string) => url.replace('/DATABASE', `/${database}`);
  cluster = { superUrl: info.superUrl, ownerUrl: at(info.ownerUrl), apiUrl: at(info.apiUrl), stop: async () => undefined };
  db = await ensureBenchDatabase(cluster, MEMBERS, { shape: 'nation', force: true, log: () => {} });
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOSO_JWT_SECRET: SECRET, HOSO_LOG_LEVEL: 'silent', HOSO_LOGIN_ATTEMPTS_PER_ADDRESS: '10000' });
  app = await startApp(config, { apiUrl: db.apiUrl, jwtSecret: SECRET, log: (message, error) => error && console.error(message, error) });
}, 300_000);

afterAll(async () => {
  const admin = new Client({ connectionString: cluster.superUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${admin.escapeIdentifier(db.name)} with (force)`);
  await admin.end();
});

describe('the nation-shaped benchmark dataset', () => {
  it('is named apart from the city-shaped dataset of its size and says its shape in its marker', async () => {
    expect(db.name).toBe(`bench_${MEMBERS}_nation`);
    expect(datasetName(MEMBERS, 'city')).toBe(`bench_${MEMBERS}`);
    // From 2,000,000 members the nation is the size's own shape, and a forced city gets the suffix.
    expect(datasetName(5_600_000, 'nation')).toBe('bench_5600000');
    expect(datasetName(5_600_000, 'city')).toBe('bench_5600000_city');
    const admin = new Client({ connectionString: cluster.superUrl });
    await admin.connect();
    const { rows } = await admin.query<{ comment: string }>(`select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`, [db.name]);
    await admin.end();
    expect(JSON.parse(rows[0].comment)).toMatchObject({ members: MEMBERS, shape: 'nation', complete: true });
  });

  it('has the whole party at the root over the 34 provinces, their 3,321 commune-level units and Đà Nẵng as the city dataset has it', async () => {
    const [root] = await ownerQuery<{ code: string; name: string; parent_id: string | null }>(`select code, name, parent_id from org_unit where nlevel(path) = 1`);
    expect(root).toEqual({ code: 'VN', name: 'Đảng Cộng sản Việt Nam', parent_id: null });
    const provinces = await ownerQuery<{ code: string; name: string; communes: number }>(
      `select p.code, p.name, (select count(*)::int from org_unit c where c.parent_id = p.id) as communes
         from org_unit p join org_unit r on r.id = p.parent_id where r.code = 'VN' order by p.code`,
    );
    expect(provinces).toHaveLength(34);
    expect(provinces.map((p) => p.name)).toContain('Đảng bộ thành phố Hồ Chí Minh');
    expect(provinces.find((p) => p.code === 'VN.HANOI')).toMatchObject({ name: 'Đảng bộ thành phố Hà Nội', communes: 126 });
    // Đà Nẵng keeps its code and the city's tree before 2025: 7 districts, 56 wards under them.
    expect(provinces.find((p) => p.code === 'DN')).toMatchObject({ name: 'Đảng bộ thành phố Đà Nẵng', communes: 7 });
    const [danang] = await ownerQuery<{ wards: number; haichau: number }>(
      `select (select count(*)::int from org_unit w where w.kind = 'WARD' and w.code like 'DN.%') as wards,
              (select count(*)::int from org_unit w where w.code = 'DN.HAICHAU.THACHTHANG') as haichau`,
    );
    expect(danang).toEqual({ wards: 56, haichau: 1 });
    // The other 33 provinces: as many commune-level committees as the resolutions made (3,321 less Đà Nẵng's 94).
    const communes = provinces.filter((p) => p.code !== 'DN').reduce((sum, p) => sum + p.communes, 0);
    expect(communes).toBe(3321 - PROVINCES.find((p) => p.name === 'Đà Nẵng')!.communes);
    const [codes] = await ownerQuery<{ longest: number; misplaced: number }>(
      `select max(length(u.code))::int as longest,
              count(*) filter (where u.code <> 'DN' and u.code not like p.code || '.%')::int as misplaced
         from org_unit u join org_unit p on p.id = u.parent_id`,
    );
    // Every code fits unit(code:) and, Đà Nẵng aside (moved under the root with its code), is its parent's code and a segment.
    expect(codes.longest).toBeLessThanOrEqual(50);
    expect(codes.misplaced).toBe(0);
  });

  it('spreads the members by province: Hồ Chí Minh and Hà Nội the largest, Đà Nẵng about its real share', async () => {
    const rows = await ownerQuery<{ code: string; members: number }>(
      `select p.code, count(m.id)::int as members
         from org_unit p join org_unit r on r.id = p.parent_id and r.code = 'VN'
         left join member m on m.unit_path <@ p.path
        group by p.code order by members desc`,
    );
    expect(rows.reduce((sum, r) => sum + r.members, 0)).toBe(MEMBERS);
    expect(rows.slice(0, 2).map((r) => r.code)).toEqual(['VN.HOCHIMINH', 'VN.HANOI']);
    const danang = rows.find((r) => r.code === 'DN')!.members / MEMBERS;
    expect(danang).toBeGreaterThan(0.022);
    expect(danang).toBeLessThan(0.028);
    expect(rows.every((r) => r.members > 0)).toBe(true);
  });

  it("lets the root's account read the whole party and a province, while the demo's accounts keep Đà Nẵng's scopes", async () => {
    const trunguong = await login('trunguong');
    const admin = await login('admin');
    await login('haichau');
    const units = await ownerQuery<{ code: string; id: string }>(`select code, id::text from org_unit where code in ('VN', 'VN.HOCHIMINH', 'DN')`);
    const id = (code: string) => units.find((u) => u.code === code)!.id;
    const statistics = `query($unitId: ID!) { statistics(unitId: $unitId, asOf: "2026-10-31") { total unit { code } children { total unit { code } } } }`;

    const nation = await gql(statistics, { unitId: id('VN') }, trunguong);
    expect(nation.errors).toBeUndefined();
    const children = nation.data.statistics.children as { total: number; unit: { code: string } }[];
    expect(children).toHaveLength(34);
    expect(children.reduce((sum, c) => sum + c.total, 0)).toBe(nation.data.statistics.total);
    expect([...children].sort((a, b) => b.total - a.total)[0].unit.code).toBe('VN.HOCHIMINH');

    const province = await gql(statistics, { unitId: id('VN.HOCHIMINH') }, trunguong);
    expect(province.data.statistics.total).toBe(children.find((c) => c.unit.code === 'VN.HOCHIMINH')!.total);
    expect(province.data.statistics.children.length).toBe(PROVINCES.find((p) => p.name === 'Hồ Chí Minh')!.communes);

    // Đà Nẵng's figures are the same through the root's scope and through the city's.
    const fromRoot = await gql(statistics, { unitId: id('DN') }, trunguong);
    const fromCity = await gql(statistics, { unitId: id('DN') }, admin);
    expect(fromCity.data.statistics).toEqual(fromRoot.data.statistics);
    // The city's account does not see the rest of the country.
    const outside = await gql(statistics, { unitId: id('VN') }, admin);
    expect(outside.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('loads the same data again', async () => {
    const before = await fingerprint();
    // The load drops the database first: the server's connections would be cut under it.
    await app.close();
    db = await ensureBenchDatabase(cluster, MEMBERS, { shape: 'nation', force: true, log: () => {} });
    expect(await fingerprint()).toEqual(before);
  }, 300_000);
});
