import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../graphql/scalars';
import { Gender, MemberStatus } from './member.entity';
import { MaxChars } from '../graphql/input-limits';

@InputType({ description: 'Which members to list. All conditions must hold; everything stays within your scope.' })
export class MemberFilter {
  @Field(() => ID, { nullable: true, description: 'Only members registered in this unit (and below, see includeSubunits).' })
  unitId?: string | null;

  @Field({ defaultValue: true, description: 'With unitId: include members of all units below it (default true).' })
  includeSubunits: boolean = true;

  @MaxChars(100)
  @Field(() => String, {
    nullable: true,
    description:
      'Name words without regard to diacritics or case ("nguyen van an" finds "Nguyễn Văn An"), ' +
      'or an exact party card number or national ID (CCCD).',
  })
  search?: string | null;

  @Field(() => [MemberStatus], { nullable: true, description: 'Any of these statuses (tình trạng).' })
  status?: MemberStatus[] | null;

  @Field(() => Gender, { nullable: true, description: 'Gender (giới tính).' })
  gender?: Gender | null;

  @Field(() => DateScalar, { nullable: true, description: 'Born on or after this date.' })
  bornFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Born on or before this date.' })
  bornTo?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'false: records missing a national ID (thiếu CCCD), to be completed; true: records that have one.' })
  hasNationalId?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: also list members transferred out of the organisation (chuyển ra ngoài), who are off its rolls; by default they are not listed.',
  })
  includeTransferredOut?: boolean | null;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      'Probationary members whose 12 months of probation end on or before this date (đến hạn xét công nhận chính thức), ' +
      'overdue ones included. Due within 30 days: today + 30.',
  })
  probationEndsBy?: string | null;
}

export enum MemberOrderField {
  NAME = 'NAME',
  DATE_OF_BIRTH = 'DATE_OF_BIRTH',
  JOINED_ON = 'JOINED_ON',
}

registerEnumType(MemberOrderField, {
  name: 'MemberOrderField',
  description: 'What to order members by.',
  valuesConfig: {
    NAME: { description: 'Vietnamese order: given name (tên) first, then the full name, without regard to diacritics.' },
    DATE_OF_BIRTH: { description: 'Date of birth (ngày sinh).' },
    JOINED_ON: { description: 'Admission date (ngày vào Đảng).' },
  },
});

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'Ascending or descending.',
  valuesConfig: { ASC: { description: 'Smallest first.' }, DESC: { description: 'Largest first.' } },
});

@InputType({ description: 'Order of a member list; ties are broken by id so pages never overlap.' })
export class MemberOrder {
  @Field(() => MemberOrderField, { description: 'What to order by.' })
  field!: MemberOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Direction (default ASC).' })
  direction: OrderDirection = OrderDirection.ASC;
}
