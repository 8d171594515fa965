import { Field, InputType, ObjectType } from 'type-graphql';
import { DateScalar } from '../graphql/scalars';

@InputType({ description: 'The decision (quyết định) a change rests on: its number, date and issuing body.' })
export class DecisionInput {
  @Field({ description: 'Number of the decision (số quyết định), e.g. "125-QĐ/ĐU".' })
  number!: string;

  @Field(() => DateScalar, { description: 'Date of the decision (ngày quyết định).' })
  date!: string;

  @Field({ description: 'Issuing body (cơ quan ban hành), e.g. "Đảng ủy phường Thạch Thang".' })
  issuedBy!: string;
}

@ObjectType({ description: 'The decision (quyết định) a record rests on.', simpleResolvers: true })
export class Decision {
  @Field(() => String, { nullable: true, description: 'Number of the decision.' })
  number!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of the decision.' })
  date!: string | null;

  @Field(() => String, { nullable: true, description: 'Issuing body.' })
  issuedBy!: string | null;
}
