import { Embeddable, Property } from '@mikro-orm/core';
import { Field, InputType, ObjectType } from 'type-graphql';
import { DateScalar } from '../graphql/scalars';
import { MaxChars } from '../graphql/input-limits';

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
