import {
  ConstraintViolationException,
  NotNullConstraintViolationException,
  OptimisticLockError,
  UniqueConstraintViolationException,
  ValidationError,
} from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { codedError, userError, UserErrorCode, type UserError } from './errors';

/** Savepoint names, unique in the process (a request may hold several mutations). */
let savepoints = 0;

/**
 * `SAVEPOINT <name>; select set_config('app.reason', …, true)`: one message of two statements,
 * so a mutation costs no round trip of its own before its work. The reason travels with the
 * change to the audit triggers (app.reason), one mutation at a time. As in the request's opening
 * message (database/opening-transaction.ts), a statement in a message of several cannot bind a
 * parameter with this driver; the reason, the user's own text, is written as base64 and decoded
 * by PostgreSQL, so no character of it is ever read as SQL (nor as a knex placeholder).
 */
function savepointWithReason(savepoint: string, reason: string): string {
  const encoded = Buffer.from(reason, 'utf8').toString('base64');
  return `savepoint ${savepoint}; select set_config('app.reason', convert_from(decode('${encoded}', 'base64'), 'UTF8'), true)`;
}

class RollbackWithUserErrors<T> extends Error {
  constructor(readonly payload: T) {
    super('rolled back because of user errors');
  }
}

/**
 * Database constraints that a user's input can break, as the user error each one means. The
 * database is the last word on uniqueness and formats (two requests can race past any check
 * made before writing); this turns its refusal into an answer that names the field.
 */
const CONSTRAINT_ERRORS: Record<string, { field: string; code: UserErrorCode; message: string }> = {
  member_national_id_key: { field: 'nationalId', code: UserErrorCode.TAKEN, message: 'This national ID (CCCD) is already recorded for a member.' },
  member_party_card_number_key: { field: 'partyCardNumber', code: UserErrorCode.TAKEN, message: 'This party card number is already used.' },
  member_national_id_check: { field: 'nationalId', code: UserErrorCode.INVALID, message: 'A national ID (CCCD) has exactly 12 digits.' },
  member_phone_check: { field: 'phone', code: UserErrorCode.INVALID, message: 'A phone number has 8 to 20 digits.' },
  member_general_education_check: { field: 'generalEducation', code: UserErrorCode.INVALID, message: 'General education is written grade/system, like "12/12", "7/10" or "9/9".' },
  quality_rating_year_key: { field: 'rating', code: UserErrorCode.TAKEN, message: 'The member already has a rating for this year; correct that one.' },
};

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Any other constraint the input broke, as a user error naming the column: a required value
 * missing, a value out of range, a duplicate. Never a 500 for the user's own input.
 */
function fallbackUserError(error: ConstraintViolationException): UserError {
  const { constraint, column, table } = error as { constraint?: string; column?: string; table?: string };
  if (error instanceof NotNullConstraintViolationException && column) {
    return userError(UserErrorCode.REQUIRED, `A value for ${camel(column)} is required.`, ['input', camel(column)]);
  }
  // PostgreSQL names a one-column constraint <table>_<column>_check (or _key).
  const column_ = constraint && table ? new RegExp(`^${table}_(.+)_(check|key)$`).exec(constraint)?.[1] : undefined;
  const field = column_ ? camel(column_) : undefined;
  if (error instanceof UniqueConstraintViolationException) {
    return userError(UserErrorCode.TAKEN, 'This value is already recorded.', field ? ['input', field] : ['input']);
  }
  return userError(UserErrorCode.INVALID, `A value is out of the accepted range${field ? ` (${field})` : ''}.`, field ? ['input', field] : ['input']);
}

export interface MutationOptions {
  /**
   * The answer to a broken unique constraint, decided after the savepoint was rolled back, in
   * the request's transaction (so what it writes, e.g. an access event, outlives the rollback);
   * null leaves the answer to CONSTRAINT_ERRORS. See members/unique-numbers.ts.
   */
  uniqueConflict?: (constraint: string, em: EntityManager) => Promise<UserError | null>;
  /**
   * A read the work starts with, sent in the savepoint's message (after the reason) so that it
   * costs no round trip of its own; its rows are handed to the work. Each statement sent is a
   * socket write and a trip through knex, the largest costs left on a short mutation
   * (updateMember: its row lock, members.queries.ts). As for the reason, a statement in that
   * message cannot bind parameters: its values are literals its builder has checked and quoted,
   * and it holds no `?` (knex would read one as a placeholder).
   */
  firstRead?: string | null;
  /**
   * The work writes only through statements of a queries file (database/sql.ts), never through
   * MikroORM's unit of work (updateMember). It then runs on the request's EntityManager: the fork
   * and the flush exist to write, or drop, what the work loaded and changed as entities, and
   * would hold nothing here while costing a fork and a changeset computation on every call.
   */
  sqlOnly?: boolean;
}

type Rows = Record<string, unknown>[];

/**
 * Opens the mutation's savepoint with its reason, and its first read if it has one; the read's
 * rows. If the message fails after the savepoint was set (the read waited for a lock past the
 * statement timeout…), the transaction is rolled back to it, so the request goes on as after any
 * failed work; if the savepoint was never set, that rollback fails too and the first error is the
 * one that says why.
 */
async function openSavepoint(trx: Knex.Transaction, savepoint: string, reason: string, firstRead: string | null | undefined): Promise<Rows> {
  if (!firstRead) {
    await trx.raw(savepointWithReason(savepoint, reason));
    return [];
  }
  try {
    // A message of three statements: node-postgres answers with one result per statement.
    const results = (await trx.raw(`${savepointWithReason(savepoint, reason)}; ${firstRead}`)) as unknown as { rows: Rows }[];
    return results[2].rows;
  } catch (error) {
    await trx.raw(`rollback to savepoint ${savepoint}`).catch(() => undefined);
    throw error;
  }
}

/**
 * Runs one mutation in its own savepoint inside the request's transaction: if it returns user
 * errors or throws, everything it wrote is undone, so "a user error changes nothing" holds for
 * every mutation. A stale version becomes CONFLICT; a broken constraint, a user error.
 */
export async function mutation<T extends { userErrors: UserError[] }>(
  em: EntityManager,
  refused: Omit<T, 'userErrors'>,
  work: (em: EntityManager, firstRows: Rows) => Promise<T>,
  reason?: string | null,
  options: MutationOptions = {},
): Promise<T> {
  const trx = em.getTransactionContext<Knex.Transaction>();
  if (!trx) throw new Error('a mutation runs inside the request transaction');
  const savepoint = `hoso_mutation_${++savepoints}`;
  // The savepoint and the reason in one message (see savepointWithReason), with the first read if any.
  const firstRows = await openSavepoint(trx, savepoint, reason?.trim() ?? '', options.firstRead);
  // The mutation's own unit of work, on the request's transaction: what it loads and changes is
  // dropped with it when it is undone. None for work that writes by SQL alone (sqlOnly).
  const tx = options.sqlOnly ? em : em.fork({ clear: true });
  if (!options.sqlOnly) tx.setTransactionContext(trx);
  try {
    const payload = await work(tx, firstRows);
    if (payload.userErrors.length) throw new RollbackWithUserErrors(payload);
    if (!options.sqlOnly) await tx.flush();
    // Not released: COMMIT releases it, and the round trip would buy nothing.
    return payload;
  } catch (error) {
    await trx.raw(`rollback to savepoint ${savepoint}`);
    if (error instanceof RollbackWithUserErrors) return error.payload as T;
    if (error instanceof OptimisticLockError) {
      throw codedError('CONFLICT', 'The record was changed by someone else since you read it; read it again and redo your change.');
    }
    // The ORM checks required properties before the database does: a blank required value.
    const missing = error instanceof ValidationError ? /^Value for \w+\.(\w+) is required/.exec(error.message)?.[1] : undefined;
    if (missing) {
      return { ...refused, userErrors: [userError(UserErrorCode.REQUIRED, `A value for ${missing} is required.`, ['input', missing])] } as T;
    }
    if (!(error instanceof ConstraintViolationException)) throw error;
    if (error instanceof UniqueConstraintViolationException && options.uniqueConflict) {
      const answer = await options.uniqueConflict((error as { constraint?: string }).constraint ?? '', em);
      if (answer) return { ...refused, userErrors: [answer] } as T;
    }
    const known = CONSTRAINT_ERRORS[(error as { constraint?: string }).constraint ?? ''];
    const mistake = known ? userError(known.code, known.message, ['input', known.field]) : fallbackUserError(error);
    return { ...refused, userErrors: [mistake] } as T;
  }
}
