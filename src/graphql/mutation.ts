import { ConstraintViolationException, OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { codedError, userError, UserErrorCode, type UserError } from './errors';

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
  member_general_education_check: { field: 'generalEducation', code: UserErrorCode.INVALID, message: 'General education is written like "12/12" or "9/10".' },
};

/**
 * Runs one mutation in its own savepoint inside the request's transaction: if it returns user
 * errors or throws, everything it wrote is undone, so "a user error changes nothing" holds for
 * every mutation. A stale version becomes CONFLICT; a broken constraint, a user error.
 */
export async function mutation<T extends { userErrors: UserError[] }>(
  em: EntityManager,
  refused: Omit<T, 'userErrors'>,
  work: (em: EntityManager) => Promise<T>,
  reason?: string | null,
): Promise<T> {
  try {
    return await em.transactional(async (tx) => {
      // The reason travels with the change to the audit triggers (app.reason), one mutation at a time.
      await tx.getConnection().execute(`select set_config('app.reason', ?, true)`, [reason?.trim() ?? ''], 'all', tx.getTransactionContext());
      const payload = await work(tx);
      if (payload.userErrors.length) throw new RollbackWithUserErrors(payload);
      return payload;
    });
  } catch (error) {
    if (error instanceof RollbackWithUserErrors) return error.payload as T;
    if (error instanceof OptimisticLockError) {
      throw codedError('CONFLICT', 'The record was changed by someone else since you read it; read it again and redo your change.');
    }
    const constraint = error instanceof ConstraintViolationException ? (error as { constraint?: string }).constraint : undefined;
    const known = constraint ? CONSTRAINT_ERRORS[constraint] : undefined;
    if (known) return { ...refused, userErrors: [userError(known.code, known.message, ['input', known.field])] } as T;
    throw error;
  }
}
