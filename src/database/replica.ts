import type { IncomingHttpHeaders } from 'node:http';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { escapeLiteral } from 'pg';
import { BoundedMap } from '../graphql/bounded-map';
import { DatabaseOutage, RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './availability';
import { ormOptions } from './orm';

/**
 * A streaming replica for the requests that only read (HOSO_READ_DATABASE_URL).
 *
 * The replica is the primary's cluster replayed from its WAL, so row-level security, the
 * entering functions and every policy are the same there; it only lags, and cannot write. What
 * that means for the API:
 *
 * - **Read your writes.** A request that wrote learns, in the message that commits it, the
 *   primary's WAL position just after its COMMIT (`WAL_POSITION_SQL`). The API remembers it per
 *   account in this process and hands it to the client (the `Hoso-Read-After` header and the
 *   `hoso_read_after` cookie), so the client's next read, on this or another instance, names it.
 *   A read that must see such a position asks the replica whether it has replayed it in the same
 *   message that opens its transaction (`replayedSql`); when it has not, the request runs on the
 *   primary instead. Nobody waits for the replica.
 * - **Bounded staleness.** Every read on the replica also needs the replica to have replayed what
 *   the primary had written `maxLagSeconds` ago (sampled every second, `sampleNow`) and at this
 *   process's start (`start`): the greatest of those and the account's position is the one asked.
 *   A replica that falls further behind (replay paused or stuck, a broken stream) answers nothing.
 * - **Nothing is written on the replica.** The record of sensitive fields a read showed is
 *   written on the primary after the read (src/access/request-transaction.ts, recordOnPrimary).
 * - **An unavailable replica is not an outage.** Reads go to the primary while it is away.
 */

/** A WAL position as PostgreSQL prints a pg_lsn (two hexadecimal halves); nothing else is accepted from a client. */
const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/;

/** The response header and cookie that carry the WAL position of a request's own write to its client. */
export const READ_AFTER_HEADER = 'hoso-read-after';
export const READ_AFTER_COOKIE = 'hoso_read_after';
/**
 * How long a client keeps the cookie: a replica normally replays a write within a second, so
 * after five minutes the position no longer decides anything (and a lagging replica is found by
 * the account's position remembered in the process, or by monitoring).
 */
export const READ_AFTER_MAX_AGE_SECONDS = 300;

/**
 * The primary's WAL position, sent after COMMIT in the same message (database/opening-transaction.ts,
 * afterCommit): it is then at or past the end of the commit record, so a replica that has replayed
 * it sees the transaction. Asked before COMMIT it would name a position before the commit record.
 */
export const WAL_POSITION_SQL = 'select pg_current_wal_insert_lsn()::text as lsn';

/**
 * The primary's WAL position as written so far, sampled every SAMPLE_INTERVAL_MS: the replica
 * must have replayed the sample of `maxLagSeconds` ago. The written position, not the insert
 * position: it is what can have been sent to the replica.
 */
const SAMPLE_SQL = 'select pg_current_wal_lsn()::text as lsn';
const SAMPLE_INTERVAL_MS = 1000;

/**
 * How long a read waits for a connection to the replica, and for a new connection to be made:
 * a replica that does not answer (a black-holed address) costs a read this long before the
 * primary answers it, instead of the primary's 10 s. Acquiring waits a little longer than
 * connecting, so that a replica that cannot be reached fails with the connection's own error (an
 * outage), and an acquire timeout means only that every connection was busy.
 */
const CONNECT_TIMEOUT_MS = 2000;
const ACQUIRE_TIMEOUT_MS = 2500;

/** The replica's ORM: the primary's options (orm.ts), with the short timeouts above. */
export async function openReplicaOrm(
  clientUrl: string,
  poolSize: number,
  entities: NonNullable<Options['entities']>,
  driverLog: (message: string) => void,
): Promise<MikroORM> {
  const options = ormOptions(clientUrl, poolSize, entities);
  const write = (message: unknown) => driverLog(String(message));
  return MikroORM.init({
    ...options,
    pool: { ...options.pool, acquireTimeoutMillis: ACQUIRE_TIMEOUT_MS },
    driverOptions: {
      ...options.driverOptions,
      connection: { connectionTimeoutMillis: CONNECT_TIMEOUT_MS },
      log: { warn: write, error: write, deprecate: write, debug: write },
    },
  });
}

/** knex's error when no pooled connection became free in time (the replica answers, but is busy). */
export function isPoolExhausted(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'KnexTimeoutError';
}

/** Positions remembered per account in one process: beyond this many accounts the oldest is forgotten. */
const REMEMBERED_ACCOUNTS = 10_000;

/** The position as a number, for comparing (`X/Y` is X·2³² + Y). */
function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/** `text` when it is a WAL position in PostgreSQL's form, else null. */
export function parseLsn(text: unknown): string | null {
  return typeof text === 'string' && LSN.test(text) ? text : null;
}

/** The later of two positions (either may be absent). */
export function laterLsn(a: string | null, b: string | null): string | null {
  if (!a || !b) return a ?? b;
  return lsnValue(a) >= lsnValue(b) ? a : b;
}

/**
 * The statement that tells whether the replica has replayed `lsn` (a checked position, quoted
 * anyway). False on a server that replays nothing (pg_last_wal_replay_lsn() is null there): a
 * primary given as replica, or a replica promoted on its own, never vouches for another server's WAL.
 */
export function replayedSql(lsn: string): string {
  const checked = parseLsn(lsn);
  if (!checked) throw new Error('not a WAL position');
  return `select coalesce(pg_last_wal_replay_lsn() >= ${escapeLiteral(checked)}::pg_lsn, false) as replayed`;
}

/** The position a client sent: the header or the cookie (the later if both), ignored unless well formed. */
export function readAfterOf(headers: IncomingHttpHeaders): string | null {
  const header = headers[READ_AFTER_HEADER];
  const fromHeader = parseLsn(Array.isArray(header) ? undefined : header?.trim());
  let fromCookie: string | null = null;
  for (const pair of (headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === READ_AFTER_COOKIE) fromCookie = laterLsn(fromCookie, parseLsn(pair.slice(at + 1).trim()));
  }
  return laterLsn(fromHeader, fromCookie);
}

/**
 * The Set-Cookie value that hands a position to a browser: HttpOnly (no script needs it),
 * SameSite=Strict and Path=/ (sent with the API's own requests only), short-lived, and Secure when
 * the API is reached over HTTPS (config.behindTls).
 */
export function readAfterCookie(lsn: string, secure: boolean): string {
  return `${READ_AFTER_COOKIE}=${lsn}; Max-Age=${READ_AFTER_MAX_AGE_SECONDS}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Thrown inside a request's transaction on the replica when the primary must answer it instead (nothing has run). */
export class ReplicaBehind extends Error {
  constructor(reason: string) {
    super(`the read replica cannot answer this request: ${reason}`);
    this.name = 'ReplicaBehind';
  }
}

/**
 * The replica's ORM, the positions accounts wrote at, the primary's positions it must have
 * replayed to answer at all, and whether the replica is reachable.
 */
export class ReadReplica {
  private readonly written = new BoundedMap<string, string>(REMEMBERED_ACCOUNTS);
  private readonly outage: DatabaseOutage;
  /** When the replica was last found unreachable (ms); reads skip it for RETRY_AFTER_SECONDS after. */
  private failedAt = 0;
  /** The primary's insert position when this process started (`start`). */
  private startedAt: string | null = null;
  /** The primary's positions sampled lately, oldest first, with when each sample was asked (ms). */
  private samples: { at: number; lsn: string }[] = [];
  private sampler: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | null = null;
  /** Whether the last sample failed for another reason than an outage (logged once per run of failures). */
  private sampleFailed = false;

  constructor(
    readonly orm: MikroORM,
    /** The primary, whose WAL positions are sampled. */
    private readonly primary: MikroORM,
    private readonly log: (message: string, error?: unknown) => void,
    /** How far behind the primary the replica may answer (config.readMaxLagSeconds). */
    private readonly maxLagSeconds: number,
  ) {
    // Logged once when the replica goes away and once when it is back, as the primary's outages are.
    this.outage = new DatabaseOutage((message, error) => log(`read replica: ${message}${message.startsWith('database unavailable') ? '; reads go to the primary' : ''}`, error));
  }

  /**
   * Takes the primary's position now, before the API answers anything: the replica answers no
   * read until it has replayed it (a replica far behind at start, e.g. restored from an old
   * backup, is not trusted until it caught up), then samples the primary every second.
   */
  async start(): Promise<void> {
    const [row] = await this.primary.em.getConnection().execute<{ lsn: string }[]>(WAL_POSITION_SQL);
    this.startedAt = parseLsn(row?.lsn);
    if (!this.startedAt) throw new Error(`the primary gave no WAL position: ${JSON.stringify(row)}`);
    this.sampler = setInterval(() => {
      // One sample at a time: while the primary is slow or away, the samples wait, the bound stands.
      if (!this.sampling) this.sampling = this.sampleNow().finally(() => (this.sampling = null));
    }, SAMPLE_INTERVAL_MS);
    this.sampler.unref();
  }

  /** Samples the primary's written position. */
  async sampleNow(): Promise<void> {
    const at = Date.now();
    try {
      const [row] = await this.primary.em.getConnection().execute<{ lsn: string }[]>(SAMPLE_SQL);
      const lsn = parseLsn(row?.lsn);
      if (!lsn) return;
      this.samples.push({ at, lsn });
      // Only the latest sample at least maxLagSeconds old is needed, and those after it.
      const cutoff = Date.now() - this.maxLagSeconds * 1000;
      let keepFrom = 0;
      while (keepFrom + 1 < this.samples.length && this.samples[keepFrom + 1].at <= cutoff) keepFrom++;
      if (keepFrom) this.samples = this.samples.slice(keepFrom);
      this.sampleFailed = false;
    } catch (error) {
      // The primary's outage is logged by its requests and its sealer; anything else, once.
      if (!isDatabaseUnavailable(error) && !this.sampleFailed) this.log('read replica: sampling the primary’s WAL position failed', error);
      this.sampleFailed = !isDatabaseUnavailable(error);
    }
  }

  /**
   * The position every read on the replica needs replayed: the primary's at this process's
   * start, and the latest sample of at least maxLagSeconds ago.
   */
  private floor(): string | null {
    const cutoff = Date.now() - this.maxLagSeconds * 1000;
    let sampled: string | null = null;
    for (const sample of this.samples) if (sample.at <= cutoff) sampled = sample.lsn;
    return laterLsn(this.startedAt, sampled);
  }

  /**
   * The position a read by `who` (an account or API key, see `whoOf`) must find replayed: the
   * greatest of what the client sent, what this process remembers of that account's writes, and
   * the staleness bound (`floor`).
   */
  readAfter(who: string | null, fromClient: string | null): string | null {
    return laterLsn(laterLsn(fromClient, who ? (this.written.get(who) ?? null) : null), this.floor());
  }

  /** `who` wrote; the primary's WAL position after its commit was `lsn`. */
  wrote(who: string | null, lsn: string): void {
    if (!who) return;
    // Re-inserted so the map's oldest entry is the account that wrote longest ago.
    const later = laterLsn(this.written.get(who) ?? null, lsn)!;
    this.written.delete(who);
    this.written.set(who, later);
  }

  /** The replica answered a read of `who` after replaying `lsn`: the account's writes up to it need no check any more. */
  replayed(who: string | null, lsn: string | null): void {
    if (!who || !lsn) return;
    const remembered = this.written.get(who);
    if (remembered && laterLsn(remembered, lsn) === lsn) this.written.delete(who);
  }

  /** Whether to try the replica now: not while it was unreachable moments ago. */
  get usable(): boolean {
    return !this.outage.isDown || Date.now() - this.failedAt >= RETRY_AFTER_SECONDS * 1000;
  }

  /** The replica could not be reached: reads go to the primary for a while. */
  failed(error: unknown): void {
    this.failedAt = Date.now();
    this.outage.noticed(error);
  }

  /** The replica answered. */
  succeeded(): void {
    this.outage.succeeded();
  }

  /** Stops sampling the primary (before its pool closes). */
  async close(): Promise<void> {
    clearInterval(this.sampler);
    await this.sampling;
  }
}

/** The key under which an account's (or API key's) writes are remembered. */
export function whoOf(credential: { kind: 'account' | 'apiKey'; id: string } | null | undefined): string | null {
  return credential ? `${credential.kind}:${credential.id}` : null;
}
