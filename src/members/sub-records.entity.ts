import { BigIntType, Embedded, Entity, Enum, Filter, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { scopeFilterByMember } from '../access/scope';
import { DateScalar, DateTimeScalar } from '../graphql/scalars';
import { DECISION_COLUMNS, Decision } from '../graphql/decision';
import { Member } from './member.entity';
import { ratingCategoryFor } from './ratings';

/**
 * The sub-records of a member file. Each rests on a decision where one applies, and none is
 * ever deleted: a correction supersedes a row with a new one, keeping the old value readable.
 */
@ObjectType({ description: 'Fields shared by sub-records.' })
@Entity({ abstract: true })
export abstract class SubRecord {
  [OptionalProps]?: 'createdAt' | 'version' | 'decision' | 'supersededAt' | 'supersededBy' | 'supersedeReason' | 'note';

  @Field(() => ID, { description: 'Identifier of the entry.' })
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Member, { ref: true, fieldName: 'member_id' })
  member!: Ref<Member>;

  @Field(() => Decision, { description: 'The decision the entry rests on (quyết định).' })
  @Embedded(() => Decision, DECISION_COLUMNS)
  decision: Decision = new Decision();

  @Field(() => String, { nullable: true, description: 'Free note (ghi chú).' })
  @Property({ nullable: true })
  note?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When a correction replaced this entry (or voided it); null while current.' })
  @Property({ type: 'datetime', nullable: true })
  supersededAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'The entry that replaced this one; null while current or when voided.' })
  @Property({ type: new BigIntType('string'), nullable: true })
  supersededBy?: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was corrected or voided.' })
  @Property({ nullable: true })
  supersedeReason?: string | null;

  @Field(() => Int, { description: 'Version; a correction names the version it read.' })
  @Property({ version: true })
  version: number = 1;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

}

@ObjectType({ description: 'A stretch of work (quá trình công tác).', simpleResolvers: true })
@Entity({ tableName: 'work_history' })
@Filter(scopeFilterByMember('member_id'))
export class WorkHistoryEntry extends SubRecord {
  @Field(() => DateScalar, { description: 'From.' })
  @Property({ type: 'date' })
  fromDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'To; null while ongoing.' })
  @Property({ type: 'date', nullable: true })
  toDate?: string | null;

  @Field({ description: 'Position (chức vụ, công việc).' })
  @Property()
  position!: string;

  @Field({ description: 'Organisation (cơ quan, đơn vị).' })
  @Property()
  organisation!: string;
}

@ObjectType({ description: 'A course of training (quá trình đào tạo, bồi dưỡng).', simpleResolvers: true })
@Entity({ tableName: 'training' })
@Filter(scopeFilterByMember('member_id'))
export class TrainingEntry extends SubRecord {
  @Field(() => DateScalar, { description: 'From.' })
  @Property({ type: 'date' })
  fromDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'To.' })
  @Property({ type: 'date', nullable: true })
  toDate?: string | null;

  @Field({ description: 'School or institution (cơ sở đào tạo).' })
  @Property()
  institution!: string;

  @Field({ description: 'Programme or field (ngành học, nội dung).' })
  @Property()
  programme!: string;

  @Field(() => String, { nullable: true, description: 'Qualification obtained (văn bằng, chứng chỉ).' })
  @Property({ nullable: true })
  qualification?: string | null;
}

export enum AwardKind {
  PARTY_BADGE = 'PARTY_BADGE',
  ORDER = 'ORDER',
  MEDAL = 'MEDAL',
  CERTIFICATE = 'CERTIFICATE',
  OTHER = 'OTHER',
}

registerEnumType(AwardKind, {
  name: 'AwardKind',
  description: 'Kind of award (khen thưởng).',
  valuesConfig: {
    PARTY_BADGE: { description: 'Huy hiệu Đảng — party badge for 30, 40, 45 … 90 years of party age.' },
    ORDER: { description: 'Huân chương — order.' },
    MEDAL: { description: 'Huy chương — medal.' },
    CERTIFICATE: { description: 'Bằng khen, giấy khen — certificate of merit.' },
    OTHER: { description: 'Other award.' },
  },
});

export enum AwardGround {
  EARLY_ILLNESS = 'EARLY_ILLNESS',
  POSTHUMOUS_EARLY = 'POSTHUMOUS_EARLY',
}

registerEnumType(AwardGround, {
  name: 'AwardGround',
  description: 'Why a party badge was awarded before the member reached its party age (src/members/party-badges.ts).',
  valuesConfig: {
    EARLY_ILLNESS: { description: 'Xét tặng sớm: a serious illness (bệnh hiểm nghèo) recorded on the member; up to 12 months early for the 30–65-year badges, 24 for 70–90.' },
    POSTHUMOUS_EARLY: { description: 'Truy tặng: awarded after death, up to 12 months before the party age was reached.' },
  },
});

@ObjectType({ description: 'An award (khen thưởng), party badges included.', simpleResolvers: true })
@Entity({ tableName: 'award' })
@Filter(scopeFilterByMember('member_id'))
export class Award extends SubRecord {
  @Field(() => AwardKind, { description: 'Kind of award.' })
  @Enum(() => AwardKind)
  kind!: AwardKind;

  @Field({ description: 'Name of the award, e.g. "Huy hiệu 30 năm tuổi Đảng".' })
  @Property()
  name!: string;

  @Field(() => Int, { nullable: true, description: 'For a party badge: the party age it marks (30, 40, 45 … 90).' })
  @Property({ type: 'integer', nullable: true })
  badgeYears?: number | null;

  @Field(() => DateScalar, { description: 'Date awarded (ngày trao).' })
  @Property({ type: 'date' })
  awardedOn!: string;

  @Field({ description: 'Awarded after death (truy tặng).' })
  @Property()
  posthumous: boolean = false;

  @Field(() => AwardGround, { nullable: true, description: 'For a party badge awarded before its party age was reached: the allowance that permitted it; null when reached.' })
  @Enum({ items: () => AwardGround, nullable: true })
  ground?: AwardGround | null;
}

export enum DisciplineForm {
  REPRIMAND = 'REPRIMAND',
  WARNING = 'WARNING',
  DISMISSAL = 'DISMISSAL',
  EXPULSION = 'EXPULSION',
}

registerEnumType(DisciplineForm, {
  name: 'DisciplineForm',
  description: 'Form of party discipline (hình thức kỷ luật). Probationary members: the first two only.',
  valuesConfig: {
    REPRIMAND: { description: 'Khiển trách.' },
    WARNING: { description: 'Cảnh cáo.' },
    DISMISSAL: { description: 'Cách chức — dismissal from post.' },
    EXPULSION: { description: 'Khai trừ — expulsion: one act with the status change, whichever way it is entered (the member becomes EXPELLED).' },
  },
});

@ObjectType({ description: 'A disciplinary measure (kỷ luật). Sensitive personal data.', simpleResolvers: true })
@Entity({ tableName: 'discipline' })
@Filter(scopeFilterByMember('member_id'))
export class DisciplineRecord extends SubRecord {
  @Field(() => DisciplineForm, { description: 'Form of discipline.' })
  @Enum(() => DisciplineForm)
  form!: DisciplineForm;

  @Field(() => DateScalar, { description: 'Date decided.' })
  @Property({ type: 'date' })
  decidedOn!: string;

  @Field({ description: 'Grounds (lý do kỷ luật).' })
  @Property()
  grounds!: string;
}

export enum RatingCategory {
  XUAT_SAC = 'XUAT_SAC',
  TOT = 'TOT',
  HOAN_THANH = 'HOAN_THANH',
  KHONG_HOAN_THANH = 'KHONG_HOAN_THANH',
}

registerEnumType(RatingCategory, {
  name: 'RatingCategory',
  description: 'Yearly quality category (xếp loại chất lượng), Quy định 366-QĐ/TW.',
  valuesConfig: {
    XUAT_SAC: { description: 'Hoàn thành xuất sắc nhiệm vụ — 90 points or more.' },
    TOT: { description: 'Hoàn thành tốt nhiệm vụ — 70 to 89.' },
    HOAN_THANH: { description: 'Hoàn thành nhiệm vụ — 50 to 69.' },
    KHONG_HOAN_THANH: { description: 'Không hoàn thành nhiệm vụ — under 50.' },
  },
});

/** The category a score falls in on the 100-point scale: the thresholds are ratings.ts. */
export const categoryForScore = ratingCategoryFor;

@ObjectType({ description: 'The yearly quality rating (đánh giá, xếp loại đảng viên).', simpleResolvers: true })
@Entity({ tableName: 'quality_rating' })
@Filter(scopeFilterByMember('member_id'))
export class QualityRating extends SubRecord {
  @Field(() => Int, { description: 'Year rated.' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => Int, { nullable: true, description: 'Score on the 100-point scale, where one was given.' })
  @Property({ type: 'integer', nullable: true })
  score?: number | null;

  @Field(() => RatingCategory, { description: 'Category.' })
  @Enum(() => RatingCategory)
  category!: RatingCategory;
}

@ObjectType({ description: 'A family relation declared in the file (quan hệ gia đình). Sensitive personal data.', simpleResolvers: true })
@Entity({ tableName: 'family_relation' })
@Filter(scopeFilterByMember('member_id'))
export class FamilyRelation extends SubRecord {
  @Field({ description: 'Relation, e.g. "Cha", "Mẹ", "Vợ", "Con".' })
  @Property()
  relation!: string;

  @Field({ description: 'Full name.' })
  @Property()
  fullName!: string;

  @Field(() => Int, { nullable: true, description: 'Year of birth.' })
  @Property({ type: 'integer', nullable: true })
  birthYear?: number | null;

  @Field(() => String, { nullable: true, description: 'Occupation.' })
  @Property({ nullable: true })
  occupation?: string | null;

  @Field(() => String, { nullable: true, description: 'Address.' })
  @Property({ nullable: true })
  address?: string | null;
}

export const SUB_RECORD_ENTITIES = [WorkHistoryEntry, TrainingEntry, Award, DisciplineRecord, QualityRating, FamilyRelation];
