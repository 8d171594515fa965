import { Embedded, Entity, Enum, Filter, Formula, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { scopeFilterEitherEnd } from '../access/scope';
import { DateScalar } from '../graphql/scalars';
import { DECISION_COLUMNS, Decision } from '../members/decision';
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
    CONFIRMED: { description: 'Arrival confirmed by the receiving unit.' },
    CANCELLED: { description: 'Cancelled by the sending unit before arrival.' },
  },
});

@ObjectType({ description: 'A transfer of a member between party organisations (chuyển sinh hoạt đảng).' })
@Entity({ tableName: 'transfer' })
@Filter(scopeFilterEitherEnd('from_path', 'to_path'))
export class Transfer {
  [OptionalProps]?: 'status' | 'version' | 'createdAt' | 'decision' | 'fromPath' | 'toPath' | 'fromUnitName' | 'toUnitName';

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

  @ManyToOne(() => OrgUnit, { ref: true, fieldName: 'from_unit_id' })
  fromUnit!: Ref<OrgUnit>;

  @ManyToOne(() => OrgUnit, { ref: true, fieldName: 'to_unit_id' })
  toUnit!: Ref<OrgUnit>;

  /** Paths of both ends, written by a database trigger. */
  @Formula((alias) => `${alias}.from_path::text`)
  fromPath!: string;

  @Formula((alias) => `${alias}.to_path::text`)
  toPath!: string;

  /** Names of both ends, written by the database trigger (so "nullable" only for the ORM). */
  @Field({ description: 'Name of the sending unit.' })
  @Property({ nullable: true })
  fromUnitName!: string;

  @Field({ description: 'Name of the receiving unit.' })
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

  @Field(() => DateScalar, { nullable: true, description: 'Date of arrival, confirmed by the receiving unit.' })
  @Property({ type: 'date', nullable: true })
  confirmedOn?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date cancelled by the sending unit.' })
  @Property({ type: 'date', nullable: true })
  cancelledOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled.' })
  @Property({ nullable: true })
  cancelReason?: string | null;

  @Field(() => Int, { description: 'Version.' })
  @Property({ version: true })
  version: number = 1;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

}
