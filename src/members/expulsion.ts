import type { EntityManager } from '@mikro-orm/postgresql';
import { userError, UserErrorCode, type UserError } from '../graphql/errors';
import { decisionOf, validateDecision, validateDecisionDate, type DecisionInput } from '../graphql/decision';
import { causeRefusal, defaultCause, type DepartureCauseCode } from './departure';
import { END_STATUSES } from './lifecycle';
import { MemberStatusPeriod } from './member-period.entity';
import { Member, MemberStatus } from './member.entity';
import { DisciplineForm, DisciplineRecord } from './sub-records.entity';

/**
 * Leaving the Party, and expulsion as one act (docs/domain.md, "Leaving").
 *
 * Every departure (REMOVED, EXPELLED, RESIGNED, DECEASED) goes through recordLeaving: the status
 * period is closed and the end state opened with its cause, the day of leaving is kept, and a
 * pending transfer is cancelled with the cause. Expulsion is also a discipline, so recordExpulsion
 * writes both the status change and the EXPULSION entry of the discipline register, whichever
 * way staff enter it (changeMemberStatus or addSubRecord): the two registers cannot disagree.
 * Both live here so that lifecycle.service.ts and sub-records.service.ts import one module.
 */

/** Where each part of a departure was given in the caller's input (the field a user error names). */
export interface LeavingPaths {
  on: readonly string[];
  cause: readonly string[];
  reason: readonly string[];
  grounds: readonly string[];
  status: readonly string[];
}

/** changeMemberStatus's input names. */
export const STATUS_CHANGE_PATHS: LeavingPaths = {
  on: ['input', 'effectiveOn'],
  cause: ['input', 'cause'],
  reason: ['input', 'reason'],
  grounds: ['input', 'grounds'],
  status: ['input', 'status'],
};

export interface LeavingAct {
  status: MemberStatus;
  on: string;
  decision: DecisionInput;
  reason: string | null;
  cause?: DepartureCauseCode | null;
}

/** The current (open) status period of a member. */
export function currentStatusPeriod(em: EntityManager, member: Member): Promise<MemberStatusPeriod> {
  return em.findOneOrFail(MemberStatusPeriod, { member, validTo: null });
}

/**
 * The checks every lifecycle change shares: a decision (validateDecision) dated not before the
 * admission nor before the current status began, an effective day not in the future and after
 * the current status began, and for a departure a cause that fits it.
 */
export function changeErrors(
  member: Member,
  current: MemberStatusPeriod,
  act: LeavingAct,
  today: string,
  paths: LeavingPaths = STATUS_CHANGE_PATHS,
): UserError[] {
  const errors = [
    ...validateDecision(act.decision, today),
    ...validateDecisionDate(act.decision, {
      notBefore: [
        { date: member.joinedOn, what: 'the admission decision' },
        { date: current.validFrom, what: `the start of the current status (${current.status})` },
      ],
    }),
  ];
  if (act.on > today) errors.push(userError(UserErrorCode.INVALID, 'The change cannot take effect in the future.', [...paths.on]));
  if (act.on <= current.validFrom) {
    errors.push(userError(UserErrorCode.INVALID, `The change must take effect after ${current.validFrom}, when the current status began.`, [...paths.on]));
  }
  const causeProblem = causeRefusal(act.status, act.cause);
  if (causeProblem) errors.push(userError(act.cause ? UserErrorCode.INVALID : UserErrorCode.REQUIRED, causeProblem, [...paths.cause]));
  return errors;
}

/**
 * Moves the member to the new status from `on`: closes the current period and opens the next.
 * For an end state it keeps the day of leaving and the cause, and cancels a pending transfer
 * (a member who left is not received anywhere). Checks are the caller's (changeErrors).
 */
export async function recordStatusChange(em: EntityManager, member: Member, current: MemberStatusPeriod, act: LeavingAct, today: string): Promise<void> {
  const leaving = END_STATUSES.includes(act.status);
  const cause = leaving ? (act.cause ?? defaultCause(act.status)) : null;
  current.validTo = act.on;
  // Closed before the next opens: periods may not overlap, and the database checks each statement.
  await em.flush();
  em.create(MemberStatusPeriod, {
    member,
    status: act.status,
    validFrom: act.on,
    decision: decisionOf(act.decision),
    reason: act.reason?.trim() || null,
    cause,
  });
  member.status = act.status;
  if (!leaving) return;
  member.leftOn = act.on;
  // Written in SQL: members sit below transfers in the layers (test/structure.test.ts), so this
  // module does not import the Transfer entity. Same columns as cancelTransfer sets, version bumped.
  await em.getConnection().execute(
    `update transfer set status = 'CANCELLED', cancelled_on = ?, cancel_reason = ?, version = version + 1
      where member_id = ? and status = 'PENDING'`,
    // The reason names no status nor cause: the receiving side may be outside the member's scope,
    // and how a member left (a conviction, an expulsion) is sensitive. The cause stays on the period.
    [today, `The member left the rolls on ${act.on}.`, member.id],
    'run',
    em.getTransactionContext(),
  );
}

/**
 * The one act of expulsion (khai trừ): refused unless the member is active and official (a
 * probationary member is removed instead), with the checks every departure has; then the status
 * moves to EXPELLED (cause DISCIPLINE unless another is given) and the discipline register gets
 * its EXPULSION entry, dated the same day and resting on the same decision. With errors nothing
 * is written. A reason is required, as for every lifecycle change.
 */
export async function recordExpulsion(
  em: EntityManager,
  member: Member,
  act: {
    on: string;
    decision: DecisionInput;
    grounds: string;
    reason: string | null;
    note?: string | null;
    cause?: DepartureCauseCode | null;
    /** Where the caller's input holds each part (addSubRecord's names differ); changeMemberStatus's by default. */
    paths?: Partial<LeavingPaths>;
  },
  today: string,
): Promise<{ discipline: DisciplineRecord | null; errors: UserError[] }> {
  const paths = { ...STATUS_CHANGE_PATHS, ...act.paths };
  // The same conditions whichever way the expulsion is entered (changeMemberStatus or addSubRecord).
  if (member.transferredOutOn) {
    const message = `The member was transferred out of this organisation on ${member.transferredOutOn} and is no longer on its rolls.`;
    return { discipline: null, errors: [userError(UserErrorCode.TRANSITION_NOT_ALLOWED, message, [...paths.status])] };
  }
  if (member.status === MemberStatus.PROBATIONARY) {
    const message = 'A probationary member cannot be expelled; remove them from the rolls (REMOVED) instead.';
    return { discipline: null, errors: [userError(UserErrorCode.TRANSITION_NOT_ALLOWED, message, [...paths.status])] };
  }
  if (member.status !== MemberStatus.OFFICIAL && member.status !== MemberStatus.RELEASED) {
    const message = `The member has left (${member.status}); expulsion applies to members only.`;
    return { discipline: null, errors: [userError(UserErrorCode.TRANSITION_NOT_ALLOWED, message, [...paths.status])] };
  }
  const grounds = act.grounds?.trim().replace(/\s+/g, ' ') ?? '';
  const cause = act.cause ?? 'DISCIPLINE';
  const current = await currentStatusPeriod(em, member);
  const leaving: LeavingAct = { status: MemberStatus.EXPELLED, on: act.on, decision: act.decision, reason: act.reason?.trim() || null, cause };
  const errors = changeErrors(member, current, leaving, today, paths);
  if (!grounds) errors.push(userError(UserErrorCode.REQUIRED, 'An expulsion states its grounds (lý do kỷ luật).', [...paths.grounds]));
  if (!act.reason?.trim()) errors.push(userError(UserErrorCode.REQUIRED, 'A lifecycle change needs a reason.', [...paths.reason]));
  if (errors.length) return { discipline: null, errors };

  await recordStatusChange(em, member, current, leaving, today);
  const discipline = em.create(DisciplineRecord, {
    member,
    form: DisciplineForm.EXPULSION,
    decidedOn: act.on,
    grounds,
    decision: decisionOf(act.decision),
    note: act.note?.trim() || null,
  });
  await em.flush();
  return { discipline, errors: [] };
}
