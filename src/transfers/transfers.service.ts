import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import { withinScope } from '../access/scope';
import type { Config } from '../config';
import { connectionFrom, idAfter, type Connection, type PageRequest } from '../graphql/connection';
import { userError, UserErrorCode, type UserError } from '../graphql/errors';
import { decisionOf } from '../members/decision';
import { ACTIVE_STATUSES, addDays } from '../members/lifecycle';
import { MemberRecordsService, validateDecision } from '../members/member-records.service';
import { MemberUnitPeriod } from '../members/member-period.entity';
import { OrgUnit, UnitKind } from '../units/org-unit.entity';
import { Transfer, TransferKind, TransferStatus } from './transfer.entity';
import {
  TransferDirection,
  type CancelTransferInput,
  type ConfirmTransferInput,
  type TransferFilter,
  type TransferMemberInput,
  type TransferPayload,
} from './transfers.inputs';
import { isId } from '../graphql/ids';

export const REPORT_WITHIN_DAYS = 30;

const at = (name: string) => ['input', name];
const refuse = (...userErrors: UserError[]): TransferPayload => ({ transfer: null, userErrors });

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
    if (member.underReview) {
      return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, 'The member is under inspection or complaint and cannot be transferred.', at('memberId')));
    }
    if (!ACTIVE_STATUSES.includes(member.status)) {
      return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, `A member who has left (${member.status}) is not transferred.`, at('memberId')));
    }
    if (await this.em.count(Transfer, { member, status: TransferStatus.PENDING })) {
      return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, 'The member already has a transfer awaiting arrival.', at('memberId')));
    }
    const [destination] = await this.em
      .getConnection()
      .execute<{ id: string; path: string }[]>('select id::text, path from hoso_transfer_destination(?)', [input.toUnitCode.trim()], 'all', this.em.getTransactionContext());
    const errors = [...validateDecision(input.decision, this.today)];
    if (!destination) errors.push(userError(UserErrorCode.NOT_FOUND, 'No cell has this code.', at('toUnitCode')));
    else if (destination.id === member.unit.id) errors.push(userError(UserErrorCode.INVALID, 'The member is already registered in this cell.', at('toUnitCode')));
    if (input.issuedOn > this.today) errors.push(userError(UserErrorCode.INVALID, 'A transfer cannot be issued in the future.', at('issuedOn')));
    const current = await this.em.findOneOrFail(MemberUnitPeriod, { member, validTo: null });
    if (input.issuedOn <= current.validFrom) {
      errors.push(userError(UserErrorCode.INVALID, `The member is registered in the current cell since ${current.validFrom}.`, at('issuedOn')));
    }
    if (destination && input.kind === TransferKind.INTERNAL && !(await this.sameGrassroots(member.unit.id, destination))) {
      errors.push(userError(UserErrorCode.INVALID, 'An internal transfer stays within one grassroots organisation in your scope.', at('toUnitCode')));
    }
    if (errors.length || !destination) return refuse(...errors);

    const transfer = this.em.create(Transfer, {
      member,
      kind: input.kind,
      fromUnit: member.unit,
      toUnit: this.em.getReference(OrgUnit, destination.id),
      issuedOn: input.issuedOn,
      reportBy: addDays(input.issuedOn, REPORT_WITHIN_DAYS),
      decision: decisionOf(input.decision),
      reason: input.reason?.trim() || null,
      memberName: member.fullName,
      memberPartyCardNumber: member.partyCardNumber ?? null,
      memberDateOfBirth: member.dateOfBirth,
    });
    await this.em.flush();
    // Within one organisation the sender is the receiver too: the move is done at once.
    if (input.kind === TransferKind.INTERNAL) await this.arrive(transfer, input.issuedOn, null);
    return { transfer: await this.reload(transfer), userErrors: [] };
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
    if (input.confirmedOn < transfer.issuedOn || input.confirmedOn > this.today) {
      return refuse(userError(UserErrorCode.INVALID, `Arrival is between ${transfer.issuedOn} and today.`, at('confirmedOn')));
    }
    if (input.toUnitId) {
      const cell = isId(input.toUnitId) ? await this.em.findOne(OrgUnit, { id: input.toUnitId }) : null;
      if (!cell || cell.kind !== UnitKind.CELL) return refuse(userError(UserErrorCode.NOT_FOUND, 'No such cell in your scope.', at('toUnitId')));
    }
    if (!(await this.arrive(transfer, input.confirmedOn, input.toUnitId ?? null))) {
      return refuse(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, 'The transfer could not be confirmed.', at('transferId')));
    }
    return { transfer: await this.reload(transfer), userErrors: [] };
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
    return { transfer, userErrors: [] };
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
    return where.length ? { $and: where } : {};
  }

  /** The transfer as the database has it now (its trigger and the arrival function write to it). */
  private reload(transfer: Transfer): Promise<Transfer> {
    return this.em.findOneOrFail(Transfer, { id: transfer.id }, { refresh: true });
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
