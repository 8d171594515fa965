import type { LoadResult } from './load';
import type { Scenario } from './scenarios';

/** bench/report.json, and what REPORT.md and EXPLAIN.md are rendered from. */
export interface Report {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string };
  options: { sizes: number[]; seconds: number; warmupSeconds: number; connections: number; rounds: number; scenarioIds: string[]; poolSize: number };
  sizes: SizeResult[];
  notes: string[];
}

export interface SizeResult {
  members: number;
  database: string;
  /** Set when this run loaded the dataset. */
  seedSeconds?: number;
  /** The dataset's load, whenever it was (from its marker; absent for loads before it was recorded). */
  loadSeconds?: number;
  loadedAt?: string;
  /** pg_database_size when measured. */
  databaseBytes?: number;
  apiPeakRssMb: number;
  floorPeakRssMb: number;
  /** The peer's (PostGraphile's); absent in reports written before it ran. */
  peerPeakRssMb?: number;
  /** The machine's 1-minute load average before and after the size's runs. */
  loadAverage?: { before: number; after: number };
  scenarios: ScenarioResult[];
}

export interface TargetSummary {
  runs: LoadResult[];
  /** Means over the rounds. */
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  /** CPU milliseconds per request of the measured runs (means over the rounds): the server's process, its PostgreSQL sessions. */
  cpu?: { server: number; database: number };
}

export interface ScenarioResult {
  id: string;
  title: string;
  account: string;
  /** Whether the API and the floor gave the same JSON for the same request. */
  answers: string;
  /** Whether the API and the peer gave the same JSON (cursors aside); "no peer" where it has no such request. */
  peerAnswers?: string;
  api: TargetSummary;
  floor: TargetSummary;
  /** PostGraphile on the same database; null where the scenario has no peer request (S4). */
  peer?: TargetSummary | null;
  /** API req/s ÷ floor req/s. */
  ratio: number;
  /** API req/s ÷ peer req/s; null without a peer. */
  peerRatio?: number | null;
  /** SQL statements the API sent for one request (median of the probe's requests). */
  statements: number | null;
  floorStatements?: number | null;
  peerStatements?: number | null;
}

const int = (n: number) => Math.round(n).toLocaleString('en');
const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const sizeName = (members: number) => members.toLocaleString('en');

interface Target {
  text: string;
  /** Per size: the figure and whether it is met; null where it does not apply. */
  check(size: SizeResult): { figure: string; met: boolean } | null;
}

function scenario(size: SizeResult, id: string): ScenarioResult | undefined {
  return size.scenarios.find((s) => s.id === id);
}

/** API ≥ `peer` × PostGraphile and ≥ `floor` × the floor, both in requests per second. */
function againstBoth(r: ScenarioResult | undefined, peer: number, floor: number) {
  if (!r) return null;
  const peerRatio = r.peerRatio ?? null;
  const figure = `${peerRatio !== null ? `${peerRatio.toFixed(2)}× peer, ` : ''}${r.ratio.toFixed(2)}× floor`;
  return { figure, met: (peerRatio === null || peerRatio >= peer) && r.ratio >= floor && r.api.failures === 0 };
}

const TARGETS: Target[] = [
  { text: 'S1 (district list) ≥ 1.0× PostGraphile and ≥ 0.5× the floor', check: (s) => againstBoth(scenario(s, 'S1'), 1, 0.5) },
  { text: 'S2 (member by card) ≥ 1.0× PostGraphile and ≥ 0.5× the floor', check: (s) => againstBoth(scenario(s, 'S2'), 1, 0.5) },
  { text: 'S3 (name search) ≥ 1.0× PostGraphile and ≥ 0.5× the floor', check: (s) => againstBoth(scenario(s, 'S3'), 1, 0.5) },
  {
    text: 'S2 p99 < 30 ms',
    check: (s) => {
      const r = scenario(s, 'S2');
      return r ? latencyCheck(r, r.api.p99, 30) : null;
    },
  },
  {
    text: 'S3 (name search) p99 < 50 ms',
    check: (s) => {
      const r = scenario(s, 'S3');
      return r ? latencyCheck(r, r.api.p99, 50) : null;
    },
  },
  {
    text: 'S4 district statistics p50 < 200 ms at 1,000,000 members',
    check: (s) => {
      const r = scenario(s, 'S4D');
      return r && s.members === 1_000_000 ? latencyCheck(r, r.api.p50, 200) : null;
    },
  },
  {
    text: 'S4 city statistics p50 < 1.5 s at 1,000,000 members',
    check: (s) => {
      const r = scenario(s, 'S4C');
      return r && s.members === 1_000_000 ? latencyCheck(r, r.api.p50, 1500) : null;
    },
  },
  // National scale: statistics and search at 1,000,000 and 5,600,000 members.
  {
    text: 'S3 (name search) p99 < 100 ms at 1,000,000 members, < 200 ms at 5,600,000',
    check: (s) => {
      const r = scenario(s, 'S3');
      const bar = s.members === 1_000_000 ? 100 : s.members === 5_600_000 ? 200 : null;
      return r && bar ? latencyCheck(r, r.api.p99, bar) : null;
    },
  },
  {
    text: 'S4 district statistics p50 < 100 ms and p99 < 250 ms at 1,000,000 and 5,600,000 members',
    check: (s) => {
      const r = scenario(s, 'S4D');
      if (!r || (s.members !== 1_000_000 && s.members !== 5_600_000)) return null;
      const p50 = latencyCheck(r, r.api.p50, 100);
      const p99 = latencyCheck(r, r.api.p99, 250);
      return { figure: `p50 ${p50.figure}, p99 ${p99.figure}`, met: p50.met && p99.met };
    },
  },
  ...([
    ['S4C', 'city', 1_000_000, 300],
    ['S4P', 'province', 5_600_000, 300],
    ['S4N', 'nation (an account at the root)', 5_600_000, 1500],
  ] as const).map(([id, what, members, bar]): Target => ({
    text: `S4 ${what} statistics p50 < ${bar < 1000 ? `${bar} ms` : `${bar / 1000} s`} at ${members.toLocaleString('en')} members`,
    check: (s) => {
      const r = scenario(s, id);
      return r && s.members === members ? latencyCheck(r, r.api.p50, bar) : null;
    },
  })),
  { text: 'S5 (updateMember, audited) ≥ 0.5× the floor', check: (s) => againstBoth(scenario(s, 'S5'), 0, 0.5) },
  {
    text: 'S5 (updateMember, audited) ≥ 300 mutations/s',
    check: (s) => {
      const r = scenario(s, 'S5');
      return r ? { figure: `${int(r.api.rps)}/s`, met: r.api.rps >= 300 && r.api.failures === 0 } : null;
    },
  },
  { text: 'API peak RSS < 300 MB', check: (s) => ({ figure: `${int(s.apiPeakRssMb)} MB`, met: s.apiPeakRssMb < 300 }) },
];

/** A latency bar; a scenario with no answered request (every one timed out) does not meet it. */
function latencyCheck(r: ScenarioResult, value: number, bar: number) {
  if (r.api.rps === 0) return { figure: 'no answer within the 10 s timeout', met: false };
  return { figure: ms(value), met: value < bar && r.api.failures === 0 };
}

function ratioCheck(r: ScenarioResult | undefined, bar: number) {
  return r ? { figure: r.ratio.toFixed(2), met: r.ratio >= bar } : null;
}

function verdict(results: ({ met: boolean } | null)[]): string {
  const applied = results.filter((r): r is { met: boolean } => r !== null);
  if (!applied.length) return 'not measured';
  return applied.every((r) => r.met) ? '**met**' : applied.some((r) => r.met) ? '**not met at every size**' : '**not met**';
}

function growthRows(report: Report): string[] {
  if (report.sizes.length < 2) return ['Only one size was measured: the growth rule needs two.'];
  const [first, last] = [report.sizes[0], report.sizes[report.sizes.length - 1]];
  const rows = [
    `| scenario | API p99 at ${sizeName(first.members)} | API p99 at ${sizeName(last.members)} | growth | ≤ 2× |`,
    '|---|---:|---:|---:|---|',
  ];
  // Every scenario measured at both sizes (S4P and S4N exist at the nation's size only).
  for (const id of first.scenarios.map((s) => s.id)) {
    const [a, b] = [scenario(first, id), scenario(last, id)];
    if (!a || !b) continue;
    const growth = b.api.p99 / Math.max(a.api.p99, 1);
    rows.push(`| ${id} | ${ms(a.api.p99)} | ${ms(b.api.p99)} | ${growth.toFixed(2)}× | ${growth <= 2 ? 'yes' : '**no**'} |`);
  }
  return rows;
}

export function renderReport(report: Report): string {
  const o = report.options;
  const m = report.machine;
  const lines = [
    '# Benchmark report',
    '',
    `Generated ${report.generatedAt} by \`npm run bench -- --members ${o.sizes.join(',')} --duration ${o.seconds} --warmup ${o.warmupSeconds} ` +
      `--connections ${o.connections} --rounds ${o.rounds} --scenarios ${o.scenarioIds.join(',')} --pool ${o.poolSize}\` ` +
      `on ${m.cpus} × ${m.cpuModel}, ${m.memoryGb.toFixed(0)} GB, Node ${m.node}, PostgreSQL ${m.postgres} (embedded, \`.bench/\`).`,
    ...(o.seconds < 20 || o.warmupSeconds < 3 || o.rounds < 2
      ? ['', `**A smoke run**: shorter than the defaults (20 s measured, 3 s warm-up, 2 rounds); one short run per target, so the figures show the ` +
          'order of things, not a measurement to hold a target to.']
      : []),
    '',
    '## How it is measured',
    '',
    '- **API**: `node dist/src/main.js` with `NODE_ENV=production`, as a child process, on the bench database (role `hoso_api`, ' +
      `row-level security on), pool of ${o.poolSize} connections. Requests carry a login token of the scenario's demo account.`,
    '- **Floor** (`bench/floor.ts`): node:http + pg, the same requests and the same JSON, one hand-written statement per read ' +
      '(S5: one message of three statements). Same role, same row-level security, the scope set per connection and named in every ' +
      'query, the same pool size; no GraphQL, no ORM, no authentication.',
    '- **Peer** (`bench/peer.ts`): PostGraphile 4.14.1 with postgraphile-plugin-connection-filter 2.3.0 and `simpleCollections: \'both\'`, ' +
      'in library mode on node:http, production options (no GraphiQL, no query log, no schema watching, `ignoreRBAC: false`: the role\'s ' +
      `grants shape its schema). Same database, same role (\`hoso_api\`, row-level security binding it), pool of ${o.poolSize}. Each request ` +
      'carries the same login token as the API\'s, verified on every request with the API\'s own token service and secret; PostGraphile ' +
      'then sets, transaction-local in the one set_config statement that opens its transaction, what `hoso_enter_account()` sets ' +
      '(`app.account_id`, `app.api_key_id`, `app.scope`, `app.request_id`) and `app.today`, so the same policies bind it (the scope of each ' +
      'account is looked up once at its start, through `hoso_enter_account()`; the API looks it up per request). Its queries ' +
      '(bench/scenarios.ts) ask for the same data with aliases and plain lists, in the API\'s order (`sort_name`, `id`); S3 uses the ' +
      'filter plugin\'s `startsWith`/`includes` for the API\'s two LIKE patterns. S5 is its generated `updateMemberById` (phone and the next ' +
      'version; no version check), the reason in a header that it sets as `app.reason`, so the audit trigger writes the same event. ' +
      'S4 has no peer: the API\'s statistics object is assembled from several reporting queries, which no PostGraphile body returns.',
    '- **Memory**: the bench cluster\'s PostgreSQL has a quarter of the machine\'s memory as its cache (`shared_buffers`, bench/cluster.ts). ' +
      'Before a dataset is measured, what its scenarios read (the weekly counts, the reporting facts and their date indexes, the member ' +
      'indexes, the units; the members\' table into the system\'s cache) is read into memory with `pg_prewarm` (bench/prewarm.ts), so ' +
      'that every target meets a warm cache, as on a server that has run for a while, and none pays for the disk because it ran first.',
    `- **Load**: autocannon in its own process, ${o.connections} connections, ${o.warmupSeconds} s warm-up (discarded) then ` +
      `${o.seconds} s measured; per scenario API, floor and peer, each round in a rotating order (${o.rounds} rounds). Figures are the means of the rounds ` +
      '(report.json has each run). Latencies are autocannon\'s, in whole milliseconds; it gives up on a request after 10 s. A response with GraphQL errors ' +
      'or user errors, and a request given up, count as failed. After each run the runner waits until PostgreSQL has finished the run\'s ' +
      'statements (a request given up on goes on in the server), cancelling what still runs after 15 s, so no run measures the previous one\'s backlog.',
    '- **API/floor**, **API/peer**: the API\'s requests per second divided by the floor\'s, the peer\'s.',
    '- **Same JSON**: before the runs, one request of each scenario to all three; the floor\'s answer must equal the API\'s, the peer\'s ' +
      'too with the cursors blanked (each server encodes its own).',
    '- **SQL statements per request**: afterwards, with the servers stopped and restarted one by one, PostgreSQL logs every statement ' +
      '(`log_statement = all`); requests are sent one at a time to each target in turn and the statements of its sessions are counted ' +
      '(all three connect as `hoso_api`: each child\'s connections carry their own `application_name`, which the log prefix shows; median of ' +
      `5 requests; \`begin\`/\`commit\` count; the audit sealer's periodic statement does not).`,
    '- **Peak RSS**: `VmHWM` of each server process at the end of the size\'s runs.',
    '- **CPU per request**: the load generator reads the user and system time of the server\'s process and of its PostgreSQL ' +
      'sessions (by `application_name`, from `/proc`) at the start and end of the measured run, and divides by the requests answered. ' +
      'The load generator, the other two servers (idle) and PostgreSQL\'s own background work are not in it.',
    '- **S2** picks a random card number of a member holding a post (cadre), so posts are never empty. **S5** updates the phone of a ' +
      'random active member of Hải Châu, each member once with the version read just before the run, giving a reason: the audit ' +
      'trigger writes an event for each, in each of the three servers. Versions are right, so a CONFLICT is a failure, not a retry. ' +
      '**S4** asks for a random day of 2016–2025, so a memo of earlier answers does not stand in for the computation.',
    '',
    '## Results',
  ];
  for (const size of report.sizes) {
    lines.push(
      '',
      `### ${sizeName(size.members)} members`,
      '',
      `Database \`${size.database}\`${size.seedSeconds ? `, loaded in this run in ${size.seedSeconds.toFixed(0)} s` : ''}` +
        (size.loadSeconds !== undefined && !size.seedSeconds ? `, loaded in ${int(size.loadSeconds)} s (${size.loadedAt?.slice(0, 10)}, \`npm run bench:seed\`)` : '') +
        (size.databaseBytes !== undefined ? `, ${(size.databaseBytes / 1e9).toFixed(1)} GB on disk` : '') +
        '. ' +
        `API peak RSS ${int(size.apiPeakRssMb)} MB (floor ${int(size.floorPeakRssMb)} MB` +
        (size.peerPeakRssMb !== undefined ? `, peer ${int(size.peerPeakRssMb)} MB).` : ').') +
        (size.loadAverage ? ` Load average (1 min) ${size.loadAverage.before.toFixed(1)} before the runs, ${size.loadAverage.after.toFixed(1)} after ` +
          '(anything above 0 before them is other work sharing the cores).' : ''),
      '',
      '| scenario | API req/s | API p50 | API p99 | floor req/s | floor p50 | floor p99 | peer req/s | peer p50 | peer p99 | API/floor | API/peer | ' +
        'SQL statements per request (API / floor / peer) | failed (API / floor / peer) | same JSON (floor; peer) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    );
    const cell = (text: string) => text.replace(/\|/g, '\\|');
    for (const s of size.scenarios) {
      const peer = s.peer ?? null;
      const peerCells = peer ? `${int(peer.rps)} | ${ms(peer.p50)} | ${ms(peer.p99)}` : 'no peer | – | –';
      const peerRatio = s.peerRatio !== undefined && s.peerRatio !== null ? s.peerRatio.toFixed(2) : '–';
      lines.push(
        `| ${s.id}: ${s.title} | ${int(s.api.rps)} | ${ms(s.api.p50)} | ${ms(s.api.p99)} | ${int(s.floor.rps)} | ${ms(s.floor.p50)} | ` +
          `${ms(s.floor.p99)} | ${peerCells} | ${s.ratio.toFixed(2)} | ${peerRatio} | ` +
          `${s.statements ?? '–'} / ${s.floorStatements ?? '–'} / ${peer ? (s.peerStatements ?? '–') : 'no peer'} | ` +
          `${s.api.failures} / ${s.floor.failures} / ${peer ? peer.failures : '–'} | ${cell(s.answers)}; ${cell(s.peerAnswers ?? 'no peer')} |`,
      );
    }
    if (size.scenarios.some((s) => s.api.cpu)) {
      const cpu = (t: TargetSummary | null | undefined) =>
        t?.cpu ? `${t.cpu.server.toFixed(2)} + ${t.cpu.database.toFixed(2)} = ${(t.cpu.server + t.cpu.database).toFixed(2)}` : '–';
      lines.push(
        '',
        'CPU time per request in ms, the server\'s Node process + its PostgreSQL sessions (measured runs; what the two cores are shared out by):',
        '',
        '| scenario | API | floor | peer |',
        '|---|---:|---:|---:|',
        ...size.scenarios.map((s) => `| ${s.id} | ${cpu(s.api)} | ${cpu(s.floor)} | ${cpu(s.peer)} |`),
      );
    }
  }
  lines.push('', '## Targets', '', `| target | ${report.sizes.map((s) => sizeName(s.members)).join(' | ')} | verdict |`, `|---|${report.sizes.map(() => '---:|').join('')}---|`);
  for (const target of TARGETS) {
    const results = report.sizes.map((s) => target.check(s));
    const cells = results.map((r) => (r ? `${r.figure} ${r.met ? '✓' : '✗'}` : '–'));
    lines.push(`| ${target.text} | ${cells.join(' | ')} | ${verdict(results)} |`);
  }
  lines.push('', '## Growth (the API\'s p99 of each scenario, from the smallest to the largest size; the goal is at most 2×)', '', ...growthRows(report));
  if (report.notes.length) lines.push('', '## Notes', '', ...report.notes.map((n) => `- ${n}`));
  lines.push('', 'The plans of the hot queries on the largest dataset are in [EXPLAIN.md](EXPLAIN.md).', '');
  return lines.join('\n');
}

export function renderExplain(size: SizeResult, scenarios: Scenario[], plans: Record<string, string[]>): string {
  const lines = [
    '# Plans of the hot queries',
    '',
    `On ${sizeName(size.members)} members (\`${size.database}\`), written by \`npm run bench\`: every statement the API sent for one ` +
      'request of each scenario, as PostgreSQL ran it (auto_explain with `log_analyze` and `log_buffers`, in the API\'s own ' +
      'sessions, so row-level security and the request\'s scope are in the plans).',
  ];
  for (const s of scenarios) {
    const blocks = plans[s.id] ?? [];
    lines.push('', `## ${s.id}: ${s.title}`, '', `${blocks.length} statements with a plan (begin, commit and set_config have none).`);
    for (const block of blocks) lines.push('', '```text', block.replace(/\t/g, '  ').trimEnd(), '```');
  }
  lines.push('');
  return lines.join('\n');
}
