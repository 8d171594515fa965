import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import { codedError, userError, UserErrorCode, type UserError } from '../graphql/errors';
import { isId } from '../graphql/ids';
import { decisionOf, validateDecision, validateDecisionDate, type DecisionInput } from '../graphql/decision';
import {
  correctionChangesExpulsion,
  disciplineDecisionBounds,
  disciplineRefusals,
  isExpulsion,
  missingExpulsionEntry,
  statusOnDay,
} from './discipline';
import { recordExpulsion, type LeavingPaths } from './expulsion';
import { END_STATUSES, partyAge, refusalAfterLeaving, type RecordAfterLeaving } from './lifecycle';
import { MemberStatusPeriod } from './member-period.entity';
import { Member, MemberStatus } from './member.entity';
import {
  BADGE_YEARS,
  badgeAwardCheck,
  badgeYearsText,
  badgeSettings,
  isBadgeYears,
  type BadgeGround,
  type BadgeSettings,
} from './party-badges';
import { ratingRefusals, ratingSettings, type RatingSettings } from './ratings';
import {
  SubRecordKind,
  type AddSubRecordInput,
  type AwardInput,
  type CorrectSubRecordInput,
  type DisciplineInput,
  type QualityRatingInput,
  type SubRecordContent,
  type SubRecordPayload,
  type VoidSubRecordInput,
  type WorkHistoryInput,
} from './sub-records.inputs';
import {
  Award,
  AwardKind,
  DisciplineForm,
  DisciplineRecord,
  FamilyRelation,
  QualityRating,
  SubRecord,
  TrainingEntry,
  WorkHistoryEntry,
  categoryForScore,
} from './sub-records.entity';

/** Where addSubRecord's input holds each part of an expulsion (recordExpulsion names the field at fault). */
const EXPULSION_PATHS: Partial<LeavingPaths> = {
  on: ['input', 'discipline', 'decidedOn'],
  grounds: ['input', 'discipline', 'grounds'],
  reason: ['input', 'reason'],
  status: ['input', 'discipline', 'form'],
  cause: ['input', 'discipline', 'cause'],
};

type Content = NonNullable<SubRecordContent[keyof SubRecordContent]>;
type Check = (content: any, member: Member, today: string) => UserError[];

const at = (...path: string[]) => ['input', ...path];

function fromTo(field: string): Check {
  return (c: { fromDate: string; toDate?: string | null }, _m, today) => [
    ...(c.toDate && c.toDate < c.fromDate ? [userError(UserErrorCode.INVALID, 'The end is before the start.', at(field, 'toDate'))] : []),
    ...(c.fromDate > today ? [userError(UserErrorCode.INVALID, 'The start cannot be in the future.', at(field, 'fromDate'))] : []),
  ];
}

/**
 * Every kind: the input field that carries it, its entity, its own rules on the content alone,
 * and whether it rests on a decision (then `decision` is required). The rules that need the
 * member's history (ratings, badges, discipline, after leaving) are in `rulesOfHistory` below.
 */
const KINDS: Record<SubRecordKind, { field: keyof SubRecordContent; entity: new () => SubRecord; check: Check; decision: boolean }> = {
  [SubRecordKind.WORK_HISTORY]: { field: 'workHistory', entity: WorkHistoryEntry, check: fromTo('workHistory'), decision: false },
  [SubRecordKind.TRAINING]: { field: 'training', entity: TrainingEntry, check: fromTo('training'), decision: false },
  [SubRecordKind.AWARD]: {
    field: 'award',
    entity: Award,
    decision: true,
    check: (c: AwardInput, member, today) => {
      const errors: UserError[] = [];
      if ((c.kind === AwardKind.PARTY_BADGE) !== (c.badgeYears !== null && c.badgeYears !== undefined)) {
        errors.push(userError(UserErrorCode.INVALID, `A party badge, and only a party badge, names its years (${badgeYearsText()}).`, at('award', 'badgeYears')));
      } else if (c.badgeYears !== null && c.badgeYears !== undefined && !isBadgeYears(c.badgeYears)) {
        errors.push(userError(UserErrorCode.INVALID, `Party badges mark ${BADGE_YEARS.join(', ')} years.`, at('award', 'badgeYears')));
      }
      if (c.ground && c.kind !== AwardKind.PARTY_BADGE) {
        errors.push(userError(UserErrorCode.INVALID, 'Only a party badge is awarded early.', at('award', 'ground')));
      }
      if (c.posthumous && member.status !== MemberStatus.DECEASED) {
        errors.push(userError(UserErrorCode.INVALID, 'Only a deceased member is awarded posthumously.', at('award', 'posthumous')));
      }
      if (c.awardedOn > today) errors.push(userError(UserErrorCode.INVALID, 'The award date cannot be in the future.', at('award', 'awardedOn')));
      return errors;
    },
  },
  [SubRecordKind.DISCIPLINE]: {
    field: 'discipline',
    entity: DisciplineRecord,
    decision: true,
    check: (c: DisciplineInput, _member, today) => {
      const errors: UserError[] = [];
      if (c.decidedOn > today) errors.push(userError(UserErrorCode.INVALID, 'The decision date cannot be in the future.', at('discipline', 'decidedOn')));
      if (!c.grounds?.trim()) errors.push(userError(UserErrorCode.REQUIRED, 'Give the grounds.', at('discipline', 'grounds')));
      return errors;
    },
  },
  [SubRecordKind.QUALITY_RATING]: {
    field: 'rating',
    entity: QualityRating,
    decision: false,
    check: (c: QualityRatingInput, _member, today) => {
      const errors: UserError[] = [];
      if (c.score !== null && c.score !== undefined && (c.score < 0 || c.score > 100)) {
        errors.push(userError(UserErrorCode.INVALID, 'A score is between 0 and 100.', at('rating', 'score')));
      } else if (c.score !== null && c.score !== undefined && c.category && c.category !== categoryForScore(c.score)) {
        errors.push(userError(UserErrorCode.INVALID, `A score of ${c.score} is category ${categoryForScore(c.score)}.`, at('rating', 'category')));
      }
      if ((c.score === null || c.score === undefined) && !c.category) errors.push(userError(UserErrorCode.REQUIRED, 'Give a score or a category.', at('rating', 'category')));
      if (c.year > Number(today.slice(0, 4))) errors.push(userError(UserErrorCode.INVALID, 'A year not yet begun cannot be rated.', at('rating', 'year')));
      return errors;
    },
  },
  [SubRecordKind.FAMILY_RELATION]: { field: 'family', entity: FamilyRelation, check: () => [], decision: false },
};

/** What the service asks of a member's history once per check. */
interface History {
  periods: MemberStatusPeriod[];
  disciplines: DisciplineRecord[];
  badges: Award[];
}

/** How a check is run: an addition (after-leaving rule applies) or the correction of `replacing`. */
interface CheckMode {
  adding: boolean;
  reason?: string | null;
  replacing?: SubRecord;
}

export function kindOfEntry(entry: SubRecord): SubRecordKind {
  return (Object.keys(KINDS) as SubRecordKind[]).find((k) => entry instanceof KINDS[k].entity)!;
}

/** The one content field given, or a user error. */
function contentOf(input: SubRecordContent): { kind: SubRecordKind; content: Content } | UserError {
  const given = (Object.keys(KINDS) as SubRecordKind[]).filter((k) => input[KINDS[k].field]);
  if (given.length !== 1) return userError(UserErrorCode.INVALID, 'Give exactly one of workHistory, training, award, discipline, rating, family.', ['input']);
  return { kind: given[0], content: input[KINDS[given[0]].field] as Content };
}

function trimmed(content: Content): Record<string, unknown> {
  return Object.fromEntries(Object.entries(content).map(([k, v]) => [k, typeof v === 'string' ? v.trim() || null : v]));
}

/** Adding, correcting and voiding the sub-records of a member file. */
export class SubRecordsService {
  private readonly ratingSettings: RatingSettings;
  private readonly badgeSettings: BadgeSettings;

  constructor(
    private readonly em: EntityManager,
    private readonly today: string,
    config: Pick<Config, 'ruleOverrides'> = { ruleOverrides: {} },
  ) {
    this.ratingSettings = ratingSettings(config);
    this.badgeSettings = badgeSettings(config);
  }

  async add(input: AddSubRecordInput): Promise<SubRecordPayload> {
    const given = contentOf(input);
    // An expulsion changes the member's status: the row is locked as for any lifecycle change.
    const expulsion = 'kind' in given && given.kind === SubRecordKind.DISCIPLINE && isExpulsion((given.content as DisciplineInput).form);
    const member = isId(input.memberId)
      ? await this.em.findOne(Member, { id: input.memberId }, expulsion ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {})
      : null;
    if (!member) return this.refuse([userError(UserErrorCode.NOT_FOUND, 'No such member in your scope.', at('memberId'))]);
    if (!('kind' in given)) return this.refuse([given]);
    const { errors, ground } = await this.check(given.kind, given.content, member, input.decision, { adding: true, reason: input.reason });
    if (given.kind === SubRecordKind.DISCIPLINE && (given.content as DisciplineInput).cause && !expulsion) {
      errors.push(userError(UserErrorCode.INVALID, 'Only an expulsion records a cause of leaving.', at('discipline', 'cause')));
    }
    if (errors.length) return this.refuse(errors);
    if (expulsion && !END_STATUSES.includes(member.status)) {
      // Expulsion is one act (expulsion.ts): the member becomes EXPELLED and the register gets the entry.
      const d = given.content as DisciplineInput;
      const act = await recordExpulsion(this.em, member, {
        on: d.decidedOn,
        decision: input.decision!,
        grounds: d.grounds,
        reason: input.reason ?? null,
        note: d.note,
        cause: d.cause ?? null,
        paths: EXPULSION_PATHS,
      }, this.today);
      if (act.errors.length) return this.refuse(act.errors);
      return { member, record: act.discipline, userErrors: [] };
    }
    const record = this.write(given.kind, member, given.content, input.decision, ground);
    await this.em.flush();
    return { member, record, userErrors: [] };
  }

  async correct(input: CorrectSubRecordInput): Promise<SubRecordPayload> {
    const given = contentOf(input);
    if (!('kind' in given)) return this.refuse([given]);
    const old = await this.current(given.kind, input.id, input.expectedVersion);
    if ('code' in old) return this.refuse([old]);
    const member = await this.em.findOneOrFail(Member, { id: old.member.id });
    const { errors, ground } = await this.check(given.kind, given.content, member, input.decision, { adding: false, replacing: old });
    errors.push(...this.reasonRequired(input.reason));
    if (old instanceof DisciplineRecord && correctionChangesExpulsion(old.form, (given.content as DisciplineInput).form)) {
      errors.push(userError(UserErrorCode.INVALID, 'An expulsion is one act with the status: a correction cannot turn an entry into or out of an expulsion.', at('discipline', 'form')));
    }
    if (errors.length) return this.refuse(errors);
    // The old entry leaves the current set first: some kinds allow one current entry (a year's rating).
    old.supersededAt = new Date();
    old.supersedeReason = input.reason.trim();
    await this.em.flush();
    const record = this.write(given.kind, member, given.content, input.decision, ground);
    await this.em.flush();
    old.supersededBy = record.id;
    await this.em.flush();
    return { member, record, userErrors: [] };
  }

  async void(input: VoidSubRecordInput): Promise<SubRecordPayload> {
    const old = await this.current(input.kind, input.id, input.expectedVersion);
    if ('code' in old) return this.refuse([old]);
    const reason = this.reasonRequired(input.reason);
    if (reason.length) return this.refuse(reason);
    const member = await this.em.findOneOrFail(Member, { id: old.member.id });
    if (old instanceof DisciplineRecord && isExpulsion(old.form) && member.status === MemberStatus.EXPELLED) {
      const message = 'The member is EXPELLED by this entry’s act: voiding it would leave the status and the discipline register disagreeing.';
      return this.refuse([userError(UserErrorCode.INVALID, message, at('id'))]);
    }
    old.supersededAt = new Date();
    old.supersedeReason = input.reason.trim();
    await this.em.flush();
    return { member, record: old, userErrors: [] };
  }

  /** Every rule an entry must pass; for a party badge also the ground to store. */
  private async check(
    kind: SubRecordKind,
    content: Content,
    member: Member,
    decision: DecisionInput | null | undefined,
    mode: CheckMode,
  ): Promise<{ errors: UserError[]; ground: BadgeGround | null }> {
    const errors = [...KINDS[kind].check(content, member, this.today)];
    if (decision) {
      errors.push(...validateDecision(decision, this.today));
      errors.push(...validateDecisionDate(decision, { notBefore: [{ date: member.dateOfBirth, what: 'the date of birth' }] }));
    } else if (KINDS[kind].decision) {
      errors.push(userError(UserErrorCode.REQUIRED, `${kind === SubRecordKind.AWARD ? 'An award' : 'A discipline'} rests on its decision: give its number, date and issuing body.`, at('decision')));
    }
    if (errors.length) return { errors, ground: null };
    const history = await this.history(member, mode.replacing);
    if (mode.adding) {
      const leaving = await this.afterLeaving(kind, content, member, mode.reason, history);
      if (leaving) return { errors: [leaving], ground: null };
    }
    return this.rulesOfHistory(kind, content, member, decision ?? null, history);
  }

  /** The after-leaving rule (lifecycle.ts) for an addition, as a user error naming the content. */
  private async afterLeaving(kind: SubRecordKind, content: Content, member: Member, reason: string | null | undefined, history: History): Promise<UserError | null> {
    if (kind === SubRecordKind.DISCIPLINE) {
      if (!END_STATUSES.includes(member.status)) return null;
      const d = content as DisciplineInput;
      const hasEntry = history.disciplines.some((e) => isExpulsion(e.form));
      const exception = missingExpulsionEntry(member, d, hasEntry, reason);
      return exception ? userError(UserErrorCode.INVALID, exception.message, at(...exception.path)) : null;
    }
    let entry: RecordAfterLeaving;
    let path: string[];
    if (kind === SubRecordKind.AWARD) {
      const a = content as AwardInput;
      entry = { kind: 'AWARD', posthumous: a.posthumous, dated: a.awardedOn, reason };
      path = at('award', 'awardedOn');
    } else if (kind === SubRecordKind.QUALITY_RATING) {
      entry = { kind: 'RATING', year: (content as QualityRatingInput).year, reason };
      path = at('rating', 'year');
    } else if (kind === SubRecordKind.WORK_HISTORY || kind === SubRecordKind.TRAINING) {
      entry = { kind, dated: (content as WorkHistoryInput).fromDate, reason };
      path = at(KINDS[kind].field, 'fromDate');
    } else {
      // A family relation has no date of its own: it belongs to the time of membership (declared from admission).
      entry = { kind: 'FAMILY_RELATION', dated: member.joinedOn, reason };
      path = at('family');
    }
    const refusal = refusalAfterLeaving(member, entry);
    // A late entry for the time of membership that a reason would let through lacks only the reason.
    if (refusal && !reason?.trim() && !refusalAfterLeaving(member, { ...entry, reason: 'given' } as RecordAfterLeaving)) path = at('reason');
    return refusal ? userError(UserErrorCode.INVALID, refusal, path) : null;
  }

  /** The rules that read the member's dated history: ratings, discipline, awards and badges. */
  private async rulesOfHistory(
    kind: SubRecordKind,
    content: Content,
    member: Member,
    decision: DecisionInput | null,
    history: History,
  ): Promise<{ errors: UserError[]; ground: BadgeGround | null }> {
    const errors: UserError[] = [];
    let ground: BadgeGround | null = null;
    if (kind === SubRecordKind.QUALITY_RATING) {
      const r = content as QualityRatingInput;
      const category = r.category ?? categoryForScore(r.score!);
      const decided = history.disciplines.map((d) => d.decidedOn);
      for (const refusal of ratingRefusals({ year: r.year, score: r.score, category }, history.periods, decided, this.ratingSettings)) {
        errors.push(userError(UserErrorCode.INVALID, refusal.message, at('rating', refusal.field)));
      }
    }
    if (kind === SubRecordKind.DISCIPLINE) {
      const d = content as DisciplineInput;
      const heldPost = d.form === DisciplineForm.DISMISSAL ? await this.heldPost(member, d.decidedOn) : null;
      const status = statusOnDay(history.periods, d.decidedOn) ?? member.status;
      for (const refusal of disciplineRefusals(d, decision, status, heldPost)) {
        errors.push(userError(UserErrorCode.INVALID, refusal.message, at(...refusal.path)));
      }
      errors.push(...validateDecisionDate(decision, disciplineDecisionBounds(member)));
    }
    if (kind === SubRecordKind.AWARD) {
      const a = content as AwardInput;
      if (a.kind === AwardKind.PARTY_BADGE) {
        // A party badge is the party's award: its decision not before the admission.
        errors.push(...validateDecisionDate(decision, { notBefore: [{ date: member.joinedOn, what: 'the admission' }] }));
        const check = badgeAwardCheck(
          { badgeYears: a.badgeYears!, awardedOn: a.awardedOn, ground: a.ground },
          {
            partyAgeMonths: partyAge(history.periods, a.awardedOn).months,
            posthumous: a.posthumous && member.status === MemberStatus.DECEASED,
            seriousIllnessSince: member.seriousIllnessGround?.trim() ? (member.seriousIllnessSince ?? null) : null,
            awardedBadgeYears: history.badges.map((b) => b.badgeYears!),
            disciplines: history.disciplines,
          },
          this.badgeSettings,
        );
        errors.push(...check.refusals.map((r) => userError(UserErrorCode.INVALID, r.message, at('award', r.field))));
        ground = check.ground;
      }
      if (decision && a.awardedOn < decision.date) {
        errors.push(userError(UserErrorCode.INVALID, `An award is presented on or after its decision (${decision.date}).`, at('award', 'awardedOn')));
      }
    }
    return { errors, ground };
  }

  /** The member's status periods and current disciplines and party badges (the entry being corrected left out). */
  private async history(member: Member, replacing?: SubRecord): Promise<History> {
    const notReplaced = <T extends SubRecord>(rows: T[]) => rows.filter((r) => r.id !== replacing?.id);
    // One after another: the three share the mutation's transaction, hence its connection.
    const periods = await this.em.find(MemberStatusPeriod, { member }, { orderBy: { validFrom: 'asc' } });
    const disciplines = await this.em.find(DisciplineRecord, { member, supersededAt: null });
    const badges = await this.em.find(Award, { member, kind: AwardKind.PARTY_BADGE, supersededAt: null });
    return { periods, disciplines: notReplaced(disciplines), badges: notReplaced(badges) };
  }

  /**
   * Whether the member held a post on a day. Posts are seen only at their managing level, so the
   * database answers (hoso_member_held_post, migration 19): yes or no for a member in scope.
   */
  private async heldPost(member: Member, on: string): Promise<boolean> {
    const [row] = await this.em.execute('select hoso_member_held_post(?::bigint, ?::date) as held', [member.id, on]);
    return row?.held === true;
  }

  private reasonRequired(reason: string): UserError[] {
    return reason.trim() ? [] : [userError(UserErrorCode.REQUIRED, 'A correction needs a reason (its legal basis).', at('reason'))];
  }

  private write(kind: SubRecordKind, member: Member, content: Content, decision: DecisionInput | null | undefined, ground: BadgeGround | null): SubRecord {
    const values = trimmed(content);
    if (kind === SubRecordKind.QUALITY_RATING && !values.category) values.category = categoryForScore(values.score as number);
    if (kind === SubRecordKind.AWARD) values.ground = ground;
    // An expulsion's cause of leaving belongs to the status period (expulsion.ts), not the entry.
    if (kind === SubRecordKind.DISCIPLINE) delete values.cause;
    return this.em.create(KINDS[kind].entity as any, {
      ...values,
      member,
      decision: decisionOf(decision),
    }) as SubRecord;
  }

  /** A current (not superseded) entry in scope, at the version the caller read. */
  private async current(kind: SubRecordKind, id: string, expectedVersion: number): Promise<SubRecord | UserError> {
    const entry = isId(id) ? await this.em.findOne(KINDS[kind].entity, { id }) : null;
    if (!entry) return userError(UserErrorCode.NOT_FOUND, 'No such entry in your scope.', at('id'));
    if (entry.supersededAt) return userError(UserErrorCode.INVALID, 'This entry was already corrected or voided; correct the current one.', at('id'));
    if (entry.version !== expectedVersion) {
      throw codedError('CONFLICT', `The entry is at version ${entry.version}, not ${expectedVersion}: read it again and redo your change.`);
    }
    return entry;
  }

  private refuse(userErrors: UserError[]): SubRecordPayload {
    return { member: null, record: null, userErrors };
  }
}
