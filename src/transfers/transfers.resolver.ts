import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, pageRequest, type Connection } from '../graphql/connection';
import type { RequestContext } from '../access/context';
import { uniqueNumberConflicts } from '../members/unique-numbers';
import { mutation } from '../graphql/mutation';
import { Member } from '../members/member.entity';
import { OrgUnit } from '../units/org-unit.entity';
import { Transfer, TransferStatus } from './transfer.entity';
import { arrivedLate, returnOverdue } from './transfer-rules';
import {
  CancelTransferInput,
  ConfirmTransferInput,
  ReceiveTransferFromOutsideInput,
  RecordTransferReturnInput,
  TransferFilter,
  TransferMemberInput,
  TransferPayload,
} from './transfers.inputs';

const TransferConnection = ConnectionType(Transfer, 'Transfer', 'transfer');
const refused = { transfer: null, warnings: [] };

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

  @Mutation(() => TransferPayload, {
    description:
      'Issues a transfer (sending side). Within the organisation the member stays on your rolls until the receiver confirms. Out of the organisation (boundary OTHER_PROVINCE or ABROAD) the record is the dispatch: a permanent transfer takes the member off your rolls on the date of issue; a temporary one leaves the member registered with you.',
  })
  transferMember(@Arg('input', () => TransferMemberInput) input: TransferMemberInput, @Ctx() ctx: RequestContext): Promise<TransferPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).transfers.issue(input), input.reason);
  }

  @Mutation(() => TransferPayload, { description: 'Confirms arrival (receiving side): the member moves to your cell from that date.' })
  confirmTransfer(@Arg('input', () => ConfirmTransferInput) input: ConfirmTransferInput, @Ctx() ctx: RequestContext): Promise<TransferPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).transfers.confirm(input), input.reason);
  }

  @Mutation(() => TransferPayload, {
    description:
      'Receives a member from another province or from abroad (receiving side): the file keeps its dates (party age from the admission), and the member is on your rolls and in your reports from the arrival date only.',
  })
  receiveTransferFromOutside(
    @Arg('input', () => ReceiveTransferFromOutsideInput) input: ReceiveTransferFromOutsideInput,
    @Ctx() ctx: RequestContext,
  ): Promise<TransferPayload> {
    // The numbers the file brings may be held elsewhere in the city: answered as for createMember.
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).transfers.receiveFromOutside(input), input.reason, {
      uniqueConflict: uniqueNumberConflicts(input.member, ['input', 'member']),
    });
  }

  @Mutation(() => TransferPayload, { description: 'Records the return of a member from a temporary transfer (home side).' })
  recordTransferReturn(@Arg('input', () => RecordTransferReturnInput) input: RecordTransferReturnInput, @Ctx() ctx: RequestContext): Promise<TransferPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).transfers.recordReturn(input), input.reason);
  }

  @Mutation(() => TransferPayload, { description: 'Cancels a pending transfer (sending side).' })
  cancelTransfer(@Arg('input', () => CancelTransferInput) input: CancelTransferInput, @Ctx() ctx: RequestContext): Promise<TransferPayload> {
    return mutation(ctx.em, refused, (em) => ctx.servicesOn(em).transfers.cancel(input), input.reason);
  }

  @FieldResolver(() => Member, { nullable: true, description: 'The member record; null while it is outside your scope (before arrival, for the receiver).' })
  member(@Root() transfer: Transfer, @Ctx() ctx: RequestContext): Promise<Member | null> {
    return ctx.loaders.memberById.load(transfer.member.id);
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The sending cell; null when outside your scope or outside the organisation (see externalParty).' })
  async fromUnit(@Root() transfer: Transfer, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    return transfer.fromUnit ? ctx.loaders.unitById.load(transfer.fromUnit.id) : null;
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The receiving cell; null when outside your scope or outside the organisation (see externalParty).' })
  async toUnit(@Root() transfer: Transfer, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    return transfer.toUnit ? ctx.loaders.unitById.load(transfer.toUnit.id) : null;
  }

  @FieldResolver(() => Boolean, { description: 'The member reported more than 30 days after issue (see lateReason).' })
  arrivedLate(@Root() transfer: Transfer): boolean {
    return !!transfer.confirmedOn && arrivedLate(transfer.issuedOn, transfer.confirmedOn);
  }

  @FieldResolver(() => Boolean, { description: 'A temporary transfer past its return date with no return recorded: the home unit follows it up.' })
  returnOverdue(@Root() transfer: Transfer, @Ctx() ctx: RequestContext): boolean {
    return returnOverdue(transfer, ctx.app.clock.today());
  }

  @FieldResolver(() => Boolean, { description: 'Pending and past its report-by date: the member did not report within 30 days.' })
  overdue(@Root() transfer: Transfer, @Ctx() ctx: RequestContext): boolean {
    return transfer.status === TransferStatus.PENDING && transfer.reportBy < ctx.app.clock.today();
  }
}
