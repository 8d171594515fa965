import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Kind, parse } from 'graphql';
import type { Logger } from 'pino';
import type { AuthAccount } from '../access/account-context';
import { hashApiKeySecret, isApiKey, parseApiKey } from '../access/api-keys';
import { type DatabaseOutage, RETRY_AFTER_SECONDS, isDatabaseUnavailable, isStatementTimeout } from '../database/availability';
import type { Lane, Lanes } from '../database/lanes';
import { READ_AFTER_HEADER, ReplicaBehind, isPoolExhausted, readAfterCookie, readAfterOf, whoOf, type ReadReplica } from '../database/replica';
import { inRequestTransaction, recordOnPrimary, type Credential } from '../access/request-transaction';
import type { AppServices, RequestContext } from '../access/context';
import { createRequestContext } from './context';
import { codedError, unauthenticated } from '../graphql/errors';
import { queryParamsProblem } from '../graphql/input-limits';
import { batchProblem } from '../graphql/limits';
import { BoundedMap } from '../graphql/bounded-map';
import { graphiqlAsset, graphiqlPage } from '../graphiql';
import { answerStaffApp } from './staff-app';
import { EXPORTS, recordExport } from '../reports';
import { answerImport, IMPORT_LIMITS, importMethodOf } from '../imports';
import { finishRequest, graphqlOutcome, metricsAllowed, operationNameOf } from '../observability/http';
import type { Metrics } from '../observability/metrics';
import { newRequestRecord, type RequestRecord } from '../observability/request-context';

const MAX_BODY_BYTES = 1_000_000;

/** What a client that keeps sending past the limit may still send (read and dropped) before it is cut off. */
const MAX_DISCARD_BYTES = 16_000_000;

const CODED_STATUS: Record<string, number> = { BAD_USER_INPUT: 400, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

export interface HttpServerOptions {
  /** The primary: every request that writes, and every read the replica cannot answer. */
  orm: MikroORM;
  /** The read replica (HOSO_READ_DATABASE_URL) for requests that only read, or null. */
  replica: ReadReplica | null;
  apollo: ApolloServer<RequestContext>;
  app: AppServices;
  lanes: Lanes;
  /** Shared with the audit sealer, so an outage is logged once whoever meets it first. */
  outage: DatabaseOutage;
  log: (message: string, error?: unknown) => void;
  /** Writes the one line per request. */
  logger: Logger;
  /** Request metrics and GET /metrics; null leaves both out. */
  metrics: Metrics | null;
}

export interface HttpServer {
  server: http.Server;
  /** Requests being answered now. */
  inFlight(): number;
  /**
   * Stops accepting, lets the requests in flight finish for at most `timeoutMs`, then cuts what is
   * left. Resolves true when everything finished in time.
   */
  drain(timeoutMs: number): Promise<boolean>;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/**
 * The body, at most MAX_BODY_BYTES. Past that the request is refused 413, and the rest of the body
 * (up to MAX_DISCARD_BYTES) is read and dropped rather than the connection closed: a client that
 * sends its whole body before reading (Python's http.client does) would otherwise meet a reset
 * instead of the answer.
 */
function readBody(req: http.IncomingMessage): Promise<string> {
  return readBodyBytes(req, MAX_BODY_BYTES).then((body) => body.toString('utf8'));
}

/** The body as bytes, at most `limit` of them (readBody's rule; an import's file has its own limit). */
function readBodyBytes(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (refused) {
        if (size > limit + MAX_DISCARD_BYTES) req.destroy();
        return;
      }
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`));
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** 503 for a lane that is full: this kind of request already holds its share of connections. */
function laneFull(lane: Lane): HttpError {
  const what = lane.name === 'exports' ? 'Too many exports are running' : 'Too many requests are being answered';
  return new HttpError(503, 'SERVICE_UNAVAILABLE', `${what}; try again in a few seconds.`, { 'retry-after': String(RETRY_AFTER_SECONDS) });
}

/**
 * Each response's request record (log line, metrics): every handler has the response in hand,
 * so the record travels with it rather than in an AsyncLocalStorage (request-context.ts says why).
 */
const records = new WeakMap<http.ServerResponse, RequestRecord>();

/**
 * Responses answered by the read replica without a statement on the primary: they say nothing of
 * whether the primary is back, so they must not end its outage (its log lines would flap).
 */
const replicaOnly = new WeakSet<http.ServerResponse>();

function recordOf(res: http.ServerResponse): RequestRecord {
  return records.get(res)!;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  // Every coded refusal is sent here: the request's log line and metrics carry its code.
  const code = (body as { errors?: { extensions?: { code?: unknown } }[] }).errors?.[0]?.extensions?.code;
  if (typeof code === 'string') recordOf(res).outcome = code;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function errorBody(code: string, message: string, extensions: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}

/** Accepts a caller's request id when it is short and plain; otherwise makes one. */
function requestIdOf(req: http.IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : crypto.randomUUID();
}

function bearerToken(req: http.IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthenticated('Authorization must be "Bearer <token>".');
  return match[1];
}

/**
 * What an export or an import starts with: the caller's credential (401 without one), the query
 * string under the same text rule as every GraphQL string argument (NUL bytes, length), and a
 * place in the exports' lane (503 when it is full).
 */
async function enterFileRequest(req: http.IncomingMessage, options: HttpServerOptions): Promise<{ credential: Credential; params: URLSearchParams; release: () => void }> {
  const credential = await credentialOf(req, options.app);
  if (!credential) throw unauthenticated();
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const problem = queryParamsProblem(params);
  if (problem) throw codedError('BAD_USER_INPUT', problem.message, { argument: problem.argument });
  const release = await options.lanes.exports.enter();
  if (!release) throw laneFull(options.lanes.exports);
  return { credential, params, release };
}

/**
 * GET /exports/<name>: authenticated like /graphql, one REPEATABLE READ transaction, rows
 * streamed as they are read. The EXPORT access event is written in the same transaction; the
 * file is completed only after it has committed. A client that leaves mid-way ends the export
 * at the next batch: the transaction commits at once with the event marked `complete: false`
 * and the rows already sent, and its connection goes back to the pool.
 */
async function handleExport(req: http.IncomingMessage, res: http.ServerResponse, options: HttpServerOptions, requestId: string, name: string) {
  const exporter = EXPORTS[name];
  if (!exporter) return sendJson(res, 404, errorBody('NOT_FOUND', 'No such export.'));
  const record = recordOf(res);
  record.operation = name;
  const { credential, params, release } = await enterFileRequest(req, options);
  try {
    res.setHeader('x-request-id', requestId);
    const today = options.app.clock.today();
    const finish = await inRequestTransaction(
      options.orm,
      { credential, record, today, isolation: 'repeatable read' },
      async (em, entered) => {
        const account = entered!;
        const { loaders, services } = createRequestContext(em, account, record, req.socket.remoteAddress ?? 'unknown', options.app);
        const details: Record<string, unknown> = {};
        const done = await exporter({ em, account, loaders, services, today: options.app.clock.today(), params, res }, details);
        await recordExport(em, String(details.unitId ?? account.unitId), name, details);
        return done;
      },
    );
    // The connection is back in the pool before the last bytes are written.
    release();
    if (!res.destroyed) await finish();
  } finally {
    release();
  }
}

/**
 * /imports (src/imports/http.ts says what each path does): authenticated like /graphql, in the
 * exports' lane (reading and checking a file is heavy), one READ COMMITTED transaction; the
 * answer is sent once it has committed. The upload's body may be up to IMPORT_LIMITS.maxBytes.
 */
async function handleImport(req: http.IncomingMessage, res: http.ServerResponse, options: HttpServerOptions, requestId: string, path: string) {
  const method = importMethodOf(path);
  if (!method) return sendJson(res, 404, errorBody('NOT_FOUND', 'No such path.'));
  if (req.method !== method) return sendJson(res, 405, errorBody('BAD_REQUEST', `Use ${method}.`), { allow: method });
  const record = recordOf(res);
  record.operation = method === 'POST' ? 'import' : `import${path.replace(/^\/\d+/, '')}`;
  // The lane first: a full lane is answered before a large body is read into memory.
  const { credential, params, release } = await enterFileRequest(req, options);
  try {
    const body = method === 'POST' ? await readBodyBytes(req, IMPORT_LIMITS.maxBytes) : null;
    const today = options.app.clock.today();
    const answer = await inRequestTransaction(options.orm, { credential, record, today, isolation: 'read committed' }, async (em, entered) => {
      const account = entered!;
      const { services } = createRequestContext(em, account, record, req.socket.remoteAddress ?? 'unknown', options.app);
      return answerImport({ account, services, method, path, params, body });
    });
    res.writeHead(answer.status, { ...answer.headers, 'x-request-id': requestId });
    res.end(answer.body);
  } finally {
    release();
  }
}

/** What the server itself needs of a query text: whether it only reads, and its first operation's name. */
interface QueryFacts {
  readsOnly: boolean;
  name: string | undefined;
}

/**
 * The facts of query texts seen lately (not their syntax trees, which would hold far more memory):
 * clients send the same few texts again and again, and parsing one again cost 1.3 % of a member
 * read. Texts longer than FACTS_TEXT_MAX are parsed every time.
 */
const knownTexts = new BoundedMap<string, QueryFacts | null>(500);
const FACTS_TEXT_MAX = 20_000;

/** The facts of the request's query; null when absent or unparsable (left to Apollo, and not taken for a read). */
function queryFacts(body: unknown, url: URL): QueryFacts | null {
  const query = body && typeof body === 'object' && !Array.isArray(body) ? (body as { query?: unknown }).query : url.searchParams.get('query');
  if (typeof query !== 'string') return null;
  const known = knownTexts.get(query);
  if (known !== undefined) return known;
  let facts: QueryFacts | null;
  try {
    const document = parse(query, { maxTokens: 5000 });
    const first = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    facts = {
      readsOnly: document.definitions.every((d) => d.kind !== Kind.OPERATION_DEFINITION || d.operation === 'query'),
      name: first?.kind === Kind.OPERATION_DEFINITION ? first.name?.value : undefined,
    };
  } catch {
    facts = null;
  }
  if (query.length <= FACTS_TEXT_MAX) knownTexts.set(query, facts);
  return facts;
}

/** The bearer token checked as far as it can be without the database: a login token or an API key. */
async function credentialOf(req: http.IncomingMessage, app: AppServices): Promise<Credential | null> {
  const token = bearerToken(req);
  if (!token) return null;
  if (isApiKey(token)) {
    const key = parseApiKey(token);
    if (!key) throw unauthenticated('The API key is malformed.');
    return { kind: 'apiKey', id: key.id, secretHash: hashApiKeySecret(key.secret) };
  }
  const accountId = await app.tokens.verify(token);
  if (!accountId) throw unauthenticated('The token is invalid or has expired; sign in again.');
  return { kind: 'account', id: accountId };
}

/**
 * POST/GET /graphql. The whole request runs in one database transaction that carries the
 * account, scope and request id (set_config), so RLS and audit triggers see them and all reads
 * share one snapshot. The response is sent only after the transaction has committed.
 */
async function handleGraphQL(req: http.IncomingMessage, res: http.ServerResponse, options: HttpServerOptions, requestId: string) {
  const { app } = options;
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  let body: unknown = undefined;
  if (req.method === 'POST') {
    const raw = await readBody(req);
    // Only JSON bodies are parsed; Apollo's CSRF prevention then refuses simple content types.
    if (/^application\/(graphql-response\+)?json/i.test(headers.get('content-type') ?? '')) {
      try {
        body = JSON.parse(raw);
      } catch {
        return sendJson(res, 400, errorBody('BAD_REQUEST', 'The request body is not valid JSON.'));
      }
      const problem = Array.isArray(body) ? batchProblem(body) : null;
      if (problem) return sendJson(res, 400, errorBody('BAD_REQUEST', problem));
    } else body = raw;
  }
  const facts = queryFacts(body, url);
  recordOf(res).operation = operationNameOf(body, url, facts?.name);

  const credential = await credentialOf(req, app);
  // Anonymous requests (login) hash a password inside their transaction: they get a lane.
  const release = credential ? null : await options.lanes.anonymous.enter();
  if (!credential && !release) throw laneFull(options.lanes.anonymous);
  try {
    await answerGraphQL(req, res, options, requestId, { headers, url, body, readOnly: facts?.readsOnly ?? false, credential });
  } finally {
    release?.();
  }
}

/** The answer of a GraphQL request and the access events it must leave (sensitive fields read). */
interface Executed {
  response: HTTPGraphQLResponse;
  reads: string | null;
}

/**
 * Which server answers a GraphQL request, decided before its transaction opens:
 * - a request that only reads, signed in with an account, goes to the read replica when there is
 *   one and it is reachable; it runs there only if the replica has replayed the account's own last
 *   write (the position the client sent, or the one this process remembers), else on the primary;
 * - everything else goes to the primary: mutations (and the reads of the same request after them),
 *   login and other anonymous requests, batches (not parsed for their kind), and requests with an
 *   API key, whose entering function (hoso_enter_api_key) notes the key's last use, a write a
 *   replica refuses.
 * With a replica in use, a request that may have written on the primary learns the primary's WAL
 * position after its COMMIT and hands it to the client (header and cookie) and to the replica's
 * memory of the account, so its next read sees what it wrote.
 */
async function answerGraphQL(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  { orm, replica, apollo, app }: HttpServerOptions,
  requestId: string,
  { headers, url, body, readOnly, credential }: { headers: HeaderMap; url: URL; body: unknown; readOnly: boolean; credential: Credential | null },
) {
  const record = recordOf(res);
  const today = app.clock.today();
  const execute = async (em: EntityManager, account: AuthAccount | null): Promise<Executed> => {
    let context: RequestContext | undefined;
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => (context = createRequestContext(em, account, record, req.socket.remoteAddress ?? 'unknown', app)),
    });
    return { response, reads: context?.sensitiveReads.closingStatement() ?? null };
  };

  let response: HTTPGraphQLResponse | undefined;
  if (replica && readOnly && credential?.kind === 'account' && replica.usable) {
    const who = whoOf(credential);
    const replayed = replica.readAfter(who, readAfterOf(req.headers));
    let executed: Executed | undefined;
    try {
      executed = await inRequestTransaction(replica.orm, { credential, record, today, isolation: 'repeatable read', replica: { replayed } }, execute);
      replica.succeeded();
      replica.replayed(who, replayed);
    } catch (error) {
      // Behind, busy or away: nothing was answered yet, so the primary answers instead. Any other
      // failure is the request's own and is answered as it would be on the primary.
      if (error instanceof ReplicaBehind) replica.succeeded();
      else if (isDatabaseUnavailable(error)) {
        // Every connection to the replica was busy (an acquire timeout): it is there and
        // answering, so that is no outage to log.
        if (!isPoolExhausted(error)) replica.failed(error);
      } else throw error;
    }
    if (executed) {
      // The replica cannot write: who read which sensitive fields is written on the primary,
      // under the same account and request id, before the answer leaves (it fails if that fails).
      if (executed.reads) await recordOnPrimary(orm, { credential, record, today }, executed.reads);
      else replicaOnly.add(res);
      response = executed.response;
    }
  }

  let readAfter: string | null = null;
  if (!response) {
    // A request that only reads runs in one REPEATABLE READ snapshot, so all its figures add up
    // (statistics, flows and lists of one request); mutations keep READ COMMITTED and their
    // optimistic locks.
    const isolation = readOnly ? 'repeatable read' : 'read committed';
    // With a replica, a request that may have written learns where the primary's WAL stood after it.
    const committedAt = replica && !readOnly ? (lsn: string) => (readAfter = lsn) : undefined;
    // A read keeps its answer (the data read and its fields' errors) though a failed statement
    // aborted its transaction; a request that may have written fails then.
    response = await inRequestTransaction(orm, { credential, record, today, isolation, committedAt, answersAborted: readOnly }, async (em, account, closeWith) => {
      const { response: result, reads } = await execute(em, account);
      // Who read which sensitive fields is written in the same transaction (with its COMMIT), before the answer leaves.
      if (reads) closeWith(reads);
      // A request that only reads is not flushed at commit: it changed no entity, so comparing
      // every entity it loaded with its snapshot would find nothing.
      return result;
    });
  }

  const outHeaders: Record<string, string> = { 'x-request-id': requestId };
  for (const [key, value] of response.headers) outHeaders[key] = value;
  if (replica && readAfter) {
    // After login the record names the account signed in, whose next reads must see this too.
    replica.wrote(whoOf(record.apiKeyId ? { kind: 'apiKey', id: record.apiKeyId } : record.accountId ? { kind: 'account', id: record.accountId } : null), readAfter);
    outHeaders[READ_AFTER_HEADER] = readAfter;
    outHeaders['set-cookie'] = readAfterCookie(readAfter, app.config.behindTls);
  }
  res.writeHead(response.status ?? 200, outHeaders);
  if (response.body.kind === 'complete') {
    record.outcome = graphqlOutcome(response.body.string);
    res.end(response.body.string);
  } else {
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

/** GET /metrics: Prometheus text, for allowed addresses or the metrics token only. */
async function handleMetrics(req: http.IncomingMessage, res: http.ServerResponse, metrics: Metrics, app: AppServices) {
  if (req.method !== 'GET') return sendJson(res, 405, errorBody('BAD_REQUEST', 'Use GET.'), { allow: 'GET' });
  if (!metricsAllowed(req, app.config)) {
    return sendJson(res, 403, errorBody('FORBIDDEN', 'Metrics are served only to allowed addresses or with the metrics token.'));
  }
  const { contentType, body } = await metrics.exposition();
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

async function handleHealth(res: http.ServerResponse, orm: MikroORM) {
  try {
    await orm.em.fork().getConnection().execute('select 1');
    sendJson(res, 200, { status: 'ok' });
  } catch {
    sendJson(res, 503, { status: 'database unavailable' });
  }
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { app, log, outage } = options;
  const showGraphiQL = app.config.env !== 'production';
  let draining = false;
  const inFlight = new Set<http.ServerResponse>();
  const idle: (() => void)[] = [];

  const route = async (req: http.IncomingMessage, res: http.ServerResponse, requestId: string) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/graphql') {
      if (req.method !== 'GET' && req.method !== 'POST') {
        return sendJson(res, 405, errorBody('BAD_REQUEST', 'Use POST (or GET for queries).'), { allow: 'GET, POST' });
      }
      return await handleGraphQL(req, res, options, requestId);
    }
    if (path === '/imports' || path.startsWith('/imports/')) return await handleImport(req, res, options, requestId, path.slice('/imports'.length));
    if (path.startsWith('/exports/')) {
      if (req.method !== 'GET') return sendJson(res, 405, errorBody('BAD_REQUEST', 'Use GET.'), { allow: 'GET' });
      return await handleExport(req, res, options, requestId, path.slice('/exports/'.length));
    }
    if (path === '/healthz' || path === '/readyz') return await handleHealth(res, options.orm);
    if (path === '/metrics' && options.metrics) return await handleMetrics(req, res, options.metrics, app);
    if (req.method === 'GET' && answerStaffApp(path, res)) return;
    if (showGraphiQL && path === '/graphiql') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        // Everything the page loads comes from this server: the department's network has no Internet.
        'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:",
      });
      return res.end(graphiqlPage());
    }
    if (showGraphiQL && path.startsWith('/graphiql/')) {
      const asset = graphiqlAsset(path.slice('/graphiql/'.length));
      if (asset) {
        res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'public, max-age=86400' });
        return fs.createReadStream(asset.file).pipe(res);
      }
    }
    sendJson(res, 404, errorBody('NOT_FOUND', 'No such path.'));
  };

  const failed = (res: http.ServerResponse, requestId: string, error: unknown) => {
    if (res.headersSent) {
      // A stream (an export) failed after it began: the client sees a cut connection, not a file.
      if (isDatabaseUnavailable(error)) outage.refused(requestId, error);
      else log(`request ${requestId} failed while streaming`, error);
      return res.destroy();
    }
    const withId = { 'x-request-id': requestId };
    const extensions = (error as { extensions?: { code?: string; argument?: unknown } }).extensions;
    if (extensions?.code === 'UNAUTHENTICATED') {
      return sendJson(res, 401, errorBody('UNAUTHENTICATED', (error as Error).message), withId);
    }
    if (error instanceof HttpError) return sendJson(res, error.status, errorBody(error.code, error.message), { ...withId, ...error.headers });
    // Coded errors outside GraphQL (exports) keep their code and get the matching HTTP status.
    const status = extensions?.code ? CODED_STATUS[extensions.code] : undefined;
    if (status) {
      const argument = typeof extensions!.argument === 'string' ? { argument: extensions!.argument } : {};
      // An imported file the reader refused says why in a code clients can act on.
      if (typeof (extensions as { importProblem?: unknown }).importProblem === 'string') {
        Object.assign(argument, { importProblem: (extensions as { importProblem: string }).importProblem });
      }
      return sendJson(res, status, errorBody(extensions!.code!, (error as Error).message, argument), withId);
    }
    if (isDatabaseUnavailable(error)) {
      outage.refused(requestId, error);
      return sendJson(res, 503, errorBody('SERVICE_UNAVAILABLE', 'The database is not available; try again shortly.'), {
        ...withId,
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
    }
    if (isStatementTimeout(error)) {
      log(`request ${requestId} stopped by the statement timeout`);
      return sendJson(res, 503, errorBody('SERVICE_UNAVAILABLE', 'The request took too long and was stopped; ask for less at once.'), withId);
    }
    log(`request ${requestId} failed`, error);
    sendJson(res, 500, errorBody('INTERNAL_SERVER_ERROR', 'Internal server error'), withId);
  };

  const server = http.createServer((req, res) => {
    const requestId = requestIdOf(req);
    const startedAt = process.hrtime.bigint();
    const record = newRequestRecord(requestId, options.metrics);
    records.set(res, record);
    let logged = false;
    const logLine = () => {
      if (logged) return;
      logged = true;
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      finishRequest(options.logger, options.metrics, record, req, res, path, startedAt);
    };
    res.once('finish', logLine);
    res.once('close', logLine);
    // Statements, account and outcome are noted on `record` (recordOf(res)) while the request is answered.
    return answer(req, res, requestId);
  });

  const answer = async (req: http.IncomingMessage, res: http.ServerResponse, requestId: string) => {
    if (draining) {
      // Already accepted on a kept-alive connection while stopping: refused plainly, connection closed.
      return sendJson(res, 503, errorBody('SERVICE_UNAVAILABLE', 'The server is shutting down; try again shortly.'), {
        'x-request-id': requestId,
        'retry-after': String(RETRY_AFTER_SECONDS),
        connection: 'close',
      });
    }
    inFlight.add(res);
    try {
      await route(req, res, requestId);
      if (outage.isDown && res.statusCode < 500 && !replicaOnly.has(res)) outage.succeeded();
    } catch (error) {
      failed(res, requestId, error);
    } finally {
      const done = () => {
        inFlight.delete(res);
        if (!inFlight.size) idle.splice(0).forEach((resolve) => resolve());
      };
      if (res.writableFinished || res.destroyed) done();
      else {
        res.once('finish', done);
        res.once('close', done);
      }
    }
  };

  return {
    server,
    inFlight: () => inFlight.size,
    async drain(timeoutMs) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Kept-alive connections with no request in flight are closed now; busy ones after their answer.
      server.closeIdleConnections();
      const finished = inFlight.size ? new Promise<void>((resolve) => idle.push(resolve)) : Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([
        finished.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
      return inTime;
    },
  };
}
