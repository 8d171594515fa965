import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Lanes } from '../database/lanes';
import { requestOnConnection } from './request-context';

/** Distinct GraphQL operation names kept as label values; later names are counted as "other". */
export const MAX_OPERATION_LABELS = 200;
/** Distinct outcome codes kept as label values (codes are the server's own, this is a safety net). */
const MAX_OUTCOME_LABELS = 50;

/** The SQL text of the audit sealer's pass (src/audit/sealer.ts). */
const SEAL_SQL = 'select hoso_audit_seal()';

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

interface KnexQueryEvent {
  sql?: string;
  __knexQueryUid?: string;
  /** The pooled connection the statement went on. */
  __knexUid?: string;
}

interface KnexLike {
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
  client: { pool?: TarnPool };
}

/** A label set that stops growing at `max` values; the rest are `overflow`. */
class BoundedLabels {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number, private readonly overflow: string) {}
  /** `admit`: whether an unseen value may take one of the places (else it counts as the overflow). */
  label(value: string, admit = true): string {
    if (this.seen.has(value)) return value;
    if (!admit || this.seen.size >= this.max) return this.overflow;
    this.seen.add(value);
    return value;
  }
}

export interface RequestObservation {
  route: string;
  operation: string | null;
  /** Whether the request was made by an account or API key: only those may add operation names. */
  signedIn: boolean;
  outcome: string | null;
  status: number;
  seconds: number;
}

/**
 * One app's metrics, in a registry of its own (several apps in one process, as in the tests,
 * never share or clash). Everything read from the pool, the lanes and the sealer is read at
 * scrape time or counted by listeners that cost a counter increment per statement.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requestDuration: Histogram<'route' | 'operation' | 'outcome' | 'status_class'>;
  readonly statementDuration: Histogram<'result'>;
  readonly loginRefusals: Counter<'reason'>;
  private readonly operations = new BoundedLabels(MAX_OPERATION_LABELS, 'other');
  private readonly outcomes = new BoundedLabels(MAX_OUTCOME_LABELS, 'OTHER');
  private readonly statementStarts = new Map<string, number>();
  private lastSealStart: number | null = null;
  private lastSealSuccess = Date.now();
  private detach: (() => void) | null = null;

  constructor(orm: MikroORM, lanes: Lanes, { defaultMetrics = true }: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry });
    const knex = orm.em.getConnection().getKnex() as unknown as KnexLike;
    const pool = () => knex.client.pool;

    this.requestDuration = new Histogram({
      name: 'hoso_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route, GraphQL operation name (at most 200 distinct, then "other"), outcome (ok, user_error or an error code) and HTTP status class.',
      labelNames: ['route', 'operation', 'outcome', 'status_class'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.statementDuration = new Histogram({
      name: 'hoso_db_statement_duration_seconds',
      help: 'Time of each SQL statement the API sent (from sending to its rows being read), by result.',
      labelNames: ['result'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers,
    });
    this.loginRefusals = new Counter({
      name: 'hoso_login_refusals_total',
      help: 'login answers that refused: INVALID_CREDENTIALS (wrong username or password) or RATE_LIMITED.',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of ['INVALID_CREDENTIALS', 'RATE_LIMITED']) this.loginRefusals.inc({ reason }, 0);

    new Gauge({
      name: 'hoso_db_pool_in_use',
      help: 'Connections of the API pool held by a request or the sealer now.',
      registers,
      collect() {
        this.set(pool()?.numUsed() ?? 0);
      },
    });
    new Gauge({
      name: 'hoso_db_pool_waiting',
      help: 'Requests waiting for a connection of the API pool now.',
      registers,
      collect() {
        this.set(pool()?.numPendingAcquires() ?? 0);
      },
    });
    new Gauge({
      name: 'hoso_db_pool_free',
      help: 'Open connections of the API pool that are idle now.',
      registers,
      collect() {
        this.set(pool()?.numFree() ?? 0);
      },
    });
    new Gauge({
      name: 'hoso_exports_in_progress',
      help: 'Exports (GET /exports/…) holding a place in the exports lane now.',
      registers,
      collect() {
        this.set(lanes.exports.inUse);
      },
    });
    new Gauge({
      name: 'hoso_lane_in_use',
      help: 'Places in use in each lane (exports, anonymous requests such as login).',
      labelNames: ['lane'],
      registers,
      collect() {
        for (const lane of Object.values(lanes)) this.set({ lane: lane.name }, lane.inUse);
      },
    });
    new Gauge({
      name: 'hoso_lane_capacity',
      help: 'Places in each lane.',
      labelNames: ['lane'],
      registers,
      collect() {
        for (const lane of Object.values(lanes)) this.set({ lane: lane.name }, lane.capacity);
      },
    });
    const metrics = this;
    new Gauge({
      name: 'hoso_audit_seal_lag_seconds',
      help:
        'Upper bound on the age of the oldest unsealed audit event: seconds since the start of the last successful ' +
        'sealing pass (every event committed before a pass starts is sealed by it). About 0.5 when sealing works.',
      registers,
      collect() {
        this.set((Date.now() - metrics.lastSealSuccess) / 1000);
      },
    });
    const sealed = new Counter({
      name: 'hoso_audit_events_sealed_total',
      help: 'Audit events linked into the hash chain by this process’s sealer.',
      registers,
    });

    // Listeners on the query builder's events: a Map entry and a counter per statement, no
    // formatting of SQL (MikroORM's debug logger would format every query).
    const onQuery = (event: KnexQueryEvent) => {
      const request = requestOnConnection(event.__knexUid);
      if (request) request.statements++;
      else if (event.sql === SEAL_SQL) this.lastSealStart = Date.now();
      const uid = event.__knexQueryUid;
      if (uid) {
        // A statement whose answer never came (its connection was cut) is forgotten, not kept.
        if (this.statementStarts.size > 10_000) this.statementStarts.clear();
        this.statementStarts.set(uid, performance.now());
      }
    };
    // Children bound to their label once: observe() with a label object hashes it every time.
    const byResult = { ok: this.statementDuration.labels({ result: 'ok' }), error: this.statementDuration.labels({ result: 'error' }) };
    const finished = (event: KnexQueryEvent | undefined, result: 'ok' | 'error') => {
      const uid = event?.__knexQueryUid;
      const started = uid ? this.statementStarts.get(uid) : undefined;
      if (started === undefined) return;
      this.statementStarts.delete(uid!);
      byResult[result].observe((performance.now() - started) / 1000);
    };
    const onResponse = (response: unknown, event: KnexQueryEvent) => {
      finished(event, 'ok');
      if (event?.sql === SEAL_SQL && this.lastSealStart !== null && !requestOnConnection(event.__knexUid)) {
        this.lastSealSuccess = this.lastSealStart;
        // A raw statement's response is the driver's result (rows inside) or, post-processed, the rows.
        const rows = (response as { rows?: unknown[] } | undefined)?.rows ?? response;
        const count = Array.isArray(rows) ? Number((rows[0] as { hoso_audit_seal?: unknown } | undefined)?.hoso_audit_seal ?? 0) : 0;
        if (count > 0) sealed.inc(count);
      }
    };
    const onError = (_error: unknown, event: KnexQueryEvent) => finished(event, 'error');
    knex.on('query', onQuery);
    knex.on('query-response', onResponse);
    knex.on('query-error', onError);
    this.detach = () => {
      knex.removeListener('query', onQuery);
      knex.removeListener('query-response', onResponse);
      knex.removeListener('query-error', onError);
    };
  }

  /** The operation name as a label value: one of at most MAX_OPERATION_LABELS names, or "other". */
  operationLabel(name: string | null, admit = true): string {
    return name === null ? 'none' : this.operations.label(name, admit);
  }

  observeRequest({ route, operation, signedIn, outcome, status, seconds }: RequestObservation): void {
    this.requestDuration.observe(
      {
        route,
        // Anyone can invent operation names; only signed-in requests (accountable, and limited)
        // may take one of the places, so anonymous junk cannot push real names into "other".
        operation: this.operationLabel(operation, signedIn),
        outcome: outcome ? this.outcomes.label(outcome) : status < 400 ? 'ok' : `HTTP_${status}`,
        status_class: `${Math.floor(status / 100)}xx`,
      },
      seconds,
    );
  }

  /** Prometheus text exposition of this app's registry. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    this.detach?.();
    this.detach = null;
    this.registry.clear();
  }
}
