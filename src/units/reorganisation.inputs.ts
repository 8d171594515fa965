import { Field, ID, InputType } from 'type-graphql';
import { DecisionInput } from '../graphql/decision';
import { MaxChars } from '../graphql/input-limits';
import { DateScalar } from '../graphql/scalars';
import { ReorganisationKind } from './lineage.types';
import { UnitKind } from './org-unit.entity';

@InputType({ description: 'A unit of a reorganisation: an existing unit (id) or a unit the same operation creates (key). Give exactly one.' })
export class UnitRefInput {
  @MaxChars(20) @Field(() => ID, { nullable: true, description: 'An existing unit in your scope.' }) id?: string | null;
  @MaxChars(50) @Field(() => String, { nullable: true, description: 'The key of a unit in newUnits of this operation.' }) key?: string | null;
}

@InputType({ description: 'A unit the reorganisation creates (thành lập mới), from its effective day. Its code is made from the parent’s code and the name, once.' })
export class NewUnitInput {
  @MaxChars(50) @Field({ description: 'A name for the unit within this operation, unique in it, used by UnitRefInput.key (e.g. "haichau").' }) key!: string;
  @MaxChars(300) @Field({ description: 'Name with diacritics, e.g. "Đảng bộ phường Hải Châu".' }) name!: string;
  @Field(() => UnitKind, { description: 'Kind of unit (a label, not a level).' }) kind!: UnitKind;
  @Field(() => UnitRefInput, { description: 'The unit above it: an existing unit or a new unit defined earlier in newUnits.' }) parent!: UnitRefInput;
}

@InputType({ description: 'Where a split (chia tách) sends one child unit or one member of the unit it splits. Give exactly one of unitId or memberId.' })
export class AssignmentInput {
  @MaxChars(20) @Field(() => ID, { nullable: true, description: 'A unit directly below the split unit (alive).' }) unitId?: string | null;
  @MaxChars(20) @Field(() => ID, { nullable: true, description: 'A member registered directly in the split unit (with an open unit period).' }) memberId?: string | null;
  @Field(() => UnitRefInput, { description: 'One of the units of the step’s into.' }) to!: UnitRefInput;
}

@InputType({ description: 'One step of a reorganisation, applied in order after the new units are created.' })
export class ReorganisationStepInput {
  @Field(() => ReorganisationKind, {
    description:
      'MERGE (sáp nhập): units go into one; SPLIT (chia tách): one unit is divided among several; RENAME (đổi tên); MOVE (điều chuyển): placed under another parent; DISSOLVE (giải thể): ended, into a successor or, when empty, without one.',
  })
  kind!: ReorganisationKind;
  @MaxChars(20)
  @Field(() => [ID], { description: 'The unit(s) the step acts on. MERGE: at least two, or one when into is an existing unit; other kinds: exactly one.' })
  units!: string[];
  @Field(() => [UnitRefInput], { nullable: true, description: 'MERGE: the one unit they go into; SPLIT: the units (at least two) the unit is divided among; DISSOLVE: an optional successor.' })
  into?: UnitRefInput[] | null;
  @MaxChars(300) @Field(() => String, { nullable: true, description: 'RENAME: the new name (tên mới). The code stays.' }) name?: string | null;
  @Field(() => UnitRefInput, { nullable: true, description: 'MOVE: the new parent (đơn vị cấp trên mới). The code stays.' }) parent?: UnitRefInput | null;
  @Field(() => [AssignmentInput], {
    nullable: true,
    description: 'SPLIT: every alive unit directly below and every member registered directly in the unit, each to one of into. Nothing left out, nothing twice.',
  })
  assign?: AssignmentInput[] | null;
}

@InputType({ description: 'An account of a unit that ends, moved to a unit that stays instead of being deactivated.' })
export class AccountRehomeInput {
  @MaxChars(20) @Field(() => ID, { description: 'The account.' }) accountId!: string;
  @Field(() => UnitRefInput, { description: 'Its new unit: alive after the operation, in your scope.' }) to!: UnitRefInput;
}

@InputType({ description: 'A reorganisation of units (sắp xếp tổ chức): sáp nhập, chia tách, đổi tên, điều chuyển, giải thể, on one decision, all or nothing.' })
export class ReorganiseUnitsInput {
  @Field(() => DateScalar, { description: 'The day it takes effect (ngày có hiệu lực): today or a past day, after every later change of the units and members it touches.' })
  effectiveOn!: string;
  @Field(() => DecisionInput, { description: 'The decision it rests on (quyết định), dated not after effectiveOn.' }) decision!: DecisionInput;
  @MaxChars(2000) @Field({ description: 'Why (lý do), kept with the reorganisation and in every audit event it causes.' }) reason!: string;
  @Field({ defaultValue: false, description: 'Check and report what would happen, writing nothing (chạy thử).' }) dryRun: boolean = false;
  @Field(() => [NewUnitInput], { nullable: true, description: 'Units created first (thành lập), parents before the units below them.' }) newUnits?: NewUnitInput[] | null;
  @Field(() => [ReorganisationStepInput], { description: 'The steps, in order.' }) steps!: ReorganisationStepInput[];
  @Field(() => [AccountRehomeInput], {
    nullable: true,
    description: 'Accounts of units that end, moved to another unit; every other active account of a unit that ends is deactivated.',
  })
  rehomeAccounts?: AccountRehomeInput[] | null;
}
