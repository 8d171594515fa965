import { createUnionType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../graphql/errors';
import { DateScalar } from '../graphql/scalars';
import { DecisionInput } from '../graphql/decision';
import { DepartureCause } from './member-period.entity';
import { Member } from './member.entity';
import {
  Award,
  AwardGround,
  AwardKind,
  DisciplineForm,
  DisciplineRecord,
  FamilyRelation,
  QualityRating,
  RatingCategory,
  SubRecord,
  TrainingEntry,
  WorkHistoryEntry,
} from './sub-records.entity';
import { MaxChars, Range } from '../graphql/input-limits';

@InputType({ description: 'A stretch of work.' })
export class WorkHistoryInput {
  @Field(() => DateScalar, { description: 'From.' }) fromDate!: string;
  @Field(() => DateScalar, { nullable: true, description: 'To; omit while ongoing.' }) toDate?: string | null;
  @MaxChars(200) @Field({ description: 'Position.' }) position!: string;
  @MaxChars(300) @Field({ description: 'Organisation.' }) organisation!: string;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Note.' }) note?: string | null;
}

@InputType({ description: 'A course of training.' })
export class TrainingInput {
  @Field(() => DateScalar, { description: 'From.' }) fromDate!: string;
  @Field(() => DateScalar, { nullable: true, description: 'To.' }) toDate?: string | null;
  @MaxChars(300) @Field({ description: 'School or institution.' }) institution!: string;
  @MaxChars(200) @Field({ description: 'Programme or field.' }) programme!: string;
  @MaxChars(200) @Field(() => String, { nullable: true, description: 'Qualification obtained.' }) qualification?: string | null;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Note.' }) note?: string | null;
}

@InputType({ description: 'An award; a party badge names the party age it marks.' })
export class AwardInput {
  @Field(() => AwardKind, { description: 'Kind.' }) kind!: AwardKind;
  @MaxChars(300) @Field({ description: 'Name of the award.' }) name!: string;
  @Range(30, 90) @Field(() => Int, { nullable: true, description: 'For PARTY_BADGE: 30, 40, 45 … 90.' }) badgeYears?: number | null;
  @Field(() => DateScalar, { description: 'Date awarded.' }) awardedOn!: string;
  @Field({ defaultValue: false, description: 'Awarded after death (truy tặng).' }) posthumous: boolean = false;
  @Field(() => AwardGround, {
    nullable: true,
    description: 'For a party badge short of its party age: the allowance claimed (xét tặng sớm, truy tặng). Omit to let the register find the one that applies; it is stored on the award.',
  })
  ground?: AwardGround | null;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Note.' }) note?: string | null;
}

@InputType({ description: 'A disciplinary measure; it rests on its decision (give `decision` with it), and is dated by it.' })
export class DisciplineInput {
  @Field(() => DisciplineForm, { description: 'Form.' }) form!: DisciplineForm;
  @Field(() => DateScalar, { description: 'Date decided: the decision’s date.' }) decidedOn!: string;
  @MaxChars(2000) @Field({ description: 'Grounds.' }) grounds!: string;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Note.' }) note?: string | null;
  @Field(() => DepartureCause, {
    nullable: true,
    description: 'For an EXPULSION only: the cause of leaving kept with the status (DISCIPLINE when omitted; a conviction or serious disunity bars readmission).',
  })
  cause?: DepartureCause | null;
}

@InputType({ description: 'A yearly quality rating: a score, a category, or both (they must agree).' })
export class QualityRatingInput {
  @Range(1930, 2100) @Field(() => Int, { description: 'Year rated.' }) year!: number;
  @Range(0, 100) @Field(() => Int, { nullable: true, description: 'Score, 0–100.' }) score?: number | null;
  @Field(() => RatingCategory, { nullable: true, description: 'Category; derived from the score when omitted.' }) category?: RatingCategory | null;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Note.' }) note?: string | null;
}

@InputType({ description: 'A family relation.' })
export class FamilyRelationInput {
  @MaxChars(50) @Field({ description: 'Relation, e.g. "Cha".' }) relation!: string;
  @MaxChars(150) @Field({ description: 'Full name.' }) fullName!: string;
  @Range(1850, 2100) @Field(() => Int, { nullable: true, description: 'Year of birth.' }) birthYear?: number | null;
  @MaxChars(200) @Field(() => String, { nullable: true, description: 'Occupation.' }) occupation?: string | null;
  @MaxChars(300) @Field(() => String, { nullable: true, description: 'Address.' }) address?: string | null;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Note.' }) note?: string | null;
}

export enum SubRecordKind {
  WORK_HISTORY = 'WORK_HISTORY',
  TRAINING = 'TRAINING',
  AWARD = 'AWARD',
  DISCIPLINE = 'DISCIPLINE',
  QUALITY_RATING = 'QUALITY_RATING',
  FAMILY_RELATION = 'FAMILY_RELATION',
}

registerEnumType(SubRecordKind, { name: 'SubRecordKind', description: 'Kind of sub-record of a member file.' });

/** Exactly one of these is given: the entry's kind is the field that carries it. */
@InputType({ description: 'The content of a sub-record: give exactly one field.' })
export class SubRecordContent {
  @Field(() => WorkHistoryInput, { nullable: true, description: 'Work history (quá trình công tác).' }) workHistory?: WorkHistoryInput | null;
  @Field(() => TrainingInput, { nullable: true, description: 'Training (đào tạo, bồi dưỡng).' }) training?: TrainingInput | null;
  @Field(() => AwardInput, { nullable: true, description: 'Award (khen thưởng).' }) award?: AwardInput | null;
  @Field(() => DisciplineInput, { nullable: true, description: 'Discipline (kỷ luật).' }) discipline?: DisciplineInput | null;
  @Field(() => QualityRatingInput, { nullable: true, description: 'Yearly rating (xếp loại).' }) rating?: QualityRatingInput | null;
  @Field(() => FamilyRelationInput, { nullable: true, description: 'Family relation (quan hệ gia đình).' }) family?: FamilyRelationInput | null;
}

@InputType({ description: 'A new entry in a member file.' })
export class AddSubRecordInput extends SubRecordContent {
  @Field(() => ID, { description: 'The member.' }) memberId!: string;
  @Field(() => DecisionInput, { nullable: true, description: 'The decision it rests on: required for an award and a discipline (quyết định khen thưởng, kỷ luật).' }) decision?: DecisionInput | null;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Why (lý do).' }) reason?: string | null;
}

@InputType({ description: 'A correction: the entry is replaced by the content given; the old one stays in history.' })
export class CorrectSubRecordInput extends SubRecordContent {
  @Field(() => ID, { description: 'The entry to correct.' }) id!: string;
  @Range(1, 1000000000) @Field(() => Int, { description: 'The version you read.' }) expectedVersion!: number;
  @Field(() => DecisionInput, { nullable: true, description: 'The decision of the corrected entry: required for an award and a discipline.' }) decision?: DecisionInput | null;
  @MaxChars(2000) @Field({ description: 'Why (the legal basis of the correction).' }) reason!: string;
}

@InputType({ description: 'Voids an entry recorded in error; it stays in history, marked void.' })
export class VoidSubRecordInput {
  @Field(() => SubRecordKind, { description: 'Kind of entry.' }) kind!: SubRecordKind;
  @Field(() => ID, { description: 'The entry.' }) id!: string;
  @Range(1, 1000000000) @Field(() => Int, { description: 'The version you read.' }) expectedVersion!: number;
  @MaxChars(2000) @Field({ description: 'Why.' }) reason!: string;
}

export const SubRecordEntry = createUnionType({
  name: 'SubRecordEntry',
  description: 'Any sub-record of a member file.',
  types: () => [WorkHistoryEntry, TrainingEntry, Award, DisciplineRecord, QualityRating, FamilyRelation] as const,
});

@ObjectType({ description: 'Result of a change to a sub-record.' })
export class SubRecordPayload {
  @Field(() => Member, { nullable: true, description: 'The member the entry belongs to.' }) member!: Member | null;
  @Field(() => SubRecordEntry, { nullable: true, description: 'The entry written (the new one for a correction, the voided one for a void).' })
  record!: SubRecord | null;
  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' }) userErrors!: UserError[];
}
