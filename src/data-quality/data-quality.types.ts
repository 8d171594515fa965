import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../graphql/connection';
import { Member } from '../members/member.entity';
import { OrgUnit } from '../units/org-unit.entity';
import { DATA_QUALITY_RULES, DATA_QUALITY_RULE_CODES, RECORD_KINDS, RECORD_KIND_NAMES, type DataQualityRuleCode, type RecordKind } from './checks';

/** The rule codes of checks.ts as a GraphQL enum: one list of values, described by the rules themselves. */
export const DataQualityRuleCodeEnum = Object.fromEntries(DATA_QUALITY_RULE_CODES.map((c) => [c, c])) as { readonly [K in DataQualityRuleCode]: K };

registerEnumType(DataQualityRuleCodeEnum, {
  name: 'DataQualityRuleCode',
  description: 'A rule of the register that stored records are checked against (kiểm tra chất lượng dữ liệu).',
  valuesConfig: Object.fromEntries(DATA_QUALITY_RULES.map((rule) => [rule.code, { description: rule.description }])),
});

export const DataQualityRecordKindEnum = Object.fromEntries(RECORD_KINDS.map((k) => [k, k])) as { readonly [K in RecordKind]: K };

registerEnumType(DataQualityRecordKindEnum, {
  name: 'DataQualityRecordKind',
  description: 'The kind of record an issue points at: the member record itself, or one entry of the member file.',
  valuesConfig: Object.fromEntries(RECORD_KINDS.map((kind) => [kind, { description: `${RECORD_KIND_NAMES[kind].type}: ${RECORD_KIND_NAMES[kind].words}.` }])),
});

@ObjectType({ description: 'A stored record that breaks a rule of the register, for staff to correct (it was not rewritten).', simpleResolvers: true })
export class DataQualityIssue {
  @Field(() => DataQualityRuleCodeEnum, { description: 'The rule broken.' })
  rule!: DataQualityRuleCode;

  @Field(() => Member, { description: 'The member whose file holds the record.' })
  member!: Member;

  @Field(() => DataQualityRecordKindEnum, { description: 'Which record: the member record itself (MEMBER) or an entry of the file.' })
  recordKind!: RecordKind;

  @Field(() => ID, { description: 'Identifier of the record (the member id for MEMBER); the id the correcting mutation takes.' })
  recordId!: string;

  @Field({ description: 'The field to fix, as Type.field, e.g. "QualityRating.year".' })
  field!: string;

  @Field({ description: 'What is wrong and what to change, in plain words naming the field.' })
  message!: string;

  @Field({ description: 'Where the rule comes from: the party text and article, and where the code keeps it.' })
  source!: string;
}

@ObjectType({ description: 'How many records of the subtree break one rule.', simpleResolvers: true })
export class DataQualityRuleCount {
  @Field(() => DataQualityRuleCodeEnum, { description: 'The rule.' })
  rule!: DataQualityRuleCode;

  @Field({ description: 'What the rule checks.' })
  description!: string;

  @Field({ description: 'Where the rule comes from.' })
  source!: string;

  @Field(() => Int, { description: 'Records of the subtree, in your scope, that break it (0 included).' })
  count!: number;
}

@ObjectType({ description: 'One data quality issue in a page, with its cursor.', simpleResolvers: true })
export class DataQualityIssueEdge {
  @Field({ description: 'Opaque position of this issue; pass it as `after` to continue from here.' })
  cursor!: string;

  @Field(() => DataQualityIssue, { description: 'The issue.' })
  node!: DataQualityIssue;
}

@ObjectType({
  description:
    'The records of a unit and its subtree that break a rule of the register (issue list for staff to fix), ordered by member, ' +
    'rule and record; with the count per rule. Counts and page come from one snapshot.',
  simpleResolvers: true,
})
export class DataQualityIssueConnection {
  @Field(() => OrgUnit, { description: 'The unit checked (with its subtree).' })
  unit!: OrgUnit;

  @Field(() => [DataQualityIssueEdge], { description: 'The issues of this page, in order.' })
  edges!: DataQualityIssueEdge[];

  @Field(() => PageInfo, { description: 'Whether more issues follow, and the cursor to continue from.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Issues listed over all pages (of the rules asked for).' })
  totalCount!: number;

  @Field(() => [DataQualityRuleCount], { description: 'Every rule checked, with how many records break it, in the order of the rules (whatever rules were asked for the list).' })
  byRule!: DataQualityRuleCount[];

  @Field(() => [DataQualityRuleCodeEnum], {
    description: 'Rules not checked for you: those over the discipline register, which only roles that may read sensitive data are shown.',
  })
  notChecked!: DataQualityRuleCode[];
}
