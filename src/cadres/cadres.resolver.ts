import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../access/context';
import { ConnectionType, pageRequest, type Connection } from '../graphql/connection';
import { mutation } from '../graphql/mutation';
import { DateScalar } from '../graphql/scalars';
import { Member } from '../members/member.entity';
import { OrgUnit } from '../units/org-unit.entity';
import { PlanningEntry, Post } from './cadre.entity';
import { AddPlanningEntryInput, AppointToPostInput, EndPostInput, PlanningEntryPayload, PostPayload } from './cadres.inputs';
import { MAX_DUE_WITHIN_DAYS } from './cadre-rules';
import { reappointmentDue } from './cadres.service';

const PostConnection = ConnectionType(Post, 'Post', 'post');

/** Cadre records on the member, and the mutations that appoint, end and plan. */
@Resolver(() => Member)
export class CadresResolver {
  @FieldResolver(() => [Post], { description: 'Posts held (chức vụ), oldest first; only those managed at your level or below.' })
  posts(@Root() member: Member, @Ctx() ctx: RequestContext): Promise<Post[]> {
    return ctx.loaders.posts.load(member.id);
  }

  @FieldResolver(() => [PlanningEntry], { description: 'Planning entries (quy hoạch); only those managed at your level or below.' })
  planning(@Root() member: Member, @Ctx() ctx: RequestContext): Promise<PlanningEntry[]> {
    return ctx.loaders.planning.load(member.id);
  }

  @Mutation(() => PostPayload, { description: 'Appoints a member to a post (bổ nhiệm).' })
  appointToPost(@Arg('input', () => AppointToPostInput) input: AppointToPostInput, @Ctx() ctx: RequestContext): Promise<PostPayload> {
    return mutation(ctx.em, { post: null }, (em) => ctx.servicesOn(em).cadres.appoint(input), input.reason);
  }

  @Mutation(() => PostPayload, { description: 'Ends a post (thôi giữ chức vụ).' })
  endPost(@Arg('input', () => EndPostInput) input: EndPostInput, @Ctx() ctx: RequestContext): Promise<PostPayload> {
    return mutation(ctx.em, { post: null }, (em) => ctx.servicesOn(em).cadres.end(input), input.reason);
  }

  @Mutation(() => PlanningEntryPayload, { description: 'Adds a planning entry (quy hoạch).' })
  addPlanningEntry(@Arg('input', () => AddPlanningEntryInput) input: AddPlanningEntryInput, @Ctx() ctx: RequestContext): Promise<PlanningEntryPayload> {
    return mutation(ctx.em, { entry: null, warnings: [] }, (em) => ctx.servicesOn(em).cadres.plan(input), input.reason);
  }
}

@Resolver(() => Post)
export class PostResolver {
  @Query(() => PostConnection, {
    description:
      'Posts due for reappointment (đến hạn bổ nhiệm lại): posts still held whose term ends within withinDays days of asOf, or has already ended, soonest first. Only posts managed at your level or below, of active members.',
  })
  postsDueForReappointment(
    @Ctx() ctx: RequestContext,
    @Arg('unitId', () => ID, { nullable: true, description: 'The unit whose subtree holds the posts (default: your own unit); NOT_FOUND when outside your scope.' }) unitId?: string,
    @Arg('withinDays', () => Int, { defaultValue: 90, description: `Days ahead of asOf, 0 to ${MAX_DUE_WITHIN_DAYS}.` }) withinDays: number = 90,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'The day counted from (default: today); posts held on that day.' }) asOf?: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<Post>> {
    return ctx.services.cadres.postsDueForReappointment(unitId, withinDays, asOf, pageRequest(first, after));
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'Unit where the post is held; null when outside your scope.' })
  unit(@Root() post: Post, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    return ctx.loaders.unitById.load(post.unit.id);
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'Unit whose level manages the post (cấp quản lý).' })
  managedBy(@Root() post: Post, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    return ctx.loaders.unitById.load(post.managedBy.id);
  }

  @FieldResolver(() => DateScalar, { description: 'When reappointment is due: the end of the term (start + term years).' })
  reappointmentDue(@Root() post: Post): string {
    return reappointmentDue(post);
  }
}

@Resolver(() => PlanningEntry)
export class PlanningEntryResolver {
  @FieldResolver(() => OrgUnit, { nullable: true, description: 'Unit where the planned post is held (the managing unit on entries made before it was recorded); null when outside your scope.' })
  unit(@Root() entry: PlanningEntry, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    return ctx.loaders.unitById.load((entry.unit ?? entry.managedBy).id);
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'Unit whose level manages the planning (cấp quản lý).' })
  managedBy(@Root() entry: PlanningEntry, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    return ctx.loaders.unitById.load(entry.managedBy.id);
  }
}
