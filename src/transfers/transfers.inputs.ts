import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../graphql/errors';
import { DateScalar } from '../graphql/scalars';
import { DecisionInput } from '../members/decision';
import { Transfer, TransferKind, TransferStatus } from './transfer.entity';
import { MaxChars, Range } from '../graphql/input-limits';

@InputType({ description: 'A transfer issued by the sending unit.' })
export class TransferMemberInput {
  @Field(() => ID, { description: 'The member.' }) memberId!: string;
  @Range(1, 1000000000) @Field(() => Int, { description: 'The member record’s version you read.' }) expectedVersion!: number;
  @Field(() => TransferKind, { description: 'Kind of transfer.' }) kind!: TransferKind;
  @MaxChars(50) @Field({ description: 'Code of the receiving cell, e.g. DN.SONTRA.MANTHAI.CB02 (it may be outside your scope).' }) toUnitCode!: string;
  @Field(() => DateScalar, { description: 'Date of issue.' }) issuedOn!: string;
  @Field(() => DecisionInput, { description: 'The transfer decision (giấy giới thiệu sinh hoạt đảng).' }) decision!: DecisionInput;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Why (lý do).' }) reason?: string | null;
}

@InputType({ description: 'Arrival of a transferred member, confirmed by the receiving unit.' })
export class ConfirmTransferInput {
  @Field(() => ID, { description: 'The transfer.' }) transferId!: string;
  @Field(() => DateScalar, { description: 'Date the member reported.' }) confirmedOn!: string;
  @Field(() => ID, { nullable: true, description: 'A cell of yours to register the member in, if not the one named by the sender.' }) toUnitId?: string | null;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Why (lý do), kept in the history.' }) reason?: string | null;
}

@InputType({ description: 'Cancellation of a pending transfer by the sending unit.' })
export class CancelTransferInput {
  @Field(() => ID, { description: 'The transfer.' }) transferId!: string;
  @MaxChars(2000) @Field({ description: 'Why.' }) reason!: string;
}

@ObjectType({ description: 'Result of a transfer mutation.' })
export class TransferPayload {
  @Field(() => Transfer, { nullable: true, description: 'The transfer.' }) transfer!: Transfer | null;
  @Field(() => [UserError], { description: 'Why it was refused; empty on success.' }) userErrors!: UserError[];
}

export enum TransferDirection {
  INCOMING = 'INCOMING',
  OUTGOING = 'OUTGOING',
}

registerEnumType(TransferDirection, {
  name: 'TransferDirection',
  description: 'Seen from your scope.',
  valuesConfig: {
    INCOMING: { description: 'Coming into your scope (chuyển đến).' },
    OUTGOING: { description: 'Leaving from your scope (chuyển đi).' },
  },
});

@InputType({ description: 'Which transfers to list. "Awaiting arrival" is INCOMING + PENDING.' })
export class TransferFilter {
  @Field(() => TransferDirection, { nullable: true, description: 'Incoming or outgoing; both when omitted.' }) direction?: TransferDirection | null;
  @Field(() => [TransferStatus], { nullable: true, description: 'Any of these statuses.' }) status?: TransferStatus[] | null;
  @Field(() => Boolean, { nullable: true, description: 'Only pending transfers whose member did not report within 30 days.' }) overdue?: boolean | null;
}
