import type { EntityManager } from '@mikro-orm/postgresql';
import { userError, UserErrorCode, type UserError } from '../graphql/errors';
import { validateDecisionDate } from '../graphql/decision';
import { causeRefusal, readmissionByCause } from './departure';
import { changeErrors, currentStatusPeriod, recordExpulsion, recordStatusChange } from './expulsion';
import { ADMISSION_AGE, END_STATUSES, READMITTABLE, STATUS_TRANSITIONS, ageOn, probationEndsOn, readmissionAgeAllowed } from './lifecycle';
import { MemberStatus } from './member.entity';
import type { ChangeMemberStatusInput, ConfirmOfficialInput, MemberPayload, ReadmitMemberInput } from './member-mutations.inputs';
import { MemberRecordsService, validateDecision } from './member-records.service';

const field = (name: string) => ['input', name];
const refuse = (errors: UserError[]): MemberPayload => ({ member: null, userErrors: errors, warnings: [] });
const notFound = () => refuse([userError(UserErrorCode.NOT_FOUND, 'No such member in your scope.', field('id'))]);
/** Transferred to another province or abroad: the organisation there keeps the file's lifecycle now. */
const transferredOut = (on: string) =>
  refuse([userError(UserErrorCode.TRANSITION_NOT_ALLOWED, `The member was transferred out of this organisation on ${on} and is no longer on its rolls.`, field('id'))]);
const notAllowed = (message: string, at = 'status') => refuse([userError(UserErrorCode.TRANSITION_NOT_ALLOWED, message, field(at))]);

/**
 * The lifecycle transitions of docs/domain.md. Each closes the current status period and opens the
 * next one, so "status on date D" stays answerable; each needs a decision whose date fits it.
 * Leaving and expulsion are written by expulsion.ts, shared with the discipline register.
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
    if (member.transferredOutOn) return transferredOut(member.transferredOutOn);
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
    const reasonErrors = this.reasonRequired(input.reason);

    if (to === MemberStatus.EXPELLED) {
      // Expulsion is a discipline: the same act as an EXPULSION entry added to the discipline register.
      const { errors } = await recordExpulsion(
        this.em,
        member,
        { on: input.effectiveOn, decision: input.decision, grounds: input.grounds?.trim() || input.reason, reason: input.reason, cause: input.cause },
        this.today,
      );
      if (errors.length || reasonErrors.length) return refuse([...errors, ...reasonErrors]);
      await this.em.flush();
      return { member, userErrors: [], warnings: [] };
    }

    const current = await currentStatusPeriod(this.em, member);
    const act = { status: to, on: input.effectiveOn, decision: input.decision, reason: input.reason, cause: input.cause };
    const errors = [...changeErrors(member, current, act, this.today), ...reasonErrors];
    if (errors.length) return refuse(errors);
    await recordStatusChange(this.em, member, current, act, this.today);
    await this.em.flush();
    return { member, userErrors: [], warnings: [] };
  }

  /**
   * PROBATIONARY → OFFICIAL, dated the end of the 12 months from the admission ceremony (or the
   * readmission) even when the decision comes later; the decision cannot predate that day.
   */
  async confirmOfficial(input: ConfirmOfficialInput): Promise<MemberPayload> {
    const member = await this.records.findForChange(input.id, input.expectedVersion);
    if (!member) return notFound();
    if (member.transferredOutOn) return transferredOut(member.transferredOutOn);
    if (member.status !== MemberStatus.PROBATIONARY) return notAllowed(`Only a probationary member can be confirmed; this one is ${member.status}.`);
    const officialOn = probationEndsOn(member);
    const errors = validateDecision(input.decision, this.today);
    if (officialOn > this.today) {
      errors.push(userError(UserErrorCode.TRANSITION_NOT_ALLOWED, `The 12 months of probation end on ${officialOn}; confirm on or after that day.`, field('id')));
    } else {
      errors.push(...validateDecisionDate(input.decision, { notBefore: [{ date: officialOn, what: 'the end of the 12 months of probation' }] }));
    }
    if (errors.length) return refuse(errors);
    const current = await currentStatusPeriod(this.em, member);
    await recordStatusChange(this.em, member, current, { status: MemberStatus.OFFICIAL, on: officialOn, decision: input.decision, reason: input.reason ?? null }, this.today);
    member.officialOn = officialOn;
    await this.em.flush();
    return { member, userErrors: [], warnings: [] };
  }

  /**
   * Readmission (QĐ 294-QĐ/TW §3.5): once only, never after the barred causes of leaving, 36
   * months after leaving (60 after a less serious conviction is expunged), resting on the
   * provincial standing committee's written consent (the input's decision), at most full 60 years old.
   */
  async readmit(input: ReadmitMemberInput): Promise<MemberPayload> {
    const member = await this.records.findForChange(input.id, input.expectedVersion);
    if (!member) return notFound();
    if (member.transferredOutOn) return transferredOut(member.transferredOutOn);
    if (!READMITTABLE.includes(member.status)) {
      return notAllowed(
        END_STATUSES.includes(member.status)
          ? `A member who left as ${member.status} cannot be readmitted.`
          : 'The member has not left the Party.',
      );
    }
    if (member.readmittedOn) return notAllowed(`The member was already readmitted once (${member.readmittedOn}); readmission is allowed only once.`);
    const departure = await currentStatusPeriod(this.em, member);
    if (departure.cause && input.departureCause && input.departureCause !== departure.cause) {
      return refuse([userError(UserErrorCode.INVALID, `The cause of leaving is recorded as ${departure.cause}.`, field('departureCause'))]);
    }
    const cause = departure.cause ?? input.departureCause ?? null;
    const errors: UserError[] = [];
    // A cause given now for an old departure must be one of its way of leaving (a resignation is
    // not re-labelled DISCIPLINE to pass the bar on voluntary resignation).
    const causeProblem = !departure.cause && input.departureCause ? causeRefusal(member.status, input.departureCause) : null;
    if (causeProblem) return refuse([userError(UserErrorCode.INVALID, causeProblem, field('departureCause'))]);
    if (input.convictionExpungedOn && cause !== 'CONVICTION_LESS_SERIOUS') {
      errors.push(userError(UserErrorCode.INVALID, 'An expungement date is given only after a conviction for a less serious crime.', field('convictionExpungedOn')));
    }
    if (input.convictionExpungedOn && input.convictionExpungedOn > this.today) {
      errors.push(userError(UserErrorCode.INVALID, 'The expungement cannot be in the future.', field('convictionExpungedOn')));
    }
    const byCause = readmissionByCause(
      { status: member.status, leftOn: member.leftOn!, cause, convictionExpungedOn: input.convictionExpungedOn ?? departure.convictionExpungedOn },
      input.joinedOn,
    );
    if (!byCause.ok) {
      const code = byCause.barred || byCause.field === 'joinedOn' ? UserErrorCode.TRANSITION_NOT_ALLOWED : UserErrorCode.REQUIRED;
      errors.push(userError(code, byCause.message, field(byCause.field)));
      if (byCause.barred) return refuse(errors);
    }
    errors.push(
      ...validateDecision(input.decision, this.today),
      ...validateDecisionDate(input.decision, {
        notBefore: [
          { date: member.joinedOn, what: 'the first admission' },
          { date: member.leftOn, what: 'the day the member left' },
        ],
        notAfter: [{ date: input.joinedOn, what: 'the readmission' }],
      }),
      ...this.reasonRequired(input.reason),
    );
    if (input.joinedOn > this.today) errors.push(userError(UserErrorCode.INVALID, 'The readmission date cannot be in the future.', field('joinedOn')));
    const age = ageOn(member.dateOfBirth, input.joinedOn);
    if (!readmissionAgeAllowed(age.totalMonths)) {
      errors.push(
        userError(UserErrorCode.INVALID, `Age at readmission is ${age.years} years ${age.months} months; the rule is at most full ${ADMISSION_AGE.max} years.`, field('joinedOn')),
      );
    }
    if (errors.length) return refuse(errors);
    // A cause or expungement learnt now completes the departure it belongs to.
    departure.cause = cause;
    if (input.convictionExpungedOn) departure.convictionExpungedOn = input.convictionExpungedOn;
    await recordStatusChange(
      this.em,
      member,
      departure,
      { status: MemberStatus.PROBATIONARY, on: input.joinedOn, decision: input.decision, reason: input.reason },
      this.today,
    );
    member.readmittedOn = input.joinedOn;
    member.officialOn = null;
    member.leftOn = null;
    await this.em.flush();
    return { member, userErrors: [], warnings: [] };
  }

  private reasonRequired(reason: string | null | undefined): UserError[] {
    return reason?.trim() ? [] : [userError(UserErrorCode.REQUIRED, 'A lifecycle change needs a reason.', field('reason'))];
  }
}
