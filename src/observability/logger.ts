import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config';

export type { Logger } from 'pino';

/** The logging function the rest of the code takes: a message, and the error when there is one. */
export type Log = (message: string, error?: unknown) => void;

/**
 * The process's logger. In production one JSON object per line on stdout (for journald or a log
 * shipper); in development readable lines through pino-pretty; in tests JSON, usually silenced
 * with HOSO_LOG_LEVEL=silent or captured through `destination`.
 */
export function createLogger(
  config: Pick<Config, 'env' | 'logLevel'>,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'hoso' },
    // ISO times read better in journald and grep than epoch milliseconds.
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError },
  };
  if (destination) return pino(options, destination);
  if (config.env === 'development') {
    const pretty = prettyStream();
    if (pretty) return pino(options, pretty);
  }
  return pino(options, pino.destination({ dest: 1, sync: false }));
}

/**
 * pino-pretty in the same thread (no worker transport): development output only. When the
 * package is not installed (a production install without it), plain JSON lines are written.
 */
function prettyStream(): DestinationStream | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
    return pretty({ colorize: process.stdout.isTTY ?? false, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', sync: true });
  } catch {
    return null;
  }
}

/**
 * The `Log` function over a pino logger, so the modules that take `Log` stay as they are:
 * a message with an error is logged at `error` with the error under `err` (stack included);
 * a message beginning "WARNING:" at `warn`; anything else at `info`.
 */
export function logFunction(logger: Logger): Log {
  return (message, error) => {
    if (error !== undefined) logger.error({ err: error }, message);
    else if (message.startsWith('WARNING:')) logger.warn(message.slice('WARNING:'.length).trim());
    else logger.info(message);
  };
}

/** Fields of a driver error that repeat the statement or its values (a row's national ID, a name). */
const STATEMENT_FIELDS = ['detail', 'where', 'internalQuery', 'query', 'sql', 'params', 'parameters', 'bindings', 'sqlMessage', 'errmsg'];

function isDatabaseError(error: Record<string, unknown>): boolean {
  const state = error.sqlState ?? error.code;
  return typeof state === 'string' && /^[0-9A-Z]{5}$/.test(state);
}

/**
 * pino's error serializer, less what a database error carries of the data: the statement text
 * (the query builder puts the SQL with its values inlined before the driver's message, "<sql> -
 * <message>") and PostgreSQL's DETAIL ("Key (national_id)=(…) already exists"). The SQLSTATE,
 * the constraint and table names and the stack stay.
 */
export function serializeError(error: unknown): unknown {
  // pino folds causes into the message and stack ("outer: inner", "caused by: …"): the texts of
  // every database error in the chain are replaced wherever they appear.
  const replacements: [string, string][] = [];
  for (let current = error as Record<string, unknown> | undefined, depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    if (isDatabaseError(current) && typeof current.message === 'string') {
      const cut = current.message.lastIndexOf(' - ');
      if (cut >= 0) replacements.push([current.message, current.message.slice(cut + 3)]);
    }
    current = (current.cause ?? current.originalError) as Record<string, unknown> | undefined;
  }
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (!serialized || typeof serialized !== 'object') return serialized;
  if (isDatabaseError(serialized)) for (const field of STATEMENT_FIELDS) delete serialized[field];
  for (const key of ['message', 'stack'] as const) {
    const value = serialized[key];
    if (typeof value !== 'string') continue;
    let text = value;
    for (const [original, safe] of replacements) text = text.split(original).join(safe);
    serialized[key] = text;
  }
  return serialized;
}
