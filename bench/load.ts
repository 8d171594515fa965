import fs from 'node:fs';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { peerVariables, type ScenarioId } from './scenarios';

/**
 * One measurement, in its own process so the load generator shares no event loop with the
 * servers or the runner: `node dist/bench/load.js <spec.json>`; prints the result as JSON.
 * A warm-up run (discarded) and the measured run use the same connections' settings and the
 * same pool of variables.
 */
export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  operationName: string;
  query: string;
  /**
   * Variables of the requests: `random` picks one of `pool` for each request; `sequence` takes
   * them in order (S5: each member once, with the version it has), and on a second pass through
   * the pool adds 1 to `input.expectedVersion` for each earlier pass.
   */
  variables: { mode: 'none' } | { mode: 'random' | 'sequence'; pool: Record<string, unknown>[] };
  /** Set for the peer (PostGraphile): each request's variables are turned into the peer's (peerVariables) for this scenario. */
  peerOf?: ScenarioId;
  /**
   * Whose CPU time the measured run is charged: the server's process, and the PostgreSQL
   * sessions it opened (found by their application_name through a superuser connection).
   */
  cpu?: { serverPid: number; databaseUrl: string; applicationName: string };
}

/** CPU time of the measured run per request, in milliseconds. */
export interface CpuPerRequest {
  /** The server's Node process. */
  server: number;
  /** The server's PostgreSQL sessions. */
  database: number;
}

export interface LoadResult {
  requests: number;
  /** Mean of autocannon's per-second request counts. */
  rps: number;
  /** Latency percentiles in ms (autocannon records whole milliseconds). */
  p50: number;
  p99: number;
  /** Responses that were not 2xx or carried GraphQL errors or user errors, and connection errors. */
  failures: number;
  firstFailure: string | null;
  timeouts: number;
  /** Set when the spec named whose CPU to measure. */
  cpu?: CpuPerRequest;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** User + system CPU seconds a process has used; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): utime is 14th, stime 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds so far of the server and of each of its PostgreSQL sessions (by pid). */
async function cpuSample(cpu: NonNullable<LoadSpec['cpu']>): Promise<{ server: number; sessions: Map<number, number> }> {
  const client = new Client({ connectionString: cpu.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [cpu.applicationName]);
    return { server: cpuSeconds(cpu.serverPid), sessions: new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)])) };
  } finally {
    await client.end();
  }
}

function requestBody(spec: LoadSpec, n: number): string {
  const v = spec.variables;
  if (v.mode === 'none') return JSON.stringify({ operationName: spec.operationName, query: spec.query });
  const index = v.mode === 'random' ? Math.floor(Math.random() * v.pool.length) : n % v.pool.length;
  let variables = v.pool[index];
  const pass = Math.floor(n / v.pool.length);
  if (v.mode === 'sequence' && pass > 0) {
    const input = variables.input as { expectedVersion: number };
    variables = { ...variables, input: { ...input, expectedVersion: input.expectedVersion + pass } };
  }
  if (spec.peerOf) variables = peerVariables(spec.peerOf, variables);
  return JSON.stringify({ operationName: spec.operationName, query: spec.query, variables });
}

function run(spec: LoadSpec, seconds: number, counter: { n: number }): Promise<LoadResult> {
  let failures = 0;
  let firstFailure: string | null = null;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: seconds,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...spec.headers },
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => ({ ...request, body: requestBody(spec, counter.n++) }),
            onResponse: (status, body) => {
              // GraphQL answers errors with 200: look inside.
              if (status !== 200 || body.includes('"errors"') || /"userErrors":\[\{/.test(body)) {
                failures++;
                firstFailure ??= `${status} ${body.slice(0, 300)}`;
              }
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          // Connection errors and timeouts (a server gone or stuck) fail too.
          failures: failures + result.errors,
          firstFailure: firstFailure ?? (result.errors ? `${result.errors} connection errors or timeouts` : null),
          timeouts: result.timeouts,
        });
      },
    );
  });
}

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as LoadSpec;
  const counter = { n: 0 };
  if (spec.warmupSeconds > 0) await run(spec, spec.warmupSeconds, counter);
  const before = spec.cpu ? await cpuSample(spec.cpu) : null;
  const result = await run(spec, spec.seconds, counter);
  if (spec.cpu && before && result.requests > 0) {
    const after = await cpuSample(spec.cpu);
    // A session opened during the run counts from 0; one closed during it is not seen (pools keep theirs under load).
    let database = 0;
    for (const [pid, seconds] of after.sessions) database += seconds - (before.sessions.get(pid) ?? 0);
    result.cpu = { server: (1000 * (after.server - before.server)) / result.requests, database: (1000 * database) / result.requests };
  }
  process.stdout.write(JSON.stringify(result));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
