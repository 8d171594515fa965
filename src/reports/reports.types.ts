import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../graphql/scalars';
import { Member } from '../members/member.entity';
import { OrgUnit } from '../units/org-unit.entity';
import { Range } from '../graphql/input-limits';

@ObjectType({ description: 'One line of a breakdown: a category and how many members fall in it.', simpleResolvers: true })
export class StatisticsCount {
  @Field({ description: 'Stable key of the category: a status, a catalogue code, a band such as FROM_31_TO_40, or UNKNOWN when not recorded.' })
  key!: string;

  @Field({ description: 'Vietnamese label of the category, as printed on the forms.' })
  label!: string;

  @Field(() => Int, { description: 'Number of members (đảng viên) in the category.' })
  count!: number;
}

@ObjectType({ description: 'The figures of one child unit, so a tool can draw the tree and drill down.', simpleResolvers: true })
export class ChildUnitStatistics {
  @Field(() => OrgUnit, { description: 'The child unit.' })
  unit!: OrgUnit;

  @Field(() => Int, { description: 'Members on the rolls of the child and its subtree on the date.' })
  total!: number;

  @Field(() => [StatisticsCount], { description: 'Of them, by status (PROBATIONARY, OFFICIAL, RELEASED).' })
  byStatus!: StatisticsCount[];
}

@ObjectType({
  description:
    'Số lượng và cơ cấu đảng viên: members on the rolls (PROBATIONARY, OFFICIAL, RELEASED) of a unit and its subtree on a date, ' +
    'with their breakdowns. Counted from dated facts: the status, unit and recorded details each member had on that date, ' +
    'so a report for a past date gives the same figures whenever it is run. All figures come from one snapshot; every ' +
    'breakdown adds up to total, and the children plus registeredDirectly add up to total.',
  simpleResolvers: true,
})
export class UnitStatistics {
  @Field(() => OrgUnit, { description: 'The unit reported on.' })
  unit!: OrgUnit;

  @Field(() => DateScalar, { description: 'The date the figures hold on (end of that day).' })
  asOf!: string;

  @Field(() => Int, { description: 'Tổng số đảng viên: members on the rolls of the unit and its subtree.' })
  total!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Tuổi bình quân: the mean of the exact ages in years (days lived over 365.2425) of the members counted in total, on the date, to one decimal; null when total is 0.',
  })
  averageAge!: number | null;

  @Field(() => Int, { description: 'Members registered in the unit itself rather than in one of its children (0 above cell level in the usual tree).' })
  registeredDirectly!: number;

  @Field(() => [StatisticsCount], { description: 'By status: PROBATIONARY (dự bị), OFFICIAL (chính thức), RELEASED (miễn sinh hoạt). Departures are in flows.' })
  byStatus!: StatisticsCount[];

  @Field(() => [StatisticsCount], { description: 'By gender (giới tính).' })
  byGender!: StatisticsCount[];

  @Field(() => [StatisticsCount], { description: 'By age on the date (độ tuổi): UP_TO_30, FROM_31_TO_40, FROM_41_TO_50, FROM_51_TO_60, FROM_61_TO_70, OVER_70.' })
  byAgeBand!: StatisticsCount[];

  @Field(() => [StatisticsCount], { description: 'By party age on the date (tuổi đảng, time outside the party not counted): UNDER_10, FROM_10_TO_19, FROM_20_TO_29, FROM_30_TO_39, FROM_40_TO_49, FROM_50 years.' })
  byPartyAgeBand!: StatisticsCount[];

  @Field(() => [StatisticsCount], { description: 'By ethnic group (dân tộc), catalogue codes; groups with no member are left out.' })
  byEthnicity!: StatisticsCount[];

  @Field(() => [StatisticsCount], {
    description: 'By religion (tôn giáo), catalogue codes of the recognised religions; NONE for no religion. A retired code is counted as the religion it belongs to (TRUONG_LAO, a Protestant church, as TIN_LANH).',
  })
  byReligion!: StatisticsCount[];

  @Field(() => [StatisticsCount], {
    description:
      'By general education (trình độ giáo dục phổ thông) in the forms\' levels, whatever grading system was recorded ("9/12", "7/10", "9/9"…), ' +
      'all lines in this order: PRIMARY (tiểu học), LOWER_SECONDARY (trung học cơ sở), UPPER_SECONDARY (trung học phổ thông), ' +
      'UNREADABLE (recorded in a form no level can be read from, to be corrected), UNKNOWN (not declared).',
  })
  byGeneralEducation!: StatisticsCount[];

  @Field(() => [StatisticsCount], { description: 'By professional level (trình độ chuyên môn), catalogue codes.' })
  byProfessionalLevel!: StatisticsCount[];

  @Field(() => [StatisticsCount], {
    description: 'By political theory level (lý luận chính trị): every catalogue code in order, zeros included — NONE (chưa qua đào tạo), SO_CAP … CU_NHAN — then UNKNOWN (not declared).',
  })
  byPoliticalTheory!: StatisticsCount[];

  @Field(() => [StatisticsCount], { description: 'By occupation (nghề nghiệp), catalogue codes.' })
  byOccupation!: StatisticsCount[];

  @Field(() => [ChildUnitStatistics], { description: 'The same totals for each child unit, in code order (units with no member included).' })
  children!: ChildUnitStatistics[];
}

@ObjectType({
  description:
    'Biến động đảng viên: movements on and off the rolls of a unit and its subtree between two dates (both included). ' +
    'opening + admissions + readmissions + transfersIn − transfersOut + reorganisedIn − reorganisedOut − departures = closing.',
  simpleResolvers: true,
})
export class UnitFlows {
  @Field(() => OrgUnit, { description: 'The unit reported on.' })
  unit!: OrgUnit;

  @Field(() => DateScalar, { description: 'First day of the period.' })
  from!: string;

  @Field(() => DateScalar, { description: 'Last day of the period.' })
  to!: string;

  @Field(() => Int, { description: 'On the rolls at the end of the day before the period (đầu kỳ).' })
  opening!: number;

  @Field(() => Int, { description: 'Kết nạp: admitted within the period.' })
  admissions!: number;

  @Field(() => Int, { description: 'Kết nạp lại: readmitted within the period.' })
  readmissions!: number;

  @Field(() => Int, { description: 'Công nhận chính thức: probation ended with official status within the period (not a change of the rolls).' })
  officialConfirmations!: number;

  @Field(() => Int, { description: 'Chuyển đến: arrived from outside the subtree (counted from the confirmation date).' })
  transfersIn!: number;

  @Field(() => Int, { description: 'Chuyển đi: left for a unit outside the subtree (counted from the confirmation date).' })
  transfersOut!: number;

  @Field(() => Int, {
    description:
      'Sắp xếp tổ chức: came into the subtree because their unit was moved, merged or split into it (reorganiseUnits), staying in the same cell; not a transfer.',
  })
  reorganisedIn!: number;

  @Field(() => Int, { description: 'Sắp xếp tổ chức: left the subtree because their unit was moved, merged or split out of it, staying in the same cell; not a transfer.' })
  reorganisedOut!: number;

  @Field(() => [StatisticsCount], { description: 'Departures by kind: REMOVED (xóa tên), EXPELLED (khai trừ), RESIGNED (xin ra Đảng), DECEASED (từ trần).' })
  departures!: StatisticsCount[];

  @Field(() => Int, { description: 'On the rolls at the end of the last day (cuối kỳ).' })
  closing!: number;
}

export enum BadgeReason {
  DUE = 'DUE',
  EARLY = 'EARLY',
  POSTHUMOUS = 'POSTHUMOUS',
}

registerEnumType(BadgeReason, {
  name: 'BadgeReason',
  description: 'Why a member is on the badge list.',
  valuesConfig: {
    DUE: { description: 'Reaches the party age of the badge by the ceremony.' },
    EARLY: {
      description:
        'Xét tặng sớm: a serious illness recorded on the member, short of the party age by no more than the allowance (12 months for 30–65 years, 24 for 70–90). Health data: listed only to roles that may read sensitive data.',
    },
    POSTHUMOUS: { description: 'Truy tặng: died within posthumousWithinMonths before the ceremony, having reached the party age of the badge.' },
  },
});

@InputType({ description: 'The configurable rules of the party badge list (Huy hiệu Đảng); the defaults follow the party badge rules (QĐ 24-QĐ/TW §27, HD 01-HD/TW §18).' })
export class BadgeRules {
  @Range(0, 120)
  @Field(() => Int, {
    nullable: true,
    description:
      'One early allowance, in months, for every badge, instead of the rule’s (12 months for the 30–65-year badges, 24 for 70–90, for a serious illness recorded on the member; the department sets them). Omit to apply the rule.',
  })
  earlyMonths?: number | null;

  @Field({ defaultValue: true, description: 'Propose badges posthumously for members who died having reached the party age.' })
  posthumous: boolean = true;

  @Range(0, 120)
  @Field(() => Int, { defaultValue: 12, description: 'Posthumous proposals only for deaths within this many months before the ceremony.' })
  posthumousWithinMonths: number = 12;

  @Range(0, 120)
  @Field(() => Int, {
    nullable: true,
    description:
      'One wait, in months, after every form of discipline, instead of the rule’s (6 after a reprimand, 9 after a warning, 12 after dismissal; the department sets them). Omit to apply the rule.',
  })
  disciplineBlockMonths?: number | null;
}

@ObjectType({ description: 'A member proposed for a party badge (Huy hiệu Đảng) at a ceremony.', simpleResolvers: true })
export class BadgeCandidate {
  @Field(() => Member, { description: 'The member.' })
  member!: Member;

  @Field(() => Int, { description: 'The badge: 30, 40, 45 … 90 years of party age.' })
  badgeYears!: number;

  @Field(() => Int, { description: 'Completed years of party age on the ceremony date (at death, for a posthumous proposal).' })
  partyAgeYears!: number;

  @Field(() => BadgeReason, { description: 'Why the member is proposed.' })
  reason!: BadgeReason;
}

@ObjectType({ description: 'Records that are likely the same person (trùng lặp): same name, without regard to diacritics or case, and same date of birth.', simpleResolvers: true })
export class DuplicateGroup {
  @Field(() => ID, { description: 'Identifier of the group: the smallest member id in it.' })
  id!: string;

  @Field(() => [Member], { description: 'The records, oldest first.' })
  members!: Member[];
}
