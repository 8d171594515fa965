import 'reflect-metadata';
import { Client } from 'pg';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase, prepareDatabase } from '../src/database/database';
import { dataDirSecret } from '../src/database/embedded';
import { AUDITED_TABLES } from '../migrations/Migration20261126000007Audit';

/**
 * What auditing costs a write, and how long verification takes:
 * 1. updateMember through the API, 8 concurrent writers for 10 s, with the audit triggers and
 *    without them (disabled by the owner for the measurement only), in one run;
 * 2. hoso_verify_audit() over at least 100,000 events.
 * `NODE_ENV=production node dist/bench/audit-overhead.js` (uses HOSO_DATA_DIR's demo data).
 */
const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { version } userErrors { code } } }`;

async function main() {
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', PORT: '0', HOSO_JWT_SECRET: 'x'.repeat(40), HOSO_POOL_SIZE: '16' });
  const target = await openDatabase(config, console.log);
  await prepareDatabase(target, { demoSeed: true, demoMembers: 60000 }, console.log);
  const owner = new Client({ connectionString: target.ownerUrl });
  await owner.connect();
  const app = await startApp(config, { apiUrl: target.apiUrl, jwtSecret: dataDirSecret(config.dataDir, 'benchJwt'), log: () => {} });
  const post = async (query: string, variables: object, token?: string) =>
    (await (await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    })).json()) as any;
  const token = (await post('mutation { login(input: {username: "haichau", password: "hoso-demo"}) { token } }', {})).data.login.token;

  /** 8 writers, each updating its own member for some seconds or a number of mutations; mutations per second. */
  const run = async (label: string, seconds: number, count = Infinity) => {
    // Members in haichau's subtree, whatever unit it has: its unit's code and the codes under it
    // change with the 2025 reform (DN.HAICHAU before, DN.HAICHAU2 after), its path is the scope.
    const { rows } = await owner.query<{ id: string; version: number }>(
      `select m.id::text, m.version from member m
        where m.unit_path <@ (select u.path from account a join org_unit u on u.id = a.unit_id where a.username = 'haichau')
        order by random() limit 8`,
    );
    // No members (no account haichau: not the demo data) would measure nothing and print NaN.
    if (!rows.length) throw new Error("No members in the unit of the account 'haichau': the benchmark needs the demo data.");
    let done = 0;
    const started = Date.now();
    const end = started + seconds * 1000;
    await Promise.all(
      rows.map(async (row) => {
        let version = row.version;
        for (let i = 0; i < count && Date.now() < end; i++) {
          const result = await post(UPDATE, { input: { id: row.id, expectedVersion: version, itLevel: `${label} ${i}` } }, token);
          if (!result.data?.updateMember?.member) throw new Error(JSON.stringify(result));
          version = result.data.updateMember.member.version;
          done++;
        }
      }),
    );
    return done / ((Date.now() - started) / 1000);
  };
  const toggle = async (on: boolean) => {
    for (const table of AUDITED_TABLES) await owner.query(`alter table ${table} ${on ? 'enable' : 'disable'} trigger ${table}_audit`);
  };

  await run('warm-up', 3);
  const results: Record<string, number[]> = { with: [], without: [] };
  try {
    for (let round = 0; round < 2; round++) {
      results.with.push(await run('with', 10));
      await toggle(false);
      results.without.push(await run('without', 10));
      await toggle(true);
    }
  } finally {
    await toggle(true);
  }
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`updateMember, 8 writers: with audit ${avg(results.with).toFixed(0)}/s, without ${avg(results.without).toFixed(0)}/s ` +
    `(overhead ${(100 * (1 - avg(results.with) / avg(results.without))).toFixed(1)}%) — rounds ${JSON.stringify(results)}`);

  // The concurrency check: 8 writers × 500 mutations, then the whole chain verifies.
  const perWriter = Number(process.env.AUDIT_BENCH_COUNT ?? 500);
  const rate = await run('count', 3600, perWriter);
  const { rows: [chain] } = await owner.query('select broken_id, events from hoso_verify_audit()');
  console.log(`8 writers × ${perWriter} updateMember: ${rate.toFixed(0)}/s; chain of ${chain.events} events, broken: ${chain.broken_id ?? 'none'}`);

  // Enough events to verify: one statement changing many rows writes one event per row.
  const { rows: [{ n }] } = await owner.query<{ n: number }>('select count(*)::int n from audit_event');
  if (n < 100_000) {
    const started = Date.now();
    await owner.query(`update member set it_level = coalesce(it_level, '') || '.' where id in (select id from member order by id limit $1)`, [100_000 - n]);
    console.log(`wrote ${100_000 - n} events in one transaction in ${Date.now() - started} ms`);
  }
  const started = Date.now();
  const { rows: [verify] } = await owner.query('select broken_id, events from hoso_verify_audit()');
  console.log(`hoso_verify_audit(): ${verify.events} events, broken: ${verify.broken_id ?? 'none'}, in ${Date.now() - started} ms`);
  await app.close();
  await owner.end();
  await target.stop();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
