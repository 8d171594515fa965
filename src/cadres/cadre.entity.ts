import { Embedded, Entity, Filter, Formula, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { scopeFilterManaged } from '../access/scope';
import { DateScalar } from '../graphql/scalars';
import { DECISION_COLUMNS, Decision } from '../graphql/decision';
import { Member } from '../members/member.entity';
import { OrgUnit } from '../units/org-unit.entity';

/** What posts and planning entries share: the managing level, the decision, the version. */
@ObjectType({ description: 'Fields shared by cadre records.' })
@Entity({ abstract: true })
abstract class ManagedRecord {
  [OptionalProps]?: 'version' | 'createdAt' | 'decision' | 'managedPath' | 'reason';

  @Field(() => ID, { description: 'Identifier.' })
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Member, { ref: true, fieldName: 'member_id' })
  member!: Ref<Member>;

  /** The unit whose level manages the record (cấp quản lý); exposed by the resolver. */
  @ManyToOne(() => OrgUnit, { ref: true, fieldName: 'managed_by_unit_id' })
  managedBy!: Ref<OrgUnit>;

  @Formula((alias) => `${alias}.managed_path::text`)
  managedPath!: string;

  @Field(() => Decision, { description: 'The decision (quyết định bổ nhiệm, phê duyệt quy hoạch).' })
  @Embedded(() => Decision, DECISION_COLUMNS)
  decision: Decision = new Decision();

  @Field(() => String, { nullable: true, description: 'Why (lý do).' })
  @Property({ nullable: true })
  reason?: string | null;

  @Field(() => Int, { description: 'Version; a change names the version it read.' })
  @Property({ version: true })
  version: number = 1;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

}

@ObjectType({ description: 'A post a cadre holds or held (chức vụ), with its term. Seen only at the managing level and above.' })
@Entity({ tableName: 'post' })
@Filter(scopeFilterManaged('member_id', 'managed_path'))
export class Post extends ManagedRecord {
  @Field({ description: 'Title, e.g. "Bí thư Đảng ủy phường".' })
  @Property()
  title!: string;

  /** Where the post is held; exposed by the resolver (may be outside the reader's scope). */
  @ManyToOne(() => OrgUnit, { ref: true, fieldName: 'unit_id' })
  unit!: Ref<OrgUnit>;

  @Field(() => DateScalar, { description: 'Start of the appointment.' })
  @Property({ type: 'date' })
  startOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'End; null while held.' })
  @Property({ type: 'date', nullable: true })
  endOn?: string | null;

  @Field(() => Int, { description: 'Term of the appointment in years (5 by default).' })
  @Property({ type: 'integer' })
  termYears: number = 5;
}

@ObjectType({ description: 'A planning entry (quy hoạch cán bộ): the member is planned for a post in a period.' })
@Entity({ tableName: 'planning_entry' })
@Filter(scopeFilterManaged('member_id', 'managed_path'))
export class PlanningEntry extends ManagedRecord {
  @Field({ description: 'Post planned for.' })
  @Property()
  postTitle!: string;

  /**
   * Where the planned post is held (the planning limits count per post of a unit); exposed by the
   * resolver. Null on entries made before it was recorded: the managing unit stands in for it.
   */
  @ManyToOne(() => OrgUnit, { ref: true, fieldName: 'unit_id', nullable: true })
  unit?: Ref<OrgUnit> | null;

  @Field(() => Int, { description: 'First year of the planning period: a congress year (năm đại hội), e.g. 2025 for 2025–2030.' })
  @Property({ type: 'integer' })
  periodStart!: number;

  @Field(() => Int, { description: 'Last year of the planning period: the next congress year, e.g. 2030 for 2025–2030.' })
  @Property({ type: 'integer' })
  periodEnd!: number;
}
