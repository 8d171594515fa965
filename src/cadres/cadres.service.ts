import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import { connectionFrom, cursorAfter, type Connection, type PageRequest } from '../graphql/connection';
import { codedError, userError, UserErrorCode, type UserError } from '../graphql/errors';
import { isId } from '../graphql/ids';
import { dateInRange } from '../graphql/scalars';
import { scopedQuery } from '../database/scoped-query';
import { decisionOf, validateDecision, validateDecisionDate } from '../graphql/decision';
import { ACTIVE_STATUSES_SQL } from '../members/lifecycle';
import { Member } from '../members/member.entity';
import type { UnitLoaders } from '../units/units.loaders';
import { OrgUnit } from '../units/org-unit.entity';
import { unitLifeRefusal } from '../units/unit-life';
import { PlanningEntry, Post } from './cadre.entity';
import {
  appointmentDecisionBounds,
  cadreRecordRefusal,
  cadreRules,
  dueBy,
  MAX_DUE_WITHIN_DAYS,
  planningDecisionBounds,
  planningLimitWarnings,
  planningPeriodProblems,
  postStartProblem,
  termEndsOn,
  termEndsOnSql,
  type CadreRules,
} from './cadre-rules';
import type { AddPlanningEntryInput, AppointToPostInput, EndPostInput, PlanningEntryPayload, PostPayload } from './cadres.inputs';

const at = (name: string) => ['input', name];

/** A planning limit exceeded is a warning in the payload: the entry is written. */
const LIMIT_WARNING = UserErrorCode.ABOVE_LIMIT;


/** The date a reappointment is due: the end of the term. */
export function reappointmentDue(post: Post): string {
  return termEndsOn(post.startOn, post.termYears);
}

/**
 * Posts and planning of cadres. The managing unit must lie in the caller's scope, so an account
 * never writes a record it could not then read (posts are visible at the managing level and above).
 */
export class CadresService {
  constructor(
    private readonly em: EntityManager,
    private readonly today: string,
    private readonly rules: CadreRules,
    private readonly account: AuthAccount,
    private readonly loaders: UnitLoaders,
  ) {}

  async appoint(input: AppointToPostInput): Promise<PostPayload> {
    const errors: UserError[] = [...validateDecision(input.decision, this.today)];
    const member = isId(input.memberId) ? await this.em.findOne(Member, { id: input.memberId }) : null;
    if (!member) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such member in your scope.', at('memberId')));
    const unit = isId(input.unitId) ? await this.em.findOne(OrgUnit, { id: input.unitId }) : null;
    if (!unit) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such unit in your scope.', at('unitId')));
    const managedBy = isId(input.managedByUnitId) ? await this.em.findOne(OrgUnit, { id: input.managedByUnitId }) : null;
    if (!managedBy) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such unit in your scope.', at('managedByUnitId')));
    // A post runs from its start, still running: the unit must be alive then and still is; the
    // unit that manages it manages it today.
    const life = unit && unitLifeRefusal(unit, input.startOn);
    if (life) errors.push(userError(UserErrorCode.INVALID, life, at('unitId')));
    const managing = managedBy && unitLifeRefusal(managedBy, this.today);
    if (managing) errors.push(userError(UserErrorCode.INVALID, managing, at('managedByUnitId')));
    if (!input.title.trim()) errors.push(userError(UserErrorCode.REQUIRED, 'Give the title of the post.', at('title')));
    if (input.termYears < 1 || input.termYears > 10) errors.push(userError(UserErrorCode.INVALID, 'A term is 1 to 10 years.', at('termYears')));
    if (input.startOn > this.today) errors.push(userError(UserErrorCode.INVALID, 'The start cannot be in the future.', at('startOn')));
    if (member) {
      // Posts only for active members (cadre-rules.ts): not after leaving, not while released.
      const refusal = cadreRecordRefusal(member, 'POST');
      if (refusal) errors.push(userError(UserErrorCode.INVALID, refusal, at('memberId')));
      const start = postStartProblem(member, input.startOn);
      if (start) errors.push(userError(UserErrorCode.INVALID, start.message, at(start.field)));
      errors.push(...validateDecisionDate(input.decision, appointmentDecisionBounds(member)));
    }
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
    const refuse = (userErrors: UserError[]): PlanningEntryPayload => ({ entry: null, userErrors, warnings: [] });
    const errors: UserError[] = [];
    // A planning entry rests on its approval decision (quyết định phê duyệt quy hoạch).
    if (input.decision) errors.push(...validateDecision(input.decision, this.today));
    else errors.push(userError(UserErrorCode.REQUIRED, 'Give the decision that approved the planning.', at('decision')));
    const member = isId(input.memberId) ? await this.em.findOne(Member, { id: input.memberId }) : null;
    if (!member) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such member in your scope.', at('memberId')));
    const managedBy = isId(input.managedByUnitId) ? await this.em.findOne(OrgUnit, { id: input.managedByUnitId }) : null;
    if (!managedBy) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such unit in your scope.', at('managedByUnitId')));
    let unit = managedBy;
    if (input.unitId !== undefined && input.unitId !== null) {
      unit = isId(input.unitId) ? await this.em.findOne(OrgUnit, { id: input.unitId }) : null;
      if (!unit) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such unit in your scope.', at('unitId')));
    }
    // Planning looks ahead: for a unit, and by a unit, that exist today.
    for (const [planned, name] of [[managedBy, 'managedByUnitId'], [unit === managedBy ? null : unit, 'unitId']] as const) {
      const life = planned && unitLifeRefusal(planned, this.today);
      if (life) errors.push(userError(UserErrorCode.INVALID, life, at(name)));
    }
    const postTitle = input.postTitle.trim();
    if (!postTitle) errors.push(userError(UserErrorCode.REQUIRED, 'Give the post planned for.', at('postTitle')));
    for (const problem of planningPeriodProblems(input.periodStart, input.periodEnd, this.rules)) {
      errors.push(userError(UserErrorCode.INVALID, problem.message, at(problem.field)));
    }
    if (member) {
      const refusal = cadreRecordRefusal(member, 'PLANNING');
      if (refusal) errors.push(userError(UserErrorCode.INVALID, refusal, at('memberId')));
      errors.push(...validateDecisionDate(input.decision, planningDecisionBounds(member, input.periodEnd)));
    }
    if (errors.length || !member || !managedBy || !unit) return refuse(errors);

    const counts = await this.planningCounts(member.id, postTitle, unit.id, input.periodStart, input.periodEnd);
    const warnings = planningLimitWarnings(counts, this.rules).map((w) => userError(LIMIT_WARNING, w.message, at(w.field)));
    const entry = this.em.create(PlanningEntry, {
      member,
      postTitle,
      unit,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      managedBy,
      decision: decisionOf(input.decision),
      reason: input.reason?.trim() || null,
    });
    await this.em.flush();
    return { entry, userErrors: [], warnings };
  }

  /**
   * The planning limits' counts with the new entry: people planned for the post (same unit, title
   * without regard to case and spaces, period), and posts the member is planned for in the period.
   * Counted in the caller's scope (the scope filter): planning managed above the caller's level is
   * not the caller's to see, so it is not counted either.
   */
  private async planningCounts(memberId: string, postTitle: string, unitId: string, periodStart: number, periodEnd: number) {
    const samePeriod = { periodStart, periodEnd };
    const entries = await this.em.find(PlanningEntry, samePeriod);
    const postKey = (unit: string, title: string) => `${unit}\u0000${title.trim().replace(/\s+/g, ' ').toLowerCase()}`;
    const thisPost = postKey(unitId, postTitle);
    const keyOf = (e: PlanningEntry) => postKey(e.unit?.id ?? e.managedBy.id, e.postTitle);
    const people = new Set([memberId, ...entries.filter((e) => keyOf(e) === thisPost).map((e) => e.member.id)]);
    const posts = new Set([thisPost, ...entries.filter((e) => e.member.id === memberId).map(keyOf)]);
    return { peoplePlannedForPost: people.size, postsPlannedForPerson: posts.size };
  }

  /**
   * Posts held in a unit's subtree whose term ends within `withinDays` days of `asOf` (or has
   * ended while the post is still held: reappointment overdue), by the end of the term. Only
   * posts managed at the caller's level or below (the scope filter), of members still active.
   */
  async postsDueForReappointment(
    unitId: string | null | undefined,
    withinDays: number,
    asOf: string | null | undefined,
    page: PageRequest,
  ): Promise<Connection<Post>> {
    if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > MAX_DUE_WITHIN_DAYS) {
      throw codedError('BAD_USER_INPUT', `withinDays must be between 0 and ${MAX_DUE_WITHIN_DAYS}, got ${withinDays}.`, { argument: 'withinDays' });
    }
    const day = dateInRange(asOf ?? this.today, 'asOf');
    const id = unitId ?? this.account.unitId;
    const unit = isId(id) ? await this.loaders.unitById.load(id) : null;
    if (!unit) throw codedError('NOT_FOUND', 'No such unit in your scope.', { argument: 'unitId' });

    const termEnd = termEndsOnSql('p.start_on', 'p.term_years');
    const { qb } = await scopedQuery(this.em, Post, 'p');
    qb.andWhere('p.start_on <= ?::date and (p.end_on is null or p.end_on > ?::date)', [day, day])
      .andWhere(`${termEnd} <= ?::date`, [dueBy(day, withinDays)])
      .andWhere('p.unit_id in (select u.id from org_unit u where u.path <@ ?::ltree)', [unit.path])
      .andWhere(`p.member_id in (select m.id from member m where m.status in ${ACTIVE_STATUSES_SQL})`);
    const countQb = qb.clone();
    const after = cursorAfter(page, ['date', 'id'] as const);
    if (after) qb.andWhere(`(${termEnd}, p.id) > (?::date, ?)`, [after[0], after[1]]);
    qb.orderBy({ [raw(termEnd)]: 'asc', id: 'asc' }).limit(page.first + 1);
    const posts = await qb.getResultList();
    return connectionFrom(posts, page, (p) => [reappointmentDue(p), p.id], () => countQb.getCount());
  }
}
