import type { ClientBase } from 'pg';
import { JANUARY_2025, JULY_2025 } from './danang-reform';
import { CITY, DISTRICTS, codeOf } from './danang-tree';
import { codeSegmentOf } from '../src/units/unit-code';
import { DEMO_REFORM_TASK } from './demo';

/**
 * The demo lives through the 2025 reform: the seed (seeds/demo.ts) builds the tree before 2025,
 * then this file applies the reorganisations of 1 January and 1 July 2025 (seeds/danang-reform.ts)
 * through the `reorganiseUnits` mutation of the running server, signed in as `admin`: each first
 * as a dry run, then for real. The seed thereby proves the operation; what it changes is in the
 * audit log as the admin's work, with its decision and reason. The new committees' secretaries
 * and deputies are then loaded as seed data, like the seed's other posts (not audited).
 *
 * The unit ids the inputs name are read from the database (as the owner: the seed's own data);
 * everything else goes through the API.
 */

/** What the mutation is asked to answer. */
const REORGANISE = `mutation DemoReform($input: ReorganiseUnitsInput!) {
  reorganiseUnits(input: $input) {
    units { key code name ends members cells accounts { username outcome } }
    userErrors { field code message }
  }
}`;

const LOGIN = `mutation DemoReformLogin($input: LoginInput!) { login(input: $input) { token } }`;

/** One unit of a reorganisation's report, as the mutation answers it. */
interface ReformUnitReport {
  key: string | null;
  code: string | null;
  name: string;
  ends: boolean;
  members: number | null;
  cells: number | null;
  accounts: { username: string; outcome: string }[];
}

/** A reform's dry run and real run. */
export interface ReformRun {
  decision: string;
  effectiveOn: string;
  dryRun: ReformUnitReport[];
  applied: ReformUnitReport[];
}

/** Sends one GraphQL operation to the running server (with the token, when given) and returns its JSON answer. */
type GraphQLCall = (
  query: string,
  variables: Record<string, unknown>,
  token?: string,
) => Promise<{ data?: any; errors?: { message: string }[] }>;

/** A GraphQLCall over HTTP to the server at `baseUrl`. */
export function httpGraphQL(baseUrl: string): GraphQLCall {
  return async (query, variables, token) => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: { message: string }[] };
  };
}

interface UnitRow {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  alive: boolean;
}

/** The tree as the database holds it now, by code and by (parent, name). */
class Tree {
  private readonly byCode = new Map<string, UnitRow>();
  private readonly byParentAndName = new Map<string, UnitRow>();
  private readonly accounts = new Map<string, string>();

  constructor(
    units: UnitRow[],
    accounts: { id: string; username: string }[],
  ) {
    for (const u of units) {
      this.byCode.set(u.code, u);
      if (u.alive) this.byParentAndName.set(`${u.parentId}|${u.name}`, u);
    }
    for (const a of accounts) this.accounts.set(a.username, a.id);
  }

  code(code: string): UnitRow {
    const unit = this.byCode.get(code);
    if (!unit) throw new Error(`the demo reform needs the unit ${code}, which the database does not hold`);
    return unit;
  }

  /** The alive ward or commune `ward` of the district `district` (names as in seeds/danang-tree.ts). */
  ward(district: string, ward: string): UnitRow {
    const d = this.code(`${CITY.code}.${codeOf(district)}`);
    const rural = DISTRICTS.find((x) => x.name === district)?.type === 'Huyện';
    const name = `Đảng bộ ${rural ? 'xã' : 'phường'} ${ward}`;
    const unit = this.byParentAndName.get(`${d.id}|${name}`);
    if (!unit) throw new Error(`the demo reform needs "${name}" in ${d.code}, which the database does not hold alive`);
    return unit;
  }

  children(parentId: string): UnitRow[] {
    return [...this.byCode.values()].filter((u) => u.parentId === parentId && u.alive).sort((a, b) => a.code.localeCompare(b.code));
  }

  account(username: string): string {
    const id = this.accounts.get(username);
    if (!id) throw new Error(`the demo reform needs the account ${username}`);
    return id;
  }
}

async function readTree(client: ClientBase): Promise<Tree> {
  const { rows: units } = await client.query<UnitRow>(
    `select id::text as id, code, name, parent_id::text as "parentId", valid_to is null as alive from org_unit`,
  );
  const { rows: accounts } = await client.query<{ id: string; username: string }>(`select id::text as id, username from account`);
  return new Tree(units, accounts);
}

/** "Phường Hải Châu" → "Đảng bộ phường Hải Châu": the party committee of the place. */
const committeeName = (place: string) => `Đảng bộ ${place.charAt(0).toLowerCase()}${place.slice(1)}`;

/** The key of a new unit in the operation: its place name in code form ("Phường Hải Châu" → "HAICHAU"). */
const keyOf = (place: string) => codeSegmentOf(place);

/** Eight merges inside the districts, from 1 January 2025 (seeds/danang-reform.ts). */
function januaryInput(tree: Tree) {
  const newUnits: { key: string; name: string; kind: string; parent: { id: string } }[] = [];
  const steps = JANUARY_2025.merges.map((merge) => {
    const district = tree.code(`${CITY.code}.${codeOf(merge.district)}`);
    const sources = merge.from.filter((ward) => ward !== merge.name).map((ward) => tree.ward(merge.district, ward).id);
    if (sources.length === merge.from.length) {
      // A new ward of its own name (Hải Châu I and II into Hải Châu).
      const key = codeOf(merge.name);
      newUnits.push({ key, name: committeeName(`Phường ${merge.name}`), kind: 'WARD', parent: { id: district.id } });
      return { kind: 'MERGE', units: sources, into: [{ key }] };
    }
    return { kind: 'MERGE', units: sources, into: [{ id: tree.ward(merge.district, merge.name).id }] };
  });
  return { effectiveOn: JANUARY_2025.effectiveOn, decision: JANUARY_2025.decision, reason: JANUARY_2025.reason, newUnits, steps };
}

/**
 * From 1 July 2025: 15 new ward and commune committees directly under the city, each merging
 * former wards and communes; Hòa Liên split between two of them; the seven district committees
 * dissolved. Accounts: `haichau` and `sontra.viewer` move to the committees that succeeded the
 * cores of their districts, `thachthang` to the first cell of the former Thạch Thang ward (now
 * inside Phường Hải Châu); every other account of a unit that ends (`camle`) is deactivated.
 */
async function julyInput(tree: Tree, client: ClientBase) {
  const city = tree.code(CITY.code);
  const newUnits = JULY_2025.units.map((u) => ({ key: keyOf(u.name), name: committeeName(u.name), kind: 'WARD', parent: { id: city.id } }));
  const used = new Set<string>();
  const ward = (district: string, name: string) => {
    const unit = tree.ward(district, name);
    used.add(unit.id);
    return unit;
  };

  const split = JULY_2025.split;
  const source = ward(split.from[0], split.from[1]);
  const cells = tree.children(source.id);
  const first = Math.max(1, Math.round(cells.length * split.firstShare));
  const [toFirst, toRest] = split.into.map((name) => ({ key: keyOf(name) }));
  // Members registered directly in the commune (none in the generated data) go with the rest.
  const { rows: direct } = await client.query<{ id: string }>(
    `select member_id::text as id from member_unit_period where unit_id = $1 and valid_to is null order by member_id`,
    [source.id],
  );
  const steps: Record<string, unknown>[] = [
    {
      kind: 'SPLIT',
      units: [source.id],
      into: [toFirst, toRest],
      assign: [
        ...cells.map((cell, i) => ({ unitId: cell.id, to: i < first ? toFirst : toRest })),
        ...direct.map((m) => ({ memberId: m.id, to: toRest })),
      ],
    },
  ];
  for (const unit of JULY_2025.units) {
    steps.push({ kind: 'MERGE', units: unit.from.map(([d, w]) => ward(d, w).id), into: [{ key: keyOf(unit.name) }] });
  }
  for (const district of DISTRICTS) {
    const d = tree.code(`${CITY.code}.${codeOf(district.name)}`);
    const left = tree.children(d.id).filter((w) => !used.has(w.id));
    if (left.length) throw new Error(`the July 2025 reform leaves ${left.map((w) => w.code).join(', ')} in ${d.code}`);
    steps.push({ kind: 'DISSOLVE', units: [d.id] });
  }
  const thachThang = tree.children(tree.ward('Hải Châu', 'Thạch Thang').id)[0];
  const rehomeAccounts = [
    { accountId: tree.account('haichau'), to: { key: keyOf('Phường Hải Châu') } },
    { accountId: tree.account('sontra.viewer'), to: { key: keyOf('Phường Sơn Trà') } },
    { accountId: tree.account('thachthang'), to: { id: thachThang.id } },
  ];
  return { effectiveOn: JULY_2025.effectiveOn, decision: JULY_2025.decision, reason: JULY_2025.reason, newUnits, steps, rehomeAccounts };
}

/**
 * Does the seed's task (seed_task DEMO_REFORM_TASK, written by seeds/demo.ts): applies the reforms
 * the database has not recorded yet (by decision number), each as a dry run and then for real,
 * through `reorganiseUnits` as `admin`; then appoints the new committees' secretaries and deputies
 * (seed data, as the seed's other posts); then removes the task. Returns what each run answered.
 * A database without the task (not the seed's, or done) is not touched; a start interrupted
 * halfway finds the task still there and goes on from where it stopped.
 */
export async function applyDemoReform(
  connect: () => Promise<import('pg').Client>,
  gql: GraphQLCall,
  password: string,
): Promise<ReformRun[]> {
  const client = await connect();
  try {
    const { rows: task } = await client.query(`select 1 from seed_task where name = $1`, [DEMO_REFORM_TASK]);
    if (!task.length) return [];
    const { rows: done } = await client.query<{ decision: string }>(`select decision_number as decision from reorganisation`);
    const pending = [JANUARY_2025, JULY_2025].filter((r) => !done.some((d) => d.decision === r.decision.number));

    const runs: ReformRun[] = [];
    if (pending.length) {
      const login = await gql(LOGIN, { input: { username: 'admin', password } });
      const token = login.data?.login?.token as string | undefined;
      if (!token) throw new Error(`the demo reform could not sign in as admin: ${JSON.stringify(login.errors)}`);
      const reorganise = async (input: Record<string, unknown>, dryRun: boolean): Promise<ReformUnitReport[]> => {
        const result = await gql(REORGANISE, { input: { ...input, dryRun } }, token);
        const payload = result.data?.reorganiseUnits;
        if (!payload || payload.userErrors.length) {
          throw new Error(`the demo reform of ${String(input.effectiveOn)} was refused: ${JSON.stringify(result.errors ?? payload.userErrors)}`);
        }
        return payload.units as ReformUnitReport[];
      };
      for (const reform of pending) {
        const tree = await readTree(client);
        const input = reform === JANUARY_2025 ? januaryInput(tree) : await julyInput(tree, client);
        const dryRun = await reorganise(input, true);
        const applied = await reorganise(input, false);
        runs.push({ decision: reform.decision.number, effectiveOn: reform.effectiveOn, dryRun, applied });
      }
    }
    // Appointments and the end of the task in one transaction: either both or, next start, again.
    await client.query('begin');
    try {
      await appointNewCommittees(client);
      await client.query(`delete from seed_task where name = $1`, [DEMO_REFORM_TASK]);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
    return runs;
  } finally {
    await client.end();
  }
}

/**
 * The new committees' secretaries (managed by the city) and first deputies (managed by the
 * committee), appointed from 1 July 2025 for the 2025–2030 term: the members of the committee
 * admitted longest ago, as the seed picks its other cadres (seeds/demo.ts, insertCadres).
 */
async function appointNewCommittees(client: ClientBase): Promise<void> {
  // Inside the caller's transaction: seed data, loaded as the seed loads its own.
  await client.query(`set local hoso.bulk_load = 'on'`);
  for (const [title, managedByCity, rank] of [
    ['Bí thư Đảng ủy', true, 0],
    ['Phó Bí thư Đảng ủy', false, 1],
  ] as const) {
    await client.query(
      `insert into post (member_id, title, unit_id, managed_by_unit_id, start_on, term_years, decision_number, decision_date, decision_body)
       select m.id, $1 || ' ' || replace(h.name, 'Đảng bộ ', ''), h.id, case when $2 then h.parent_id else h.id end,
              date '${JULY_2025.effectiveOn}', 5, (200 + h.id) || '-QĐ/TU', date '${JULY_2025.effectiveOn}', 'Ban Thường vụ Thành ủy Đà Nẵng'
         from org_unit h
        cross join lateral (
          select m.id from member m
           where m.unit_path <@ h.path and m.status = 'OFFICIAL' and m.date_of_birth between '1966-01-01' and '1986-12-31'
             and m.joined_on < date '${JULY_2025.effectiveOn}'
           order by m.joined_on, m.id offset $3 limit 1) m
        where h.kind = 'WARD' and h.valid_from = date '${JULY_2025.effectiveOn}' and h.valid_to is null
          and not exists (select 1 from post p where p.unit_id = h.id and p.title like $1 || '%')`,
      [title, managedByCity, rank],
    );
  }
}

/**
 * The log of a run: a header (whether the dry run's report matched the real one, units created
 * and ended), then one line per unit created with its members and cells in the dry run and after
 * the real run.
 */
export function describeRun(run: ReformRun): string[] {
  const created = run.applied.filter((u) => u.key !== null);
  const ended = run.applied.filter((u) => u.ends);
  // The dry run's report is the real run's, but for the ids of units it did not create.
  const figures = (units: ReformUnitReport[]) => JSON.stringify(units.map((u) => [u.key, u.code, u.name, u.ends, u.members, u.cells, u.accounts]));
  const same = figures(run.dryRun) === figures(run.applied);
  return [
    `${run.decision} (effective ${run.effectiveOn}): dry run gave ${same ? 'the same report as' : 'a report that differs from'} the real run; ${created.length} units created, ${ended.length} ended`,
    ...created.map((u) => {
      const dry = run.dryRun.find((d) => d.key === u.key);
      return `  ${String(u.code).padEnd(16)} ${u.name}: dry run ${dry?.members} members in ${dry?.cells} cells; applied ${u.members} members in ${u.cells} cells`;
    }),
  ];
}
