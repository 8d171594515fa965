import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Typed, validated configuration read once from the environment. */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Connection string the API uses (a role without BYPASSRLS). Unset → embedded PostgreSQL. */
  databaseUrl?: string;
  /** Connection string migrations use (the owner role). Defaults to databaseUrl. */
  migrationDatabaseUrl?: string;
  /**
   * A streaming replica of the API's database (the same role as databaseUrl's, bound by row-level
   * security): requests that only read are answered there when it has replayed the caller's own
   * last write (src/database/replica.ts). Unset → every request goes to databaseUrl's server.
   */
  readDatabaseUrl?: string;
  /**
   * How far behind the primary the read replica may answer (seconds): a read goes there only when
   * the replica has replayed what the primary had written this long ago (src/database/replica.ts).
   */
  readMaxLagSeconds: number;
  /**
   * Whether clients reach the API over HTTPS (a TLS-terminating proxy in front of it): cookies the
   * API sets are then marked Secure. True by default in production, where that is the deployment.
   */
  behindTls: boolean;
  /** Folder of the embedded PostgreSQL and generated secrets. */
  dataDir: string;
  /** Port of the embedded PostgreSQL. */
  embeddedPgPort: number;
  /** The embedded PostgreSQL's own cache (shared_buffers), e.g. "512MB" or "6GB". */
  embeddedPgSharedBuffers: string;
  /** Secret that signs login tokens; generated into dataDir in development when unset. */
  jwtSecret?: string;
  /** Lifetime of a login token, in seconds. */
  tokenTtlSeconds: number;
  /** Members in the demo seed. */
  demoMembers: number;
  /** Load the demo seed into an empty database (never in production). */
  demoSeed: boolean;
  /** Connections in the API's pool. */
  poolSize: number;
  /** Whether the hot statements are prepared per connection (off behind a transaction pooler that cannot keep them). */
  preparedStatements: boolean;
  /** What a party card number must look like (the format rule is the department's to set). */
  cardNumberPattern: RegExp;
  /** How long a stopping server lets requests in flight finish (SIGTERM/SIGINT), in milliseconds. */
  shutdownDrainMs: number;
  /** Password-guessing limits of `login`. */
  loginLimits: { failuresPerUsername: number; attemptsPerAddressPerMinute: number };
  /** Lowest pino level written (HOSO_LOG_LEVEL); `silent` writes nothing. */
  logLevel: LogLevel;
  /** Client addresses `GET /metrics` answers without a token (compared with the socket's address). */
  metricsAllow: string[];
  /** Bearer token that opens `GET /metrics` from any address; unset → only the allowed addresses. */
  metricsToken?: string;
  /**
   * The department's own figures for the party rules that are theirs to set (HOSO_RULES_FILE, a
   * JSON object with one section per rule file, e.g. {"badges": {"posthumousEarlyMonths": 6}}).
   * Each rule file reads its section with ruleSettings(), which checks it against its defaults.
   */
  ruleOverrides: Record<string, unknown>;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}".`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}.`);
  }
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}".`);
}

/** A PostgreSQL memory size in MB or GB ("512MB", "6GB"): at least 16MB, at most 1TB. */
function memorySize(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return fallback;
  const match = /^(\d+)\s*(MB|GB)$/i.exec(raw);
  const megabytes = match ? Number(match[1]) * (match[2].toUpperCase() === 'GB' ? 1024 : 1) : NaN;
  if (!(megabytes >= 16 && megabytes <= 1024 * 1024)) {
    throw new ConfigError(`${name} must be a size in MB or GB between 16MB and 1024GB, such as "512MB" or "6GB", got "${raw}".`);
  }
  return `${match![1]}${match![2].toUpperCase()}`;
}

function pattern(env: NodeJS.ProcessEnv, name: string, fallback: string): RegExp {
  const raw = env[name] || fallback;
  try {
    return new RegExp(raw);
  } catch {
    throw new ConfigError(`${name} must be a regular expression, got "${raw}".`);
  }
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = raw.trim().toLowerCase() as T;
  if (!values.includes(value)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}".`);
  return value;
}

/** Comma-separated client addresses, as Node reports them (an IPv4 client of a dual-stack socket is ::ffff:a.b.c.d). */
function addresses(env: NodeJS.ProcessEnv, name: string, fallback: string[]): string[] {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const list = raw.split(',').map((a) => a.trim()).filter(Boolean);
  const bad = list.find((a) => net.isIP(a) === 0);
  if (bad) throw new ConfigError(`${name} must be a comma-separated list of IP addresses, got "${bad}".`);
  return list;
}

function url(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed = new URL(raw);
    if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error('protocol');
  } catch {
    throw new ConfigError(`${name} must be a postgres:// connection string.`);
  }
  return raw;
}

/** Reads the configuration; a bad value throws ConfigError with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnv}".`);
  }
  const production = nodeEnv === 'production';
  const jwtSecret = env.HOSO_JWT_SECRET || undefined;
  if (production && !jwtSecret) {
    throw new ConfigError('HOSO_JWT_SECRET is required in production (a random string of at least 32 characters).');
  }
  if (jwtSecret && jwtSecret.length < 32) {
    throw new ConfigError('HOSO_JWT_SECRET must be at least 32 characters long.');
  }
  const databaseUrl = url(env, 'DATABASE_URL');
  const metricsToken = env.HOSO_METRICS_TOKEN || undefined;
  if (metricsToken && metricsToken.length < 16) {
    throw new ConfigError('HOSO_METRICS_TOKEN must be at least 16 characters long.');
  }
  return {
    env: nodeEnv as Config['env'],
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    migrationDatabaseUrl: url(env, 'MIGRATION_DATABASE_URL') ?? databaseUrl,
    readDatabaseUrl: url(env, 'HOSO_READ_DATABASE_URL'),
    readMaxLagSeconds: integer(env, 'HOSO_READ_MAX_LAG_SECONDS', 5, 1, 3600),
    behindTls: bool(env, 'HOSO_BEHIND_TLS', production),
    dataDir: path.resolve(env.HOSO_DATA_DIR || path.join(projectRoot(), '.hoso')),
    embeddedPgPort: integer(env, 'HOSO_PG_PORT', 54329, 1, 65535),
    embeddedPgSharedBuffers: memorySize(env, 'HOSO_PG_SHARED_BUFFERS', '512MB'),
    jwtSecret,
    tokenTtlSeconds: integer(env, 'HOSO_TOKEN_TTL', 8 * 3600, 60, 7 * 24 * 3600),
    demoMembers: integer(env, 'HOSO_DEMO_MEMBERS', 60000, 0, 10_000_000),
    demoSeed: production ? false : bool(env, 'HOSO_DEMO_SEED', true),
    poolSize: integer(env, 'HOSO_POOL_SIZE', 10, 1, 200),
    preparedStatements: bool(env, 'HOSO_PREPARED_STATEMENTS', true),
    cardNumberPattern: pattern(env, 'HOSO_CARD_NUMBER_PATTERN', '^[0-9]{8}$'),
    shutdownDrainMs: integer(env, 'HOSO_SHUTDOWN_DRAIN_SECONDS', 10, 0, 600) * 1000,
    loginLimits: {
      failuresPerUsername: integer(env, 'HOSO_LOGIN_FAILURES_PER_USERNAME', 5, 1, 1000),
      attemptsPerAddressPerMinute: integer(env, 'HOSO_LOGIN_ATTEMPTS_PER_ADDRESS', 20, 1, 100_000),
    },
    logLevel: oneOf(env, 'HOSO_LOG_LEVEL', LOG_LEVELS, 'info'),
    metricsAllow: addresses(env, 'HOSO_METRICS_ALLOW', ['127.0.0.1', '::1', '::ffff:127.0.0.1']),
    metricsToken,
    ruleOverrides: ruleOverrides(env, 'HOSO_RULES_FILE'),
  };
}

/** The JSON object in the file a variable names ({} when unset). */
function ruleOverrides(env: NodeJS.ProcessEnv, name: string): Record<string, unknown> {
  const file = env[name];
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${name} must name a readable JSON file: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new ConfigError(`${name} must hold a JSON object with one section per rule file.`);
  return parsed;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameShape(value: unknown, model: unknown, at: string): void {
  if (Array.isArray(model)) {
    if (!Array.isArray(value)) throw new ConfigError(`${at} must be a list.`);
    if (model.length) value.forEach((v, i) => sameShape(v, model[0], `${at}[${i}]`));
    return;
  }
  if (isPlainObject(model)) {
    if (!isPlainObject(value)) throw new ConfigError(`${at} must be an object.`);
    for (const key of Object.keys(value)) {
      if (!(key in model)) throw new ConfigError(`${at}.${key} is not a setting (known: ${Object.keys(model).join(', ')}).`);
      sameShape(value[key], model[key], `${at}.${key}`);
    }
    return;
  }
  if (model === null) return; // a setting that is off by default takes any value its rule file checks
  if (typeof value !== typeof model) throw new ConfigError(`${at} must be a ${typeof model}, got ${JSON.stringify(value)}.`);
}

/**
 * A rule file's settings: its defaults with the department's section of HOSO_RULES_FILE laid over
 * them (objects merged key by key, lists and values replaced). A key the defaults do not have, or
 * a value of another type, throws ConfigError naming it, so a typo is not silently ignored.
 */
export function ruleSettings<T extends object>(config: Pick<Config, 'ruleOverrides'>, section: string, defaults: T): T {
  const override = config.ruleOverrides[section];
  if (override === undefined) return defaults;
  sameShape(override, defaults, `HOSO_RULES_FILE ${section}`);
  const merge = (base: unknown, over: unknown): unknown =>
    isPlainObject(base) && isPlainObject(over)
      ? Object.fromEntries(Object.keys(base).map((k) => [k, k in over ? merge(base[k], over[k]) : base[k]]))
      : over;
  return merge(defaults, override) as T;
}

/** The project folder (the one holding package.json), whether running from src/ or dist/src/. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}
