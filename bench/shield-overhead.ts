import 'reflect-metadata';
import { spawn } from 'node:child_process';
import os from 'node:os';
import type { GraphQLSchema } from 'graphql';
import path from 'node:path';
import { startApp, type RunningApp } from '../src/app/app';
import { loadConfig } from '../src/config';
import { openDatabase, prepareDatabase } from '../src/database/database';
import { dataDirSecret } from '../src/database/embedded';
import { buildAppSchema, buildBareSchema } from '../src/app/schema';

/**
 * The cost of graphql-shield as the API places it (src/access/shield.ts: rules on the operations
 * and on the fields whose need differs from what reaching their object took) against the same
 * API with no permission layer, on S1- and S2-like requests (bench/scenarios.ts), on the demo
 * data. Each round serves with the shield and without, in alternating order, and measures both
 * scenarios on each; autocannon runs in its own process.
 *
 * `npm run build && NODE_ENV=production node dist/bench/shield-overhead.js [--rounds 5] [--seconds 10]`
 * (its own embedded database under the system's temporary folder unless HOSO_DATA_DIR is set).
 */
const S1 = `query S1 { members(first: 50) { totalCount edges { cursor node { id fullName gender dateOfBirth status partyCardNumber unit { id name } } } pageInfo { hasNextPage endCursor } } }`;
const S2 = `query S2($card: String!) { member(partyCardNumber: $card) { id fullName gender dateOfBirth status partyCardNumber joinedOn officialOn unit { id name } posts { id title startOn endOn termYears } awards { id kind name badgeYears awardedOn } ratings { year score category } } }`;

type Result = { rps: number; p50: number; p99: number };

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

async function gql(app: RunningApp, query: string, variables: object = {}, token?: string): Promise<any> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as any;
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function login(app: RunningApp, username: string): Promise<string> {
  const data = await gql(app, `mutation($u: String!) { login(input: {username: $u, password: "hoso-demo"}) { token } }`, { u: username });
  return data.login.token;
}

/** autocannon in a child process, so the load generator does not share the server's event loop. */
function measure(app: RunningApp, token: string, body: string, seconds: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [require.resolve('autocannon/autocannon.js'), '-j', '-c', '16', '-d', String(seconds), '-m', 'POST',
        '-H', 'content-type=application/json', '-H', `authorization=Bearer ${token}`, '-b', body, `${app.url}/graphql`],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => {
      try {
        const r = JSON.parse(out);
        if (r.non2xx || r.errors) throw new Error(`${r.non2xx} non-2xx, ${r.errors} errors`);
        resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 });
      } catch (error) {
        reject(error);
      }
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const rounds = option('rounds', 5);
  const seconds = option('seconds', 10);
  const config = loadConfig({
    HOSO_DATA_DIR: path.join(os.tmpdir(), 'hoso-shield-overhead'),
    ...process.env,
    NODE_ENV: 'production',
    PORT: '0',
    HOSO_JWT_SECRET: 'x'.repeat(40),
    HOSO_POOL_SIZE: '16',
    HOSO_LOG_LEVEL: 'warn',
  });
  const target = await openDatabase(config, console.log);
  await prepareDatabase(target, { demoSeed: true, demoMembers: 60000 }, console.log);
  const jwtSecret = dataDirSecret(config.dataDir, 'benchJwt');
  const schemas: Record<string, GraphQLSchema> = { shield: buildAppSchema(), none: buildBareSchema() };
  // One server at a time (two ORMs in one process confuse MikroORM's entity metadata).
  const serve = async <T>(name: string, work: (app: RunningApp) => Promise<T>): Promise<T> => {
    const app = await startApp(config, { apiUrl: target.apiUrl, jwtSecret, log: () => {}, schema: schemas[name] });
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  };
  // S2: a member with posts, awards and ratings, as the city administrator.
  const cadre = await serve('none', async (app) => {
    const page = await gql(app, `{ members(first: 100) { edges { node { partyCardNumber posts { id } awards { id } ratings { year } } } } }`, {}, await login(app, 'admin'));
    const nodes = page.members.edges.map((e: any) => e.node);
    return nodes.find((m: any) => m.posts.length && m.awards.length && m.ratings.length) ?? nodes[0];
  });
  const scenarios = [
    { id: 'S1', account: 'haichau', body: JSON.stringify({ query: S1 }) },
    { id: 'S2', account: 'admin', body: JSON.stringify({ query: S2, variables: { card: cadre.partyCardNumber } }) },
  ];
  // Same answers with and without (the shield changes nothing a permitted caller sees).
  const answers: Record<string, string[]> = {};
  for (const name of Object.keys(schemas)) {
    await serve(name, async (app) => {
      for (const s of scenarios) {
        const { query, variables } = JSON.parse(s.body);
        (answers[s.id] ??= []).push(JSON.stringify(await gql(app, query, variables, await login(app, s.account))));
      }
    });
  }
  for (const s of scenarios) if (answers[s.id][0] !== answers[s.id][1]) throw new Error(`${s.id}: different answers with and without the shield`);
  const runs: Record<string, Record<string, Result[]>> = {};
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? ['none', 'shield'] : ['shield', 'none'];
    for (const name of order) {
      await serve(name, async (app) => {
        for (const s of scenarios) {
          const token = await login(app, s.account);
          await measure(app, token, s.body, 2); // warm-up
          ((runs[s.id] ??= {})[name] ??= []).push(await measure(app, token, s.body, seconds));
        }
      });
    }
  }
  console.log(JSON.stringify(runs));
  for (const s of scenarios) {
    const r = runs[s.id];
    const mean = (name: string) => r[name].reduce((sum, x) => sum + x.rps, 0) / r[name].length;
    const paired = median(r.shield.map((x, i) => 1 - x.rps / r.none[i].rps));
    console.log(
      `${s.id}: shield ${mean('shield').toFixed(0)} req/s (p99 ${median(r.shield.map((x) => x.p99))} ms), ` +
        `none ${mean('none').toFixed(0)} req/s (p99 ${median(r.none.map((x) => x.p99))} ms); ` +
        `cost ${(100 * (1 - mean('shield') / mean('none'))).toFixed(1)} % of the mean, ${(100 * paired).toFixed(1)} % median of rounds`,
    );
  }
  await target.stop();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
