import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../graphql/errors';
import { DateScalar } from '../graphql/scalars';
import { DecisionInput } from '../graphql/decision';
import { Gender, Member, MemberStatus } from './member.entity';
import { DepartureCause } from './member-period.entity';
import { MaxChars, Range } from '../graphql/input-limits';

/** Fields of the record that can be given at creation and corrected later. Codes are catalogue codes. */
@InputType({ description: 'Fields of a member record shared by creation and correction.' })
export class MemberDetailsInput {
  @MaxChars(30)
  @Field(() => String, { nullable: true, description: 'Party card number (số thẻ đảng viên).' })
  partyCardNumber?: string | null;

  @MaxChars(20)
  @Field(() => String, { nullable: true, description: 'National citizen ID (CCCD), 12 digits.' })
  nationalId?: string | null;

  @MaxChars(50)
  @Field(() => String, { nullable: true, description: 'ETHNIC_GROUP code (mã dân tộc).' })
  ethnicityCode?: string | null;

  @MaxChars(50)
  @Field(() => String, { nullable: true, description: 'RELIGION code; null for none.' })
  religionCode?: string | null;

  @MaxChars(150)
  @Field(() => String, { nullable: true, description: 'Birth name if different (tên khai sinh).' })
  birthName?: string | null;

  @MaxChars(300)
  @Field(() => String, { nullable: true, description: 'Other names (bí danh).' })
  aliases?: string | null;

  @MaxChars(300)
  @Field(() => String, { nullable: true, description: 'Place of birth (nơi sinh).' })
  placeOfBirth?: string | null;

  @MaxChars(300)
  @Field(() => String, { nullable: true, description: 'Home town (quê quán).' })
  homeTown?: string | null;

  @MaxChars(300)
  @Field(() => String, { nullable: true, description: 'Permanent address (nơi thường trú).' })
  permanentAddress?: string | null;

  @MaxChars(300)
  @Field(() => String, { nullable: true, description: 'Temporary address (nơi tạm trú).' })
  temporaryAddress?: string | null;

  @MaxChars(20)
  @Field(() => String, { nullable: true, description: 'Phone number.' })
  phone?: string | null;

  @MaxChars(50)
  @Field(() => String, { nullable: true, description: 'OCCUPATION code (nghề nghiệp).' })
  occupationCode?: string | null;

  @MaxChars(10)
  @Field(() => String, { nullable: true, description: 'General education, e.g. "12/12".' })
  generalEducation?: string | null;

  @MaxChars(50)
  @Field(() => String, { nullable: true, description: 'PROFESSIONAL_LEVEL code (trình độ chuyên môn).' })
  professionalLevelCode?: string | null;

  @MaxChars(200)
  @Field(() => String, { nullable: true, description: 'Field of the professional degree (chuyên ngành).' })
  professionalField?: string | null;

  @MaxChars(50)
  @Field(() => String, { nullable: true, description: 'ACADEMIC_TITLE code (học hàm).' })
  academicTitleCode?: string | null;

  @MaxChars(50)
  @Field(() => String, { nullable: true, description: 'POLITICAL_THEORY code (lý luận chính trị).' })
  politicalTheoryCode?: string | null;

  @MaxChars(50)
  @Field(() => String, { nullable: true, description: 'STATE_MANAGEMENT code (quản lý nhà nước).' })
  stateManagementCode?: string | null;

  @MaxChars(300)
  @Field(() => String, { nullable: true, description: 'Foreign languages (ngoại ngữ).' })
  foreignLanguages?: string | null;

  @MaxChars(200)
  @Field(() => String, { nullable: true, description: 'IT level (tin học).' })
  itLevel?: string | null;

  @MaxChars(300)
  @Field(() => String, { nullable: true, description: 'Party organisation that admitted the member.' })
  admittedBy?: string | null;

  @MaxChars(150)
  @Field(() => [String], { nullable: true, description: 'The two introducers (người giới thiệu).' })
  introducers?: string[] | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Since when the member is seriously ill (bệnh hiểm nghèo); given with seriousIllnessGround, null clears both. A change needs a reason (health data).',
  })
  seriousIllnessSince?: string | null;

  @MaxChars(500)
  @Field(() => String, { nullable: true, description: 'The ground for the serious illness (căn cứ, e.g. the hospital’s certificate); given with seriousIllnessSince.' })
  seriousIllnessGround?: string | null;
}

@InputType({ description: 'A new member record: an admission (kết nạp), or the entry of an existing member’s file.' })
export class CreateMemberInput extends MemberDetailsInput {
  @Field(() => ID, { description: 'The cell (chi bộ) where the member is registered.' })
  unitId!: string;

  @MaxChars(150)
  @Field({ description: 'Full name with diacritics.' })
  fullName!: string;

  @Field(() => Gender, { description: 'Gender.' })
  gender!: Gender;

  @Field(() => DateScalar, { description: 'Date of birth.' })
  dateOfBirth!: string;

  @Field(() => DateScalar, {
    description: 'Admission date (ngày vào Đảng): the admission decision’s date, which also stands for the cell’s vote in the age rule. Party age counts from it.',
  })
  joinedOn!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Admission ceremony (ngày lễ kết nạp), not before joinedOn; the 12 months of probation run from it. Default: joinedOn.',
  })
  admissionCeremonyOn?: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'For the file of a member already official: the official date, which must be 12 months after the admission ceremony.',
  })
  officialOn?: string | null;

  @Field(() => DecisionInput, { description: 'The admission decision (quyết định kết nạp): dated from the 18th birthday, not after the ceremony.' })
  decision!: DecisionInput;

  @Field(() => DecisionInput, {
    nullable: true,
    description: 'Over full 60 years at admission: the decision of the provincial-level committee (cấp ủy trực thuộc Trung ương) that allows it. Required then; kept on the record.',
  })
  ageExceptionDecision?: DecisionInput | null;

  @Field({
    defaultValue: false,
    deprecationReason: 'Not enough on its own: an admission over 60 needs ageExceptionDecision, and under 18 is refused.',
    description: 'Former switch for an admission outside the age rule; ignored, see ageExceptionDecision.',
  })
  allowAgeOutsideRule: boolean = false;

  @Field({
    defaultValue: false,
    description: 'Admit although general education is below lower secondary (THCS) or cannot be read, as the rules allow in special cases; needs a reason. The warning stays in the payload.',
  })
  acceptEducationBelowRule: boolean = false;

  @MaxChars(2000)
  @Field(() => String, { nullable: true, description: 'Why (lý do), kept in the history.' })
  reason?: string | null;
}

@InputType({ description: 'Corrections to a member record (not its status or unit: those have their own mutations).' })
export class UpdateMemberInput extends MemberDetailsInput {
  @Field(() => ID, { description: 'The member.' })
  id!: string;

  @Range(1, 1000000000)
  @Field(() => Int, { description: 'The version you read; if the record changed since, the update is refused with CONFLICT.' })
  expectedVersion!: number;

  @MaxChars(150)
  @Field(() => String, { nullable: true, description: 'Full name with diacritics.' })
  fullName?: string | null;

  @Field(() => Gender, { nullable: true, description: 'Gender.' })
  gender?: Gender | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of birth.' })
  dateOfBirth?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Under inspection or complaint (no transfer while true).' })
  underReview?: boolean | null;

  @MaxChars(2000)
  @Field(() => String, {
    nullable: true,
    description: 'Why (lý do, the legal basis); required when an identity field (name, gender, birth date) or a sensitive field (national ID, ethnicity, religion, addresses, phone, serious illness) changes.',
  })
  reason?: string | null;
}

@InputType({ description: 'A lifecycle decision: release, return from release, removal, expulsion, resignation or death.' })
export class ChangeMemberStatusInput {
  @Field(() => ID, { description: 'The member.' })
  id!: string;

  @Range(1, 1000000000)
  @Field(() => Int, { description: 'The version you read.' })
  expectedVersion!: number;

  @Field(() => MemberStatus, { description: 'The new status.' })
  status!: MemberStatus;

  @Field(() => DateScalar, { description: 'The day the new status takes effect.' })
  effectiveOn!: string;

  @Field(() => DecisionInput, { description: 'The decision: dated not before the admission nor before the current status began.' })
  decision!: DecisionInput;

  @MaxChars(2000)
  @Field({ description: 'Why (lý do).' })
  reason!: string;

  @Field(() => DepartureCause, {
    nullable: true,
    description: 'For leaving (REMOVED, EXPELLED, RESIGNED, DECEASED): the cause, required; DECEASED defaults to DEATH, EXPELLED to DISCIPLINE.',
  })
  cause?: DepartureCause | null;

  @MaxChars(2000)
  @Field(() => String, {
    nullable: true,
    description: 'For EXPELLED: the grounds (lý do kỷ luật) of the discipline entry written with it; default: the reason.',
  })
  grounds?: string | null;
}

@InputType({ description: 'Recognition as an official member (công nhận đảng viên chính thức) after 12 months of probation.' })
export class ConfirmOfficialInput {
  @Field(() => ID, { description: 'The member.' })
  id!: string;

  @Range(1, 1000000000)
  @Field(() => Int, { description: 'The version you read.' })
  expectedVersion!: number;

  @Field(() => DecisionInput, { description: 'The decision recognising the member as official: not dated before probation ends.' })
  decision!: DecisionInput;

  @MaxChars(2000)
  @Field(() => String, { nullable: true, description: 'Why (lý do).' })
  reason?: string | null;
}

@InputType({
  description:
    'Readmission (kết nạp lại) of a member who left: once only, not after the barred causes of leaving, at least 36 months after leaving (60 months after a less serious conviction is expunged).',
})
export class ReadmitMemberInput {
  @Field(() => ID, { description: 'The member.' })
  id!: string;

  @Range(1, 1000000000)
  @Field(() => Int, { description: 'The version you read.' })
  expectedVersion!: number;

  @Field(() => DateScalar, { description: 'Date of the new admission; a new probation starts.' })
  joinedOn!: string;

  @Field(() => DecisionInput, {
    description:
      'The written consent of the provincial standing committee (văn bản đồng ý của ban thường vụ tỉnh ủy, thành ủy) on which the readmission rests: dated after leaving, not after joinedOn.',
  })
  decision!: DecisionInput;

  @MaxChars(2000)
  @Field({ description: 'Why (lý do).' })
  reason!: string;

  @Field(() => DepartureCause, {
    nullable: true,
    description: 'Why the member left, for a departure recorded before causes were kept (written onto it); refused when it differs from the recorded cause.',
  })
  departureCause?: DepartureCause | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'For a departure after a conviction for a less serious crime: the day the conviction was expunged (xóa án tích); required then.',
  })
  convictionExpungedOn?: string | null;
}

@ObjectType({ description: 'Result of a change to a member record.' })
export class MemberPayload {
  @Field(() => Member, { nullable: true, description: 'The record after the change; null when refused.' })
  member!: Member | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success. A refused change changed nothing.' })
  userErrors!: UserError[];

  @Field(() => [UserError], { description: 'Things to check that did not stop the change, e.g. a possible duplicate record.' })
  warnings!: UserError[];
}
