import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import { withinScope } from '../access/scope';
import type { Config } from '../config';
import { connectionFrom, idAfter, type Connection, type PageRequest } from '../graphql/connection';
import { userError, UserErrorCode, type UserError } from '../graphql/errors';
import { decisionOf, validateDecisionDate } from '../graphql/decision';
import type { MemberStatus } from '../members/member.entity';
import { MemberRecordsService, validateDecision } from '../members/member-records.service';
import { MemberUnitPeriod } from '../members/member-period.entity';
import { OrgUnit, UnitKind } from '../units/org-unit.entity';
import { unitLifeRefusal } from '../units/unit-life';
import { Transfer, TransferBoundary, TransferKind, TransferStatus } from './transfer.entity';
import {
  arrivalFromOutsideRefusals,
  destinationRefusals,
  lateArrivalRefusal,
  leavesRollsOnDispatch,
  reportByFor,
  returnRefusal,
  temporaryPeriodRefusal,
  transferRefusal,
  TRANSFER_RULES,
  type TransferRefusal,
} from './transfer-rules';
import {
  TransferDirection,
  type CancelTransferInput,
  type ConfirmTransferInput,
  type ReceiveTransferFromOutsideInput,
  type RecordTransferReturnInput,
  type TransferFilter,
  type TransferMemberInput,
  type TransferPayload,
} from './transfers.inputs';
import { isId } from '../graphql/ids';

/** The 30 days, from transfer-rules.ts (kept under this name for the code that reads it here). */
export const REPORT_WITHIN_DAYS = TRANSFER_RULES.reportWithinDays;

const at = (name: string) => ['input', name];
const refuse = (...userErrors: UserError[]): TransferPayload => ({ transfer: null, userErrors, warnings: [] });
/** A rule's refusal as the payload's user error, its field under `input` (or deeper). */
const asUserError = (refusal: TransferRefusal, under: readonly string[] = ['input']): UserError => userError(refusal.code, refusal.message, [...under, ...refusal.field]);

/** The member's state that decides whether it may be transferred, as the database has it. */
interface MemberState {
  status: MemberStatus;
  leftOn: string | null;
  underReview: boolean;
  transferredOutOn: string | null;
}

/**
 * The transfer workflow of docs/domain.md: the sender issues, the receiver confirms arrival, the
 * sender may cancel before it. The only way a record leaves its unit's subtree.
 */
export class TransfersService {
  constructor(
    private readonly em: EntityManager,
    private readonly account: AuthAccount,
    private readonly config: Config,
    private readonly today: string,
  ) {}

  async issue(input: TransferMemberInput): Promise<TransferPayload> {
    const records = new MemberRecordsService(this.em, this.config, this.today);
    const member = await records.findForChange(input.memberId, input.expectedVersion);
    if (!member) return refuse(userError(UserErrorCode.NOT_FOUND, 'No such member in your scope.', at('memberId')));
    const state = await this.memberState(`select status, left_on::text as "leftOn", under_review as "underReview", transferred_out_on::text as "transferredOutOn"
                                             from member where id = ?`, member.id);
    const notTransferred = state && transferRefusal(state);
    if (notTransferred) return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, notTransferred, at('memberId')));
    if (await this.em.count(Transfer, { member, status: TransferStatus.PENDING })) {
      return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, 'The member already has a transfer awaiting arrival.', at('memberId')));
    }
    const errors = [
      ...validateDecision(input.decision, this.today),
      ...validateDecisionDate(input.decision, {
        notBefore: [{ date: member.joinedOn, what: 'the admission' }],
        notAfter: [{ date: input.issuedOn, what: 'the date of issue' }],
      }),
      ...destinationRefusals(input).map((r) => asUserError(r)),
    ];
    const temporary = temporaryPeriodRefusal(input);
    if (temporary) errors.push(asUserError(temporary));
    const within = input.boundary === TransferBoundary.WITHIN;
    const [destination] = within && input.toUnitCode?.trim()
      ? await this.em
          .getConnection()
          .execute<{ id: string; path: string; name: string; valid_to: string | null }[]>(
            'select id::text, path, name, valid_to::text from hoso_transfer_destination(?)', [input.toUnitCode.trim()], 'all', this.em.getTransactionContext(),
          )
      : [];
    if (within && input.toUnitCode?.trim() && !destination) errors.push(userError(UserErrorCode.NOT_FOUND, 'No cell has this code.', at('toUnitCode')));
    const ended = destination && unitLifeRefusal({ name: destination.name, validTo: destination.valid_to }, this.today);
    if (ended) errors.push(userError(UserErrorCode.INVALID, ended, at('toUnitCode')));
    else if (destination && destination.id === member.unit.id) errors.push(userError(UserErrorCode.INVALID, 'The member is already registered in this cell.', at('toUnitCode')));
    if (input.issuedOn > this.today) errors.push(userError(UserErrorCode.INVALID, 'A transfer cannot be issued in the future.', at('issuedOn')));
    const current = await this.em.findOneOrFail(MemberUnitPeriod, { member, validTo: null });
    if (input.issuedOn <= current.validFrom) {
      errors.push(userError(UserErrorCode.INVALID, `The member is registered in the current cell since ${current.validFrom}.`, at('issuedOn')));
    }
    if (destination && input.kind === TransferKind.INTERNAL && !(await this.sameGrassroots(member.unit.id, destination))) {
      errors.push(userError(UserErrorCode.INVALID, 'An internal transfer stays within one grassroots organisation in your scope.', at('toUnitCode')));
    }
    if (errors.length || (within && !destination)) return refuse(...errors);

    const transfer = this.em.create(Transfer, {
      member,
      kind: input.kind,
      boundary: input.boundary,
      fromUnit: member.unit,
      toUnit: destination ? this.em.getReference(OrgUnit, destination.id) : null,
      externalParty: within ? null : input.externalParty!.trim(),
      country: input.country?.trim() || null,
      issuedOn: input.issuedOn,
      reportBy: reportByFor(input.issuedOn),
      returnsOn: input.returnsOn ?? null,
      forStudy: input.kind === TransferKind.TEMPORARY && input.forStudy,
      decision: decisionOf(input.decision),
      reason: input.reason?.trim() || null,
      memberName: member.fullName,
      memberPartyCardNumber: member.partyCardNumber ?? null,
      memberDateOfBirth: member.dateOfBirth,
    });
    if (!within) {
      // No receiving unit here confirms: the sending unit's record of the dispatch completes it.
      transfer.status = TransferStatus.CONFIRMED;
      transfer.confirmedOn = input.issuedOn;
      if (leavesRollsOnDispatch(transfer)) {
        // Off the rolls from the dispatch: the unit period ends with no next unit, so the reporting
        // facts end that day; the member keeps its status (a party member elsewhere).
        current.validTo = input.issuedOn;
      }
    }
    await this.em.flush();
    if (!within && leavesRollsOnDispatch(transfer)) {
      await this.em.execute(
        'update member set transferred_out_on = ?, version = version + 1, updated_at = now() where id = ?',
        [input.issuedOn, member.id],
        'run',
      );
    }
    // Within one organisation the sender is the receiver too: the move is done at once.
    if (input.kind === TransferKind.INTERNAL) await this.arrive(transfer, input.issuedOn, null);
    return { transfer: await this.reload(transfer), userErrors: [], warnings: [] };
  }

  async confirm(input: ConfirmTransferInput): Promise<TransferPayload> {
    const transfer = isId(input.transferId) ? await this.em.findOne(Transfer, { id: input.transferId }) : null;
    if (!transfer) return refuse(userError(UserErrorCode.NOT_FOUND, 'No such transfer in your scope.', at('transferId')));
    if (!withinScope(transfer.toPath, this.account.scope)) {
      return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, 'Only the receiving side confirms arrival.', at('transferId')));
    }
    if (transfer.status !== TransferStatus.PENDING) {
      return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, `The transfer is ${transfer.status}, not awaiting arrival.`, at('transferId')));
    }
    // A second line under the cancellation at leaving: the member may have left (or come under
    // inspection) since the issue; the receiver cannot read the record yet, so the database says.
    const state = await this.memberState(`select status, left_on::text as "leftOn", under_review as "underReview", transferred_out_on::text as "transferredOutOn"
                                             from hoso_transfer_member_state(?)`, transfer.id);
    // Why (left, under inspection, transferred out) is the sending side's to know: the receiver may
    // not have the member in its scope, so the refusal does not say.
    const notTransferred = state && transferRefusal(state);
    if (notTransferred) {
      const message = 'The member can no longer be received on this transfer; the sending unit keeps the reason.';
      return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, message, at('transferId')));
    }
    if (input.confirmedOn < transfer.issuedOn || input.confirmedOn > this.today) {
      return refuse(userError(UserErrorCode.INVALID, `Arrival is between ${transfer.issuedOn} and today.`, at('confirmedOn')));
    }
    if (transfer.returnsOn && input.confirmedOn >= transfer.returnsOn) {
      return refuse(userError(UserErrorCode.INVALID, `The temporary transfer ends on ${transfer.returnsOn}; arrival is before it.`, at('confirmedOn')));
    }
    const late = lateArrivalRefusal({ issuedOn: transfer.issuedOn, arrivedOn: input.confirmedOn, lateReason: input.lateReason });
    if (late) return refuse(asUserError(late));
    if (input.toUnitId) {
      const cell = isId(input.toUnitId) ? await this.em.findOne(OrgUnit, { id: input.toUnitId }) : null;
      if (!cell || cell.kind !== UnitKind.CELL) return refuse(userError(UserErrorCode.NOT_FOUND, 'No such cell in your scope.', at('toUnitId')));
      // The member is in the cell from the arrival on, still: it must be alive then and now.
      const life = unitLifeRefusal(cell, input.confirmedOn);
      if (life) return refuse(userError(UserErrorCode.INVALID, life, at('toUnitId')));
    }
    // Written only once nothing can refuse the confirmation any more.
    if (input.lateReason?.trim()) {
      transfer.lateReason = input.lateReason.trim();
      await this.em.flush();
    }
    if (!(await this.arrive(transfer, input.confirmedOn, input.toUnitId ?? null))) {
      return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, 'The transfer could not be confirmed.', at('transferId')));
    }
    return { transfer: await this.reload(transfer), userErrors: [], warnings: [] };
  }

  /**
   * A member arriving from another province or from abroad (receiving side): the file is entered
   * with its own dates (admission, official date, card number: party age counts from them), but
   * the member is registered in the cell, and so counted in its rolls and reports, only from the
   * arrival. The transfer records where the member came from, the letter and the arrival.
   */
  async receiveFromOutside(input: ReceiveTransferFromOutsideInput): Promise<TransferPayload> {
    const errors: UserError[] = [
      ...validateDecision(input.decision, this.today),
      ...validateDecisionDate(input.decision, { notBefore: [{ date: input.member.joinedOn, what: 'the admission' }], notAfter: [{ date: input.arrivedOn, what: 'the arrival' }] }),
      ...destinationRefusals({ kind: TransferKind.PERMANENT, boundary: input.boundary, externalParty: input.externalParty, country: input.country })
        .filter((r) => r.field[0] !== 'toUnitCode')
        .map((r) => asUserError(r)),
      ...arrivalFromOutsideRefusals({ boundary: input.boundary, issuedOn: input.issuedOn, arrivedOn: input.arrivedOn, joinedOn: input.member.joinedOn, today: this.today }).map((r) =>
        asUserError(r),
      ),
    ];
    const late = lateArrivalRefusal({ issuedOn: input.issuedOn, arrivedOn: input.arrivedOn, lateReason: input.lateReason });
    if (late) errors.push(asUserError(late));
    if (errors.length) return refuse(...errors);

    // Registered here from the arrival, by the transfer letter; the status periods keep the
    // admission and official dates, so party age counts from the admission.
    const created = await new MemberRecordsService(this.em, this.config, this.today).create(input.member, {
      from: input.arrivedOn,
      decision: input.decision,
      reason: input.reason?.trim() || `Chuyển đến từ ${input.externalParty.trim()}`,
    });
    // The file's own checks name fields of input.member.
    const nested = (e: UserError) => userError(e.code, e.message, e.field && e.field[0] === 'input' ? ['input', 'member', ...e.field.slice(1)] : e.field ?? undefined);
    if (!created.member || created.userErrors.length) return refuse(...created.userErrors.map(nested));
    const member = created.member;

    const transfer = this.em.create(Transfer, {
      member,
      kind: TransferKind.PERMANENT,
      boundary: input.boundary,
      status: TransferStatus.CONFIRMED,
      fromUnit: null,
      toUnit: member.unit,
      externalParty: input.externalParty.trim(),
      country: input.country?.trim() || null,
      issuedOn: input.issuedOn,
      reportBy: reportByFor(input.issuedOn),
      confirmedOn: input.arrivedOn,
      lateReason: input.lateReason?.trim() || null,
      decision: decisionOf(input.decision),
      reason: input.reason?.trim() || null,
      memberName: member.fullName,
      memberPartyCardNumber: member.partyCardNumber ?? null,
      memberDateOfBirth: member.dateOfBirth,
    });
    await this.em.flush();
    return { transfer: await this.reload(transfer), userErrors: [], warnings: created.warnings.map(nested) };
  }

  /** The return from a temporary transfer (home side): the member was registered at home all along. */
  async recordReturn(input: RecordTransferReturnInput): Promise<TransferPayload> {
    const transfer = isId(input.transferId) ? await this.em.findOne(Transfer, { id: input.transferId }) : null;
    if (!transfer) return refuse(userError(UserErrorCode.NOT_FOUND, 'No such transfer in your scope.', at('transferId')));
    if (!withinScope(transfer.fromPath, this.account.scope)) {
      return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, 'The home (sending) unit records the return.', at('transferId')));
    }
    const refusal = returnRefusal(transfer, input.returnedOn, this.today);
    if (refusal) return refuse(asUserError(refusal));
    transfer.returnedOn = input.returnedOn;
    await this.em.flush();
    return { transfer: await this.reload(transfer), userErrors: [], warnings: [] };
  }

  async cancel(input: CancelTransferInput): Promise<TransferPayload> {
    const transfer = isId(input.transferId) ? await this.em.findOne(Transfer, { id: input.transferId }) : null;
    if (!transfer) return refuse(userError(UserErrorCode.NOT_FOUND, 'No such transfer in your scope.', at('transferId')));
    if (!withinScope(transfer.fromPath, this.account.scope)) {
      return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, 'Only the sending side cancels a transfer.', at('transferId')));
    }
    if (transfer.status !== TransferStatus.PENDING) {
      return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, `The transfer is ${transfer.status}; only a pending one is cancelled.`, at('transferId')));
    }
    if (!input.reason.trim()) return refuse(userError(UserErrorCode.REQUIRED, 'Give the reason.', at('reason')));
    transfer.status = TransferStatus.CANCELLED;
    transfer.cancelledOn = this.today;
    transfer.cancelReason = input.reason.trim();
    await this.em.flush();
    return { transfer, userErrors: [], warnings: [] };
  }

  /** Transfers with either end in scope; newest first. */
  async list(filter: TransferFilter | null | undefined, page: PageRequest): Promise<Connection<Transfer>> {
    const after = idAfter(page);
    const items = await this.em.find(Transfer, after ? { $and: [this.where(filter), { id: { $lt: after } }] } : this.where(filter), {
      orderBy: { id: 'desc' },
      limit: page.first + 1,
    });
    return connectionFrom(items, page, (t) => [t.id], () => this.em.count(Transfer, this.where(filter)));
  }

  /** The list's conditions, built anew for each query (a raw fragment serves one query only). */
  private where(filter: TransferFilter | null | undefined): object {
    const where: Record<string, unknown>[] = [];
    if (filter?.direction === TransferDirection.INCOMING) where.push({ [raw('to_path <@ ?::ltree', [this.account.scope.path])]: [] });
    if (filter?.direction === TransferDirection.OUTGOING) where.push({ [raw('from_path <@ ?::ltree', [this.account.scope.path])]: [] });
    if (filter?.status?.length) where.push({ status: { $in: filter.status } });
    if (filter?.overdue === true) where.push({ status: TransferStatus.PENDING, reportBy: { $lt: this.today } });
    if (filter?.overdue === false) where.push({ $not: { status: TransferStatus.PENDING, reportBy: { $lt: this.today } } });
    const returnOverdue = { kind: TransferKind.TEMPORARY, status: TransferStatus.CONFIRMED, returnedOn: null, returnsOn: { $lt: this.today } };
    if (filter?.returnOverdue === true) where.push(returnOverdue);
    if (filter?.returnOverdue === false) where.push({ $not: returnOverdue });
    return where.length ? { $and: where } : {};
  }

  /** The transfer as the database has it now (its trigger and the arrival function write to it). */
  private reload(transfer: Transfer): Promise<Transfer> {
    return this.em.findOneOrFail(Transfer, { id: transfer.id }, { refresh: true });
  }

  /** The member's state from a query with one parameter (the member's or the transfer's id). */
  private async memberState(sql: string, id: string): Promise<MemberState | null> {
    const [row] = await this.em.getConnection().execute<MemberState[]>(sql, [id], 'all', this.em.getTransactionContext());
    return row ?? null;
  }

  private async arrive(transfer: Transfer, on: string, toUnitId: string | null): Promise<boolean> {
    const [row] = await this.em
      .getConnection()
      .execute<{ member: string | null }[]>(
        'select hoso_confirm_transfer(?, ?, ?)::text as member',
        [transfer.id, on, toUnitId],
        'all',
        this.em.getTransactionContext(),
      );
    return row.member !== null;
  }

  private async sameGrassroots(fromUnitId: string, destination: { id: string; path: string }): Promise<boolean> {
    if (!withinScope(destination.path, this.account.scope)) return false;
    const [row] = await this.em.getConnection().execute<{ same: boolean }[]>(
      `select exists (select 1 from org_unit w, org_unit f
         where w.kind = 'WARD' and f.id = ? and f.path <@ w.path and ?::ltree <@ w.path) as same`,
      [fromUnitId, destination.path],
      'all',
      this.em.getTransactionContext(),
    );
    return row.same;
  }
}
