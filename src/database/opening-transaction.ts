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
 * message instead, so everything else (rollback, releasing the connection, the query events the
 * metrics and tests count) stays knex's own. COMMIT is sent by the subclass too: it may carry a
 * statement before it and one after it in its message, and its failure must reach the request.
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
  _rejecter(error: unknown): void;
}

export type Isolation = 'read committed' | 'repeatable read';

/** The rows the opening message's last statement returned. */
export type OpeningRows = Record<string, unknown>[];

/**
 * PostgreSQL ends a transaction that a failed statement aborted when it receives COMMIT, without
 * an error: COMMIT answers with the command tag ROLLBACK. Nothing the transaction did was kept.
 */
export class RolledBackAtCommit extends Error {
  constructor() {
    super('the transaction had been aborted by a failed statement: COMMIT rolled it back');
    this.name = 'RolledBackAtCommit';
  }
}

/** knex's query object, whose `response` is the driver's result (an array of them for several statements). */
function results(query: unknown): { rows?: OpeningRows; command?: string }[] {
  const result = (query as { response?: unknown }).response;
  return (Array.isArray(result) ? result : [result]) as { rows?: OpeningRows; command?: string }[];
}

function lastRows(query: unknown): OpeningRows {
  const all = results(query);
  return all[all.length - 1]?.rows ?? [];
}

function rowsAt(query: unknown, index: number): OpeningRows {
  return results(query)[index]?.rows ?? [];
}

class OpeningTransaction extends PgTransaction {
  opened: OpeningRows = [];
  /** The rows of the statement sent before the transaction (see openTransaction's `before`). */
  openedBefore: OpeningRows = [];
  /** A statement to send in the same message as COMMIT, if any (see closeWith). */
  closing: string | null = null;
  /** A statement to send after COMMIT in the same message, and who wants its rows (see afterCommit). */
  after: { statement: string; receive: (rows: OpeningRows) => void } | null = null;

  constructor(
    client: unknown,
    container: (trx: Knex.Transaction) => void,
    private readonly opening: string,
    private readonly hasBefore: boolean,
    private readonly answersAborted: boolean,
    private readonly onConnection?: (uid: string) => void,
  ) {
    super(client, container, {});
  }

  async begin(conn: unknown): Promise<void> {
    this.onConnection?.((conn as { __knexUid: string }).__knexUid);
    try {
      const response = await this.trxClient.query(conn, this.opening);
      this.opened = lastRows(response);
      // `begin; <before>; commit; begin …; <first>`: the second result is the statement before.
      if (this.hasBefore) this.openedBefore = rowsAt(response, 1);
    } catch (error) {
      // BEGIN ran and the statement after it failed: the transaction is open and aborted. It is
      // rolled back here, before knex gives the connection back to the pool.
      await this.trxClient.query(conn, 'ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * COMMIT, with the closing statement before it and the `after` statement after it when there
   * are, in one message. Unlike knex's own commit, a failure rejects: COMMIT refused (a deferred
   * constraint) or the closing statement failed means nothing was written, and the request must
   * not be answered as if it had been (knex only rejects the transaction's own promise, which no
   * one awaits once it has handed over the transaction). So does COMMIT answered ROLLBACK (the
   * transaction was aborted by a statement whose error the work caught, e.g. a GraphQL field's),
   * unless `answersAborted` (see openTransaction).
   */
  override async commit(conn: unknown, value: unknown): Promise<unknown> {
    // Alone, COMMIT keeps the text knex sends (the statements tests and logs count are unchanged).
    const message = [this.closing, this.closing || this.after ? 'commit' : 'COMMIT;', this.after?.statement].filter(Boolean).join('; ');
    let response: unknown;
    try {
      response = await this.trxClient.query(conn, message);
    } catch (error) {
      // The transaction is rolled back (COMMIT refused) or open and aborted (the statement before
      // it failed): knex's rollback ends it either way and rejects the transaction with the error.
      await this.query(conn, 'ROLLBACK', 2, error);
      throw error;
    }
    this._completed = true;
    if (results(response)[this.closing ? 1 : 0]?.command === 'ROLLBACK' && !this.answersAborted) {
      // The transaction is over (rolled back): the request must not be answered as if it wrote.
      const error = new RolledBackAtCommit();
      this._rejecter(error);
      throw error;
    }
    // What knex's own commit does once COMMIT has answered.
    this._resolver(value);
    this.after?.receive(lastRows(response));
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
  /** The rows of the statement sent before the transaction (`before`), or none. */
  before: OpeningRows;
  /**
   * Sends `statement` in the same message as COMMIT (a write the request decides last, such as
   * the record of the sensitive fields it read): inside the transaction, without a round trip of
   * its own. Parameters cannot be bound there: the statement carries literals.
   */
  closeWith(statement: string): void;
  /**
   * Sends `statement` after COMMIT in the same message (it runs on its own, outside the
   * transaction, once the transaction is committed) and hands its rows to `receive` when the
   * commit succeeded. For what must be read after the commit, such as the WAL position a
   * replica must reach to see it (database/replica.ts). It must not fail: the transaction is
   * committed by then, yet the request would be answered as failed.
   */
  afterCommit(statement: string, receive: (rows: OpeningRows) => void): void;
}

/** How a transaction is opened and ended (see openTransaction). */
export interface OpeningOptions {
  /**
   * Learns the pooled connection's id (the `__knexUid` of the query builder's events) before
   * anything is sent on it.
   */
  onConnection?: (uid: string) => void;
  /** A statement sent just before the transaction, in a transaction of its own (below). */
  before?: string;
  /**
   * Whether the work's result stands though its transaction was aborted (COMMIT answered
   * ROLLBACK). Only for a transaction that wrote nothing on purpose and answers what it read
   * before the failing statement together with the error (a GraphQL read on the primary: its
   * data and the field's error). Otherwise commit rejects with RolledBackAtCommit.
   */
  answersAborted?: boolean;
}

/**
 * `before`, when given, is a statement sent in the same message just before the transaction, in
 * a transaction of its own (`begin; <before>; commit; begin isolation level …; <first>`), and its
 * rows are `before` of the result. The transaction's snapshot is then taken after `before` has
 * answered, so what it found (that a replica has replayed a position) holds for everything the
 * transaction reads. As the transaction's first statement it would be evaluated after the snapshot
 * was taken (REPEATABLE READ takes it at the first statement), and could vouch for data the
 * snapshot does not hold.
 */
export async function openTransaction(
  orm: MikroORM,
  isolation: Isolation,
  first: string,
  { onConnection, before, answersAborted = false }: OpeningOptions = {},
): Promise<OpenedTransaction> {
  const knex = orm.em.getConnection().getKnex();
  const opening = `${before ? `begin; ${before}; commit; ` : ''}begin isolation level ${isolation}; ${first}`;
  let transaction!: OpeningTransaction;
  const trx = await new Promise<Knex.Transaction>((resolve, reject) => {
    transaction = new OpeningTransaction((knex as unknown as { client: unknown }).client, resolve, opening, Boolean(before), answersAborted, onConnection);
    transaction.catch(reject);
  });
  return {
    trx,
    rows: transaction.opened,
    before: transaction.openedBefore,
    closeWith: (statement) => {
      transaction.closing = statement;
    },
    afterCommit: (statement, receive) => {
      transaction.after = { statement, receive };
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
