// First: PostGraphile must load with one graphql (see the module).
import './peer-modules';
import crypto from 'node:crypto';
import http from 'node:http';
import { Client, Pool } from 'pg';
import { postgraphile } from 'postgraphile';
import ConnectionFilterPlugin from 'postgraphile-plugin-connection-filter';
import { TokenService } from '../src/access/tokens';

/**
 * The peer: PostGraphile v4 (library mode, on node:http) pointed at the same benchmark
 * database, so the report can say what an off-the-shelf GraphQL layer over the same schema
 * gives. It is held to the API's rules where they cost work:
 *
 * - it connects as the API's role (hoso_api: no superuser, no BYPASSRLS) with the same pool size,
 *   so the same row-level security policies filter every row it reads or writes;
 * - every request carries one of the API's own login tokens (HS256 JWT), verified on every request
 *   with the API's TokenService and the same secret;
 * - for every request PostGraphile sets, transaction-local in its own set_config statement at the
 *   start of its transaction, what hoso_enter_account() sets (app.account_id, app.api_key_id,
 *   app.scope, app.request_id) and app.today, as the API's request transaction does; a mutation's
 *   reason (the `x-hoso-reason` header, percent-encoded) goes to app.reason, where the audit
 *   trigger reads it.
 *
 * The scope is the account's unit path: hoso_enter_account() computes it per request from the
 * account's unit; the peer looks it up once per account at start-up (through the same function,
 * in a transaction it rolls back, as hoso_api can read no account before a scope is set), so a
 * request costs PostGraphile's own statements and no more. An account disabled after start-up
 * keeps its access until the peer restarts: the API checks per request.
 *
 * `PEER_DATABASE_URL=postgres://hoso_api:…/bench_100000 PEER_JWT_SECRET=… PORT=4200 node dist/bench/peer.js`
 * PEER_ACCOUNTS (default `admin,haichau`) names the demo accounts whose tokens it accepts.
 */

interface PeerAccount {
  id: string;
  scope: string;
}

/** The demo account's id and scope, through the API role's own functions (as bench/floor.ts does). */
async function lookUpAccount(url: string, username: string): Promise<PeerAccount> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: [candidate] } = await client.query<{ id: string }>('select id::text from hoso_login_candidate($1)', [username]);
    if (!candidate) throw new Error(`No account ${username} in this database.`);
    await client.query('begin');
    const { rows: [entered] } = await client.query<{ scope: string }>(`select scope from hoso_enter_account($1, 'peer-start')`, [candidate.id]);
    await client.query('rollback');
    if (!entered) throw new Error(`The account ${username} is disabled.`);
    return { id: candidate.id, scope: entered.scope };
  } finally {
    await client.end();
  }
}

/** The application's today (src/clock.ts: Asia/Ho_Chi_Minh, UTC+7). */
function today(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
}

function httpError(status: number, message: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status });
}

export async function startPeer(options: { url: string; port: number; poolSize: number; jwtSecret: string; usernames: string[] }): Promise<http.Server> {
  const accounts = new Map<string, PeerAccount>();
  for (const username of options.usernames) {
    const account = await lookUpAccount(options.url, username);
    accounts.set(account.id, account);
  }
  // The API's token service: the same checks (issuer, audience, HS256, exp/iat/sub) on every request.
  const tokens = new TokenService(options.jwtSecret, 3600);
  // Its sessions are told apart from the API's and the floor's (same role) by application_name.
  const pool = new Pool({ connectionString: options.url, max: options.poolSize, application_name: process.env.PGAPPNAME || 'hoso-bench-peer' });

  const handler = postgraphile(pool, 'public', {
    appendPlugins: [ConnectionFilterPlugin],
    simpleCollections: 'both',
    // Production settings: no GraphiQL, no per-query log, no schema watching, no error details.
    graphiql: false,
    disableQueryLog: true,
    watchPg: false,
    retryOnInitFail: false,
    extendedErrors: [],
    showErrorStack: false,
    enableQueryBatching: false,
    legacyRelations: 'omit',
    setofFunctionsContainNulls: false,
    // hoso_api's grants (select, insert, update; no delete) decide what the schema offers.
    ignoreRBAC: false,
    graphqlRoute: '/graphql',
    async pgSettings(req: http.IncomingMessage) {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const accountId = match ? await tokens.verify(match[1]) : null;
      const account = accountId ? accounts.get(accountId) : undefined;
      if (!account) throw httpError(401, 'A valid login token of a known account is required.');
      const reason = req.headers['x-hoso-reason'];
      return {
        // What hoso_enter_account() sets, and app.today as the API's request transaction does.
        'app.account_id': account.id,
        'app.api_key_id': '',
        'app.scope': account.scope,
        'app.request_id': crypto.randomUUID(),
        'app.today': today(),
        ...(typeof reason === 'string' ? { 'app.reason': decodeURIComponent(reason) } : {}),
      };
    },
  });

  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  // The schema is built on the first request otherwise: build it before announcing readiness.
  await handler.getGraphQLSchema();
  return server;
}

if (require.main === module) {
  const url = process.env.PEER_DATABASE_URL;
  const jwtSecret = process.env.PEER_JWT_SECRET;
  if (!url || !jwtSecret) {
    console.error('Set PEER_DATABASE_URL to the API role (hoso_api) of a benchmark database and PEER_JWT_SECRET to the API\'s HOSO_JWT_SECRET.');
    process.exit(2);
  }
  startPeer({
    url,
    jwtSecret,
    port: Number(process.env.PORT ?? 4200),
    poolSize: Number(process.env.PEER_POOL_SIZE ?? 10),
    usernames: (process.env.PEER_ACCOUNTS ?? 'admin,haichau').split(',').map((u) => u.trim()).filter(Boolean),
  })
    .then((server) => {
      const address = server.address() as { port: number };
      // run.ts waits for this line.
      console.log(`peer ready on http://127.0.0.1:${address.port}/graphql`);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
