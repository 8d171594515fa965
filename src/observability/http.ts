import crypto from 'node:crypto';
import type http from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Metrics } from './metrics';
import type { RequestRecord } from './request-context';

/** A GraphQL name as the spec allows it, bounded: anything else a client sends is not logged. */
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/**
 * The request's operation name for logs and metrics: the body's `operationName` when it is a
 * plain GraphQL name, else the first operation's name in the document, else "anonymous".
 * `documentName`: the name of the query's first operation, as parsed by the caller (none when
 * it has none or does not parse).
 */
export function operationNameOf(body: unknown, url: URL, documentName: string | undefined): string {
  if (Array.isArray(body)) return 'batch';
  const given = body && typeof body === 'object' ? (body as { operationName?: unknown }).operationName : url.searchParams.get('operationName');
  if (typeof given === 'string' && OPERATION_NAME.test(given)) return given;
  return documentName && OPERATION_NAME.test(documentName) ? documentName : 'anonymous';
}

const CODE = /"code":"([A-Z][A-Z0-9_]{0,39})"/;

/**
 * The outcome of a GraphQL answer without parsing it: Apollo writes `errors` first, so an answer
 * with errors begins `{"errors":` and the first error's code follows soon; a mutation payload
 * that refused with user errors holds a non-empty `userErrors` list.
 */
export function graphqlOutcome(text: string): string | null {
  if (text.startsWith('{"errors":')) return CODE.exec(text.slice(0, 4000))?.[1] ?? 'ERROR';
  if (text.startsWith('[')) return text.includes('{"errors":') ? 'ERROR' : text.includes('"userErrors":[{') ? 'user_error' : null;
  return text.includes('"userErrors":[{') ? 'user_error' : null;
}

/** The route label of a path: a fixed set. */
export function routeOf(path: string): string {
  if (path === '/graphql') return 'graphql';
  if (path.startsWith('/exports/')) return 'exports';
  if (path === '/healthz' || path === '/readyz') return 'health';
  if (path === '/metrics') return 'metrics';
  if (path === '/' || path === '/graphiql' || path.startsWith('/graphiql/')) return 'graphiql';
  return 'other';
}

/** Routes polled by machines: their lines are written at `debug`, not `info`. */
const QUIET_ROUTES = new Set(['health', 'metrics', 'graphiql']);

/**
 * Writes the request's one log line and observes its duration, once the answer has been sent
 * (or the connection was cut). Only identifiers and counts are logged.
 */
export function finishRequest(
  logger: Logger,
  metrics: Metrics | null,
  record: RequestRecord,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  startedAt: bigint,
): void {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const route = routeOf(path);
  const status = res.statusCode;
  const cut = !res.writableFinished;
  const signedIn = record.accountId !== null || record.apiKeyId !== null;
  metrics?.observeRequest({ route, operation: record.operation, signedIn, outcome: cut ? 'CUT' : record.outcome, status, seconds });
  const level = QUIET_ROUTES.has(route) ? 'debug' : status >= 500 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      requestId: record.requestId,
      accountId: record.accountId,
      ...(record.apiKeyId ? { apiKeyId: record.apiKeyId } : {}),
      operation: record.operation,
      method: req.method,
      // The path only: a query string may carry search terms (names) or a whole GraphQL query.
      path: route === 'other' ? path.slice(0, 100) : path,
      status,
      ...(record.outcome ? { outcome: record.outcome } : {}),
      ...(cut ? { cut: true } : {}),
      durationMs: Math.round(seconds * 10_000) / 10,
      statements: record.statements,
    },
    'request',
  );
}

function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/**
 * Whether a caller may read /metrics: its socket address is in HOSO_METRICS_ALLOW, or it sends
 * `Authorization: Bearer <HOSO_METRICS_TOKEN>`. X-Forwarded-For is not looked at: behind a
 * reverse proxy every client has the proxy's address, so allow the proxy only if it restricts
 * /metrics itself, or use the token.
 */
export function metricsAllowed(req: http.IncomingMessage, config: Pick<Config, 'metricsAllow' | 'metricsToken'>): boolean {
  const address = req.socket.remoteAddress;
  if (address && config.metricsAllow.includes(address)) return true;
  if (!config.metricsToken) return false;
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return !!match && sameSecret(match[1], config.metricsToken);
}
