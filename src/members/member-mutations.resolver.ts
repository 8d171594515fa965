import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireAccount, type RequestContext } from '../graphql/context';
import { mutation } from '../graphql/mutation';
import { LifecycleService } from './lifecycle.service';
import { MemberRecordsService } from './member-records.service';
import { uniqueNumberConflicts } from './unique-numbers';
import {
  ChangeMemberStatusInput,
  ConfirmOfficialInput,
  CreateMemberInput,
  MemberPayload,
  ReadmitMemberInput,
  UpdateMemberInput,
} from './member-mutations.inputs';

const refused = { member: null, warnings: [] };

function records(ctx: RequestContext, em = ctx.em) {
  requireAccount(ctx);
  return new MemberRecordsService(em, ctx.app.config, ctx.app.clock.today());
}

/** Changes to member records. Each runs in its own savepoint: refused means nothing changed. */
@Resolver()
export class MemberMutationsResolver {
  @Mutation(() => MemberPayload, { description: 'Creates a member record: an admission (kết nạp), or the file of a member already official.' })
  createMember(@Arg('input', () => CreateMemberInput) input: CreateMemberInput, @Ctx() ctx: RequestContext): Promise<MemberPayload> {
    return mutation(ctx.em, refused, (em) => records(ctx, em).create(input), input.reason, { uniqueConflict: uniqueNumberConflicts(input) });
  }

  @Mutation(() => MemberPayload, { description: 'Corrects fields of a member record (optimistic locking with expectedVersion).' })
  updateMember(@Arg('input', () => UpdateMemberInput) input: UpdateMemberInput, @Ctx() ctx: RequestContext): Promise<MemberPayload> {
    return mutation(ctx.em, refused, (em) => records(ctx, em).update(input), input.reason, { uniqueConflict: uniqueNumberConflicts(input) });
  }

  @Mutation(() => MemberPayload, { description: 'A lifecycle decision: release, return from release, removal, expulsion, resignation, death.' })
  changeMemberStatus(@Arg('input', () => ChangeMemberStatusInput) input: ChangeMemberStatusInput, @Ctx() ctx: RequestContext): Promise<MemberPayload> {
    return mutation(ctx.em, refused, (em) => new LifecycleService(em, records(ctx, em), ctx.app.clock.today()).changeStatus(input), input.reason);
  }

  @Mutation(() => MemberPayload, { description: 'Recognises a probationary member as official (công nhận chính thức) at the end of the 12 months.' })
  confirmOfficial(@Arg('input', () => ConfirmOfficialInput) input: ConfirmOfficialInput, @Ctx() ctx: RequestContext): Promise<MemberPayload> {
    return mutation(ctx.em, refused, (em) => new LifecycleService(em, records(ctx, em), ctx.app.clock.today()).confirmOfficial(input), input.reason);
  }

  @Mutation(() => MemberPayload, { description: 'Readmits a member who left (kết nạp lại): once only, 36 months after leaving.' })
  readmitMember(@Arg('input', () => ReadmitMemberInput) input: ReadmitMemberInput, @Ctx() ctx: RequestContext): Promise<MemberPayload> {
    return mutation(ctx.em, refused, (em) => new LifecycleService(em, records(ctx, em), ctx.app.clock.today()).readmit(input), input.reason);
  }
}
