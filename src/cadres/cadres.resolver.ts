import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../access/context';
import { mutation } from '../graphql/mutation';
import { DateScalar } from '../graphql/scalars';
import { Member } from '../members/member.entity';
import { OrgUnit } from '../units/org-unit.entity';
import { PlanningEntry, Post } from './cadre.entity';
import { AddPlanningEntryInput, AppointToPostInput, EndPostInput, PlanningEntryPayload, PostPayload } from './cadres.inputs';
import { reappointmentDue } from './cadres.service';

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
    return mutation(ctx.em, { entry: null }, (em) => ctx.servicesOn(em).cadres.plan(input), input.reason);
  }
}

@Resolver(() => Post)
export class PostResolver {
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
