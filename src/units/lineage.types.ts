import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Decision } from '../graphql/decision';
import { DateScalar } from '../graphql/scalars';

export enum ReorganisationKind {
  MERGE = 'MERGE',
  SPLIT = 'SPLIT',
  RENAME = 'RENAME',
  MOVE = 'MOVE',
  DISSOLVE = 'DISSOLVE',
}

registerEnumType(ReorganisationKind, {
  name: 'ReorganisationKind',
  description: 'What a step of a reorganisation (sắp xếp tổ chức) did to a unit.',
  valuesConfig: {
    MERGE: { description: 'Sáp nhập: several units went into one.' },
    SPLIT: { description: 'Chia tách: one unit was divided among several.' },
    RENAME: { description: 'Đổi tên: the unit took a new name (its code stays).' },
    MOVE: { description: 'Điều chuyển: the unit was placed under another parent.' },
    DISSOLVE: { description: 'Giải thể: the unit ended, with a successor or, when empty, without.' },
  },
});

@ObjectType({
  description:
    'A unit at one end of a lineage step: its id, code and name (the unit acted on as it was the day before, the unit it went into as the reorganisation left it). Shown to whoever sees either end of the step, as the decision names both, even when the other unit is outside your scope (a merged ward ends under its old district).',
})
export class LineageUnit {
  @Field(() => ID, { description: 'Identifier of the unit.' })
  id!: string;

  @Field({ description: 'Code of the unit (never reused).' })
  code!: string;

  @Field({ description: 'Name of the unit: before the step for the unit acted on (a rename shows the old name here and the new one in to), after it for the unit it went into.' })
  name!: string;
}

@ObjectType({ description: 'One step of a reorganisation touching a unit (lịch sử sắp xếp): which unit went into which, when, and on what decision.' })
export class LineageStep {
  @Field(() => ReorganisationKind, { description: 'What the step did.' })
  kind!: ReorganisationKind;

  @Field(() => DateScalar, { description: 'The day it took effect (ngày có hiệu lực).' })
  effectiveOn!: string;

  @Field(() => LineageUnit, { description: 'The unit the step acted on (the predecessor).' })
  from!: LineageUnit;

  @Field(() => LineageUnit, { nullable: true, description: 'The unit it went into (the successor); the unit itself for a rename or a move; null when dissolved without a successor.' })
  to!: LineageUnit | null;

  @Field(() => Decision, { description: 'The decision the reorganisation rests on.' })
  decision!: Decision;

  @Field({ description: 'Why, as recorded with the reorganisation (lý do).' })
  reason!: string;
}

@ObjectType({ description: 'Where a unit came from and where it went (predecessors and successors), each step with its date and decision.' })
export class UnitLineage {
  @Field(() => [LineageStep], { description: 'Steps that made this unit out of others (it is their `to`), oldest first.' })
  predecessors!: LineageStep[];

  @Field(() => [LineageStep], { description: 'Steps that took this unit into others (it is their `from` and another unit their `to`, or none), oldest first.' })
  successors!: LineageStep[];

  @Field(() => [LineageStep], { description: 'Renames and moves of this unit, oldest first.' })
  changes!: LineageStep[];
}
