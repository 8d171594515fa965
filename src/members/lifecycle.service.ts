import type { EntityManager } from '@mikro-orm/postgresql';
import { userError, UserErrorCode, type UserError } from '../graphql/errors';
import { decisionOf, type DecisionInput } from './decision';
import {
  ADMISSION_AGE,
  END_STATUSES,
  READMISSION_WAIT_MONTHS,
  READMITTABLE,
  STATUS_TRANSITIONS,
  addMonths,
  officialDateFor,
  yearsBetween,
} from './lifecycle';
import { MemberStatusPeriod } from './member-period.entity';
import { Member, MemberStatus } from './member.entity';
import type { ChangeMemberStatusInput, ConfirmOfficialInput, MemberPayload, ReadmitMemberInput } from './member-mutations.inputs';
import { MemberRecordsService, validateDecision } from './member-records.service';

const field = (name: string) => ['input', name];
const refuse = (errors: UserError[]): MemberPayload => ({ member: null, userErrors: errors, warnings: [] });
const notFound = () => refuse([userError(UserErrorCode.NOT_FOUND, 'No such member in your scope.', field('id'))]);
const notAllowed = (message: string) => refuse([userError(UserErrorCode.TRANSITION_NOT_ALLOWED, message, field('status'))]);

/**
 * The lifecycle transitions of docs/domain.md. Each closes the current status period and opens the
 * next one, so "status on date D" stays answerable; each needs a decision.
 */
export class LifecycleService {
  private readonly records: MemberRecordsService;

  constructor(
    private readonly em: EntityManager,
    records: MemberRecordsService,
    private readonly today: string,
  ) {
    this.records = records;
  }

  async changeStatus(input: ChangeMemberStatusInput): Promise<MemberPayload> {
    const member = await this.records.findForChange(input.id, input.expectedVersion);
    if (!member) return notFound();
    const from = member.status;
    const to = input.status;
    if (from === MemberStatus.PROBATIONARY && to === MemberStatus.OFFICIAL) {
      return notAllowed('A probationary member becomes official with confirmOfficial, which fixes the official date.');
    }
    if (from === MemberStatus.PROBATIONARY && to === MemberStatus.EXPELLED) {
      return notAllowed('A probationary member cannot be expelled; remove them from the rolls (REMOVED) instead.');
    }
    if (END_STATUSES.includes(from)) {
      return notAllowed(`The member has left (${from}); only readmission (readmitMember) can follow, and not after every kind of leaving.`);
    }
    if (!STATUS_TRANSITIONS[from].includes(to)) return notAllowed(`${from} cannot change to ${to}.`);
    const errors = [...validateDecision(input.decision, this.today), ...this.reasonRequired(input.reason)];
    const current = await this.currentPeriod(member);
    if (input.effectiveOn > this.today) errors.push(userError(UserErrorCode.INVALID, 'The change cannot take effect in the future.', field('effectiveOn')));
    if (input.effectiveOn <= current.validFrom) {
      errors.push(userError(UserErrorCode.INVALID, `The change must take effect after ${current.validFrom}, when the current status began.`, field('effectiveOn')));
    }
    if (errors.length) return refuse(errors);

    await this.move(member, current, to, input.effectiveOn, input.decision, input.reason);
    if (END_STATUSES.includes(to)) member.leftOn = input.effectiveOn;
    await this.em.flush();
    return { member, userErrors: [], warnings: [] };
  }

  /** PROBATIONARY → OFFICIAL, dated the end of the 12 months even when the decision comes later. */
  async confirmOfficial(input: ConfirmOfficialInput): Promise<MemberPayload> {
    const member = await this.records.findForChange(input.id, input.expectedVersion);
    if (!member) return notFound();
    if (member.status !== MemberStatus.PROBATIONARY) return notAllowed(`Only a probationary member can be confirmed; this one is ${member.status}.`);
    const officialOn = officialDateFor(member.readmittedOn ?? member.joinedOn);
    const errors = validateDecision(input.decision, this.today);
    if (officialOn > this.today) {
      errors.push(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, `The 12 months of probation end on ${officialOn}; confirm on or after that day.`, field('id')));
    }
    if (errors.length) return refuse(errors);
    const current = await this.currentPeriod(member);
    await this.move(member, current, MemberStatus.OFFICIAL, officialOn, input.decision, input.reason);
    member.officialOn = officialOn;
    await this.em.flush();
    return { member, userErrors: [], warnings: [] };
  }

  /** Readmission: once only, ≥ 36 months after leaving, never after resignation, expulsion or death. */
  async readmit(input: ReadmitMemberInput): Promise<MemberPayload> {
    const member = await this.records.findForChange(input.id, input.expectedVersion);
    if (!member) return notFound();
    if (!READMITTABLE.includes(member.status)) {
      return notAllowed(
        END_STATUSES.includes(member.status)
          ? `A member who left as ${member.status} cannot be readmitted.`
          : 'The member has not left the Party.',
      );
    }
    if (member.readmittedOn) return notAllowed(`The member was already readmitted once (${member.readmittedOn}); readmission is allowed only once.`);
    const errors = [...validateDecision(input.decision, this.today), ...this.reasonRequired(input.reason)];
    const earliest = addMonths(member.leftOn!, READMISSION_WAIT_MONTHS);
    if (input.joinedOn < earliest) {
      errors.push(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, `Readmission is possible from ${earliest}, ${READMISSION_WAIT_MONTHS} months after leaving.`, field('joinedOn')));
    }
    if (input.joinedOn > this.today) errors.push(userError(UserErrorCode.INVALID, 'The readmission date cannot be in the future.', field('joinedOn')));
    const age = yearsBetween(member.dateOfBirth, input.joinedOn);
    if (age > ADMISSION_AGE.max) {
      errors.push(userError(UserErrorCode.INVALID, `Age at readmission is ${age}; the rule is at most ${ADMISSION_AGE.max}.`, field('joinedOn')));
    }
    if (errors.length) return refuse(errors);
    const current = await this.currentPeriod(member);
    await this.move(member, current, MemberStatus.PROBATIONARY, input.joinedOn, input.decision, input.reason);
    member.readmittedOn = input.joinedOn;
    member.officialOn = null;
    member.leftOn = null;
    await this.em.flush();
    return { member, userErrors: [], warnings: [] };
  }

  private reasonRequired(reason: string | null | undefined): UserError[] {
    return reason?.trim() ? [] : [userError(UserErrorCode.REQUIRED, 'A lifecycle change needs a reason.', field('reason'))];
  }

  private async currentPeriod(member: Member): Promise<MemberStatusPeriod> {
    return this.em.findOneOrFail(MemberStatusPeriod, { member, validTo: null });
  }

  /** Closes the current period on `on` and opens the new status from that day. */
  private async move(member: Member, current: MemberStatusPeriod, status: MemberStatus, on: string, decision: DecisionInput, reason?: string | null) {
    current.validTo = on;
    // Closed before the next opens: periods may not overlap, and the database checks each statement.
    await this.em.flush();
    this.em.create(MemberStatusPeriod, {
      member,
      status,
      validFrom: on,
      decision: decisionOf(decision),
      reason: reason?.trim() || null,
    });
    member.status = status;
  }
}
