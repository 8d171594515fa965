/**
 * Telling "the database is not there" apart from every other failure, so that an outage is
 * answered 503 SERVICE_UNAVAILABLE with Retry-After (a client should come back) instead of a 500
 * (a bug), and logged once rather than as a stack per request.
 */

/** Socket errors of the driver when PostgreSQL is down, restarting or unreachable. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs of an unavailable server: class 08 (connection exception), 57P01–57P03 (shut down,
 * crashed, starting), 53300 (too many connections). A statement cancelled by statement_timeout
 * (57014) is not an outage: see isStatementTimeout.
 */
function unavailableState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/** Messages of pg and of the pool when the server went away or no connection could be had. */
const MESSAGES = [
  /Connection terminated/i,
  /Client has encountered a connection error/i,
  /Timeout acquiring a connection/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
  /Client was closed and is not queryable/i,
  /Cannot use a pool after calling end/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, sqlState, message, cause } = current as { code?: unknown; sqlState?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && unavailableState(code)))) return true;
    if (typeof sqlState === 'string' && unavailableState(sqlState)) return true;
    if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = cause ?? (current as { originalError?: unknown }).originalError;
  }
  return false;
}

/** Whether the error, or one it wraps (the ORM's, the driver's), carries one of these SQLSTATE codes. */
function hasSqlState(error: unknown, ...states: string[]): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, sqlState } = current as { code?: unknown; sqlState?: unknown };
    if (states.includes(code as string) || states.includes(sqlState as string)) return true;
    current = (current as { cause?: unknown }).cause ?? (current as { originalError?: unknown }).originalError;
  }
  return false;
}

/** A statement stopped by the API role's statement_timeout: the request asked for too much at once. */
export function isStatementTimeout(error: unknown): boolean {
  return hasSqlState(error, '57014');
}

/**
 * A report asked of a unit for a date outside its life (migration 26's HS404): the API checks
 * first with a clearer message; this answers the same should the database's check come first.
 */
export function isUnitOutsideItsLife(error: unknown): boolean {
  return hasSqlState(error, 'HS404');
}

/**
 * A statement PostgreSQL ended because it met another transaction: a deadlock (40P01) or a
 * serialization failure (40001). Nothing is wrong with the request; sent again, it goes through.
 */
export function isTransactionConflict(error: unknown): boolean {
  return hasSqlState(error, '40P01', '40001');
}

/** Seconds a client is told to wait before retrying while the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Remembers whether the database is in an outage, so the outage is logged once with its cause
 * and every failed request after it with one short line; recovery is logged once too.
 */
export class DatabaseOutage {
  private down = false;

  constructor(private readonly log: (message: string, error?: unknown) => void) {}

  /** The database could not be reached: logged (with its cause) only when an outage begins. */
  noticed(error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.log(`database unavailable: ${describe(error)}`);
  }

  /** A request refused because of the outage: one short line, no stack. */
  refused(requestId: string, error: unknown): void {
    this.noticed(error);
    this.log(`request ${requestId} refused: database unavailable`);
  }

  /** Called after any request that reached the database. */
  succeeded(): void {
    if (this.down) {
      this.down = false;
      this.log('database available again');
    }
  }

  get isDown(): boolean {
    return this.down;
  }
}

function describe(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return [typeof code === 'string' ? code : null, typeof message === 'string' ? message.split('\n')[0] : String(error)].filter(Boolean).join(' ');
}
