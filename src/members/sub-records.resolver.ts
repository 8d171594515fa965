import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { asOfOf, rowsAsOf } from './point-in-time';
import type { RequestContext } from '../access/context';
import { mutation } from '../graphql/mutation';
import { Member } from './member.entity';
import {
  AddSubRecordInput,
  CorrectSubRecordInput,
  SubRecordPayload,
  VoidSubRecordInput,
} from './sub-records.inputs';
import {
  Award,
  DisciplineRecord,
  FamilyRelation,
  QualityRating,
  TrainingEntry,
  WorkHistoryEntry,
  type SubRecord,
} from './sub-records.entity';

const refused = { member: null, record: null };

async function entries<T extends SubRecord>(ctx: RequestContext, entity: new () => T, member: Member, includeSuperseded: boolean): Promise<T[]> {
  const current = await ctx.loaders.subRecords(entity).load(member.id);
  // For a member read as of an earlier instant, the entries as they were then.
  const asOf = asOfOf(member);
  const all = asOf ? rowsAsOf(ctx.em, entity, ctx.em.getMetadata().find(entity.name)!.tableName, current, asOf) : current;
  return includeSuperseded ? all : all.filter((entry) => !entry.supersededAt);
}

const history = { defaultValue: false, description: 'Also the entries replaced by corrections or voided (history).' };

/** The sub-records of a member file, and the mutations that add, correct and void them. */
@Resolver(() => Member)
export class SubRecordsResolver {
  @FieldResolver(() => [WorkHistoryEntry], { description: 'Work history (quá trình công tác).' })
  workHistory(@Root() m: Member, @Ctx() ctx: RequestContext, @Arg('includeSuperseded', history) all: boolean) {
    return entries(ctx, WorkHistoryEntry, m, all);
  }

  @FieldResolver(() => [TrainingEntry], { description: 'Training (đào tạo, bồi dưỡng).' })
  training(@Root() m: Member, @Ctx() ctx: RequestContext, @Arg('includeSuperseded', history) all: boolean) {
    return entries(ctx, TrainingEntry, m, all);
  }

  @FieldResolver(() => [Award], { description: 'Awards (khen thưởng), party badges included.' })
  awards(@Root() m: Member, @Ctx() ctx: RequestContext, @Arg('includeSuperseded', history) all: boolean) {
    return entries(ctx, Award, m, all);
  }

  // Nullable, so a role without the sensitive right gets null here, not a null member.
  @FieldResolver(() => [DisciplineRecord], { nullable: true, description: 'Discipline (kỷ luật). Sensitive personal data.' })
  disciplines(@Root() m: Member, @Ctx() ctx: RequestContext, @Arg('includeSuperseded', history) all: boolean) {
    return entries(ctx, DisciplineRecord, m, all);
  }

  @FieldResolver(() => [QualityRating], { description: 'Yearly quality ratings (đánh giá, xếp loại).' })
  ratings(@Root() m: Member, @Ctx() ctx: RequestContext, @Arg('includeSuperseded', history) all: boolean) {
    return entries(ctx, QualityRating, m, all);
  }

  @FieldResolver(() => [FamilyRelation], { nullable: true, description: 'Family relations (quan hệ gia đình). Sensitive personal data.' })
  family(@Root() m: Member, @Ctx() ctx: RequestContext, @Arg('includeSuperseded', history) all: boolean) {
    return entries(ctx, FamilyRelation, m, all);
  }

  @Mutation(() => SubRecordPayload, { description: 'Adds an entry to a member file (work, training, award, discipline, rating, family).' })
  addSubRecord(@Arg('input', () => AddSubRecordInput) input: AddSubRecordInput, @Ctx() ctx: RequestContext): Promise<SubRecordPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).subRecords.add(input), input.reason);
  }

  @Mutation(() => SubRecordPayload, { description: 'Corrects an entry: a new entry replaces it, the old one stays in history.' })
  correctSubRecord(@Arg('input', () => CorrectSubRecordInput) input: CorrectSubRecordInput, @Ctx() ctx: RequestContext): Promise<SubRecordPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).subRecords.correct(input), input.reason);
  }

  @Mutation(() => SubRecordPayload, { description: 'Voids an entry recorded in error; it stays in history, marked void.' })
  voidSubRecord(@Arg('input', () => VoidSubRecordInput) input: VoidSubRecordInput, @Ctx() ctx: RequestContext): Promise<SubRecordPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).subRecords.void(input), input.reason);
  }
}
