import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MAX_UNIT_CODE_LENGTH } from '../graphql/ids';
import { UserError } from '../graphql/errors';
import { DateScalar } from '../graphql/scalars';
import { DecisionInput } from '../graphql/decision';
import { CreateMemberInput } from '../members/member-mutations.inputs';
import { Transfer, TransferBoundary, TransferKind, TransferStatus } from './transfer.entity';
import { MaxChars, Range } from '../graphql/input-limits';

@InputType({ description: 'A transfer issued by the sending unit.' })
export class TransferMemberInput {
  @Field(() => ID, { description: 'The member.' }) memberId!: string;
  @Range(1, 1000000000) @Field(() => Int, { description: 'The member record’s version you read.' }) expectedVersion!: number;
  @Field(() => TransferKind, { description: 'Kind of transfer.' }) kind!: TransferKind;
  @Field(() => TransferBoundary, {
    defaultValue: TransferBoundary.WITHIN,
    description: 'WITHIN: to a cell of this organisation (toUnitCode). OTHER_PROVINCE or ABROAD: out of the organisation, to the party organisation named in externalParty; a permanent one takes the member off your rolls on the date of issue (the dispatch).',
  })
  boundary: TransferBoundary = TransferBoundary.WITHIN;
  @MaxChars(MAX_UNIT_CODE_LENGTH) @Field(() => String, { nullable: true, description: 'Code of the receiving cell, e.g. DN.SONTRA.MANTHAI.CB02 (it may be outside your scope); only within the organisation.' }) toUnitCode?: string | null;
  @MaxChars(300) @Field(() => String, { nullable: true, description: 'Out of the organisation: the receiving party organisation, e.g. "Đảng bộ tỉnh Quảng Ngãi" or "Đảng ủy ngoài nước".' }) externalParty?: string | null;
  @MaxChars(100) @Field(() => String, { nullable: true, description: 'Abroad: the country (nước).' }) country?: string | null;
  @Field(() => DateScalar, { description: 'Date of issue; for a transfer out of the organisation, the date of dispatch.' }) issuedOn!: string;
  @Field(() => DateScalar, { nullable: true, description: 'TEMPORARY only, required: the date the member returns (3 months to under a year after issue; to study, up to 2 years).' }) returnsOn?: string | null;
  @Field({ defaultValue: false, description: 'TEMPORARY only: the member goes to study (đi học), so the transfer may last up to 2 years.' }) forStudy: boolean = false;
  @Field(() => DecisionInput, { description: 'The transfer decision (giấy giới thiệu sinh hoạt đảng).' }) decision!: DecisionInput;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Why (lý do).' }) reason?: string | null;
}

@InputType({ description: 'A member arriving from another province or from abroad, received by your cell (tiếp nhận sinh hoạt đảng từ ngoài đảng bộ).' })
export class ReceiveTransferFromOutsideInput {
  @Field(() => CreateMemberInput, {
    description: 'The member’s file as received: the dates of the file are kept (admission, official date, card number); unitId is your receiving cell; decision is the admission decision.',
  })
  member!: CreateMemberInput;
  @Field(() => TransferBoundary, { description: 'OTHER_PROVINCE or ABROAD.' }) boundary!: TransferBoundary;
  @MaxChars(300) @Field({ description: 'The sending party organisation, e.g. "Đảng bộ tỉnh Quảng Ngãi" or "Đảng ủy ngoài nước".' }) externalParty!: string;
  @MaxChars(100) @Field(() => String, { nullable: true, description: 'Abroad: the country the member comes from.' }) country?: string | null;
  @Field(() => DateScalar, { description: 'Date of the sending organisation’s transfer letter; the member reports within 30 days of it.' }) issuedOn!: string;
  @Field(() => DecisionInput, { description: 'The transfer letter (giấy giới thiệu sinh hoạt đảng) of the sending organisation.' }) decision!: DecisionInput;
  @Field(() => DateScalar, { description: 'Date the member reported to your cell: counted in your rolls and reports from this day, never before.' }) arrivedOn!: string;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Why the member reported more than 30 days after the letter (lý do đến chậm); required then.' }) lateReason?: string | null;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Why (lý do), kept in the history.' }) reason?: string | null;
}

@InputType({ description: 'The return of a member from a temporary transfer, recorded by the home unit.' })
export class RecordTransferReturnInput {
  @Field(() => ID, { description: 'The temporary transfer.' }) transferId!: string;
  @Field(() => DateScalar, { description: 'Date the member returned to the home cell.' }) returnedOn!: string;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Why (lý do), kept in the history; e.g. an early return.' }) reason?: string | null;
}

@InputType({ description: 'Arrival of a transferred member, confirmed by the receiving unit.' })
export class ConfirmTransferInput {
  @Field(() => ID, { description: 'The transfer.' }) transferId!: string;
  @Field(() => DateScalar, { description: 'Date the member reported.' }) confirmedOn!: string;
  @Field(() => ID, { nullable: true, description: 'A cell of yours to register the member in, if not the one named by the sender.' }) toUnitId?: string | null;
  @MaxChars(2000) @Field(() => String, { nullable: true, description: 'Why the member reported more than 30 days after issue (lý do đến chậm); required then, stored on the transfer.' }) lateReason?: string | null;
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
  @Field(() => [UserError], { description: 'Warnings that did not stop the change, e.g. a record that looks like the same person.' }) warnings!: UserError[];
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
  @Field(() => Boolean, { nullable: true, description: 'Only temporary transfers past their return date with no return recorded.' }) returnOverdue?: boolean | null;
}
