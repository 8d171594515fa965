import { Embedded, Entity, Enum, Filter, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { scopeFilterByMember } from '../access/scope';
import { DateScalar } from '../graphql/scalars';
import { OrgUnit } from '../units/org-unit.entity';
import { DECISION_COLUMNS, Decision } from '../graphql/decision';
import { DEPARTURE_CAUSES, DEPARTURE_CAUSE_TERMS, type DepartureCauseCode } from './departure';
import { Member, MemberStatus } from './member.entity';

/** The catalogue of departure.ts as a GraphQL enum: one list of values. */
export const DepartureCause = Object.fromEntries(DEPARTURE_CAUSES.map((c) => [c, c])) as { readonly [K in DepartureCauseCode]: K };
export type DepartureCause = DepartureCauseCode;

registerEnumType(DepartureCause, {
  name: 'DepartureCause',
  description: 'Why a member left the Party (lý do ra khỏi Đảng); it decides whether readmission may be considered.',
  valuesConfig: Object.fromEntries(DEPARTURE_CAUSES.map((c) => [c, { description: DEPARTURE_CAUSE_TERMS[c] }])),
});

/** Fields every dated period shares: when it holds and the decision behind it. */
@ObjectType({ description: 'Fields shared by dated periods.' })
@Entity({ abstract: true })
abstract class Period {
  [OptionalProps]?: 'createdAt' | 'validTo' | 'reason' | 'decision';

  @Field(() => ID, { description: 'Identifier of the period.' })
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Member, { ref: true, fieldName: 'member_id' })
  member!: Ref<Member>;

  @Field(() => DateScalar, { description: 'First day the period holds.' })
  @Property({ type: 'date' })
  validFrom!: string;

  @Field(() => DateScalar, { nullable: true, description: 'First day it no longer holds; null while it still does.' })
  @Property({ type: 'date', nullable: true })
  validTo?: string | null;

  @Field(() => Decision, { description: 'The decision that opened the period.' })
  @Embedded(() => Decision, DECISION_COLUMNS)
  decision: Decision = new Decision();

  @Field(() => String, { nullable: true, description: 'Why, as recorded with the change (lý do).' })
  @Property({ nullable: true })
  reason?: string | null;

  @Property({ defaultRaw: 'now()' })
  createdAt: Date = new Date();

}

@ObjectType({ description: 'A stretch of time in one status (giai đoạn tình trạng đảng viên).', simpleResolvers: true })
@Entity({ tableName: 'member_status_period' })
@Filter(scopeFilterByMember('member_id'))
export class MemberStatusPeriod extends Period {
  @Field(() => MemberStatus, { description: 'The status during the period.' })
  @Enum(() => MemberStatus)
  status!: MemberStatus;

  @Field(() => DepartureCause, {
    nullable: true,
    description: 'For an end state (removed, expelled, resigned, deceased): why the member left. Null for active states, and for departures recorded before causes were kept.',
  })
  @Property({ type: 'text', nullable: true })
  cause?: DepartureCause | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'For a departure after a conviction for a less serious crime: the day the conviction was expunged (xóa án tích), given at readmission.',
  })
  @Property({ type: 'date', nullable: true })
  convictionExpungedOn?: string | null;
}

@ObjectType({ description: 'A stretch of time registered in one unit (giai đoạn sinh hoạt tại chi bộ).' })
@Entity({ tableName: 'member_unit_period' })
@Filter(scopeFilterByMember('member_id'))
export class MemberUnitPeriod extends Period {
  /** Exposed through MemberResolver (the unit may be outside the reader's scope). */
  @ManyToOne(() => OrgUnit, { ref: true, fieldName: 'unit_id' })
  unit!: Ref<OrgUnit>;
}
