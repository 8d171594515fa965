import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Knex } from '@mikro-orm/postgresql';

/**
 * A request's transaction, opened together with its first statement.
 *
 * Every request starts the same way: BEGIN, then the statement that enters the caller's account
 * (hoso_enter_account: the scope, account and request id row-level security and the audit
 * triggers read). Sent apart, those are two round trips before any work; here they go to
 * PostgreSQL as one message of two statements (the simple query protocol runs them in order, and
 * the transaction stays open after it), so a read is this message, its page, and COMMIT.
 *
 * node-postgres cannot send a parameterised statement in the same message as another one, so the
 * entering statement carries its values as literals: values this server made (the account id of a
 * verified token, the request id, the day), quoted with the driver's own escapeLiteral. Every
 * other statement binds its parameters.
 *
 * knex (under MikroORM) owns the connection and the transaction object MikroORM runs its queries
 * in; its transaction class sends `BEGIN` when it starts, and this subclass sends the combined
 * message instead, so everything else (commit, rollback, releasing the connection, the query
 * events the metrics and tests count) stays knex's own.
 */

// knex's PostgreSQL transaction class (not part of its typed API; stable since knex 0.95).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PgTransaction = require('knex/lib/dialects/postgres/execution/pg-transaction') as new (
  client: unknown,
  container: (trx: Knex.Transaction) => void,
  config: Record<string, unknown>,
) => PgTransactionInstance;

interface PgTransactionInstance {
  trxClient: { query(conn: unknown, sql: string): Promise<unknown> };
  catch(handler: (error: unknown) => void): unknown;
  commit(conn: unknown, value: unknown): Promise<unknown>;
  query(conn: unknown, sql: string, status?: number, value?: unknown): Promise<unknown>;
  _completed: boolean;
  _resolver(value: unknown): void;
}

export type Isolation = 'read committed' | 'repeatable read';

/** The rows the opening message's last statement returned. */
export type OpeningRows = Record<string, unknown>[];

/** knex's query object, whose `response` is the driver's result (an array of them for several statements). */
function lastRows(query: unknown): OpeningRows {
  const result = (query as { response?: unknown }).response;
  const results = Array.isArray(result) ? result : [result];
  const last = results[results.length - 1] as { rows?: OpeningRows } | undefined;
  return last?.rows ?? [];
}

class OpeningTransaction extends PgTransaction {
  opened: OpeningRows = [];
  /** A statement to send in the same message as COMMIT, if any (see closeWith). */
  closing: string | null = null;

  constructor(
    client: unknown,
    container: (trx: Knex.Transaction) => void,
    private readonly opening: string,
    private readonly onConnection?: (uid: string) => void,
  ) {
    super(client, container, {});
  }

  async begin(conn: unknown): Promise<void> {
    this.onConnection?.((conn as { __knexUid: string }).__knexUid);
    try {
      this.opened = lastRows(await this.trxClient.query(conn, this.opening));
    } catch (error) {
      // BEGIN ran and the statement after it failed: the transaction is open and aborted. It is
      // rolled back here, before knex gives the connection back to the pool.
      await this.trxClient.query(conn, 'ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  override async commit(conn: unknown, value: unknown): Promise<unknown> {
    if (!this.closing) return super.commit(conn, value);
    try {
      await this.trxClient.query(conn, `${this.closing}; commit`);
    } catch (error) {
      // The statement before COMMIT failed: the transaction is open and aborted; knex's rollback
      // ends it and rejects the transaction with the error.
      return this.query(conn, 'ROLLBACK', 2, error);
    }
    // What knex's own commit does once COMMIT has answered.
    this._completed = true;
    this._resolver(value);
    return undefined;
  }
}

/**
 * Opens a transaction whose first message is `BEGIN ISOLATION LEVEL …; <first statement>` and
 * returns it with the first statement's rows. `first` must hold no parameters (see above).
 */
export interface OpenedTransaction {
  trx: Knex.Transaction;
  /** The rows of the opening message's last statement. */
  rows: OpeningRows;
  /**
   * Sends `statement` in the same message as COMMIT (a write the request decides last, such as
   * the record of the sensitive fields it read): inside the transaction, without a round trip of
   * its own. Parameters cannot be bound there: the statement carries literals.
   */
  closeWith(statement: string): void;
}

/**
 * `onConnection` learns the pooled connection's id (the `__knexUid` of the query builder's events)
 * before anything is sent on it.
 */
export async function openTransaction(orm: MikroORM, isolation: Isolation, first: string, onConnection?: (uid: string) => void): Promise<OpenedTransaction> {
  const knex = orm.em.getConnection().getKnex();
  const opening = `begin isolation level ${isolation}; ${first}`;
  let transaction!: OpeningTransaction;
  const trx = await new Promise<Knex.Transaction>((resolve, reject) => {
    transaction = new OpeningTransaction((knex as unknown as { client: unknown }).client, resolve, opening, onConnection);
    transaction.catch(reject);
  });
  return {
    trx,
    rows: transaction.opened,
    closeWith: (statement) => {
      transaction.closing = statement;
    },
  };
}

/**
 * Runs `work` on a fork of the ORM bound to the transaction, then commits; rolls back when it
 * throws. Nothing is flushed here: every write goes through graphql/mutation.ts, which flushes
 * its own unit of work, so a request that only reads has nothing to compare at commit.
 */
export async function inTransaction<T>(orm: MikroORM, opened: OpenedTransaction, work: (em: EntityManager, closeWith: (statement: string) => void) => Promise<T>): Promise<T> {
  const em = orm.em.fork();
  em.setTransactionContext(opened.trx);
  try {
    const result = await work(em, opened.closeWith);
    await opened.trx.commit();
    return result;
  } catch (error) {
    if (!opened.trx.isCompleted()) await opened.trx.rollback(error).catch(() => undefined);
    throw error;
  } finally {
    em.resetTransactionContext();
  }
}
