import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../graphql/errors';
import { DateScalar } from '../graphql/scalars';
import { DecisionInput } from '../graphql/decision';
import { PlanningEntry, Post } from './cadre.entity';
import { MaxChars, Range } from '../graphql/input-limits';

@InputType({ description: 'An appointment to a post (bổ nhiệm).' })
export class AppointToPostInput {
  @Field(() => ID, { description: 'The member: an active member (not released from activities, not one who left).' }) memberId!: string;
  @MaxChars(150) @Field({ description: 'Title of the post.' }) title!: string;
  @Field(() => ID, { description: 'Unit where the post is held.' }) unitId!: string;
  @Field(() => ID, { description: 'Unit whose level manages the post (cấp quản lý); your unit or one below it.' }) managedByUnitId!: string;
  @Field(() => DateScalar, { description: 'Start: not before the member\'s admission, not in the future.' }) startOn!: string;
  @Range(1, 10) @Field(() => Int, { defaultValue: 5, description: 'Term in years.' }) termYears: number = 5;
  @Field(() => DecisionInput, { description: 'Appointment decision (quyết định bổ nhiệm), dated not before the member\'s admission.' }) decision!: DecisionInput;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Why.' }) reason?: string | null;
}

@InputType({ description: 'The end of a post (thôi giữ chức vụ).' })
export class EndPostInput {
  @Field(() => ID, { description: 'The post.' }) postId!: string;
  @Range(1, 1000000000) @Field(() => Int, { description: 'The version you read.' }) expectedVersion!: number;
  @Field(() => DateScalar, { description: 'The day the post ends.' }) endOn!: string;
  @MaxChars(2000) @Field({ description: 'Why.' }) reason!: string;
}

@InputType({ description: 'A planning entry (quy hoạch cán bộ): a member planned for a post for a congress term, on an approval decision.' })
export class AddPlanningEntryInput {
  @Field(() => ID, { description: 'The member: an active member (not released from activities, not one who left).' }) memberId!: string;
  @MaxChars(150) @Field({ description: 'Post planned for.' }) postTitle!: string;
  @Field(() => ID, { nullable: true, description: 'Unit where the planned post is held (default: the managing unit); the planning limits count per post of a unit.' }) unitId?: string | null;
  @Range(1900, 2100) @Field(() => Int, { description: 'First year of the period: a congress year (năm đại hội), e.g. 2025 (terms start every 5 years from 2020 unless the department set otherwise).' }) periodStart!: number;
  @Range(1900, 2100) @Field(() => Int, { description: 'Last year of the period: one term after periodStart, e.g. 2030 for 2025–2030.' }) periodEnd!: number;
  @Field(() => ID, { description: 'Unit whose level manages the planning.' }) managedByUnitId!: string;
  @Field(() => DecisionInput, { nullable: true, description: 'Approval decision (quyết định phê duyệt quy hoạch): required, dated not before the admission nor after the period.' }) decision?: DecisionInput | null;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Why.' }) reason?: string | null;
}

@ObjectType({ description: 'Result of a change to a post.' })
export class PostPayload {
  @Field(() => Post, { nullable: true, description: 'The post.' }) post!: Post | null;
  @Field(() => [UserError], { description: 'Why it was refused; empty on success.' }) userErrors!: UserError[];
}

@ObjectType({ description: 'Result of adding a planning entry.' })
export class PlanningEntryPayload {
  @Field(() => PlanningEntry, { nullable: true, description: 'The entry.' }) entry!: PlanningEntry | null;
  @Field(() => [UserError], { description: 'Why it was refused; empty on success.' }) userErrors!: UserError[];
  @Field(() => [UserError], { description: 'Planning limits exceeded (people per post, posts per person in the period): the entry was written; the limits are the department\'s to set.' }) warnings!: UserError[];
}
