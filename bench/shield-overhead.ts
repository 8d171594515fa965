import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { allow, deny, rule, shield } from 'graphql-shield';
import { applyMiddleware } from 'graphql-middleware';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { can } from '../src/access/capabilities';
import { PERMISSIONS, type Need } from '../src/access/permissions';
import { startApp, type RunningApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase, prepareDatabase } from '../src/database/database';
import { dataDirSecret } from '../src/database/embedded';
import { codedError, unauthenticated } from '../src/graphql/errors';
import { buildAppSchema, buildBareSchema, resolvers } from '../src/app/schema';

/**
 * The cost of the permission layer on a 100-member page: the API with its guard (access/guard.ts),
 * with the same PERMISSIONS enforced by graphql-shield, and with none, interleaved, on the demo
 * data; autocannon runs in its own process. `NODE_ENV=production node dist/bench/shield-overhead.js`
 */
const QUERY = `{ members(first: 100) { edges { node { id fullName gender dateOfBirth status partyCardNumber nationalId unit { id name } } } } }`;

/** The same table as graphql-shield rules, for comparison only. */
function shieldSchema(): GraphQLSchema {
  const made = new Map<Need, any>();
  const ruleFor = (need: Need) => {
    if (need === 'public') return allow;
    if (!made.has(need)) {
      made.set(
        need,
        rule(`need:${need}`, { cache: 'contextual' })((_p, _a, ctx: any) => {
          if (!ctx.account) return unauthenticated();
          return need === 'signedIn' || can(ctx.account.role, need) ? true : codedError('FORBIDDEN', 'Your role does not allow this.');
        }),
      );
    }
    return made.get(need)!;
  };
  const tree: any = Object.fromEntries(
    Object.entries(PERMISSIONS).map(([type, needs]) => [
      type,
      typeof needs === 'string' ? ruleFor(needs) : Object.fromEntries(Object.entries(needs).map(([f, n]) => [f, ruleFor(n)])),
    ]),
  );
  return applyMiddleware(buildSchemaSync({ resolvers, validate: false }), shield(tree, { fallbackRule: deny, allowExternalErrors: true }));
}

async function login(app: RunningApp): Promise<string> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { login(input: {username: "haichau", password: "hoso-demo"}) { token } }' }),
  });
  return ((await response.json()) as any).data.login.token;
}

/** autocannon in a child process, so the load generator does not share the server's event loop. */
function measure(app: RunningApp, token: string, seconds: number): Promise<{ rps: number; p50: number; p99: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [require.resolve('autocannon/autocannon.js'), '-j', '-c', '16', '-d', String(seconds), '-m', 'POST',
        '-H', 'content-type=application/json', '-H', `authorization=Bearer ${token}`, '-b', JSON.stringify({ query: QUERY }),
        `${app.url}/graphql`],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => {
      try {
        const r = JSON.parse(out);
        if (r.non2xx) throw new Error(`${r.non2xx} failed requests`);
        resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 });
      } catch (error) {
        reject(error);
      }
    });
  });
}

async function main() {
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', PORT: '0', HOSO_JWT_SECRET: 'x'.repeat(40), HOSO_POOL_SIZE: '16' });
  const target = await openDatabase(config, console.log);
  await prepareDatabase(target, { demoSeed: true, demoMembers: 60000 }, console.log);
  const jwtSecret = dataDirSecret(config.dataDir, 'benchJwt');
  const schemas: [string, GraphQLSchema][] = [['guard', buildAppSchema()], ['shield', shieldSchema()], ['none', buildBareSchema()]];
  const runs: Record<string, { rps: number; p50: number; p99: number }[]> = {};
  for (let round = 0; round < 2; round++) {
    for (const [name, schema] of schemas) {
      const app = await startApp(config, { apiUrl: target.apiUrl, jwtSecret, log: () => {}, schema });
      const token = await login(app);
      await measure(app, token, 3); // warm-up
      (runs[name] ??= []).push(await measure(app, token, 10));
      await app.close();
    }
  }
  const avg = (name: string) => runs[name].reduce((s, r) => s + r.rps, 0) / runs[name].length;
  console.log(JSON.stringify(runs));
  for (const name of ['guard', 'shield']) {
    console.log(`${name}: ${avg(name).toFixed(0)} req/s vs ${avg('none').toFixed(0)} without, overhead ${(100 * (1 - avg(name) / avg('none'))).toFixed(1)}%`);
  }
  await target.stop();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
