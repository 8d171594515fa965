/**
 * Record ids are PostgreSQL bigints, written as decimal digits. Eighteen digits always fit a
 * bigint (its maximum has 19), so a string that passes this check can be compared with an id
 * column without the database refusing it; anything else names no record.
 */
const ID = /^\d{1,18}$/;

/** True when the value is an id this API could have issued. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}
