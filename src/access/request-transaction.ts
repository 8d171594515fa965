import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { escapeLiteral } from 'pg';
import { isTransactionConflict } from '../database/availability';
import { RolledBackAtCommit, inTransaction, openTransaction, type Isolation } from '../database/opening-transaction';
import { ReplicaBehind, WAL_POSITION_SQL, parseLsn, replayedSql } from '../database/replica';
import { unauthenticated } from '../graphql/errors';
import { connectionReleased, connectionTakenBy, noteCredential, type RequestRecord } from '../observability/request-context';
import type { AuthAccount } from './account-context';
import type { Role } from './roles';
import { SCOPE_FILTER } from './scope';

/**
 * The application's today (its clock) for the rest of the transaction, in the same round trip:
 * triggers that date a change "from today" (reporting profile periods) use the same day as the
 * services' rules, also under a test's fixed clock.
 */
const SET_TODAY = `set_config('app.today', ?, true) as today`;

interface EnteredRow {
  id: string;
  name: string;
  role: Role;
  unit_id: string;
  scope: string;
}

const ENTER_ACCOUNT = `select id, username as name, role, unit_id, scope, ${SET_TODAY} from hoso_enter_account(?, ?)`;
const ENTER_API_KEY = `select id, name, role, unit_id, scope, ${SET_TODAY} from hoso_enter_api_key(?, ?, ?)`;
const ENTER_ANONYMOUS = `select set_config('app.request_id', ?, true)`;

function accountOf(em: EntityManager, kind: AuthAccount['kind'], rows: Record<string, unknown>[]): AuthAccount | null {
  const row = rows[0] as unknown as EnteredRow | undefined;
  if (!row) return null;
  const account: AuthAccount = {
    kind,
    id: String(row.id),
    name: row.name,
    role: row.role,
    unitId: String(row.unit_id),
    scope: { path: row.scope },
  };
  // The same scope drives the application's filter and (through app.scope) row-level security.
  em.setFilterParams(SCOPE_FILTER, account.scope);
  return account;
}

/**
 * Inside a request's transaction already open (login, which learns its account on the way):
 * enters the account as the opening message would, with bound values: sets `app.account_id`,
 * `app.scope` and `app.request_id` for the rest of the transaction (set_config(..., true)), where
 * row-level security and audit triggers read them. Null when the account does not exist or is
 * disabled.
 */
export async function enterAccount(em: EntityManager, accountId: string, requestId: string, today: string): Promise<AuthAccount | null> {
  const rows = await em.getConnection().execute<Record<string, unknown>[]>(ENTER_ACCOUNT, [today, accountId, requestId], 'all', em.getTransactionContext());
  return accountOf(em, 'account', rows);
}

/** A path no unit can fall under: even a query the rules let through finds nothing. */
function noScope(em: EntityManager): void {
  em.setFilterParams(SCOPE_FILTER, { path: 'none' });
}

/** Who a request says it is, as far as the token alone tells (checked against the database on entering). */
export type Credential = { kind: 'account'; id: string } | { kind: 'apiKey'; id: string; secretHash: string };

/** An entering statement with its values written in as quoted literals, for the opening message. */
function withLiterals(sql: string, values: string[]): string {
  let i = 0;
  const text = sql.replace(/\?/g, () => escapeLiteral(values[i++]));
  if (i !== values.length) throw new Error('entering statement and values do not match');
  return text;
}

/** What a request's transaction needs to know about the request. */
export interface RequestTransaction {
  credential: Credential | null;
  record: RequestRecord;
  today: string;
  isolation: Isolation;
  /**
   * A GraphQL request that only reads, on the primary: answered with what it read and the errors
   * of its failed fields though a failed statement aborted its transaction (openTransaction's
   * `answersAborted`). Any other request fails when COMMIT finds its transaction aborted.
   */
  answersAborted?: boolean;
  /**
   * Only when the transaction is on a read replica (database/replica.ts): the primary's WAL
   * position the replica must have replayed before it may answer (the caller's own last write),
   * or null when any will do. The replica is asked in the opening message, before the
   * transaction's snapshot is taken. When it has not replayed it, or does not know the credential
   * (an account created moments ago on the primary), `ReplicaBehind` is thrown before any work:
   * the primary answers instead. So it is when the replica cancelled a statement for a conflict
   * with its recovery (40001, 40P01: replay needed what the statement read) or the transaction
   * ended aborted for any reason: nothing has been answered yet, and the primary answers it whole.
   */
  replica?: { replayed: string | null };
  /**
   * On the primary, with a replica in use: receives the primary's WAL position once the
   * transaction has committed, read in COMMIT's message (no round trip of its own).
   */
  committedAt?: (lsn: string) => void;
}

/**
 * One request's transaction: opened with the statement that enters its credential (the account,
 * the API key, or no one) in the same message as BEGIN (database/opening-transaction.ts), then
 * `work` with the account entered, then COMMIT.
 * UNAUTHENTICATED when the account is gone or disabled, or the key unknown or revoked.
 */
export async function inRequestTransaction<T>(
  orm: MikroORM,
  request: RequestTransaction,
  work: (em: EntityManager, account: AuthAccount | null, closeWith: (statement: string) => void) => Promise<T>,
): Promise<T> {
  const { credential, record, today, replica, committedAt, answersAborted } = request;
  const { requestId } = record;
  const first =
    credential?.kind === 'account'
      ? withLiterals(ENTER_ACCOUNT, [today, credential.id, requestId])
      : credential?.kind === 'apiKey'
        ? withLiterals(ENTER_API_KEY, [today, credential.id, credential.secretHash, requestId])
        : withLiterals(ENTER_ANONYMOUS, [requestId]);
  const check = replica?.replayed ? replayedSql(replica.replayed) : undefined;
  // The statements sent on the request's connection count to its record (its log line, metrics).
  let connection: string | undefined;
  try {
    const opened = await openTransaction(orm, request.isolation, first, {
      onConnection: (uid) => connectionTakenBy((connection = uid), record),
      before: check,
      answersAborted: answersAborted && !replica,
    });
    if (committedAt) {
      opened.afterCommit(WAL_POSITION_SQL, (rows) => {
        const lsn = parseLsn(rows[0]?.lsn);
        if (lsn) committedAt(lsn);
      });
    }
    return await inTransaction(orm, opened, async (em, closeWith) => {
      if (check && opened.before[0]?.replayed !== true) throw new ReplicaBehind(`it has not replayed ${replica!.replayed} yet`);
      if (!credential) {
        noScope(em);
        return work(em, null, closeWith);
      }
      const account = accountOf(em, credential.kind, opened.rows);
      if (!account) {
        // The primary decides who exists: the replica may not have replayed a new account yet.
        if (replica) throw new ReplicaBehind('it does not know the credential');
        throw unauthenticated(credential.kind === 'account' ? 'The account of this token no longer exists or is disabled.' : 'The API key is unknown or has been revoked.');
      }
      noteCredential(record, account);
      return work(em, account, closeWith);
    });
  } catch (error) {
    if (replica && (error instanceof RolledBackAtCommit || isTransactionConflict(error))) {
      throw new ReplicaBehind(error instanceof RolledBackAtCommit ? 'its transaction was aborted' : `it cancelled a statement: ${(error as Error).message}`);
    }
    throw error;
  } finally {
    if (connection) connectionReleased(connection, record);
  }
}

/**
 * Writes `statement`, the access events of a request answered elsewhere (the sensitive fields a
 * read on the replica showed: access-log.ts), on the primary `orm`, in a short transaction of its
 * own that enters the same credential with the same request id and day, so the events carry the
 * account, API key and request id they would have carried in the request's own transaction. The
 * statement goes in COMMIT's message, as it does there. Throws when it was not written (the
 * database refused, or the credential is no longer valid): the answer must then not be sent.
 */
export async function recordOnPrimary(orm: MikroORM, request: Omit<RequestTransaction, 'isolation' | 'replica' | 'committedAt'>, statement: string): Promise<void> {
  await inRequestTransaction(orm, { ...request, isolation: 'read committed' }, async (_em, _account, closeWith) => closeWith(statement));
}
