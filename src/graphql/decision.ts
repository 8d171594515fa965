import { Embeddable, Property } from '@mikro-orm/core';
import { Field, InputType, ObjectType } from 'type-graphql';
import { DateScalar } from './scalars';
import { MaxChars } from './input-limits';
import { userError, UserErrorCode, type UserError } from './errors';

@InputType({ description: 'The decision (quyết định) a change rests on: its number, date and issuing body.' })
export class DecisionInput {
  @MaxChars(50)
  @Field({ description: 'Number of the decision (số quyết định), e.g. "125-QĐ/ĐU".' })
  number!: string;

  @Field(() => DateScalar, { description: 'Date of the decision (ngày quyết định).' })
  date!: string;

  @MaxChars(300)
  @Field({ description: 'Issuing body (cơ quan ban hành), e.g. "Đảng ủy phường Thạch Thang".' })
  issuedBy!: string;
}

/**
 * The decision (quyết định) a record rests on, stored in each record's own columns
 * decision_number, decision_date and decision_body.
 */
@ObjectType({ description: 'The decision (quyết định) a record rests on.', simpleResolvers: true })
@Embeddable()
export class Decision {
  @Field(() => String, { nullable: true, description: 'Number of the decision.' })
  @Property({ nullable: true })
  number: string | null = null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of the decision.' })
  @Property({ type: 'date', nullable: true })
  date: string | null = null;

  @Field(() => String, { nullable: true, description: 'Issuing body.' })
  @Property({ nullable: true, fieldName: 'body' })
  issuedBy: string | null = null;
}

/** The decision given in an input, trimmed, as stored (none → all empty). */
export function decisionOf(input: DecisionInput | null | undefined): Decision {
  return Object.assign(new Decision(), {
    number: input?.number.trim() || null,
    date: input?.date ?? null,
    issuedBy: input?.issuedBy.trim() || null,
  });
}

/** Options of the embedded decision in an entity. */
export const DECISION_COLUMNS = { prefix: 'decision_' } as const;

/**
 * The checks every decision a change rests on must pass (docs/domain.md, "The member record"):
 * a number and an issuing body, and a date not in the future. The one definition: lifecycle
 * changes, sub-records, transfers and cadres all call it.
 */
export function validateDecision(decision: DecisionInput, today: string, path: readonly string[] = ['input', 'decision']): UserError[] {
  const errors: UserError[] = [];
  if (!decision.number.trim()) errors.push(userError(UserErrorCode.REQUIRED, 'Give the decision number.', [...path, 'number']));
  if (!decision.issuedBy.trim()) errors.push(userError(UserErrorCode.REQUIRED, 'Give the body that issued the decision.', [...path, 'issuedBy']));
  if (decision.date > today) errors.push(userError(UserErrorCode.INVALID, 'A decision cannot be dated in the future.', [...path, 'date']));
  return errors;
}

/** A day the decision may not precede, and what it is (for the message): "the date of birth". */
export interface DecisionBound {
  date: string | null | undefined;
  what: string;
}

/**
 * Whether a decision's date fits its event (docs/domain.md, "Decisions"): not before any of the
 * days given (birth, admission, the end of probation…) and not after any upper bound given.
 * Callers pass the bounds their event has; the one definition of the message and the field it names.
 */
export function validateDecisionDate(
  decision: Pick<DecisionInput, 'date'> | null | undefined,
  bounds: { notBefore?: readonly DecisionBound[]; notAfter?: readonly DecisionBound[] },
  path: readonly string[] = ['input', 'decision', 'date'],
): UserError[] {
  if (!decision?.date) return [];
  for (const bound of bounds.notBefore ?? []) {
    if (bound.date && decision.date < bound.date) {
      return [userError(UserErrorCode.INVALID, `The decision is dated ${decision.date}, before ${bound.what} (${bound.date}).`, [...path])];
    }
  }
  for (const bound of bounds.notAfter ?? []) {
    if (bound.date && decision.date > bound.date) {
      return [userError(UserErrorCode.INVALID, `The decision is dated ${decision.date}, after ${bound.what} (${bound.date}).`, [...path])];
    }
  }
  return [];
}
