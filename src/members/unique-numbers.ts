import type { EntityManager } from '@mikro-orm/postgresql';
import { userError, UserErrorCode, type UserError } from '../graphql/errors';
import { clean } from './member-records.service';

/** The member numbers unique city-wide, by the constraint that keeps them unique. */
const UNIQUE_NUMBERS: Record<string, { field: 'nationalId' | 'partyCardNumber'; column: string; taken: string }> = {
  member_national_id_key: { field: 'nationalId', column: 'national_id', taken: 'This national ID (CCCD) is already recorded for a member' },
  member_party_card_number_key: { field: 'partyCardNumber', column: 'party_card_number', taken: 'This party card number is already used' },
};

/** The answer when the holder is outside the caller's scope: it says neither where nor that a member holds the number. */
export const NUMBER_UNUSABLE = 'This number cannot be used; contact the city organisation department.';

/**
 * What a broken uniqueness of a national ID or party card number means for this caller
 * (docs/access.md, "Unique numbers held outside your scope"). The numbers are unique city-wide,
 * so the database refuses a number held anywhere; who holds it is looked up as the API role,
 * which row-level security lets see only the caller's scope:
 * - the holder is visible: TAKEN, naming the member (the caller may read that record anyway);
 * - the constraint fired but the holder is not visible, so it is outside the caller's scope: a
 *   neutral INVALID that reveals nothing, and an UNIQUE_CONFLICT_OUTSIDE_SCOPE access event
 *   (written by a SECURITY DEFINER function, in the request's transaction, after the mutation's
 *   savepoint was rolled back, so it is kept while the change is not).
 */
export function uniqueNumberConflicts(input: { nationalId?: string | null; partyCardNumber?: string | null }, path: readonly string[] = ['input']) {
  return async (constraint: string, em: EntityManager): Promise<UserError | null> => {
    const number = UNIQUE_NUMBERS[constraint];
    const value = number ? clean(input[number.field]) : null;
    if (!number || !value) return null;
    const connection = em.getConnection();
    const trx = em.getTransactionContext();
    // Row-level security holds this to the caller's scope; the predicate says so where it is read.
    const [holder] = await connection.execute<{ id: string }[]>(
      `select id::text from member where ${number.column} = ? and unit_path <@ hoso_scope()`,
      [value],
      'all',
      trx,
    );
    const field = [...path, number.field];
    if (holder) return userError(UserErrorCode.TAKEN, `${number.taken} (member ${holder.id}).`, field);
    await connection.execute('select hoso_record_unique_conflict(?, ?)', [number.field, value], 'all', trx);
    return userError(UserErrorCode.INVALID, NUMBER_UNUSABLE, field);
  };
}
