import { Embedded, Entity, Enum, Filter, Formula, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { scopeFilterEitherEnd } from '../access/scope';
import { DateScalar } from '../graphql/scalars';
import { DECISION_COLUMNS, Decision } from '../graphql/decision';
import { Member } from '../members/member.entity';
import { OrgUnit } from '../units/org-unit.entity';

export enum TransferKind {
  PERMANENT = 'PERMANENT',
  TEMPORARY = 'TEMPORARY',
  INTERNAL = 'INTERNAL',
}

registerEnumType(TransferKind, {
  name: 'TransferKind',
  description: 'Kind of transfer (chuyển sinh hoạt đảng).',
  valuesConfig: {
    PERMANENT: { description: 'Chính thức — the member moves to the receiving cell when it confirms arrival.' },
    TEMPORARY: { description: 'Tạm thời — active at the receiving cell for a while; stays registered at home.' },
    INTERNAL: { description: 'Within one grassroots organisation (trong đảng bộ cơ sở): decided and done by it at once.' },
  },
});

/** Which side of the organisation's boundary the other end is on. */
export enum TransferBoundary {
  WITHIN = 'WITHIN',
  OTHER_PROVINCE = 'OTHER_PROVINCE',
  ABROAD = 'ABROAD',
}

registerEnumType(TransferBoundary, {
  name: 'TransferBoundary',
  description: 'Whether the other end of a transfer is a cell of this organisation or a party organisation outside it.',
  valuesConfig: {
    WITHIN: { description: 'Both ends are cells of this organisation (trong đảng bộ).' },
    OTHER_PROVINCE: { description: 'To or from another province’s party organisation (ngoài tỉnh, thành phố), named in externalParty.' },
    ABROAD: { description: 'To or from a party organisation abroad (ngoài nước), named in externalParty, with the country.' },
  },
});

export enum TransferStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(TransferStatus, {
  name: 'TransferStatus',
  description: 'Where a transfer stands.',
  valuesConfig: {
    PENDING: { description: 'Issued; awaiting arrival at the receiving unit (the member is still on the sender’s rolls).' },
    CONFIRMED: {
      description:
        'Done: arrival confirmed by the receiving unit; for a transfer out of the organisation, recorded by the sending unit at dispatch; for one from outside, recorded by the receiving unit at arrival.',
    },
    CANCELLED: { description: 'Cancelled before arrival: by the sending unit, or because the member left the party (cancelReason says which).' },
  },
});

@ObjectType({ description: 'A transfer of a member between party organisations (chuyển sinh hoạt đảng).' })
@Entity({ tableName: 'transfer' })
@Filter(scopeFilterEitherEnd('from_path', 'to_path'))
export class Transfer {
  [OptionalProps]?: 'status' | 'version' | 'createdAt' | 'decision' | 'fromPath' | 'toPath' | 'fromUnitName' | 'toUnitName' | 'boundary' | 'forStudy';

  @Field(() => ID, { description: 'Identifier of the transfer.' })
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Member, { ref: true, fieldName: 'member_id' })
  member!: Ref<Member>;

  @Field(() => TransferKind, { description: 'Kind.' })
  @Enum(() => TransferKind)
  kind!: TransferKind;

  @Field(() => TransferStatus, { description: 'Status.' })
  @Enum(() => TransferStatus)
  status: TransferStatus = TransferStatus.PENDING;

  @Field(() => TransferBoundary, { description: 'Within the organisation, or to or from another province or abroad.' })
  @Enum(() => TransferBoundary)
  boundary: TransferBoundary = TransferBoundary.WITHIN;

  /** Null for the end outside the organisation (a transfer across the boundary). */
  @ManyToOne(() => OrgUnit, { ref: true, fieldName: 'from_unit_id', nullable: true })
  fromUnit?: Ref<OrgUnit> | null;

  @ManyToOne(() => OrgUnit, { ref: true, fieldName: 'to_unit_id', nullable: true })
  toUnit?: Ref<OrgUnit> | null;

  @Field(() => String, {
    nullable: true,
    description: 'The party organisation at the other end, outside this organisation (e.g. "Đảng bộ tỉnh Quảng Ngãi", "Đảng ủy ngoài nước"); null within it.',
  })
  @Property({ nullable: true })
  externalParty?: string | null;

  @Field(() => String, { nullable: true, description: 'The country, for a transfer abroad (nước).' })
  @Property({ nullable: true })
  country?: string | null;

  /**
   * Paths of both ends, written by a database trigger; the end outside the organisation has the
   * path OUTSIDE, which no scope contains.
   */
  @Formula((alias) => `${alias}.from_path::text`)
  fromPath!: string;

  @Formula((alias) => `${alias}.to_path::text`)
  toPath!: string;

  /** Names of both ends, written by the database trigger (so "nullable" only for the ORM). */
  @Field({ description: 'Name of the sending unit (the outside party organisation for an arrival from outside).' })
  @Property({ nullable: true })
  fromUnitName!: string;

  @Field({ description: 'Name of the receiving unit (the outside party organisation for a transfer out).' })
  @Property({ nullable: true })
  toUnitName!: string;

  @Field(() => DateScalar, { description: 'Date issued by the sending unit.' })
  @Property({ type: 'date' })
  issuedOn!: string;

  @Field(() => DateScalar, { description: 'Last day for the member to report to the receiving unit (30 days).' })
  @Property({ type: 'date' })
  reportBy!: string;

  @Field(() => Decision, { description: 'The transfer decision.' })
  @Embedded(() => Decision, DECISION_COLUMNS)
  decision: Decision = new Decision();

  @Field(() => String, { nullable: true, description: 'Why (lý do).' })
  @Property({ nullable: true })
  reason?: string | null;

  @Field({ description: 'The member’s name, as the receiving side sees it before arrival.' })
  @Property()
  memberName!: string;

  @Field(() => String, { nullable: true, description: 'The member’s party card number, for the receiving side.' })
  @Property({ nullable: true })
  memberPartyCardNumber?: string | null;

  @Field(() => DateScalar, { description: 'The member’s date of birth, for the receiving side.' })
  @Property({ type: 'date' })
  memberDateOfBirth!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Date of arrival, confirmed by the receiving unit; for a transfer out of the organisation, the date of dispatch, from which the member is off the rolls.',
  })
  @Property({ type: 'date', nullable: true })
  confirmedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Why the member reported more than 30 days after issue (lý do đến chậm); required for such an arrival.' })
  @Property({ nullable: true })
  lateReason?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'For a temporary transfer: the date the member is to return (3 months to under a year; to study, up to 2 years).' })
  @Property({ type: 'date', nullable: true })
  returnsOn?: string | null;

  @Field({ description: 'A temporary transfer to study (đi học), which may last up to 2 years.' })
  @Property()
  forStudy: boolean = false;

  @Field(() => DateScalar, { nullable: true, description: 'For a temporary transfer: the date the member returned, recorded by the home unit.' })
  @Property({ type: 'date', nullable: true })
  returnedOn?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date cancelled by the sending unit.' })
  @Property({ type: 'date', nullable: true })
  cancelledOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled (the sending unit’s reason, or the member’s leaving the party).' })
  @Property({ nullable: true })
  cancelReason?: string | null;

  @Field(() => Int, { description: 'Version.' })
  @Property({ version: true })
  version: number = 1;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

}
