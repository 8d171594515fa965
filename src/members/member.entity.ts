import { Entity, Enum, Filter, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { scopeFilter } from '../access/scope';
import { DateScalar } from '../graphql/scalars';
import { OrgUnit } from '../units/org-unit.entity';

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
  @Field(() => ID, { description: 'Stable identifier of the member record.' })
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => Int, { description: 'Version of the record; an update names the version it read (optimistic locking).' })
  @Property()
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

  @Field(() => String, { nullable: true, description: 'Ethnic group (dân tộc). Sensitive personal data.' })
  @Property({ nullable: true })
  ethnicity?: string | null;

  @Field(() => String, { nullable: true, description: 'Religion (tôn giáo); null for none. Sensitive personal data.' })
  @Property({ nullable: true })
  religion?: string | null;

  @Field(() => String, { nullable: true, description: 'National citizen ID (số CCCD), 12 digits. Sensitive personal data.' })
  @Property({ nullable: true })
  nationalId?: string | null;

  @Field(() => DateScalar, { description: 'Admission date (ngày vào Đảng).' })
  @Property({ type: 'date' })
  joinedOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Date of becoming an official member (ngày chính thức); null while probationary.' })
  @Property({ type: 'date', nullable: true })
  officialOn?: string | null;

  @Field(() => MemberStatus, { description: 'Current status in the lifecycle (tình trạng).' })
  @Enum(() => MemberStatus)
  status!: MemberStatus;

  /** The cell where the member is registered; exposed through MemberResolver.unit (batched). */
  @ManyToOne(() => OrgUnit, { ref: true, fieldName: 'unit_id' })
  unit!: Ref<OrgUnit>;

  @Property({ defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
