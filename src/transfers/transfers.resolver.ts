import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, pageRequest, type Connection } from '../graphql/connection';
import type { RequestContext } from '../access/context';
import { mutation } from '../graphql/mutation';
import { Member } from '../members/member.entity';
import { OrgUnit } from '../units/org-unit.entity';
import { Transfer, TransferStatus } from './transfer.entity';
import { CancelTransferInput, ConfirmTransferInput, TransferFilter, TransferMemberInput, TransferPayload } from './transfers.inputs';

const TransferConnection = ConnectionType(Transfer, 'Transfer', 'transfer');
const refused = { transfer: null };

@Resolver(() => Transfer)
export class TransferResolver {
  @Query(() => TransferConnection, {
    description: 'Transfers with either end in your scope, newest first. Awaiting arrival: {direction: INCOMING, status: [PENDING]}.',
  })
  transfers(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => TransferFilter, { nullable: true, description: 'Which transfers.' }) filter?: TransferFilter,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<Transfer>> {
    return ctx.services.transfers.list(filter, pageRequest(first, after));
  }

  @Mutation(() => TransferPayload, { description: 'Issues a transfer (sending side). The member stays on your rolls until the receiver confirms.' })
  transferMember(@Arg('input', () => TransferMemberInput) input: TransferMemberInput, @Ctx() ctx: RequestContext): Promise<TransferPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).transfers.issue(input), input.reason);
  }

  @Mutation(() => TransferPayload, { description: 'Confirms arrival (receiving side): the member moves to your cell from that date.' })
  confirmTransfer(@Arg('input', () => ConfirmTransferInput) input: ConfirmTransferInput, @Ctx() ctx: RequestContext): Promise<TransferPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).transfers.confirm(input), input.reason);
  }

  @Mutation(() => TransferPayload, { description: 'Cancels a pending transfer (sending side).' })
  cancelTransfer(@Arg('input', () => CancelTransferInput) input: CancelTransferInput, @Ctx() ctx: RequestContext): Promise<TransferPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).transfers.cancel(input), input.reason);
  }

  @FieldResolver(() => Member, { nullable: true, description: 'The member record; null while it is outside your scope (before arrival, for the receiver).' })
  member(@Root() transfer: Transfer, @Ctx() ctx: RequestContext): Promise<Member | null> {
    return ctx.loaders.memberById.load(transfer.member.id);
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The sending cell; null when outside your scope.' })
  fromUnit(@Root() transfer: Transfer, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    return ctx.loaders.unitById.load(transfer.fromUnit.id);
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The receiving cell; null when outside your scope.' })
  toUnit(@Root() transfer: Transfer, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    return ctx.loaders.unitById.load(transfer.toUnit.id);
  }

  @FieldResolver(() => Boolean, { description: 'Pending and past its report-by date: the member did not report within 30 days.' })
  overdue(@Root() transfer: Transfer, @Ctx() ctx: RequestContext): boolean {
    return transfer.status === TransferStatus.PENDING && transfer.reportBy < ctx.app.clock.today();
  }
}
