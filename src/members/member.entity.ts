import { Embedded, Entity, Enum, Filter, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { scopeFilter } from '../access/scope';
import { DateScalar } from '../graphql/scalars';
import { OrgUnit } from '../units/org-unit.entity';
import { Decision } from '../graphql/decision';

export enum MemberStatus {
  PROBATIONARY = 'PROBATIONARY',
  OFFICIAL = 'OFFICIAL',
  RELEASED = 'RELEASED',
  REMOVED = 'REMOVED',
  EXPELLED = 'EXPELLED',
  RESIGNED = 'RESIGNED',
  DECEASED = 'DECEASED',
}

registerEnumType(MemberStatus, {
  name: 'MemberStatus',
  description: 'Where a member is in the lifecycle (tình trạng đảng viên).',
  valuesConfig: {
    PROBATIONARY: { description: 'Đảng viên dự bị — probationary, 12 months from admission.' },
    OFFICIAL: { description: 'Đảng viên chính thức — official member.' },
    RELEASED: { description: 'Miễn công tác và sinh hoạt đảng — released from activities, still a member.' },
    REMOVED: { description: 'Xóa tên — removed from the rolls (end state).' },
    EXPELLED: { description: 'Khai trừ — expelled (end state).' },
    RESIGNED: { description: 'Xin ra Đảng — resigned (end state).' },
    DECEASED: { description: 'Từ trần — deceased (end state).' },
  },
});

export enum Gender {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}

registerEnumType(Gender, {
  name: 'Gender',
  description: 'Giới tính.',
  valuesConfig: { MALE: { description: 'Nam.' }, FEMALE: { description: 'Nữ.' } },
});

@ObjectType({ description: 'A party member (đảng viên) and the record kept on them (hồ sơ đảng viên, lý lịch mẫu 1-HSĐV).' })
@Entity({ tableName: 'member' })
@Filter(scopeFilter('unit_path'))
export class Member {
  [OptionalProps]?: 'version' | 'createdAt' | 'updatedAt' | 'introducers' | 'underReview' | 'ageExceptionDecision';

  @Field(() => ID, { description: 'Stable identifier of the member record.' })
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => Int, { description: 'Version of the record; an update names the version it read (optimistic locking).' })
  @Property({ version: true })
  version: number = 1;

  @Field(() => String, { nullable: true, description: 'Party card number (số thẻ đảng viên); unique.' })
  @Property({ nullable: true })
  partyCardNumber?: string | null;

  @Field({ description: 'Full name with diacritics (họ và tên), family name first.' })
  @Property()
  fullName!: string;

  @Field(() => Gender, { description: 'Gender (giới tính).' })
  @Enum(() => Gender)
  gender!: Gender;

  @Field(() => DateScalar, { description: 'Date of birth (ngày sinh).' })
  @Property({ type: 'date' })
  dateOfBirth!: string;

  /** Code in the ETHNIC_GROUP catalogue; exposed as a label by MemberResolver. */
  @Property({ nullable: true })
  ethnicity?: string | null;

  /** Code in the RELIGION catalogue (null: none); exposed as a label by MemberResolver. */
  @Property({ nullable: true })
  religion?: string | null;

  @Field(() => String, { nullable: true, description: 'National citizen ID (số CCCD), 12 digits. Sensitive personal data.' })
  @Property({ nullable: true })
  nationalId?: string | null;

  @Field(() => DateScalar, { description: 'Admission date (ngày vào Đảng): the date of the admission decision; party age counts from it.' })
  @Property({ type: 'date' })
  joinedOn!: string;

  @Field(() => DateScalar, {
    description: 'Admission ceremony (ngày lễ kết nạp), not before the decision; the 12 months of probation run from it. Records entered before it was kept have the decision’s date.',
  })
  @Property({ type: 'date' })
  admissionCeremonyOn!: string;

  @Field(() => Decision, {
    description:
      'For an admission over 60 years: the decision of the provincial-level committee (cấp ủy trực thuộc Trung ương) that allowed it; every field null when there was none.',
  })
  @Embedded(() => Decision, { prefix: 'age_exception_decision_' })
  ageExceptionDecision: Decision = new Decision();

  @Field(() => DateScalar, { nullable: true, description: 'Date of becoming an official member (ngày chính thức); null while probationary.' })
  @Property({ type: 'date', nullable: true })
  officialOn?: string | null;

  @Field(() => MemberStatus, { description: 'Current status in the lifecycle (tình trạng).' })
  @Enum(() => MemberStatus)
  status!: MemberStatus;

  @Field(() => String, { nullable: true, description: 'Birth name if different (tên khai sinh).' })
  @Property({ nullable: true })
  birthName?: string | null;

  @Field(() => String, { nullable: true, description: 'Other names (bí danh, tên gọi khác).' })
  @Property({ nullable: true })
  aliases?: string | null;

  @Field(() => String, { nullable: true, description: 'Place of birth (nơi sinh).' })
  @Property({ nullable: true })
  placeOfBirth?: string | null;

  @Field(() => String, { nullable: true, description: 'Home town (quê quán).' })
  @Property({ nullable: true })
  homeTown?: string | null;

  @Field(() => String, { nullable: true, description: 'Permanent address (nơi thường trú). Sensitive personal data.' })
  @Property({ nullable: true })
  permanentAddress?: string | null;

  @Field(() => String, { nullable: true, description: 'Temporary address (nơi tạm trú). Sensitive personal data.' })
  @Property({ nullable: true })
  temporaryAddress?: string | null;

  @Field(() => String, { nullable: true, description: 'Phone number (số điện thoại). Sensitive personal data.' })
  @Property({ nullable: true })
  phone?: string | null;

  /** OCCUPATION code; exposed as a catalogue item. */
  @Property({ nullable: true })
  occupation?: string | null;

  @Field(() => String, { nullable: true, description: 'General education (giáo dục phổ thông), e.g. "12/12".' })
  @Property({ nullable: true })
  generalEducation?: string | null;

  /** PROFESSIONAL_LEVEL code. */
  @Property({ nullable: true })
  professionalLevel?: string | null;

  @Field(() => String, { nullable: true, description: 'Field of the professional degree (chuyên ngành).' })
  @Property({ nullable: true })
  professionalField?: string | null;

  /** ACADEMIC_TITLE code. */
  @Property({ nullable: true })
  academicTitle?: string | null;

  /** POLITICAL_THEORY code. */
  @Property({ nullable: true })
  politicalTheory?: string | null;

  /** STATE_MANAGEMENT code. */
  @Property({ nullable: true })
  stateManagement?: string | null;

  @Field(() => String, { nullable: true, description: 'Foreign languages and levels (ngoại ngữ).' })
  @Property({ nullable: true })
  foreignLanguages?: string | null;

  @Field(() => String, { nullable: true, description: 'IT level (tin học).' })
  @Property({ nullable: true })
  itLevel?: string | null;

  @Field(() => String, { nullable: true, description: 'Party organisation that admitted the member (chi bộ kết nạp).' })
  @Property({ nullable: true })
  admittedBy?: string | null;

  @Field(() => [String], { description: 'The two introducers at admission (người giới thiệu).' })
  @Property({ type: 'text[]' })
  introducers: string[] = [];

  @Field({ description: 'Under inspection or complaint (đang bị kiểm tra, giải quyết khiếu nại); such a member is not transferred.' })
  @Property()
  underReview: boolean = false;

  @Field(() => DateScalar, { nullable: true, description: 'Date of leaving (removed, expelled, resigned, deceased).' })
  @Property({ type: 'date', nullable: true })
  leftOn?: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Off this organisation’s rolls from this day (chuyển sinh hoạt ra ngoài): transferred to another province or abroad; still a party member there.',
  })
  @Property({ type: 'date', nullable: true })
  transferredOutOn?: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Since when the member is seriously ill (bệnh hiểm nghèo), as recorded with its ground; may bring a party badge early. Health data: sensitive personal data.',
  })
  @Property({ type: 'date', nullable: true })
  seriousIllnessSince?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The ground for the serious illness (căn cứ: e.g. the hospital’s certificate). Given with seriousIllnessSince. Sensitive personal data.',
  })
  @Property({ nullable: true })
  seriousIllnessGround?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of readmission (kết nạp lại), if readmitted.' })
  @Property({ type: 'date', nullable: true })
  readmittedOn?: string | null;

  /** The cell where the member is registered; exposed through MemberResolver.unit (batched). */
  @ManyToOne(() => OrgUnit, { ref: true, fieldName: 'unit_id' })
  unit!: Ref<OrgUnit>;

  @Property({ defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
