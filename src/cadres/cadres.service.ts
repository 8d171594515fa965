import type { EntityManager } from '@mikro-orm/postgresql';
import { codedError, userError, UserErrorCode, type UserError } from '../graphql/errors';
import { decisionOf } from '../members/decision';
import { addMonths } from '../members/lifecycle';
import { validateDecision } from '../members/member-records.service';
import { Member } from '../members/member.entity';
import { OrgUnit } from '../units/org-unit.entity';
import { PlanningEntry, Post } from './cadre.entity';
import type { AddPlanningEntryInput, AppointToPostInput, EndPostInput, PlanningEntryPayload, PostPayload } from './cadres.inputs';
import { isId } from '../graphql/ids';

const at = (name: string) => ['input', name];

/** The date a reappointment is due: the end of the term. */
export function reappointmentDue(post: Post): string {
  return addMonths(post.startOn, 12 * post.termYears);
}

/**
 * Posts and planning of cadres. The managing unit must lie in the caller's scope, so an account
 * never writes a record it could not then read (posts are visible at the managing level and above).
 */
export class CadresService {
  constructor(
    private readonly em: EntityManager,
    private readonly today: string,
  ) {}

  async appoint(input: AppointToPostInput): Promise<PostPayload> {
    const errors: UserError[] = [...validateDecision(input.decision, this.today)];
    const member = isId(input.memberId) ? await this.em.findOne(Member, { id: input.memberId }) : null;
    if (!member) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such member in your scope.', at('memberId')));
    const unit = isId(input.unitId) ? await this.em.findOne(OrgUnit, { id: input.unitId }) : null;
    if (!unit) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such unit in your scope.', at('unitId')));
    const managedBy = isId(input.managedByUnitId) ? await this.em.findOne(OrgUnit, { id: input.managedByUnitId }) : null;
    if (!managedBy) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such unit in your scope.', at('managedByUnitId')));
    if (!input.title.trim()) errors.push(userError(UserErrorCode.REQUIRED, 'Give the title of the post.', at('title')));
    if (input.termYears < 1 || input.termYears > 10) errors.push(userError(UserErrorCode.INVALID, 'A term is 1 to 10 years.', at('termYears')));
    if (input.startOn > this.today) errors.push(userError(UserErrorCode.INVALID, 'The start cannot be in the future.', at('startOn')));
    if (errors.length || !member || !unit || !managedBy) return { post: null, userErrors: errors };
    const post = this.em.create(Post, {
      member,
      title: input.title.trim(),
      unit,
      managedBy,
      startOn: input.startOn,
      termYears: input.termYears,
      decision: decisionOf(input.decision),
      reason: input.reason?.trim() || null,
    });
    await this.em.flush();
    return { post: await this.em.findOneOrFail(Post, { id: post.id }, { refresh: true }), userErrors: [] };
  }

  async end(input: EndPostInput): Promise<PostPayload> {
    const post = isId(input.postId) ? await this.em.findOne(Post, { id: input.postId }) : null;
    if (!post) return { post: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'No such post in your scope.', at('postId'))] };
    if (post.version !== input.expectedVersion) {
      throw codedError('CONFLICT', `The post is at version ${post.version}, not ${input.expectedVersion}: read it again and redo your change.`);
    }
    const errors: UserError[] = [];
    if (post.endOn) errors.push(userError(UserErrorCode.INVALID, `The post already ended on ${post.endOn}.`, at('postId')));
    if (input.endOn < post.startOn || input.endOn > this.today) errors.push(userError(UserErrorCode.INVALID, `The end is between ${post.startOn} and today.`, at('endOn')));
    if (!input.reason.trim()) errors.push(userError(UserErrorCode.REQUIRED, 'Give the reason.', at('reason')));
    if (errors.length) return { post: null, userErrors: errors };
    post.endOn = input.endOn;
    post.reason = input.reason.trim();
    await this.em.flush();
    return { post, userErrors: [] };
  }

  async plan(input: AddPlanningEntryInput): Promise<PlanningEntryPayload> {
    const errors: UserError[] = input.decision ? validateDecision(input.decision, this.today) : [];
    const member = isId(input.memberId) ? await this.em.findOne(Member, { id: input.memberId }) : null;
    if (!member) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such member in your scope.', at('memberId')));
    const managedBy = isId(input.managedByUnitId) ? await this.em.findOne(OrgUnit, { id: input.managedByUnitId }) : null;
    if (!managedBy) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such unit in your scope.', at('managedByUnitId')));
    if (input.periodEnd <= input.periodStart) errors.push(userError(UserErrorCode.INVALID, 'The period ends after it starts.', at('periodEnd')));
    if (!input.postTitle.trim()) errors.push(userError(UserErrorCode.REQUIRED, 'Give the post planned for.', at('postTitle')));
    if (errors.length || !member || !managedBy) return { entry: null, userErrors: errors };
    const entry = this.em.create(PlanningEntry, {
      member,
      postTitle: input.postTitle.trim(),
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      managedBy,
      decision: decisionOf(input.decision),
      reason: input.reason?.trim() || null,
    });
    await this.em.flush();
    return { entry, userErrors: [] };
  }
}
