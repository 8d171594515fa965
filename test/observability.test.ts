import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, logFunction } from '../src/observability/logger';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/** A pino logger whose lines are kept in memory. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ env: 'test', logLevel: 'debug' }, stream);
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, any>) };
}

const METRIC_NAMES = [
  'hoso_http_request_duration_seconds',
  'hoso_db_statement_duration_seconds',
  'hoso_db_pool_in_use',
  'hoso_db_pool_waiting',
  'hoso_audit_seal_lag_seconds',
  'hoso_login_refusals_total',
  'hoso_exports_in_progress',
  'hoso_lane_in_use',
];

function refusals(text: string, reason: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`hoso_login_refusals_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('one structured log line per request', () => {
  let t: TestApp;
  const capture = capturedLogger();

  beforeAll(async () => {
    t = await startTestApp({}, { logger: capture.logger });
  });
  afterAll(() => t.close());

  it('names the request, account, operation, status, duration and statements, and no personal data', async () => {
    const token = await t.login('admin');
    const [admin] = await ownerQuery<{ id: string }>(t.db, `select id::text from account where username = 'admin'`);
    const members = await ownerQuery<{ full_name: string; national_id: string | null }>(
      t.db,
      `select full_name, national_id from member where national_id is not null order by id limit 5`,
    );
    expect(members.length).toBeGreaterThan(0);
    capture.lines.length = 0;

    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'obs-test-1' },
      body: JSON.stringify({
        query: `query ReadMembers { me { username } members(first: 5) { edges { node { id fullName nationalId } } } }`,
      }),
    });
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.me.username).toBe('admin');
    const read = body.data.members.edges.map((e: any) => e.node);
    expect(read.some((m: any) => m.nationalId)).toBe(true);
    expect(response.headers.get('x-request-id')).toBe('obs-test-1');
    await new Promise((resolve) => setTimeout(resolve, 50));

    const lines = capture.records().filter((r) => r.msg === 'request');
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({
      level: 'info',
      requestId: response.headers.get('x-request-id'),
      accountId: admin.id,
      operation: 'ReadMembers',
      method: 'POST',
      path: '/graphql',
      status: 200,
    });
    expect(line.durationMs).toBeGreaterThan(0);
    expect(line.statements).toBeGreaterThan(2);

    // Whatever the request read, the log holds none of it.
    const output = capture.lines.join('\n');
    for (const secret of ['admin', ...read.map((m: any) => m.fullName), ...read.map((m: any) => m.nationalId).filter(Boolean)]) {
      expect(output).not.toContain(secret);
    }
    for (const m of members) {
      expect(output).not.toContain(m.full_name);
      expect(output).not.toContain(m.national_id!);
    }
  });

  it('a login line carries the account that signed in, and a failed one none; the username never', async () => {
    capture.lines.length = 0;
    await t.login('haichau');
    const failed = await t.gql(`mutation SignIn($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`, {
      input: { username: 'thachthang', password: 'wrong-password' },
    });
    expect(failed.data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [ok, refused] = capture.records().filter((r) => r.msg === 'request');
    const [haichau] = await ownerQuery<{ id: string }>(t.db, `select id::text from account where username = 'haichau'`);
    expect(ok).toMatchObject({ accountId: haichau.id, operation: 'anonymous', status: 200 });
    expect(refused).toMatchObject({ accountId: null, operation: 'SignIn', outcome: 'user_error' });
    const output = capture.lines.join('\n');
    for (const secret of ['haichau', 'thachthang', 'wrong-password', 'hoso-demo']) expect(output).not.toContain(secret);
  });

  it('a refused request logs its code and status; a statement count of 0 when no database was needed', async () => {
    capture.lines.length = 0;
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
      body: JSON.stringify({ query: 'query Q { me { id } }' }),
    });
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [line] = capture.records().filter((r) => r.msg === 'request');
    expect(line).toMatchObject({ operation: 'Q', status: 401, outcome: 'UNAUTHENTICATED', statements: 0, accountId: null });
  });
});

describe('errors in the log', () => {
  it('a database error is logged without the statement’s values or PostgreSQL’s DETAIL', async () => {
    const capture = capturedLogger();
    const error = Object.assign(
      new Error(`insert into "member" ("full_name", "national_id") values ('Nguyễn Văn Thử', '048099001234') - duplicate key value violates unique constraint "member_national_id_key"`),
      { code: '23505', detail: 'Key (national_id)=(048099001234) already exists.', constraint: 'member_national_id_key', table: 'member' },
    );
    logFunction(capture.logger)('request x failed', new Error('wrapped', { cause: error }));
    logFunction(capture.logger)('request y failed', error);
    const [line] = capture.records();
    expect(capture.records()[1].err).toMatchObject({ code: '23505', constraint: 'member_national_id_key' });
    expect(line).toMatchObject({ level: 'error', msg: 'request x failed' });
    const output = capture.lines.join('\n');
    expect(output).toContain('duplicate key value violates unique constraint');
    expect(output).toContain('member_national_id_key');
    for (const secret of ['048099001234', 'Nguyễn Văn Thử', 'Nguy\\u1ec5n']) expect(output).not.toContain(secret);
  });
});

describe('GET /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ HOSO_LOGIN_FAILURES_PER_USERNAME: '2' });
  });
  afterAll(() => t.close());

  it('anonymous requests with invented operation names cannot use up the operation labels', async () => {
    const anonymous = (name: string) =>
      fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `query ${name} { __typename }` }) });
    for (let i = 0; i < 210; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => anonymous(`Junk${i + j}`)));
    const admin = await t.login('admin');
    await t.gql('query MyRealReport { me { id } }', {}, admin);
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toContain('operation="MyRealReport"');
    expect(text).not.toContain('operation="Junk0"');
  });

  it('answers an allowed address (localhost by default) in Prometheus text', async () => {
    await t.login('admin');
    const response = await fetch(`${t.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of METRIC_NAMES) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toMatch(/hoso_http_request_duration_seconds_count\{route="graphql",operation="anonymous",outcome="ok",status_class="2xx"\} [1-9]/);
    expect(text).toMatch(/hoso_db_statement_duration_seconds_count\{result="ok"\} [1-9]/);
    expect(text).toMatch(/hoso_lane_in_use\{lane="exports"\} 0/);
    const lag = Number(/^hoso_audit_seal_lag_seconds (\S+)$/m.exec(text)![1]);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(5);
  });

  it('the sealer’s passes keep the sealing lag small and count the events sealed', async () => {
    const sealed = (text: string) => Number(/^hoso_audit_events_sealed_total (\S+)$/m.exec(text)![1]);
    const before = await (await fetch(`${t.url}/metrics`)).text();
    // Raw SQL by the owner is audited too: three events for the sealer.
    await ownerQuery(t.db, `update org_unit set name = name || ' ' where id in (select id from org_unit order by id limit 3)`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const after = await (await fetch(`${t.url}/metrics`)).text();
    expect(sealed(after) - sealed(before)).toBeGreaterThanOrEqual(3);
    expect(Number(/^hoso_audit_seal_lag_seconds (\S+)$/m.exec(after)![1])).toBeLessThan(1.5);
  });

  it('a login refusal increments the counter: wrong password, then the rate limit', async () => {
    const before = await (await fetch(`${t.url}/metrics`)).text();
    const attempt = () =>
      t.gql(`mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`, {
        input: { username: 'sontra.viewer', password: 'not-the-password' },
      });
    expect((await attempt()).data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    expect((await attempt()).data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    expect((await attempt()).errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    const after = await (await fetch(`${t.url}/metrics`)).text();
    expect(refusals(after, 'INVALID_CREDENTIALS') - refusals(before, 'INVALID_CREDENTIALS')).toBe(2);
    expect(refusals(after, 'RATE_LIMITED') - refusals(before, 'RATE_LIMITED')).toBe(1);
  });
});

describe('GET /metrics from an address not allowed', () => {
  let t: TestApp;
  const TOKEN = 'metrics-token-for-the-test-0123456789';

  beforeAll(async () => {
    t = await startTestApp({ HOSO_METRICS_ALLOW: '192.0.2.10', HOSO_METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t.close());

  it('is refused 403 with a coded body without the token, or with a wrong one', async () => {
    const variants: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-of-some-length' }, { authorization: `Bearer ${TOKEN}x` }];
    for (const headers of variants) {
      const response = await fetch(`${t.url}/metrics`, { headers });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'FORBIDDEN' } }],
      });
    }
  });

  it('is served with the token', async () => {
    const response = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('# TYPE hoso_db_pool_in_use gauge');
  });
});
