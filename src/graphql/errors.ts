import { GraphQLError } from 'graphql';
import { Field, ObjectType, registerEnumType } from 'type-graphql';

/** The error codes of docs/api.md, carried in `extensions.code`. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, SERVICE_UNAVAILABLE: 503 };

/** The one way to raise an error that is not the user's input mistake in a mutation. */
export function codedError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, { extensions: { code, ...extensions, ...(status ? { http: { status } } : {}) } });
}

export const unauthenticated = (message = 'Sign in first: send Authorization: Bearer <token>.') =>
  codedError('UNAUTHENTICATED', message);

export enum UserErrorCode {
  INVALID = 'INVALID',
  REQUIRED = 'REQUIRED',
  TAKEN = 'TAKEN',
  NOT_FOUND = 'NOT_FOUND',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  TRANSITION_NOT_ALLOWED = 'TRANSITION_NOT_ALLOWED',
  POSSIBLE_DUPLICATE = 'POSSIBLE_DUPLICATE',
  ABOVE_LIMIT = 'ABOVE_LIMIT',
}

registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why an input was refused.',
  valuesConfig: {
    INVALID: { description: 'The value is not acceptable (format, range or a rule of the domain).' },
    REQUIRED: { description: 'A required value is missing.' },
    TAKEN: { description: 'The value must be unique and is already used.' },
    NOT_FOUND: { description: 'A referenced record does not exist or is outside your scope.' },
    INVALID_CREDENTIALS: { description: 'Username or password is wrong.' },
    TRANSITION_NOT_ALLOWED: { description: 'The lifecycle does not allow this change from the member’s current status.' },
    POSSIBLE_DUPLICATE: { description: 'Another record looks like the same person (a warning).' },
    ABOVE_LIMIT: { description: 'A limit the department set is exceeded (a warning: the change was made).' },
  },
});

@ObjectType({ description: 'A mistake in the input of a mutation; a mutation that returns one changed nothing.' })
export class UserError {
  @Field(() => [String], { nullable: true, description: 'Path to the input field at fault, e.g. ["input", "nationalId"].' })
  field?: string[] | null;

  @Field({ description: 'What is wrong, in words a user can act on.' })
  message!: string;

  @Field(() => UserErrorCode, { description: 'Machine-readable reason.' })
  code!: UserErrorCode;
}

export function userError(code: UserErrorCode, message: string, field?: string[]): UserError {
  return Object.assign(new UserError(), { code, message, field: field ?? null });
}
