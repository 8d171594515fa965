import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Decision } from '../graphql/decision';
import { UserError } from '../graphql/errors';
import { DateScalar } from '../graphql/scalars';
import { UnitKind } from './org-unit.entity';

export enum AccountOutcomeKind {
  DEACTIVATED = 'DEACTIVATED',
  REHOMED = 'REHOMED',
}

registerEnumType(AccountOutcomeKind, {
  name: 'AccountOutcomeKind',
  description: 'What a reorganisation does to an account whose unit ends.',
  valuesConfig: {
    DEACTIVATED: { description: 'Deactivated (khóa tài khoản): it can no longer sign in.' },
    REHOMED: { description: 'Moved to another unit (chuyển đơn vị), listed in rehomeAccounts; its scope is that unit’s subtree.' },
  },
});

@ObjectType({ description: 'A recorded reorganisation (sắp xếp tổ chức): its day, decision and reason.' })
export class Reorganisation {
  @Field(() => ID, { description: 'Identifier of the reorganisation.' }) id!: string;
  @Field(() => DateScalar, { description: 'The day it took effect (ngày có hiệu lực).' }) effectiveOn!: string;
  @Field(() => Decision, { description: 'The decision it rests on (quyết định).' }) decision!: Decision;
  @Field({ description: 'Why (lý do).' }) reason!: string;
  @Field(() => ID, { description: 'The unit whose subtree holds every unit involved: where the reorganisation is filed.' }) unitId!: string;
}

@ObjectType({ description: 'A unit the reorganisation created (thành lập mới).' })
export class CreatedUnit {
  @Field({ description: 'Its key in newUnits.' }) key!: string;
  @Field(() => ID, { description: 'Identifier of the new unit.' }) id!: string;
  @Field({ description: 'Its code (mã tổ chức), made once.' }) code!: string;
}

@ObjectType({ description: 'An account whose unit ends, and what happens to it.' })
export class ReorganisationAccount {
  @Field(() => ID, { description: 'The account.' }) accountId!: string;
  @Field({ description: 'Its username.' }) username!: string;
  @Field(() => AccountOutcomeKind, { description: 'Deactivated, or moved to another unit.' }) outcome!: AccountOutcomeKind;
  @Field(() => ID, { nullable: true, description: 'REHOMED: its new unit (null in a dry run when that unit is a new one: see toKey).' }) toUnitId!: string | null;
  @Field(() => String, { nullable: true, description: 'REHOMED to a new unit of the operation: its key.' }) toKey!: string | null;
}

@ObjectType({ description: 'What a reorganisation does to one unit it involves (a unit acted on, or a unit that receives).' })
export class ReorganisationUnitReport {
  @Field(() => ID, { nullable: true, description: 'The unit; null for a new unit in a dry run (it is not created).' }) unitId!: string | null;
  @Field(() => String, { nullable: true, description: 'A new unit: its key in newUnits.' }) key!: string | null;
  @Field(() => String, { nullable: true, description: 'Its code (for a new unit, the code it gets); null when the operation was refused before it was made.' }) code!: string | null;
  @Field({ description: 'Its name after the operation.' }) name!: string;
  @Field(() => UnitKind, { description: 'Kind of unit.' }) kind!: UnitKind;
  @Field({ description: 'The unit ends (merged, split or dissolved: sáp nhập, chia tách, giải thể).' }) ends!: boolean;
  @Field(() => Int, { description: 'Active members (đảng viên) in its subtree before the operation.' }) membersBefore!: number;
  @Field(() => Int, { nullable: true, description: 'Active members in its subtree after the operation; null when the operation is refused.' }) members!: number | null;
  @Field(() => Int, { description: 'Alive cells (chi bộ) in its subtree before the operation.' }) cellsBefore!: number;
  @Field(() => Int, { nullable: true, description: 'Alive cells in its subtree after the operation; null when the operation is refused.' }) cells!: number | null;
  @Field(() => [ReorganisationAccount], { description: 'Accounts of the unit, when it ends: deactivated or moved.' }) accounts!: ReorganisationAccount[];
}

@ObjectType({ description: 'Result of reorganiseUnits: the report of what it does (or, in a dry run, would do), and the record when it was made.' })
export class ReorganiseUnitsPayload {
  @Field({ description: 'True when nothing was written (dryRun).' }) dryRun!: boolean;
  @Field(() => Reorganisation, { nullable: true, description: 'The recorded reorganisation; null in a dry run or when refused.' }) reorganisation!: Reorganisation | null;
  @Field(() => [CreatedUnit], { description: 'The units created (empty in a dry run or when refused).' }) createdUnits!: CreatedUnit[];
  @Field(() => [ReorganisationUnitReport], { description: 'Each unit involved: the units acted on and the units they go into, new ones by key.' }) units!: ReorganisationUnitReport[];
  @Field(() => [UserError], { description: 'What stops the operation (the same as userErrors), so a dry run lists every problem to fix.' }) problems!: UserError[];
  @Field(() => [UserError], { description: 'Why it was refused; empty on success. A refused operation wrote nothing.' }) userErrors!: UserError[];
}
