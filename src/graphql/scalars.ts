import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when the string is a real calendar date in YYYY-MM-DD form. */
/**
 * The dates a question about the register may be asked for (reports, party age, a record as of a
 * day): from 1930 (the Party's founding year; no record is older) to the end of 2100. The badge
 * list adds and subtracts up to 120 months and party age counts with date arithmetic, which fail
 * near PostgreSQL's and JavaScript's limits (year 9999 + 10 years is no date); a bound that no
 * real question reaches keeps every computation defined.
 */
export const DATE_RANGE = { from: '1930-01-01', to: '2100-12-31' } as const;

/** A date inside DATE_RANGE, or BAD_USER_INPUT naming the argument. */
export function dateInRange(value: string, argument: string): string {
  if (value < DATE_RANGE.from || value > DATE_RANGE.to) {
    throw new GraphQLError(`${argument} must be between ${DATE_RANGE.from} and ${DATE_RANGE.to}, got ${value}.`, {
      extensions: { code: 'BAD_USER_INPUT', argument },
    });
  }
  return value;
}

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isIsoDate(value)) {
    throw new GraphQLError(`Date must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/**
 * A calendar date without time or time zone, kept as the string YYYY-MM-DD end to end so no
 * time-zone shift can move a birth or admission date by a day.
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date (ngày), written YYYY-MM-DD, without time or time zone.',
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    // Dates come from PostgreSQL's date columns, already valid: the shape check is enough here.
    if (typeof value === 'string' && ISO_DATE.test(value)) return value;
    return parseDate(value);
  },
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('Date must be a string written YYYY-MM-DD.', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return parseDate(ast.value);
  },
});

export const DateTimeScalar = DateTimeResolver;
export const JSONScalar = JSONResolver;
