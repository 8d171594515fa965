import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/**
 * docs/operations.md claims the API is safe behind a transaction-mode pooler (PgBouncer
 * pool_mode=transaction): everything a request sets is transaction-local (set_config(..., true)
 * inside its transaction), and nothing — no setting, no named prepared statement — outlives
 * the transaction on the connection. These tests show it on real connections.
 */

/** The settings a request sets in its transaction (request-transaction.ts and the resolvers). */
const APP_SETTINGS = ['app.account_id', 'app.api_key_id', 'app.scope', 'app.request_id', 'app.today', 'app.reason'];

async function scopeCounts(t: TestApp, usernames: string[]) {
  const rows = await ownerQuery<{ username: string; id: string; members: string }>(
    t.db,
    `select a.username, a.id::text,
            (select count(*) from member m join org_unit mu on mu.id = m.unit_id where mu.path <@ u.path) as members
       from account a join org_unit u on u.id = a.unit_id where a.username = any($1)`,
    [usernames],
  );
  return Object.fromEntries(rows.map((r) => [r.username, { id: r.id, members: Number(r.members) }]));
}

describe('transaction pooling: nothing a request sets outlives its transaction', () => {
  let t: TestApp;
  let expected: Record<string, { id: string; members: number }>;

  beforeAll(async () => {
    // One connection in the pool: every request, and the audit sealer, shares the same session.
    // Prepared statements off, as behind a pooler that cannot carry them (docs/operations.md).
    t = await startTestApp({ HOSO_POOL_SIZE: '1', HOSO_PREPARED_STATEMENTS: 'false' });
    expected = await scopeCounts(t, ['admin', 'thachthang']);
    expect(expected.admin.members).toBeGreaterThan(expected.thachthang.members);
    expect(expected.thachthang.members).toBeGreaterThan(0);
  });
  afterAll(() => t.close());

  it('on one API-role session, a committed request transaction leaves no account, scope or request id behind', async () => {
    const client = new Client({ connectionString: t.db.apiUrl });
    await client.connect();
    try {
      const settings = () =>
        client.query<Record<string, string | null>>(
          `select ${APP_SETTINGS.map((name, i) => `current_setting('${name}', true) as s${i}`).join(', ')}`,
        );
      const members = async () => Number((await client.query<{ count: string }>('select count(*) from member')).rows[0].count);

      // What the API does for a signed-in request: the same entering function and set_config calls.
      await client.query('begin');
      const entered = await client.query(
        `select id, role, unit_id, scope, set_config('app.today', $1, true) as today from hoso_enter_account($2, $3)`,
        ['2026-06-15', expected.thachthang.id, 'pooling-test-1'],
      );
      expect(entered.rows).toHaveLength(1);
      await client.query(`select set_config('app.reason', 'pooling test', true)`);
      const inside = (await settings()).rows[0];
      expect(inside.s0).toBe(expected.thachthang.id);
      expect(inside.s3).toBe('pooling-test-1');
      expect(await members()).toBe(expected.thachthang.members);
      await client.query('commit');

      // The next transaction on the same session (another client's, behind a pooler) sees none of it.
      const after = (await settings()).rows[0];
      for (const value of Object.values(after)) expect(value ?? '').toBe('');
      expect(await members()).toBe(0);

      // A rolled-back request leaves nothing either.
      await client.query('begin');
      await client.query(`select id from hoso_enter_account($1, $2)`, [expected.admin.id, 'pooling-test-2']);
      expect(await members()).toBe(expected.admin.members);
      await client.query('rollback');
      expect(await members()).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('the API on one shared connection: a city and a ward account, alternating, each see only their scope', async () => {
    const tokens = { admin: await t.login('admin'), thachthang: await t.login('thachthang') };
    const total = async (who: keyof typeof tokens) => {
      const result = await t.gql(`query { members(first: 1) { totalCount } }`, {}, tokens[who]);
      expect(result.errors).toBeUndefined();
      return result.data.members.totalCount as number;
    };
    const order: (keyof typeof tokens)[] = ['admin', 'thachthang', 'thachthang', 'admin', 'thachthang', 'admin'];
    for (const who of order) expect(await total(who)).toBe(expected[who].members);
    // In parallel too: the requests queue for the one connection, one transaction after another.
    const parallel = await Promise.all([...order, ...order].map(async (who) => [who, await total(who)] as const));
    for (const [who, count] of parallel) expect(count).toBe(expected[who].members);
    // An anonymous request after them on the same connection sees no scope at all.
    const anonymous = await t.gql(`query { members(first: 1) { totalCount } }`);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('the API’s own connection, between requests: no app.* value, no rows, no prepared statement, no session setting', async () => {
    const token = await t.login('thachthang');
    expect((await t.gql(`query { members(first: 1) { totalCount } }`, {}, token)).data.members.totalCount).toBe(expected.thachthang.members);
    // With a pool of one, this is the very session the requests above ran on.
    const connection = t.app.orm.em.fork().getConnection();
    const [values] = await connection.execute<Record<string, string | null>[]>(
      `select ${APP_SETTINGS.map((name, i) => `current_setting('${name}', true) as s${i}`).join(', ')}`,
    );
    for (const value of Object.values(values)) expect(value ?? '').toBe('');
    const [{ count }] = await connection.execute<{ count: string }[]>('select count(*) from member');
    expect(Number(count)).toBe(0);
    const [{ prepared }] = await connection.execute<{ prepared: string }[]>('select count(*) as prepared from pg_prepared_statements');
    expect(Number(prepared)).toBe(0);
    // Settings changed with a plain SET (source "session") would stay on the connection.
    const session = await connection.execute<{ name: string }[]>(`select name from pg_settings where source = 'session'`);
    expect(session).toEqual([]);
    const [{ temp }] = await connection.execute<{ temp: string }[]>(
      `select count(*) as temp from pg_class where relnamespace = pg_my_temp_schema()`,
    );
    expect(Number(temp)).toBe(0);
  });
});

describe('prepared statements (on by default): the only thing a connection keeps between requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ HOSO_POOL_SIZE: '1' });
  });
  afterAll(() => t.close());

  it('the hot reads are prepared once per connection under their own names, and each account still sees only its scope', async () => {
    const expected = await scopeCounts(t, ['admin', 'thachthang']);
    const tokens = { admin: await t.login('admin'), thachthang: await t.login('thachthang') };
    const total = async (who: keyof typeof tokens) => (await t.gql(`query { members(first: 1) { totalCount edges { node { id } } } }`, {}, tokens[who])).data.members.totalCount;
    // The same prepared statement serves both accounts in turn, on the one connection.
    for (let i = 0; i < 3; i++) {
      expect(await total('admin')).toBe(expected.admin.members);
      expect(await total('thachthang')).toBe(expected.thachthang.members);
    }
    const connection = t.app.orm.em.fork().getConnection();
    const prepared = await connection.execute<{ name: string; from_sql: boolean }[]>('select name, from_sql from pg_prepared_statements');
    // Named at the protocol level by the API (not PREPARE in SQL), a handful however many requests ran.
    expect(prepared.length).toBeGreaterThan(0);
    expect(prepared.length).toBeLessThan(5);
    for (const statement of prepared) {
      expect(statement.name).toMatch(/^hoso_[0-9a-f]{16}$/);
      expect(statement.from_sql).toBe(false);
    }
    const [values] = await connection.execute<Record<string, string | null>[]>(
      `select ${APP_SETTINGS.map((name, i) => `current_setting('${name}', true) as s${i}`).join(', ')}`,
    );
    for (const value of Object.values(values)) expect(value ?? '').toBe('');
  });
});
