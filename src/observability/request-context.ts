import type { Metrics } from './metrics';

/**
 * What the per-request log line and the request metrics need to know, filled in while the
 * request is answered. Only identifiers and counts: never names, usernames or record content.
 *
 * The record is handed on explicitly (the HTTP layer holds it, resolvers find it in their
 * context), not kept in an AsyncLocalStorage: on Node 20 one AsyncLocalStorage turns on promise
 * hooks for the whole process, a call into JavaScript for every promise, which a GraphQL request
 * makes by the hundred.
 */
export interface RequestRecord {
  requestId: string;
  /** The signed-in account (its database id), once the credential has been entered. */
  accountId: string | null;
  /** The API key (its database id) when the request came with one. */
  apiKeyId: string | null;
  /** GraphQL operation name, export name, or null for other paths. */
  operation: string | null;
  /** SQL statements this request sent (counted from the query builder's `query` event). */
  statements: number;
  /** The coded outcome when it is not plain success: an error code, or `user_error`. */
  outcome: string | null;
  /** The app's metrics, so code deep in a resolver can count without new parameters. */
  metrics: Metrics | null;
}

export function newRequestRecord(requestId: string, metrics: Metrics | null): RequestRecord {
  return { requestId, accountId: null, apiKeyId: null, operation: null, statements: 0, outcome: null, metrics };
}

/** Notes who the request acts for: the id only. */
export function noteCredential(record: RequestRecord, account: { kind: 'account' | 'apiKey'; id: string } | null | undefined): void {
  if (!account) return;
  if (account.kind === 'apiKey') record.apiKeyId = account.id;
  else record.accountId = account.id;
}

/** A `login` refused: a wrong username or password, or a rate limit. */
export function countLoginRefusal(record: RequestRecord, reason: 'INVALID_CREDENTIALS' | 'RATE_LIMITED'): void {
  record.metrics?.loginRefusals.inc({ reason });
}

/**
 * The request each pooled connection is working for, by the query builder's connection id
 * (`__knexUid`, carried by every `query` event): how a statement is counted to its request. A
 * request's transaction holds its connection from BEGIN to COMMIT, and nothing else uses it then.
 */
const byConnection = new Map<string, RequestRecord>();

/** From now until connectionReleased, statements on connection `uid` are the request's. */
export function connectionTakenBy(uid: string, record: RequestRecord): void {
  byConnection.set(uid, record);
}

/** The request is done with connection `uid` (which may already serve the next request: then it is left to that one). */
export function connectionReleased(uid: string, record: RequestRecord): void {
  if (byConnection.get(uid) === record) byConnection.delete(uid);
}

/** The request a statement on connection `uid` belongs to; undefined for work of no request (the audit sealer). */
export function requestOnConnection(uid: string | undefined): RequestRecord | undefined {
  return uid === undefined ? undefined : byConnection.get(uid);
}
