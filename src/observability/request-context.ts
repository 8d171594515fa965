import { AsyncLocalStorage } from 'node:async_hooks';
import type { Metrics } from './metrics';

/**
 * What the per-request log line and the request metrics need to know, filled in while the
 * request is answered. Only identifiers and counts: never names, usernames or record content.
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

const storage = new AsyncLocalStorage<RequestRecord>();

export function newRequestRecord(requestId: string, metrics: Metrics | null): RequestRecord {
  return { requestId, accountId: null, apiKeyId: null, operation: null, statements: 0, outcome: null, metrics };
}

/** Runs `work` with `record` as the current request's record (for everything it awaits). */
export function runWithRequest<T>(record: RequestRecord, work: () => T): T {
  return storage.run(record, work);
}

/** The record of the request being answered here; undefined outside a request (the audit sealer). */
export function currentRequest(): RequestRecord | undefined {
  return storage.getStore();
}

/** Notes who the request acts for: the id only. */
export function noteCredential(account: { kind: 'account' | 'apiKey'; id: string } | null | undefined): void {
  const record = storage.getStore();
  if (!record || !account) return;
  if (account.kind === 'apiKey') record.apiKeyId = account.id;
  else record.accountId = account.id;
}

/** A `login` refused: a wrong username or password, or a rate limit. */
export function countLoginRefusal(reason: 'INVALID_CREDENTIALS' | 'RATE_LIMITED'): void {
  storage.getStore()?.metrics?.loginRefusals.inc({ reason });
}
