import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { API_ROLE, freePort } from '../src/database/embedded';
import { DEMO_PASSWORD } from '../seeds/demo';
import { CITY_PROVINCE_MEMBER_SHARE, LARGEST_PROVINCE, NATION, provinceCode } from '../seeds/vietnam-tree';
import { BENCH_DIR, parseCount, parseOptions, startBenchCluster } from './cluster';
import type { LoadResult, LoadSpec } from './load';
import { prewarm } from './prewarm';
import { renderExplain, renderReport, type Report, type ScenarioResult, type SizeResult } from './report';
import { benchPhone, loadStatisticsSql, peerVariables, S5_REASON, scenarios, statisticsDates, type Scenario } from './scenarios';
import { ensureBenchDatabase, parseShape, type BenchDatabase, type DatasetShape } from './seed';

/**
 * `npm run bench -- [--members 100000,1000000] [--duration 20] [--warmup 3] [--connections 16]
 * [--rounds 2] [--scenarios S1,S2,S3,S4,S5] [--pool 10] [--out bench] [--cpu-prof DIR] [--shape city|nation]`
 * (--cpu-prof: the API runs under `node --cpu-prof`, one profile per start, written to DIR when it
 * stops; `node dist/bench/profile.js DIR/<file>.cpuprofile` lists where its time went; --shape: the
 * datasets' shape, by default each size's own, bench/seed.ts; S4 asks for the largest province and
 * the root too on nation-shaped ones)
 *
 * For each dataset size (loaded by bench/seed.ts when missing): the API in production mode
 * (`node dist/src/main.js`), the floor (bench/floor.ts) and the peer (PostGraphile,
 * bench/peer.ts) run as child processes on the bench cluster; each scenario runs with autocannon
 * (in another process) against the three, interleaved in a rotating order, `rounds` times; then,
 * with all stopped, one request at a time with the server's statement log on counts the SQL
 * statements each request sends, and on the largest size auto_explain records the API's plans.
 * Writes bench/REPORT.md, bench/report.json, bench/EXPLAIN.md.
 */

/** Where the report goes: the source folder bench/ (dist/bench/run.js → bench/), or --out. */
const BENCH_SRC = path.resolve(__dirname, '..', '..', 'bench');
const DIST = path.resolve(__dirname, '..');
/** Members taken for S5 before each run: each is updated at most once per pass. */
const S5_POOL = 100_000;
const PROBE_REQUESTS = 5;

interface Options {
  sizes: number[];
  seconds: number;
  warmupSeconds: number;
  connections: number;
  rounds: number;
  scenarioIds: string[];
  poolSize: number;
  out: string;
  /** Where the API writes a V8 CPU profile of its whole life (`node --cpu-prof`), or null. */
  cpuProfileDir: string | null;
  /** The datasets' shape; undefined: each size's default. */
  shape: DatasetShape | undefined;
}

function readOptions(): Options {
  const o = parseOptions(process.argv.slice(2));
  const number = (name: string, fallback: number) => {
    const value = Number(o.get(name) ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number.`);
    return value;
  };
  return {
    sizes: (o.get('members') ?? '100000,1000000').split(',').map(parseCount).sort((a, b) => a - b),
    seconds: number('duration', 20),
    warmupSeconds: number('warmup', 3),
    connections: number('connections', 16),
    rounds: number('rounds', 2),
    scenarioIds: (o.get('scenarios') ?? 'S1,S2,S3,S4,S5').split(',').map((s) => s.trim().toUpperCase()),
    poolSize: number('pool', 10),
    out: path.resolve(o.get('out') ?? BENCH_SRC),
    cpuProfileDir: o.get('cpu-prof') ? path.resolve(o.get('cpu-prof')!) : null,
    shape: parseShape(o.get('shape')),
  };
}

// ---------------------------------------------------------------------------------------------
// The PostgreSQL log (the statement counts and plans are read from it)

const pgLog: string[] = [];
let partialLine = '';
function onPostgresLog(chunk: string) {
  const lines = (partialLine + chunk).split('\n');
  partialLine = lines.pop() ?? '';
  pgLog.push(...lines);
}

/**
 * The three targets share the API role (hoso_api); each child's connections carry its own
 * application_name (PGAPPNAME, read by pg), and the probe's log prefix `%u|%a|%c|` shows both.
 */
type TargetName = 'api' | 'floor' | 'peer';
const TARGETS: TargetName[] = ['api', 'floor', 'peer'];
const APPLICATION_NAME: Record<TargetName, string> = { api: 'hoso-bench-api', floor: 'hoso-bench-floor', peer: 'hoso-bench-peer' };
/** Lines of one target's sessions (any target's when none is named). */
function probePrefix(target?: TargetName): RegExp {
  return new RegExp(`^hoso_api\\|${target ? APPLICATION_NAME[target] : '[^|]*'}\\|[^|]*\\|`);
}
const PROBE_PREFIX = probePrefix();

// ---------------------------------------------------------------------------------------------
// Child processes

interface Child {
  process: ChildProcess;
  url: string;
  /** Peak resident set size (VmHWM) so far, in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/** Starts a Node script and waits for the line that says where it listens. */
function startChild(name: string, script: string, env: Record<string, string>, ready: RegExp, nodeOptions: string[] = []): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeOptions, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => fail(new Error(`${name} did not start in 120 s`)), 120_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${output.slice(-3000)}`));
    };
    const watch = (data: Buffer) => {
      output += data.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          process: child,
          url: match[1],
          peakRssMb: () => {
            const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
            return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
          },
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
            }),
        });
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.once('exit', (code) => fail(new Error(`${name} exited with code ${code}`)));
  });
}

/** Set from --cpu-prof: the API then runs under `node --cpu-prof` (the profile is written when it stops). */
let apiCpuProfileDir: string | null = null;

async function startApi(db: BenchDatabase, poolSize: number, jwtSecret: string): Promise<Child> {
  const child = await startChild(
    'the API',
    path.join(DIST, 'src', 'main.js'),
    {
      NODE_ENV: 'production',
      DATABASE_URL: db.apiUrl,
      MIGRATION_DATABASE_URL: db.ownerUrl,
      HOSO_JWT_SECRET: jwtSecret,
      PGAPPNAME: APPLICATION_NAME.api,
      HOSO_DATA_DIR: BENCH_DIR,
      HOSO_POOL_SIZE: String(poolSize),
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      // One log line per request would cost the benchmark throughput; warnings and errors stay.
      HOSO_LOG_LEVEL: 'warn',
    },
    // In production the server announces itself with one JSON line naming its URL (the server's base; GraphQL is at /graphql).
    /"url":"(http:[^"]+)"/,
    apiCpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${apiCpuProfileDir}`] : [],
  );
  return { ...child, url: new URL('/graphql', child.url).toString() };
}

/** The floor, answering as the scenarios' accounts (FLOOR_ACCOUNTS, beside its defaults). */
async function startFloorChild(db: BenchDatabase, poolSize: number, accounts: string[]): Promise<Child> {
  return startChild(
    'the floor',
    path.join(DIST, 'bench', 'floor.js'),
    {
      FLOOR_DATABASE_URL: db.apiUrl,
      FLOOR_POOL_SIZE: String(poolSize),
      FLOOR_ACCOUNTS: accounts.join(','),
      PORT: String(await freePort()),
      PGAPPNAME: APPLICATION_NAME.floor,
    },
    /floor ready on (http:\S+)/,
  );
}

/** PostGraphile, verifying the API's tokens with the API's secret; it accepts the scenarios' accounts. */
async function startPeerChild(db: BenchDatabase, poolSize: number, jwtSecret: string, accounts: string[]): Promise<Child> {
  return startChild(
    'the peer',
    path.join(DIST, 'bench', 'peer.js'),
    {
      NODE_ENV: 'production',
      PEER_DATABASE_URL: db.apiUrl,
      PEER_POOL_SIZE: String(poolSize),
      PEER_JWT_SECRET: jwtSecret,
      PEER_ACCOUNTS: accounts.join(','),
      PORT: String(await freePort()),
      PGAPPNAME: APPLICATION_NAME.peer,
    },
    /peer ready on (http:\S+)/,
  );
}

/** A fresh secret per start of the API; the peer verifies the API's tokens with it. */
function newJwtSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

function scenarioAccounts(chosen: Scenario[]): string[] {
  return [...new Set(chosen.map((s) => s.account))];
}

// ---------------------------------------------------------------------------------------------
// Requests

async function post(url: string, body: object, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return response.text();
}

async function login(api: Child, username: string): Promise<string> {
  const text = await post(api.url, {
    query: 'mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token userErrors { message } } }',
    variables: { u: username, p: DEMO_PASSWORD },
  });
  const token = JSON.parse(text).data?.login?.token;
  if (!token) throw new Error(`login as ${username} failed: ${text}`);
  return token;
}

function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const file = path.join(BENCH_DIR, `load-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(DIST, 'bench', 'load.js'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => {
      fs.rmSync(file, { force: true });
      if (code !== 0) return reject(new Error(`the load generator exited with ${code}`));
      resolve(JSON.parse(out) as LoadResult);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// One dataset

/** The unit S4's variant asks for: the district, the city, the largest province, the root (the last two in nation-shaped data only). */
const STATISTICS_UNIT: Partial<Record<Scenario['id'], string>> = { S4D: 'DN.HAICHAU', S4C: 'DN', S4P: provinceCode(LARGEST_PROVINCE), S4N: NATION.code };

/** What the scenarios need from the data: scopes, unit ids, card numbers, members to update. */
class Fixtures {
  constructor(
    private readonly owner: Client,
    readonly haichauPath: string,
    /** S4's units' ids by scenario (those the dataset has). */
    readonly statisticsUnits: Map<string, string>,
    readonly cards: string[],
  ) {}

  static async load(owner: Client): Promise<Fixtures> {
    const { rows: units } = await owner.query<{ code: string; id: string; path: string }>(
      `select code, id::text, path::text from org_unit where code = any($1::text[])`,
      [Object.values(STATISTICS_UNIT)],
    );
    const byCode = new Map(units.map((u) => [u.code, u]));
    const statisticsUnits = new Map(Object.entries(STATISTICS_UNIT).filter(([, code]) => byCode.has(code!)).map(([id, code]) => [id, byCode.get(code!)!.id]));
    // S2 asks for cadres, as the issue's reference figure does ("one member with posts").
    const { rows: cards } = await owner.query<{ card: string }>(
      `select m.party_card_number as card from post p join member m on m.id = p.member_id
        where m.party_card_number is not null order by random() limit 10000`,
    );
    return new Fixtures(owner, byCode.get('DN.HAICHAU')!.path, statisticsUnits, cards.map((c) => c.card));
  }

  /** Members of the district to update, with their current versions (read again before each run). */
  async updates(limit = S5_POOL): Promise<Record<string, unknown>[]> {
    const { rows } = await this.owner.query<{ id: string; version: number }>(
      `select id::text, version from member where unit_path <@ $1::ltree and status in ('PROBATIONARY', 'OFFICIAL', 'RELEASED')
        order by random() limit $2`,
      [this.haichauPath, limit],
    );
    return rows.map((r, i) => ({ input: { id: r.id, expectedVersion: r.version, phone: benchPhone(i + Date.now()), reason: S5_REASON } }));
  }

  async variables(scenario: Scenario): Promise<LoadSpec['variables']> {
    switch (scenario.variables) {
      case 'none':
        return { mode: 'none' };
      case 'card':
        return { mode: 'random', pool: this.cards.map((card) => ({ card })) };
      case 'statistics':
        return { mode: 'random', pool: statisticsDates().map((asOf) => ({ unitId: this.statisticsUnits.get(scenario.id)!, asOf })) };
      case 'update':
        return { mode: 'sequence', pool: await this.updates() };
    }
  }

  /** The body of one request of the scenario (with the first variables of its pool; S5: one fresh member); `peer`: the peer's body. */
  async body(scenario: Scenario, target: TargetName = 'api'): Promise<object> {
    const variables = scenario.variables === 'update' ? { mode: 'sequence' as const, pool: await this.updates(1) } : await this.variables(scenario);
    const query = target === 'peer' ? scenario.peer!.query : scenario.query;
    if (variables.mode === 'none') return { operationName: scenario.operationName, query };
    const first = variables.pool[0];
    return { operationName: scenario.operationName, query, variables: target === 'peer' ? peerVariables(scenario.id, first) : first };
  }
}

/** What a target's request carries besides its body: the floor takes the account's name, the API and the peer its login token. */
function targetHeaders(target: TargetName, scenario: Scenario, tokens: Map<string, string>): Record<string, string> {
  if (target === 'floor') return { 'x-bench-account': scenario.account };
  const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(scenario.account)}` };
  // The peer's mutations take the audit reason in a header (app.reason); the API's in the input.
  if (target === 'peer' && scenario.variables === 'update') headers['x-hoso-reason'] = encodeURIComponent(S5_REASON);
  return headers;
}

/** Cursors are each server's own encoding: blanked before the peer's answer is compared. */
function withoutCursors(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCursors);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, (key === 'cursor' || key === 'endCursor') && typeof v === 'string' ? '<cursor>' : withoutCursors(v)]),
    );
  }
  return value;
}

function difference(x: string, y: string, name: string): string {
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return `DIFFERENT at character ${i}: API …${x.slice(Math.max(0, i - 60), i + 80)}… ${name} …${y.slice(Math.max(0, i - 60), i + 80)}…`;
}

/**
 * The same request to the API and to the floor (and the peer's own body for it): do the answers
 * match, byte for byte after parsing? The peer's and the API's are compared with the cursors blanked.
 */
async function compareAnswers(
  servers: Record<TargetName, Child>,
  tokens: Map<string, string>,
  fixtures: Fixtures,
  scenario: Scenario,
): Promise<{ floor: string; peer: string }> {
  const notCompared = 'not compared (each updates another member)';
  if (scenario.variables === 'update') return { floor: notCompared, peer: scenario.peer ? notCompared : 'no peer' };
  const body = await fixtures.body(scenario);
  const [a, f, p] = await Promise.all([
    post(servers.api.url, body, targetHeaders('api', scenario, tokens)),
    post(servers.floor.url, body, targetHeaders('floor', scenario, tokens)),
    scenario.peer ? post(servers.peer.url, await fixtures.body(scenario, 'peer'), targetHeaders('peer', scenario, tokens)) : Promise.resolve(null),
  ]);
  const canonical = (text: string) => JSON.stringify(JSON.parse(text));
  const floor = canonical(a) === canonical(f) ? 'identical' : difference(canonical(a), canonical(f), 'floor');
  if (p === null) return { floor, peer: 'no peer' };
  const [x, y] = [JSON.stringify(withoutCursors(JSON.parse(a))), JSON.stringify(withoutCursors(JSON.parse(p)))];
  return { floor, peer: x === y ? 'identical' : difference(x, y, 'peer') };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

/** How long the database may go on with a run's requests after the run before they are cancelled. */
const SETTLE_SECONDS = 15;

/**
 * Waits until PostgreSQL has finished the statements of the run just measured: a request the
 * load generator gave up on (timeout) or left in flight at the end goes on in the server and
 * the database, and would otherwise be measured as part of the next run. What still runs after
 * SETTLE_SECONDS is cancelled; returns how many statements were.
 */
async function settle(admin: Client, database: string): Promise<number> {
  // Client backends only: a parallel query's workers end with their leader.
  const busy = `from pg_stat_activity where datname = $1 and usename = '${API_ROLE}' and backend_type = 'client backend'
                 and state <> 'idle' and query not like '%hoso_audit_seal%' and query not like '%hoso_statistics_refresh%'`;
  const deadline = Date.now() + SETTLE_SECONDS * 1000;
  for (let quiet = 0; quiet < 2; ) {
    await new Promise((r) => setTimeout(r, 250));
    const { rows } = await admin.query<{ n: number }>(`select count(*)::int as n ${busy}`, [database]);
    quiet = rows[0].n ? 0 : quiet + 1;
    if (rows[0].n && Date.now() > deadline) {
      const { rows: cancelled } = await admin.query(`select pg_cancel_backend(pid) ${busy} and state = 'active'`, [database]);
      await new Promise((r) => setTimeout(r, 500));
      return cancelled.length;
    }
  }
  return 0;
}

/** The database's size on disk (pg_database_size: its tables, indexes and TOAST, not the WAL). */
async function databaseBytes(superUrl: string, database: string): Promise<number> {
  const client = new Client({ connectionString: superUrl });
  await client.connect();
  try {
    return Number((await client.query<{ bytes: string }>('select pg_database_size($1)::text as bytes', [database])).rows[0].bytes);
  } finally {
    await client.end();
  }
}

async function measureSize(
  db: BenchDatabase,
  options: Options,
  chosen: Scenario[],
  log: (line: string) => void,
  notes: string[],
): Promise<SizeResult> {
  // A superuser sees (and may cancel) the API role's statements.
  const admin = new Client({ connectionString: db.superUrl });
  await admin.connect();
  const owner = new Client({ connectionString: db.ownerUrl });
  await owner.connect();
  owner.on('error', (error) => console.error('owner connection:', error.message, pgLog.slice(-20).join('\n')));
  const fixtures = await Fixtures.load(owner);
  const jwtSecret = newJwtSecret();
  const api = await startApi(db, options.poolSize, jwtSecret);
  const floor = await startFloorChild(db, options.poolSize, scenarioAccounts(chosen));
  const peer = await startPeerChild(db, options.poolSize, jwtSecret, scenarioAccounts(chosen));
  const servers: Record<TargetName, Child> = { api, floor, peer };
  const results: ScenarioResult[] = [];
  try {
    const tokens = new Map<string, string>();
    for (const account of scenarioAccounts(chosen)) tokens.set(account, await login(api, account));
    for (const [index, scenario] of chosen.entries()) {
      const answers = await compareAnswers(servers, tokens, fixtures, scenario);
      log(`  ${scenario.id}: API and floor answers ${answers.floor}; API and peer answers ${answers.peer}`);
      const runs: Record<TargetName, LoadResult[]> = { api: [], floor: [], peer: [] };
      const targets = TARGETS.filter((t) => t !== 'peer' || scenario.peer);
      for (let round = 0; round < options.rounds; round++) {
        // A rotating order: no target always runs first (or right after another given one).
        const shift = (index + round) % targets.length;
        for (const target of [...targets.slice(shift), ...targets.slice(0, shift)]) {
          const server = servers[target];
          const result = await runLoad({
            url: server.url,
            headers: targetHeaders(target, scenario, tokens),
            connections: options.connections,
            warmupSeconds: options.warmupSeconds,
            seconds: options.seconds,
            operationName: scenario.operationName,
            query: target === 'peer' ? scenario.peer!.query : scenario.query,
            variables: await fixtures.variables(scenario),
            ...(target === 'peer' ? { peerOf: scenario.id } : {}),
            cpu: { serverPid: server.process.pid!, databaseUrl: db.superUrl, applicationName: APPLICATION_NAME[target] },
          });
          runs[target].push(result);
          const cancelled = await settle(admin, db.name);
          log(`  ${scenario.id} ${target.padEnd(5)} round ${round + 1}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms` +
            (result.failures ? `, ${result.failures} failed (${result.firstFailure})` : '') +
            (cancelled ? `, ${cancelled} statements still running ${SETTLE_SECONDS} s after the run cancelled` : ''));
          if (cancelled) notes.push(`${db.name} ${scenario.id} ${target} round ${round + 1}: ${cancelled} statements were still running ${SETTLE_SECONDS} s after the run and were cancelled.`);
        }
      }
      const summary = (list: LoadResult[]) => ({
        runs: list,
        rps: mean(list.map((r) => r.rps)),
        p50: mean(list.map((r) => r.p50)),
        p99: mean(list.map((r) => r.p99)),
        failures: list.reduce((n, r) => n + r.failures, 0),
        cpu: list.every((r) => r.cpu)
          ? { server: mean(list.map((r) => r.cpu!.server)), database: mean(list.map((r) => r.cpu!.database)) }
          : undefined,
      });
      const apiSummary = summary(runs.api);
      const floorSummary = summary(runs.floor);
      const peerSummary = scenario.peer ? summary(runs.peer) : null;
      results.push({
        id: scenario.id,
        title: scenario.title,
        account: scenario.account,
        answers: answers.floor,
        peerAnswers: answers.peer,
        api: apiSummary,
        floor: floorSummary,
        peer: peerSummary,
        ratio: floorSummary.rps ? apiSummary.rps / floorSummary.rps : 0,
        peerRatio: peerSummary ? (peerSummary.rps ? apiSummary.rps / peerSummary.rps : 0) : null,
        statements: null,
      });
    }
    return {
      members: db.members,
      database: db.name,
      apiPeakRssMb: api.peakRssMb(),
      floorPeakRssMb: floor.peakRssMb(),
      peerPeakRssMb: peer.peakRssMb(),
      scenarios: results,
    };
  } finally {
    await api.stop();
    await floor.stop();
    await peer.stop();
    await owner.end();
    await admin.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Statement counts and plans: one request at a time with the statement log on

async function withLogging<T>(superUrl: string, explain: boolean, work: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: superUrl });
  await client.connect();
  const settings: [string, string][] = [['log_statement', 'all'], ['log_line_prefix', '%u|%a|%c|']];
  if (explain) {
    // Loaded for new sessions only: the probe's servers start after this.
    await client.query(`load 'auto_explain'`);
    settings.push(
      ['session_preload_libraries', 'auto_explain'],
      ['auto_explain.log_min_duration', '0'],
      ['auto_explain.log_analyze', 'on'],
      ['auto_explain.log_buffers', 'on'],
      // The statements inside functions too: the exact count (hoso_member_count), the triggers.
      ['auto_explain.log_nested_statements', 'on'],
    );
  }
  try {
    for (const [name, value] of settings) await client.query(`alter system set ${name} = ${client.escapeLiteral(value)}`);
    await client.query('select pg_reload_conf()');
    await new Promise((r) => setTimeout(r, 300));
    return await work();
  } finally {
    for (const [name] of settings) await client.query(`alter system reset ${name}`);
    await client.query('select pg_reload_conf()');
    await client.end();
  }
}

interface Probe {
  /** Median number of statements a request sent. */
  statements: number;
  /** The auto_explain output of the first request (when plans were asked for). */
  plans: string[];
}

/** Sends requests one by one and reads, from the log, the statements each one made the target's sessions run. */
async function probe(target: TargetName, send: () => Promise<void>): Promise<Probe> {
  const prefix = probePrefix(target);
  const counts: number[] = [];
  let plans: string[] = [];
  for (let i = 0; i < PROBE_REQUESTS; i++) {
    const mark = pgLog.length;
    await send();
    await new Promise((r) => setTimeout(r, 200)); // the log arrives through a pipe
    const lines = pgLog.slice(mark);
    // The audit sealer's pass (every 500 ms in the API) is not the request's.
    const statements = lines.filter((l) => prefix.test(l) && /\|LOG: {2}(statement|execute [^:]*):/.test(l) && !l.includes('hoso_audit_seal') && !l.includes('hoso_statistics_refresh'));
    counts.push(statements.length);
    if (i === 0) plans = planBlocks(lines);
  }
  counts.sort((a, b) => a - b);
  return { statements: counts[Math.floor(counts.length / 2)], plans };
}

/** auto_explain's entries: a `duration: … plan:` line and the unprefixed lines that follow it. */
function planBlocks(lines: string[]): string[] {
  const blocks: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    if (PROBE_PREFIX.test(line) || /^\S/.test(line)) {
      if (current) blocks.push(current.join('\n'));
      current = PROBE_PREFIX.test(line) && /\|LOG: {2}duration: .* plan:/.test(line) ? [line.replace(PROBE_PREFIX, '')] : null;
    } else if (current) {
      current.push(line);
    }
  }
  if (current) blocks.push(current.join('\n'));
  return blocks.filter((b) => !b.includes('hoso_audit_seal') && !b.includes('hoso_statistics_refresh'));
}

async function countStatements(
  db: BenchDatabase,
  superUrl: string,
  options: Options,
  chosen: Scenario[],
  size: SizeResult,
  explain: boolean,
): Promise<Record<string, string[]>> {
  const owner = new Client({ connectionString: db.ownerUrl });
  await owner.connect();
  const fixtures = await Fixtures.load(owner);
  const plans: Record<string, string[]> = {};
  try {
    await withLogging(superUrl, explain, async () => {
      const jwtSecret = newJwtSecret();
      const api = await startApi(db, options.poolSize, jwtSecret);
      // Tokens stay valid after the API stops: the peer's requests carry them.
      const tokens = new Map<string, string>();
      try {
        for (const account of scenarioAccounts(chosen)) tokens.set(account, await login(api, account));
        for (const scenario of chosen) {
          const result = await probe('api', async () => {
            await post(api.url, await fixtures.body(scenario), targetHeaders('api', scenario, tokens));
          });
          size.scenarios.find((s) => s.id === scenario.id)!.statements = result.statements;
          if (explain) plans[scenario.id] = result.plans;
        }
      } finally {
        await api.stop();
      }
      const floor = await startFloorChild(db, options.poolSize, scenarioAccounts(chosen));
      try {
        for (const scenario of chosen) {
          const result = await probe('floor', async () => {
            await post(floor.url, await fixtures.body(scenario), targetHeaders('floor', scenario, tokens));
          });
          size.scenarios.find((s) => s.id === scenario.id)!.floorStatements = result.statements;
        }
      } finally {
        await floor.stop();
      }
      const peer = await startPeerChild(db, options.poolSize, jwtSecret, scenarioAccounts(chosen));
      try {
        for (const scenario of chosen.filter((s) => s.peer)) {
          const result = await probe('peer', async () => {
            await post(peer.url, await fixtures.body(scenario, 'peer'), targetHeaders('peer', scenario, tokens));
          });
          size.scenarios.find((s) => s.id === scenario.id)!.peerStatements = result.statements;
        }
      } finally {
        await peer.stop();
      }
    });
  } finally {
    await owner.end();
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = readOptions();
  apiCpuProfileDir = options.cpuProfileDir;
  const statistics = loadStatisticsSql();
  const wanted = (s: Scenario) => options.scenarioIds.some((id) => s.id === id || (id === 'S4' && s.id.startsWith('S4')));
  const chosen = scenarios(statistics).filter(wanted);
  const notes: string[] = [];
  if (!statistics && options.scenarioIds.includes('S4')) {
    notes.push('S4 (statistics) was skipped: this build has no dist/bench/statistics-floor.js exporting STATISTICS_SELECTION and statisticsFloor (bench/scenarios.ts describes the slot).');
  }
  const log = (line: string) => console.log(line);
  const started = Date.now();
  const cluster = await startBenchCluster(onPostgresLog);
  const report: Report = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGb: os.totalmem() / 2 ** 30, node: process.version, postgres: '' },
    options: {
      sizes: options.sizes,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      connections: options.connections,
      rounds: options.rounds,
      // Those measured on some size: S4P and S4N join when a nation-shaped size is.
      scenarioIds: chosen.filter((s) => !s.nationOnly).map((s) => s.id),
      poolSize: options.poolSize,
    },
    sizes: [],
    notes,
  };
  try {
    const version = new Client({ connectionString: cluster.superUrl });
    await version.connect();
    report.machine.postgres = (await version.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0].v;
    await version.end();
    let plans: Record<string, string[]> = {};
    let planned = chosen;
    for (const members of options.sizes) {
      const seedStarted = Date.now();
      let seeded = false;
      const db = await ensureBenchDatabase(cluster, members, {
        shape: options.shape,
        log: (line) => {
          if (line.includes('loading')) seeded = true;
          log(line);
        },
      });
      const seedSeconds = seeded ? (Date.now() - seedStarted) / 1000 : undefined;
      // S4P and S4N ask for units only a nation-shaped dataset has.
      const forSize = chosen.filter((s) => !s.nationOnly || db.shape === 'nation');
      report.options.scenarioIds = chosen.filter((s) => report.options.scenarioIds.includes(s.id) || forSize.includes(s)).map((s) => s.id);
      if (db.shape === 'nation') {
        notes.push(
          `${db.name} is nation-shaped (bench/seed.ts): the root over 34 provinces, one of them Đà Nẵng's city tree with about ` +
            `${Math.round(members * CITY_PROVINCE_MEMBER_SHARE).toLocaleString('en')} members, where S1–S3, S4D, S4C and S5 run as on the ` +
            `city-shaped datasets; S4P and S4N ask, as trunguong, for ${LARGEST_PROVINCE.name} and the root.`,
        );
      }
      log(`${db.name}: measuring ${forSize.map((s) => s.id).join(', ')} (${options.rounds} × ${options.seconds} s each, API, floor and peer)`);
      log(`${db.name}: reading its hot tables into memory, ${await prewarm(db.superUrl)}`);
      // Other work on the machine shares its cores with the measurement: the report shows how busy it was.
      const loadBefore = os.loadavg()[0];
      const size = await measureSize(db, options, forSize, log, notes);
      size.seedSeconds = seedSeconds;
      size.loadAverage = { before: loadBefore, after: os.loadavg()[0] };
      size.loadSeconds = db.loadSeconds;
      size.loadedAt = db.loadedAt;
      size.databaseBytes = await databaseBytes(cluster.superUrl, db.name);
      const largest = members === options.sizes[options.sizes.length - 1];
      log(`${db.name}: counting statements${largest ? ' and recording plans' : ''}`);
      const sizePlans = await countStatements(db, cluster.superUrl, options, forSize, size, largest);
      if (largest) [plans, planned] = [sizePlans, forSize];
      report.sizes.push(size);
      // Written after each size, so a long run leaves its results even if a later size fails.
      fs.writeFileSync(path.join(options.out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
      fs.writeFileSync(path.join(options.out, 'REPORT.md'), renderReport(report));
    }
    const largest = report.sizes[report.sizes.length - 1];
    fs.writeFileSync(path.join(options.out, 'EXPLAIN.md'), renderExplain(largest, planned, plans));
    log(`REPORT.md, report.json and EXPLAIN.md written to ${path.relative(process.cwd(), options.out) || '.'} in ${((Date.now() - started) / 60000).toFixed(1)} min`);
  } finally {
    await cluster.stop();
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  console.error(`The bench cluster's last messages:\n${pgLog.slice(-20).join('\n')}`);
  process.exit(1);
});

