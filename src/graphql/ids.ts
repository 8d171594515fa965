/**
 * Record ids are PostgreSQL bigints, written as decimal digits. Eighteen digits always fit a
 * bigint (its maximum has 19), so a string that passes this check can be compared with an id
 * column without the database refusing it; anything else names no record. The one definition:
 * tokens (an account id) and API keys (`hoso_<id>_<secret>`) use it too.
 */
export const ID_DIGITS = '\\d{1,18}';
const ID = new RegExp(`^${ID_DIGITS}$`);

/** True when the value is an id this API could have issued. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/**
 * The longest unit code (mã tổ chức) the API looks a unit up by (`unit(code:)`, a transfer's
 * `toUnitCode`): generated codes are kept within it (src/units/unit-code.ts).
 */
export const MAX_UNIT_CODE_LENGTH = 50;
