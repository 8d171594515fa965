import type { EntityManager } from '@mikro-orm/postgresql';
import { codedError, userError, UserErrorCode, type UserError } from '../graphql/errors';
import { decisionOf, type DecisionInput } from './decision';
import { validateDecision } from './member-records.service';
import { Member, MemberStatus } from './member.entity';
import {
  SubRecordKind,
  type AddSubRecordInput,
  type CorrectSubRecordInput,
  type SubRecordContent,
  type SubRecordPayload,
  type VoidSubRecordInput,
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
import { isId } from '../graphql/ids';
import { BADGE_YEARS, badgeYearsText, isBadgeYears } from './party-badges';

type Content = NonNullable<SubRecordContent[keyof SubRecordContent]>;
type Check = (content: any, member: Member, today: string) => UserError[];

const at = (...path: string[]) => ['input', ...path];

function fromTo(field: string): Check {
  return (c: { fromDate: string; toDate?: string | null }, _m, today) => [
    ...(c.toDate && c.toDate < c.fromDate ? [userError(UserErrorCode.INVALID, 'The end is before the start.', at(field, 'toDate'))] : []),
    ...(c.fromDate > today ? [userError(UserErrorCode.INVALID, 'The start cannot be in the future.', at(field, 'fromDate'))] : []),
  ];
}

/** Every kind: the input field that carries it, its entity, and its own rules. */
const KINDS: Record<SubRecordKind, { field: keyof SubRecordContent; entity: new () => SubRecord; check: Check }> = {
  [SubRecordKind.WORK_HISTORY]: { field: 'workHistory', entity: WorkHistoryEntry, check: fromTo('workHistory') },
  [SubRecordKind.TRAINING]: { field: 'training', entity: TrainingEntry, check: fromTo('training') },
  [SubRecordKind.AWARD]: {
    field: 'award',
    entity: Award,
    check: (c: Award, member, today) => {
      const errors: UserError[] = [];
      if ((c.kind === AwardKind.PARTY_BADGE) !== (c.badgeYears !== null && c.badgeYears !== undefined)) {
        errors.push(userError(UserErrorCode.INVALID, `A party badge, and only a party badge, names its years (${badgeYearsText()}).`, at('award', 'badgeYears')));
      } else if (c.badgeYears !== null && c.badgeYears !== undefined && !isBadgeYears(c.badgeYears)) {
        errors.push(userError(UserErrorCode.INVALID, `Party badges mark ${BADGE_YEARS.join(', ')} years.`, at('award', 'badgeYears')));
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
    check: (c: DisciplineRecord, member, today) => {
      const errors: UserError[] = [];
      // docs/domain.md, "Discipline": a probationary member can only be reprimanded or warned.
      if (member.status === MemberStatus.PROBATIONARY && ![DisciplineForm.REPRIMAND, DisciplineForm.WARNING].includes(c.form)) {
        errors.push(userError(UserErrorCode.INVALID, 'A probationary member can only be reprimanded or warned.', at('discipline', 'form')));
      }
      if (c.decidedOn > today) errors.push(userError(UserErrorCode.INVALID, 'The decision date cannot be in the future.', at('discipline', 'decidedOn')));
      if (!c.grounds?.trim()) errors.push(userError(UserErrorCode.REQUIRED, 'Give the grounds.', at('discipline', 'grounds')));
      return errors;
    },
  },
  [SubRecordKind.QUALITY_RATING]: {
    field: 'rating',
    entity: QualityRating,
    check: (c: QualityRating, _member, today) => {
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
  [SubRecordKind.FAMILY_RELATION]: { field: 'family', entity: FamilyRelation, check: () => [] },
};

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
  constructor(
    private readonly em: EntityManager,
    private readonly today: string,
  ) {}

  async add(input: AddSubRecordInput): Promise<SubRecordPayload> {
    const member = isId(input.memberId) ? await this.em.findOne(Member, { id: input.memberId }) : null;
    if (!member) return this.refuse([userError(UserErrorCode.NOT_FOUND, 'No such member in your scope.', at('memberId'))]);
    const given = contentOf(input);
    if (!('kind' in given)) return this.refuse([given]);
    const errors = this.check(given.kind, given.content, member, input.decision);
    if (errors.length) return this.refuse(errors);
    const record = this.write(given.kind, member, given.content, input.decision);
    await this.em.flush();
    return { member, record, userErrors: [] };
  }

  async correct(input: CorrectSubRecordInput): Promise<SubRecordPayload> {
    const given = contentOf(input);
    if (!('kind' in given)) return this.refuse([given]);
    const old = await this.current(given.kind, input.id, input.expectedVersion);
    if ('code' in old) return this.refuse([old]);
    const member = await this.em.findOneOrFail(Member, { id: old.member.id });
    const errors = [...this.check(given.kind, given.content, member, input.decision), ...this.reasonRequired(input.reason)];
    if (errors.length) return this.refuse(errors);
    // The old entry leaves the current set first: some kinds allow one current entry (a year's rating).
    old.supersededAt = new Date();
    old.supersedeReason = input.reason.trim();
    await this.em.flush();
    const record = this.write(given.kind, member, given.content, input.decision);
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
    old.supersededAt = new Date();
    old.supersedeReason = input.reason.trim();
    await this.em.flush();
    return { member: await this.em.findOneOrFail(Member, { id: old.member.id }), record: old, userErrors: [] };
  }

  private check(kind: SubRecordKind, content: Content, member: Member, decision?: DecisionInput | null): UserError[] {
    return [...KINDS[kind].check(content, member, this.today), ...(decision ? validateDecision(decision, this.today) : [])];
  }

  private reasonRequired(reason: string): UserError[] {
    return reason.trim() ? [] : [userError(UserErrorCode.REQUIRED, 'A correction needs a reason (its legal basis).', at('reason'))];
  }

  private write(kind: SubRecordKind, member: Member, content: Content, decision?: DecisionInput | null): SubRecord {
    const values = trimmed(content);
    if (kind === SubRecordKind.QUALITY_RATING && !values.category) values.category = categoryForScore(values.score as number);
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
