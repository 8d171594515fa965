import 'reflect-metadata';
import autocannon from 'autocannon';
import { startApp, type RunningApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase, prepareDatabase } from '../src/database/database';
import { dataDirSecret } from '../src/database/embedded';
import { buildAppSchema, buildBareSchema } from '../src/graphql/schema';

/**
 * The cost of the permission layer (graphql-shield) on a 100-member page: the same API with and
 * without it, interleaved, on the demo data. `node dist/bench/shield-overhead.js`
 */
const QUERY = `{ members(first: 100) { edges { node { id fullName gender dateOfBirth status partyCardNumber nationalId unit { id name } } } } }`;

async function login(app: RunningApp): Promise<string> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { login(input: {username: "haichau", password: "hoso-demo"}) { token } }' }),
  });
  return ((await response.json()) as any).data.login.token;
}

async function measure(app: RunningApp, token: string, seconds: number) {
  const result = await autocannon({
    url: `${app.url}/graphql`,
    method: 'POST',
    connections: 16,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY }),
  });
  if (result.non2xx) throw new Error(`${result.non2xx} failed requests`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function main() {
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', PORT: '0', HOSO_JWT_SECRET: 'x'.repeat(40), HOSO_POOL_SIZE: '16' });
  const target = await openDatabase({ ...config, dataDir: process.env.HOSO_DATA_DIR ?? config.dataDir }, console.log);
  await prepareDatabase(target, { demoSeed: true, demoMembers: 60000 }, console.log);
  const jwtSecret = dataDirSecret(config.dataDir, 'benchJwt');
  const log = () => {};
  const runs: Record<string, { rps: number; p50: number; p99: number }[]> = { shield: [], bare: [] };
  for (let round = 0; round < 2; round++) {
    for (const [name, schema] of [['shield', buildAppSchema()], ['bare', buildBareSchema()]] as const) {
      const app = await startApp(config, { apiUrl: target.apiUrl, jwtSecret, log, schema });
      const token = await login(app);
      await measure(app, token, 3); // warm-up
      runs[name].push(await measure(app, token, 10));
      await app.close();
    }
  }
  const avg = (name: string) => runs[name].reduce((s, r) => s + r.rps, 0) / runs[name].length;
  console.log(JSON.stringify(runs, null, 2));
  console.log(`shield ${avg('shield').toFixed(0)} req/s, without ${avg('bare').toFixed(0)} req/s, overhead ${(100 * (1 - avg('shield') / avg('bare'))).toFixed(1)}%`);
  await target.stop();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
