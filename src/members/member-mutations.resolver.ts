import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireAccount, type RequestContext } from '../access/context';
import { isId } from '../graphql/ids';
import { mutation } from '../graphql/mutation';
import { memberForChangeSql } from './members.queries';
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

/** Changes to member records. Each runs in its own savepoint: refused means nothing changed. */
@Resolver()
export class MemberMutationsResolver {
  @Mutation(() => MemberPayload, { description: 'Creates a member record: an admission (kết nạp), or the file of a member already official.' })
  createMember(@Arg('input', () => CreateMemberInput) input: CreateMemberInput, @Ctx() ctx: RequestContext): Promise<MemberPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).memberRecords.create(input), input.reason, { uniqueConflict: uniqueNumberConflicts(input) });
  }

  @Mutation(() => MemberPayload, { description: 'Corrects fields of a member record (optimistic locking with expectedVersion).' })
  updateMember(@Arg('input', () => UpdateMemberInput) input: UpdateMemberInput, @Ctx() ctx: RequestContext): Promise<MemberPayload> {
    // The row to correct is locked and read in the savepoint's own message (MemberRecordsService.update).
    const firstRead = isId(input.id) ? memberForChangeSql(requireAccount(ctx).scope.path, input.id) : null;
    return mutation(ctx.em, refused, (em, locked) => ctx.servicesOn(em).memberRecords.update(input, locked), input.reason, {
      uniqueConflict: uniqueNumberConflicts(input),
      firstRead,
      // It writes by members.queries.ts alone: no unit of work to fork and flush.
      sqlOnly: true,
    });
  }

  @Mutation(() => MemberPayload, { description: 'A lifecycle decision: release, return from release, removal, expulsion, resignation, death.' })
  changeMemberStatus(@Arg('input', () => ChangeMemberStatusInput) input: ChangeMemberStatusInput, @Ctx() ctx: RequestContext): Promise<MemberPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).lifecycle.changeStatus(input), input.reason);
  }

  @Mutation(() => MemberPayload, { description: 'Recognises a probationary member as official (công nhận chính thức) at the end of the 12 months.' })
  confirmOfficial(@Arg('input', () => ConfirmOfficialInput) input: ConfirmOfficialInput, @Ctx() ctx: RequestContext): Promise<MemberPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).lifecycle.confirmOfficial(input), input.reason);
  }

  @Mutation(() => MemberPayload, { description: 'Readmits a member who left (kết nạp lại): once only, 36 months after leaving.' })
  readmitMember(@Arg('input', () => ReadmitMemberInput) input: ReadmitMemberInput, @Ctx() ctx: RequestContext): Promise<MemberPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).lifecycle.readmit(input), input.reason);
  }
}
