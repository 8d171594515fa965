import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../src/app';
import { loadConfig } from '../src/config';
import { watchStatements } from '../src/database/orm';
import { DEMO_PASSWORD } from '../seeds/demo';
import { startReplicatedDemo, type ReplicatedDemo } from './support/standby';

/**
 * HOSO_READ_DATABASE_URL against a real hot standby streaming from its primary (a pair of
 * embedded clusters of this file's own, with a small demo: test/support/standby.ts). Which server
 * answered is told by the statements each of the API's two pools sent, and, with the standby's
 * replay paused, by the data: the replica still shows what the primary has already changed.
 */

const SECRET = 'replica-test-secret-that-is-long-enough!';
const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/;
/** The position a read asked the replica about, in the message that opened its transaction. */
const checkedIn = (opening: string) => /pg_last_wal_replay_lsn\(\) >= '([0-9A-F]+\/[0-9A-F]+)'::pg_lsn/.exec(opening)?.[1];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * The instances most tests use allow ten minutes of lag, so that the replica's answers with
 * replay paused do not depend on how fast the tests run; the staleness bound is tested with a
 * bound of LAG_SECONDS.
 */
const LAG_SECONDS = 2;

interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

interface Api {
  app: RunningApp;
  /** Statements each server received since `reset()` (the audit sealer's background work left out). */
  sent: { primary: string[]; replica: string[] };
  reset(): void;
  logs: string[];
  call(query: string, variables: Record<string, unknown>, token: string, headers?: Record<string, string>): Promise<Answer>;
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

async function startApi(demo: ReplicatedDemo, replica: boolean, maxLagSeconds = 600): Promise<Api> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOSO_JWT_SECRET: SECRET,
    HOSO_LOG_LEVEL: 'silent',
    HOSO_LOGIN_ATTEMPTS_PER_ADDRESS: '10000',
    ...(replica ? { HOSO_READ_DATABASE_URL: demo.standby.apiUrl, HOSO_READ_MAX_LAG_SECONDS: String(maxLagSeconds) } : {}),
  });
  const logs: string[] = [];
  const app = await startApp(config, { apiUrl: demo.primary.apiUrl, jwtSecret: SECRET, log: (message) => logs.push(message) });
  const sent = { primary: [] as string[], replica: [] as string[] };
  const keep = (into: string[]) => (sql: string) => {
    // The background work: the audit sealer, the statistics weeks, the replica's samples of the primary.
    if (!sql.includes('hoso_audit_seal') && !sql.includes('hoso_statistics_refresh') && !sql.includes('pg_current_wal_lsn()')) into.push(sql);
  };
  watchStatements(app.orm, keep(sent.primary));
  if (app.readOrm) watchStatements(app.readOrm, keep(sent.replica));
  let closed: Promise<void> | undefined;
  const call = async (query: string, variables: Record<string, unknown>, token: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
  };
  return {
    app,
    sent,
    logs,
    reset() {
      sent.primary.length = 0;
      sent.replica.length = 0;
    },
    call,
    async login(username) {
      const result = await call(`mutation($input: LoginInput!) { login(input: $input) { token } }`, { input: { username, password: DEMO_PASSWORD } }, '');
      const token = result.body.data?.login?.token;
      if (!token) throw new Error(`login as ${username} failed: ${result.text}`);
      return token;
    },
    close: () => (closed ??= app.close().then(() => undefined)),
  };
}

const MEMBER = `query($id: ID!) { member(id: $id) { id homeTown } }`;
/** Home towns the demo data never hold, so an answer tells which version of the record it read. */
const PAUSED_WRITE = 'Hội An (thử bản sao)';
const OWN_WRITE = 'Điện Bàn (thử bản sao)';
const PLAIN_WRITE = 'Tam Kỳ (thử bản sao)';
const LAGGING_WRITE = 'Hòa Vang (thử bản sao)';
const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { id version homeTown } userErrors { message } } }`;

describe('a read replica (HOSO_READ_DATABASE_URL)', () => {
  let demo: ReplicatedDemo;
  /** Two API instances on the same pair, as behind a load balancer, and one without a replica. */
  let a: Api;
  let b: Api;
  let plain: Api;
  /** An instance whose replica may lag LAG_SECONDS only. */
  let tight: Api;
  /** Every instance started, closed by afterAll whatever failed. */
  const started: Api[] = [];
  const start = async (replica: boolean, maxLagSeconds?: number) => {
    const api = await startApi(demo, replica, maxLagSeconds);
    started.push(api);
    return api;
  };
  /** beforeAll's work, which afterAll waits for should beforeAll time out while it still runs. */
  let ready: Promise<void> | undefined;
  let admin: string;
  let district: string;
  let members: { id: string; version: number; home_town: string | null; national_id: string | null }[];
  let outside: string;

  const primaryHomeTown = async (id: string) => (await demo.query<{ home_town: string }>('primary', `select home_town from member where id = $1`, [id]))[0].home_town;
  const replayPaused = async (paused: boolean) => {
    await demo.query('standby', paused ? `select pg_wal_replay_pause()` : `select pg_wal_replay_resume()`);
    for (let i = 0; i < 100; i++) {
      const [{ state }] = await demo.query<{ state: string }>('standby', `select pg_get_wal_replay_pause_state() as state`);
      if ((state === 'paused') === paused) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the standby did not change its replay state');
  };

  const setUp = async () => {
    demo = await startReplicatedDemo({ members: 300 });
    a = await start(true);
    b = await start(true);
    plain = await start(false);
    tight = await start(true, LAG_SECONDS);
    admin = await a.login('admin');
    district = await a.login('haichau');
    // Members of the district account's subtree, and one outside it.
    members = await demo.query(
      'primary',
      `select m.id::text, m.version, m.home_town, m.national_id from member m join org_unit u on u.id = m.unit_id
        where u.code like 'DN.HAICHAU.%' and m.status = 'OFFICIAL' and m.national_id is not null order by m.id limit 4`,
    );
    [{ id: outside }] = await demo.query<{ id: string }>('primary', `select m.id::text from member m join org_unit u on u.id = m.unit_id where u.code like 'DN.SONTRA.%' order by m.id limit 1`);
    await demo.caughtUp();
  };

  beforeAll(async () => {
    ready = setUp();
    await ready;
  }, 300_000);

  afterAll(async () => {
    await ready?.catch(() => {});
    for (const api of started) await api.close().catch(() => {});
    await demo?.stop();
  }, 120_000);

  it('a request that only reads is answered by the replica: the primary receives nothing, and with replay paused the answer is the replica’s', async () => {
    const [m] = members;
    // login, a mutation, left the position of its commit for the account: the first read asks the
    // replica whether it has replayed it (it has), in the message that opens its transaction.
    a.reset();
    const first = await a.call(MEMBER, { id: m.id }, admin);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.member).toEqual({ id: m.id, homeTown: m.home_town });
    expect(a.sent.primary).toEqual([]);
    expect(a.sent.replica).toHaveLength(3);
    const OPENING = /^begin; select coalesce\(pg_last_wal_replay_lsn\(\) >= '[0-9A-F]+\/[0-9A-F]+'::pg_lsn, false\) as replayed; commit; begin isolation level repeatable read; select .* from hoso_enter_account\(/;
    expect(a.sent.replica[0]).toMatch(OPENING);
    const afterLogin = checkedIn(a.sent.replica[0])!;
    // Replayed, the account's position is forgotten: the next read asks only for the staleness
    // bound (here the primary's position when the instance started, before the login).
    a.reset();
    const read = await a.call(MEMBER, { id: m.id }, admin);
    expect(read.body.data.member).toEqual({ id: m.id, homeTown: m.home_town });
    expect(a.sent.primary).toEqual([]);
    expect(a.sent.replica).toHaveLength(3);
    expect(a.sent.replica[0]).toMatch(OPENING);
    const bound = checkedIn(a.sent.replica[0])!;
    expect(bound).not.toBe(afterLogin);
    const [{ earlier }] = await demo.query<{ earlier: boolean }>('primary', `select $1::pg_lsn < $2::pg_lsn as earlier`, [bound, afterLogin]);
    expect(earlier).toBe(true);
    expect(a.sent.replica[2]).toMatch(/^COMMIT/i);
    // A read hands out no position.
    expect(read.headers.get('hoso-read-after')).toBeNull();
    expect(read.headers.get('set-cookie')).toBeNull();

    await replayPaused(true);
    await demo.query('primary', `update member set home_town = $2 where id = $1`, [m.id, PAUSED_WRITE]);
    expect(await primaryHomeTown(m.id)).toBe(PAUSED_WRITE);
    a.reset();
    const stale = await a.call(MEMBER, { id: m.id }, admin);
    expect(stale.body.data.member.homeTown).toBe(m.home_town);
    expect(a.sent.primary).toEqual([]);
    // The same read on an API without a replica is the primary's.
    expect((await plain.call(MEMBER, { id: m.id }, admin)).body.data.member.homeTown).toBe(PAUSED_WRITE);
  });

  let written: string;

  it('a mutation goes to the primary, which gives the client its WAL position; that account’s next read sees its write though replay is paused', async () => {
    const m = members[1];
    a.reset();
    const update = await a.call(UPDATE, { input: { id: m.id, expectedVersion: m.version, homeTown: OWN_WRITE } }, district);
    expect(update.body.data.updateMember.userErrors).toEqual([]);
    expect(a.sent.replica).toEqual([]);
    expect(a.sent.primary.some((sql) => /^update member /i.test(sql))).toBe(true);
    // The position is read after COMMIT, in COMMIT's own message.
    expect(a.sent.primary.at(-1)).toBe('commit; select pg_current_wal_insert_lsn()::text as lsn');

    written = update.headers.get('hoso-read-after')!;
    expect(written).toMatch(LSN);
    expect(update.headers.get('set-cookie')).toBe(`hoso_read_after=${written}; Max-Age=300; Path=/; HttpOnly; SameSite=Strict`);
    const [{ passed }] = await demo.query<{ passed: boolean }>('primary', `select pg_current_wal_insert_lsn() >= $1::pg_lsn as passed`, [written]);
    expect(passed).toBe(true);
    const [{ replayed }] = await demo.query<{ replayed: boolean }>('standby', `select pg_last_wal_replay_lsn() >= $1::pg_lsn as replayed`, [written]);
    expect(replayed).toBe(false);

    // The same account on the same instance: the replica is asked in its opening message, has not
    // replayed the write, and the primary answers.
    a.reset();
    const own = await a.call(MEMBER, { id: m.id }, district);
    expect(own.body.data.member.homeTown).toBe(OWN_WRITE);
    expect(a.sent.replica[0]).toContain(`select coalesce(pg_last_wal_replay_lsn() >= '${written}'::pg_lsn, false) as replayed; commit; begin isolation level repeatable read;`);
    expect(a.sent.replica.slice(1)).toEqual(['ROLLBACK']);
    expect(a.sent.primary).toHaveLength(3);
  });

  it('another instance knows nothing of that write: without the position its replica answers; with the header or the cookie, from any account, the primary does', async () => {
    const m = members[1];
    const homeTownOn = async (api: Api, token: string, headers: Record<string, string> = {}) => {
      api.reset();
      const answer = await api.call(MEMBER, { id: m.id }, token, headers);
      expect(answer.body.errors).toBeUndefined();
      return { homeTown: answer.body.data.member.homeTown, on: api.sent.primary.length ? 'primary' : 'replica' };
    };
    expect(await homeTownOn(b, district)).toEqual({ homeTown: m.home_town, on: 'replica' });
    expect(await homeTownOn(b, district, { 'hoso-read-after': written })).toEqual({ homeTown: OWN_WRITE, on: 'primary' });
    expect(await homeTownOn(b, district, { cookie: `theme=dark; hoso_read_after=${written}` })).toEqual({ homeTown: OWN_WRITE, on: 'primary' });
    // Another client handed the position (the header is not tied to an account).
    expect(await homeTownOn(a, admin, { 'hoso-read-after': written })).toEqual({ homeTown: OWN_WRITE, on: 'primary' });
    expect(await homeTownOn(a, admin)).toEqual({ homeTown: m.home_town, on: 'replica' });

    // A position not in PostgreSQL's own form is ignored: the replica answers, asked nothing.
    for (const bad of [`${written}'; select 1`, `${written}x`, written.replace('/', '-'), '123456789/0', '0/0/0', 'a/b', '']) {
      expect(await homeTownOn(b, district, { 'hoso-read-after': bad, cookie: `hoso_read_after=${encodeURIComponent(bad)}` })).toEqual({ homeTown: m.home_town, on: 'replica' });
      // The replica is asked only for this instance's staleness bound, which it has replayed.
      expect(checkedIn(b.sent.replica[0])).not.toBe(written);
    }
  });

  it('once replay resumes and reaches the write, the replica answers that account again, and the position it remembered is forgotten', async () => {
    await replayPaused(false);
    await demo.caughtUp();
    const m = members[1];
    a.reset();
    const caught = await a.call(MEMBER, { id: m.id }, district);
    expect(caught.body.data.member.homeTown).toBe(OWN_WRITE);
    expect(a.sent.primary).toEqual([]);
    expect(a.sent.replica).toHaveLength(3);
    expect(a.sent.replica[0]).toContain('pg_last_wal_replay_lsn');
    a.reset();
    await a.call(MEMBER, { id: m.id }, district);
    expect(checkedIn(a.sent.replica[0])).not.toBe(written);
    expect(a.sent.primary).toEqual([]);
    // The write paused earlier is on the replica too.
    expect((await a.call(MEMBER, { id: members[0].id }, admin)).body.data.member.homeTown).toBe(PAUSED_WRITE);
  });

  it('row-level security binds the replica as the primary: a district account sees only its subtree, with the same answers', async () => {
    const LISTS = `{ members(first: 100) { totalCount edges { node { id unit { code } } } } units(first: 100) { totalCount edges { node { code } } } }`;
    a.reset();
    const onReplica = await a.call(LISTS, {}, district);
    expect(onReplica.body.errors).toBeUndefined();
    expect(a.sent.primary).toEqual([]);
    expect(a.sent.replica.length).toBeGreaterThan(0);
    const onPrimary = await plain.call(LISTS, {}, district);
    expect(onReplica.body.data).toEqual(onPrimary.body.data);

    const { members: list, units } = onReplica.body.data;
    const [{ n }] = await demo.query<{ n: number }>('primary', `select count(*)::int n from org_unit where code = 'DN.HAICHAU' or code like 'DN.HAICHAU.%'`);
    expect(units.totalCount).toBe(n);
    expect(units.edges.every((e: any) => e.node.code.startsWith('DN.HAICHAU'))).toBe(true);
    expect(list.edges.length).toBeGreaterThan(0);
    expect(list.edges.every((e: any) => e.node.unit.code.startsWith('DN.HAICHAU.'))).toBe(true);
    const city = await a.call(`{ members(first: 1) { totalCount } }`, {}, admin);
    expect(list.totalCount).toBeLessThan(city.body.data.members.totalCount);
    // A member outside the subtree is not there for the district, but is for the city.
    expect((await a.call(MEMBER, { id: outside }, district)).body.data.member).toBeNull();
    expect((await a.call(MEMBER, { id: outside }, admin)).body.data.member.id).toBe(outside);
  });

  it('a sensitive read answered by the replica leaves its READ_SENSITIVE event on the primary, with the account and request id', async () => {
    const m = members[2];
    const requestId = `replica-sensitive-${Date.now()}`;
    a.reset();
    const read = await a.call(`query($id: ID!) { member(id: $id) { id nationalId } }`, { id: m.id }, admin, { 'x-request-id': requestId });
    expect(read.status).toBe(200);
    expect(read.body.data.member).toEqual({ id: m.id, nationalId: m.national_id });
    expect(a.sent.replica).toHaveLength(3);
    expect(a.sent.replica.some((sql) => sql.includes('hoso_record_reads'))).toBe(false);
    // On the primary: a transaction of its own, entering the same account and request id.
    expect(a.sent.primary).toHaveLength(2);
    expect(a.sent.primary[0]).toMatch(/^begin isolation level read committed; select .* from hoso_enter_account\(.*'replica-sensitive-/);
    expect(a.sent.primary[1]).toMatch(/^select hoso_record_reads\(.*\); commit$/);

    const [adminAccount] = await demo.query<{ id: string }>('primary', `select id::text from account where username = 'admin'`);
    const events = await demo.query<{ account_id: string; member_id: string; changes: unknown }>(
      'primary',
      `select account_id::text, member_id::text, changes from audit_event where action = 'READ_SENSITIVE' and request_id = $1`,
      [requestId],
    );
    expect(events).toEqual([{ account_id: adminAccount.id, member_id: m.id, changes: { fields: ['nationalId'] } }]);
  });

  it('when the event cannot be written the answer is not sent, on the replica’s path as on the primary’s', async () => {
    const m = members[3];
    const SENSITIVE = `query($id: ID!) { member(id: $id) { id nationalId } }`;
    await demo.query('primary', `revoke execute on function hoso_record_reads(bigint[], text[]) from hoso_api`);
    try {
      for (const api of [a, plain]) {
        const requestId = `unrecorded-${api === a ? 'replica' : 'primary'}-${Date.now()}`;
        api.reset();
        const refused = await api.call(SENSITIVE, { id: m.id }, admin, { 'x-request-id': requestId });
        expect(refused.status).toBe(500);
        expect(refused.body.data).toBeUndefined();
        expect(refused.text).not.toContain(m.national_id!);
        expect(api.sent.primary.some((sql) => sql.includes('hoso_record_reads'))).toBe(true);
        const events = await demo.query('primary', `select 1 from audit_event where request_id = $1`, [requestId]);
        expect(events).toEqual([]);
      }
    } finally {
      await demo.query('primary', `grant execute on function hoso_record_reads(bigint[], text[]) to hoso_api`);
    }
    expect((await a.call(SENSITIVE, { id: m.id }, admin)).body.data.member.nationalId).toBe(m.national_id);
  });

  it('every kind of read runs on the replica without writing there', async () => {
    const [{ id: city }] = await demo.query<{ id: string }>('primary', `select id::text from org_unit where code = 'DN'`);
    const m = members[0];
    const [{ at }] = await demo.query<{ at: string }>('primary', `select to_json(now())#>>'{}' as at`);
    const READS: [string, Record<string, unknown>][] = [
      [`{ me { id } catalogue(kind: ETHNIC_GROUP) { code } units(first: 5) { totalCount } unit(code: "DN.HAICHAU") { id code } apiKeys(first: 5) { totalCount } }`, {}],
      [`query($city: ID!) { statistics(unitId: $city) { total byStatus { key count } children { total } } flows(unitId: $city, from: "2024-01-01", to: "2024-12-31") { opening closing admissions } }`, { city }],
      [`query($city: ID!) { badgesDue(unitId: $city, first: 5) { totalCount } duplicateMembers(unitId: $city, first: 5) { totalCount } postsDueForReappointment(unitId: $city, first: 5) { totalCount } transfers(first: 5) { totalCount } }`, { city }],
      [`query($city: ID!) { dataQualityIssues(unitId: $city, first: 5) { totalCount byRule { count } } auditIntegrity { intact events } auditLog(first: 5) { totalCount } }`, { city }],
      [`query($id: ID!) { member(id: $id) { id fullName history(first: 5) { totalCount } statusHistory { status } } members(first: 5, filter: { search: "nguyen" }) { totalCount } }`, { id: m.id }],
      [`query($id: ID!, $at: DateTime!) { member(id: $id, asOf: $at) { id homeTown } }`, { id: m.id, at }],
    ];
    const logged = a.logs.length;
    for (const [query, variables] of READS) {
      a.reset();
      const answer = await a.call(query, variables, admin);
      expect(answer.body.errors, query).toBeUndefined();
      expect(answer.status).toBe(200);
      expect(a.sent.replica.length, query).toBeGreaterThanOrEqual(3);
      expect(a.sent.replica.at(-1), query).toMatch(/^COMMIT/i);
    }
    expect(a.logs.slice(logged)).toEqual([]);
  });

  it('API keys, exports and login stay on the primary, and work with a replica configured', async () => {
    const [{ id: city }] = await demo.query<{ id: string }>('primary', `select id::text from org_unit where code = 'DN'`);
    const created = await a.call(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key userErrors { message } } }`,
      { input: { name: 'replica test', role: 'REPORTER', unitId: city } },
      admin,
    );
    const key = created.body.data.createApiKey.key as string;
    expect(key).toMatch(/^hoso_/);
    a.reset();
    const read = await a.call(`{ units(first: 3) { totalCount } }`, {}, key);
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.units.totalCount).toBeGreaterThan(3);
    expect(a.sent.replica).toEqual([]);
    expect(a.sent.primary[0]).toMatch(/hoso_enter_api_key\(/);

    a.reset();
    const file = await fetch(`${a.app.url}/exports/members.csv`, { headers: { authorization: `Bearer ${district}` } });
    expect(file.status).toBe(200);
    expect((await file.text()).split('\r\n').length).toBeGreaterThan(2);
    expect(a.sent.replica).toEqual([]);
    expect(a.sent.primary.some((sql) => sql.includes('hoso_record_export'))).toBe(true);

    a.reset();
    await a.login('sontra.viewer');
    expect(a.sent.replica).toEqual([]);
    expect(a.sent.primary.length).toBeGreaterThan(0);
  });

  it('without HOSO_READ_DATABASE_URL nothing changes: no position is asked for or handed out', async () => {
    const m = members[2];
    plain.reset();
    const update = await plain.call(UPDATE, { input: { id: m.id, expectedVersion: m.version, homeTown: PLAIN_WRITE } }, district);
    expect(update.body.data.updateMember.userErrors).toEqual([]);
    expect(update.headers.get('hoso-read-after')).toBeNull();
    expect(update.headers.get('set-cookie')).toBeNull();
    expect(plain.sent.primary.at(-1)).toMatch(/^COMMIT;?$/i);
    expect(plain.sent.primary.some((sql) => sql.includes('pg_current_wal_insert_lsn') || sql.includes('pg_last_wal_replay_lsn'))).toBe(false);
    expect(plain.app.readOrm).toBeNull();
  });

  it('a replica further behind than HOSO_READ_MAX_LAG_SECONDS answers no one, nor one behind the primary’s position when the instance started', async () => {
    const m = members[3];
    const homeTownOn = async (api: Api) => {
      api.reset();
      // Another account than the writer (a superuser here), sending no position.
      const answer = await api.call(MEMBER, { id: m.id }, admin);
      expect(answer.body.errors).toBeUndefined();
      return { homeTown: answer.body.data.member.homeTown, on: api.sent.primary.length ? 'primary' : 'replica' };
    };
    await demo.caughtUp();
    await replayPaused(true);
    let late: Api | undefined;
    try {
      await demo.query('primary', `update member set home_town = $2 where id = $1`, [m.id, LAGGING_WRITE]);
      const wroteAt = Date.now();
      // Within the bound the replica answers, with what it has replayed.
      expect(await homeTownOn(tight)).toEqual({ homeTown: m.home_town, on: 'replica' });
      // Once the primary's position of LAG_SECONDS ago is past the replica's, the primary answers.
      let answer = await homeTownOn(tight);
      while (answer.on === 'replica' && Date.now() - wroteAt < 15_000) {
        await sleep(250);
        answer = await homeTownOn(tight);
      }
      expect(answer).toEqual({ homeTown: LAGGING_WRITE, on: 'primary' });
      expect(Date.now() - wroteAt).toBeGreaterThan(LAG_SECONDS * 1000);
      expect(tight.sent.replica.slice(1)).toEqual(['ROLLBACK']);
      // An instance with ten minutes of leeway still reads the replica...
      expect(await homeTownOn(a)).toEqual({ homeTown: m.home_town, on: 'replica' });
      // ...but one started now needs the replica to have replayed the primary's position at its
      // start: until then the primary answers.
      late = await start(true);
      expect(await homeTownOn(late)).toEqual({ homeTown: LAGGING_WRITE, on: 'primary' });
      expect(late.sent.replica[0]).toContain('pg_last_wal_replay_lsn');
    } finally {
      await replayPaused(false);
    }
    await demo.caughtUp();
    for (const api of [tight, late!]) expect(await homeTownOn(api)).toEqual({ homeTown: LAGGING_WRITE, on: 'replica' });
    await late!.close();
  });

  it('when the replica goes away, reads are answered by the primary and the outage is logged once', async () => {
    await demo.stopStandby();
    for (let i = 0; i < 3; i++) {
      a.reset();
      const read = await a.call(MEMBER, { id: members[1].id }, district);
      expect(read.status).toBe(200);
      expect(read.body.data.member.homeTown).toBe(OWN_WRITE);
      expect(a.sent.primary).toHaveLength(3);
    }
    expect(a.logs.filter((line) => line.startsWith('read replica: database unavailable'))).toHaveLength(1);
  });
});
