import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/database/embedded';

/**
 * The benchmark's own embedded PostgreSQL: one cluster in `.bench/` (git-ignored, apart from the
 * demo's `.hoso/`), one database per dataset size (`bench_100000`, `bench_1000000`, …), on its
 * own port so it never meets `npm start` or the tests.
 */
export const BENCH_DIR = path.resolve(process.env.HOSO_BENCH_DIR || path.join(projectRoot(), '.bench'));
export const BENCH_PG_PORT = Number(process.env.HOSO_BENCH_PG_PORT || 54339);

export function benchDatabaseName(members: number): string {
  return `bench_${members}`;
}

/** The same dataset after the 2025 reform (bench/seed.ts, ensureReformedBenchDatabase). */
export function reformedBenchDatabaseName(members: number): string {
  return `bench_${members}_reformed`;
}

/** The connection string with another database and, optionally, an application_name (shown in the server's log). */
export function withDatabase(url: string, database: string, applicationName?: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  if (applicationName) parsed.searchParams.set('application_name', applicationName);
  return parsed.toString();
}

/**
 * The bench cluster's own cache: a quarter of the machine's memory (6GB on 24 GB), as one would
 * give a server holding the nation's register, so that what the scenarios read fits
 * (bench/prewarm.ts). HOSO_BENCH_SHARED_BUFFERS sets another ("2GB").
 */
export const BENCH_SHARED_BUFFERS = process.env.HOSO_BENCH_SHARED_BUFFERS || `${Math.max(512, Math.floor(os.totalmem() / 4 / 2 ** 20))}MB`;

export function startBenchCluster(log?: (line: string) => void): Promise<EmbeddedDatabase> {
  return startEmbeddedPostgres({ dataDir: BENCH_DIR, port: BENCH_PG_PORT, sharedBuffers: BENCH_SHARED_BUFFERS, log });
}

/** `--name value` and `--flag` command-line options. */
export function parseOptions(argv: string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`Unexpected argument "${argv[i]}".`);
    const next = argv[i + 1];
    const value = match[2] ?? (next !== undefined && !next.startsWith('--') ? (i++, next) : 'true');
    options.set(match[1], value);
  }
  return options;
}

/** A member count: digits, optionally with `_` separators ("1_000_000"), or "1m", "5.6m", "100k". */
export function parseCount(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.replace(/_/g, ''));
  if (!match) throw new Error(`Not a member count: "${text}".`);
  const value = Math.round(Number(match[1]) * { '': 1, k: 1_000, m: 1_000_000 }[match[2].toLowerCase() as '' | 'k' | 'm']);
  if (!Number.isSafeInteger(value) || value < 1000) throw new Error(`A member count must be at least 1000: "${text}".`);
  return value;
}
