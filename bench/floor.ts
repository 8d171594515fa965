import crypto from 'node:crypto';
import http from 'node:http';
import { Client, Pool, type PoolClient } from 'pg';
import { loadStatisticsSql, S3_SEARCH } from './scenarios';

/**
 * The floor: what PostgreSQL itself gives for the benchmark's scenarios, behind the thinnest
 * server that still answers the same requests with the same JSON as the API: node:http and pg,
 * one hand-written statement per read, no GraphQL, no ORM, no authentication.
 *
 * It keeps the API's guarantees that cost database work: it connects as the API's role
 * (hoso_api), so row-level security applies; each account's pool carries that account's scope
 * (app.scope, set once per connection) and every query also names the scope itself, as the
 * API's data layer does; S5 enters the account and sets the reason in its transaction, so the
 * same audit events are written.
 *
 * `FLOOR_DATABASE_URL=postgres://hoso_api:…/bench_100000 PORT=4100 node dist/bench/floor.js`
 * The account is the `x-bench-account` header (a demo username), or the scenario's default.
 */

interface FloorAccount {
  id: string;
  username: string;
  role: string;
  scope: string;
  pool: Pool;
}

/** Which roles may search by national ID (the API's `readSensitive` capability). */
const READS_SENSITIVE = new Set(['CITY_ADMIN', 'ORG_STAFF']);

const DEFAULT_ACCOUNT: Record<string, string> = { S1: 'haichau', S2: 'admin', S3: 'admin', S4: 'admin', S5: 'haichau' };

/** The scope of a demo account, found through the API role's own functions (it can read nothing before). */
async function lookUpAccount(url: string, username: string): Promise<Omit<FloorAccount, 'pool'>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: [candidate] } = await client.query<{ id: string }>('select id::text from hoso_login_candidate($1)', [username]);
    if (!candidate) throw new Error(`No account ${username} in this database.`);
    await client.query('begin');
    const { rows: [entered] } = await client.query<{ role: string; scope: string }>(
      `select role, scope from hoso_enter_account($1, 'floor-start')`,
      [candidate.id],
    );
    await client.query('rollback');
    return { id: candidate.id, username, role: entered.role, scope: entered.scope };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// The scenarios, each one statement

type Row = Record<string, unknown>;

interface MemberRow extends Row {
  id: string;
  full_name: string;
  gender: string;
  date_of_birth: string;
  status: string;
  party_card_number: string | null;
  sort_name: string;
  unit_id: string;
  unit_name: string;
  total: number;
}

/** The API's cursor (graphql/connection.ts): base64url of the JSON of the order key and id. Not imported: that module brings TypeGraphQL. */
function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** A page of members in the API's default order (sort_name, id), with the count of all matches. */
function memberPageSql(where: string): string {
  return `
    select m.id::text, m.full_name, m.gender, m.date_of_birth::text, m.status, m.party_card_number, m.sort_name,
           u.id::text as unit_id, u.name as unit_name,
           (select count(*)::int from member c where c.unit_path <@ $1::ltree ${where.replace(/\bm\./g, 'c.')}) as total
      from member m join org_unit u on u.id = m.unit_id
     where m.unit_path <@ $1::ltree ${where}
     order by m.sort_name, m.id
     limit $2`;
}

/** The fields S1–S3 ask for first, in the order they ask for them (the JSON's key order follows it). */
function memberFields(r: Row) {
  return { id: r.id, fullName: r.full_name, gender: r.gender, dateOfBirth: r.date_of_birth, status: r.status, partyCardNumber: r.party_card_number };
}

/**
 * The connection the API returns for the same page: the same keys, in the order the query asks
 * for them. No rows at all means no match at all (there is no `after` here), so the count is 0.
 */
function memberConnection(rows: MemberRow[], first: number): object {
  const edges = rows.slice(0, first).map((r) => ({
    cursor: encodeCursor([r.sort_name, r.id]),
    node: { ...memberFields(r), unit: { id: r.unit_id, name: r.unit_name } },
  }));
  return {
    totalCount: rows.length ? rows[0].total : 0,
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
  };
}

/** Escapes LIKE wildcards, as the API's search does. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

async function listMembers(account: FloorAccount, first: number, search?: string): Promise<object> {
  const params: unknown[] = [account.scope, first + 1];
  let where = '';
  if (search) {
    params.push(likeLiteral(search), search);
    // Matches first (trigram and unique indexes), then the order: as the API does.
    where = `and m.id = any(array(select s.id from member s where s.search_name like hoso_fold($3) || '%' or s.search_name like '% ' || hoso_fold($3) || '%' or s.party_card_number = $4` +
      (READS_SENSITIVE.has(account.role) ? ' or s.national_id = $4))' : '))');
  }
  const { rows } = await account.pool.query<MemberRow>(memberPageSql(where), params);
  return { members: memberConnection(rows, first) };
}

const MEMBER_FILE_SQL = `
  select m.id::text, m.full_name, m.gender, m.date_of_birth::text, m.status, m.party_card_number, m.joined_on::text,
         m.official_on::text, u.id::text as unit_id, u.name as unit_name,
         coalesce((select json_agg(json_build_object('id', p.id::text, 'title', p.title, 'startOn', p.start_on, 'endOn', p.end_on,
                                                     'termYears', p.term_years) order by p.start_on, p.id)
                     from post p where p.member_id = m.id and p.managed_path <@ $2::ltree), '[]') as posts,
         coalesce((select json_agg(json_build_object('id', a.id::text, 'kind', a.kind, 'name', a.name, 'badgeYears', a.badge_years,
                                                     'awardedOn', a.awarded_on) order by a.id)
                     from award a where a.member_id = m.id and a.superseded_at is null), '[]') as awards,
         coalesce((select json_agg(json_build_object('year', r.year, 'score', r.score, 'category', r.category) order by r.id)
                     from quality_rating r where r.member_id = m.id and r.superseded_at is null), '[]') as ratings
    from member m join org_unit u on u.id = m.unit_id
   where m.party_card_number = $1 and m.unit_path <@ $2::ltree`;

async function memberFile(account: FloorAccount, card: string): Promise<object> {
  const { rows: [r] } = await account.pool.query<Row>(MEMBER_FILE_SQL, [String(card).trim(), account.scope]);
  if (!r) return { member: null };
  return {
    member: {
      ...memberFields(r),
      joinedOn: r.joined_on,
      officialOn: r.official_on,
      unit: { id: r.unit_id, name: r.unit_name },
      posts: r.posts,
      awards: r.awards,
      ratings: r.ratings,
    },
  };
}

/**
 * updateMember's work in one round trip: a simple-protocol message of three statements runs as
 * one transaction, so the account, request id (hoso_enter_account) and reason (app.reason) are
 * set for the audit trigger exactly as the API sets them. Every value is checked or generated
 * here before it is written into the text.
 */
async function updateMember(account: FloorAccount, input: { id: string; expectedVersion: number; phone: string; reason: string }) {
  if (!/^\d{1,18}$/.test(String(input.id)) || !Number.isInteger(input.expectedVersion) || !/^\+?[0-9 .-]{8,20}$/.test(input.phone)) {
    return { errors: [{ message: 'Bad input.', extensions: { code: 'BAD_USER_INPUT' } }], data: null };
  }
  const client = await account.pool.connect();
  try {
    const lit = (text: string) => client.escapeLiteral(text);
    const results = (await client.query(
      `select id from hoso_enter_account(${account.id}, ${lit(crypto.randomUUID())});
       select set_config('app.reason', ${lit(input.reason)}, true);
       update member set phone = ${lit(input.phone)}, version = version + 1
        where id = ${input.id} and version = ${input.expectedVersion} and unit_path <@ ${lit(account.scope)}::ltree
       returning id::text, version`,
    )) as unknown as { rows: Row[] }[];
    const [updated] = results[2].rows;
    if (!updated) return { errors: [{ message: 'The record was changed or is not in your scope.', extensions: { code: 'CONFLICT' } }], data: { updateMember: null } };
    return { data: { updateMember: { member: { id: updated.id, version: updated.version }, userErrors: [] } } };
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFloor(options: { url: string; port: number; poolSize: number }): Promise<http.Server> {
  const accounts = new Map<string, FloorAccount>();
  // The scenarios' accounts, and those the runner names for the nation-shaped datasets (S4P, S4N).
  for (const username of new Set([...Object.values(DEFAULT_ACCOUNT), ...(process.env.FLOOR_ACCOUNTS ?? '').split(',').filter(Boolean)])) {
    const found = await lookUpAccount(options.url, username);
    const pool = new Pool({ connectionString: options.url, max: options.poolSize });
    // Row-level security reads the scope from app.scope; this pool serves only this account.
    pool.on('connect', (client: PoolClient) => void client.query(`select set_config('app.scope', $1, false)`, [found.scope]));
    accounts.set(username, { ...found, pool });
  }
  const statistics = loadStatisticsSql();

  const answer = async (operation: string, variables: Row, account: FloorAccount): Promise<object> => {
    switch (operation) {
      case 'S1':
        return { data: await listMembers(account, 50) };
      case 'S2':
        return { data: await memberFile(account, String(variables.card)) };
      case 'S3':
        return { data: await listMembers(account, 20, S3_SEARCH) };
      case 'S4': {
        if (!statistics) return { errors: [{ message: 'S4 needs dist/bench/statistics-floor.js', extensions: { code: 'NOT_IMPLEMENTED' } }] };
        const query = async (text: string, values: unknown[]) => (await account.pool.query(text, values)).rows;
        return { data: { statistics: await statistics.statisticsFloor(query, String(variables.unitId), String(variables.asOf)) } };
      }
      case 'S5':
        return updateMember(account, variables.input as never);
      default:
        return { errors: [{ message: `The floor answers only S1–S5, not "${operation}".`, extensions: { code: 'BAD_REQUEST' } }] };
    }
  };

  const server = http.createServer(async (req, res) => {
    try {
      const body = JSON.parse(await readBody(req)) as { operationName?: string; variables?: Row };
      const operation = body.operationName ?? '';
      const username = String(req.headers['x-bench-account'] ?? DEFAULT_ACCOUNT[operation] ?? 'admin');
      const account = accounts.get(username);
      const result = account
        ? await answer(operation, body.variables ?? {}, account)
        : { errors: [{ message: `The floor knows no account ${username}.`, extensions: { code: 'UNAUTHENTICATED' } }] };
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(result));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ message: String(error), extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  return server;
}

if (require.main === module) {
  const url = process.env.FLOOR_DATABASE_URL;
  if (!url) {
    console.error('Set FLOOR_DATABASE_URL to the API role (hoso_api) of a benchmark database.');
    process.exit(2);
  }
  startFloor({ url, port: Number(process.env.PORT ?? 4100), poolSize: Number(process.env.FLOOR_POOL_SIZE ?? 10) })
    .then((server) => {
      const address = server.address() as { port: number };
      // run.ts waits for this line.
      console.log(`floor ready on http://127.0.0.1:${address.port}/graphql`);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
