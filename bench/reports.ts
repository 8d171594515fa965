import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, benchDatabaseName, parseCount, parseOptions, reformedBenchDatabaseName, startBenchCluster, withDatabase } from './cluster';

/**
 * Reports at scale (issue 6), one request at a time, on a benchmark database (`npm run
 * bench:seed` first), the API in production mode as a child process:
 * - `statistics` of a district and of the city, each for three dates not asked before (so the
 *   memo of earlier answers cannot answer), end to end over HTTP;
 * - the peak memory of the API while it streams the whole city's member list as CSV and as XLSX
 *   (VmRSS sampled every 50 ms, VmHWM read after).
 * `npm run build && node dist/bench/reports.js --members 100000 [--statistics-only] [--dates 1..3] [--reformed]`
 */
function memory(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const members = parseCount(options.get('members') ?? '100000');
  const cluster = await startBenchCluster();
  // --reformed: the dataset after the 2025 reform (npm run bench:seed -- --reformed first).
  const reformed = options.get('reformed') === 'true';
  const name = reformed ? reformedBenchDatabaseName(members) : benchDatabaseName(members);
  const port = 4900 + Math.floor(Math.random() * 90);
  const api = spawn(process.execPath, [path.join(__dirname, '..', 'src', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: withDatabase(cluster.apiUrl(name), name),
      MIGRATION_DATABASE_URL: withDatabase(cluster.ownerUrl(name), name),
      HOSO_JWT_SECRET: crypto.randomBytes(32).toString('base64url'),
      HOSO_DATA_DIR: BENCH_DIR,
      HOST: '127.0.0.1',
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // In production the server prints no banner, only its structured "ready" line.
  await new Promise<void>((resolve) => api.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Hồ sơ is ready') && resolve()));
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { login(input: {username: "admin", password: "hoso-demo"}) { token } }' }),
  });
  const token = ((await login.json()) as any).data.login.token as string;
  const gql = async (query: string) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as any;
  };
  // Before the reform, a district; after it, the ward committee that succeeded the district's core
  // (it exists from 2025-07-01), and the city on either side of the reform's day.
  const committee = reformed ? 'DN.HAICHAU2' : 'DN.HAICHAU';
  const units = await gql(`{ city: unit(code: "DN") { id } district: unit(code: "${committee}") { id } }`);
  const datesOf = (label: string) =>
    reformed ? (label === 'city DN' ? ['2025-06-30', '2025-07-01', '2025-12-31'] : ['2025-07-01', '2025-12-31', '2026-06-30']) : ['2024-12-31', '2025-06-30', '2025-12-31'];
  for (const [label, id] of [[reformed ? `committee ${committee}` : `district ${committee}`, units.data.district.id], ['city DN', units.data.city.id]]) {
    const times: number[] = [];
    const totals: string[] = [];
    let total = 0;
    for (const asOf of datesOf(label).slice(0, Number(options.get('dates') ?? 3))) {
      const started = Date.now();
      const result = await gql(`{ statistics(unitId: "${id}", asOf: "${asOf}") { total byAgeBand { count } children { total } } }`);
      times.push(Date.now() - started);
      total = result.data.statistics.total;
      totals.push(`${asOf}: ${total.toLocaleString('en')} in ${result.data.statistics.children.length} children`);
    }
    console.log(`statistics of the ${label} on ${name} (${total.toLocaleString('en')} on the rolls), new dates: ${times.map((t) => `${t} ms`).join(', ')}`);
    console.log(`  ${totals.join('; ')}`);
  }
  for (const file of options.has('statistics-only') ? [] : ['members.csv', 'members.xlsx']) {
    const before = memory(api.pid!);
    let peak = before.rss;
    const timer = setInterval(() => (peak = Math.max(peak, memory(api.pid!).rss)), 50);
    const started = Date.now();
    const response = await fetch(`${base}/exports/${file}`, { headers: { authorization: `Bearer ${token}` } });
    let bytes = 0;
    let lines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      if (file.endsWith('.csv')) for (const b of chunk) if (b === 10) lines++;
    }
    clearInterval(timer);
    const after = memory(api.pid!);
    console.log(
      `${file} of ${name}: ${response.status}, ${(bytes / 1e6).toFixed(1)} MB${lines ? `, ${lines - 1} rows` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `API RSS ${before.rss.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB during, ${after.rss.toFixed(0)} MB after (VmHWM ${after.hwm.toFixed(0)} MB)`,
    );
  }
  api.kill('SIGINT');
  await new Promise((resolve) => api.once('exit', resolve));
  await cluster.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
