import { LockMode, raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isCatalogueCode, type CatalogueKind } from '../catalogues/catalogues';
import { countedAs, isRetiredCode } from '../catalogues/catalogue-data';
import { GRADE_PATTERN, generalEducationLevel } from '../catalogues/education';
import type { Config } from '../config';
import { codedError, userError, UserErrorCode, type UserError } from '../graphql/errors';
import { OrgUnit, UnitKind } from '../units/org-unit.entity';
import { unitLifeRefusal } from '../units/unit-life';
import { SENSITIVE_MEMBER_FIELDS } from '../access/sensitive';
import { admissionAgeCheck, earliestAdmission, educationCheck } from './admission';
import { officialDateFor } from './lifecycle';
import { decisionOf, validateDecision, validateDecisionDate, type DecisionInput } from '../graphql/decision';
import { MemberStatusPeriod, MemberUnitPeriod } from './member-period.entity';
import { Member, MemberStatus } from './member.entity';
import type { CreateMemberInput, MemberDetailsInput, MemberPayload, UpdateMemberInput } from './member-mutations.inputs';
import { isId } from '../graphql/ids';
import { SCOPE_FILTER } from '../access/scope';
import { readOnlyFromRow, rowOf } from '../database/read-only';
import { runWriteStatement } from '../database/sql';
import { memberUpdateSql } from './members.queries';

type DetailKey = keyof MemberDetailsInput;

/** Input field → record column, and the catalogue a code must come from. */
const DETAIL_FIELDS: readonly (readonly [DetailKey, keyof Member & string, CatalogueKind?])[] = [
  ['partyCardNumber', 'partyCardNumber'],
  ['nationalId', 'nationalId'],
  ['ethnicityCode', 'ethnicity', 'ETHNIC_GROUP'],
  ['religionCode', 'religion', 'RELIGION'],
  ['birthName', 'birthName'],
  ['aliases', 'aliases'],
  ['placeOfBirth', 'placeOfBirth'],
  ['homeTown', 'homeTown'],
  ['permanentAddress', 'permanentAddress'],
  ['temporaryAddress', 'temporaryAddress'],
  ['phone', 'phone'],
  ['occupationCode', 'occupation', 'OCCUPATION'],
  ['generalEducation', 'generalEducation'],
  ['professionalLevelCode', 'professionalLevel', 'PROFESSIONAL_LEVEL'],
  ['professionalField', 'professionalField'],
  ['academicTitleCode', 'academicTitle', 'ACADEMIC_TITLE'],
  ['politicalTheoryCode', 'politicalTheory', 'POLITICAL_THEORY'],
  ['stateManagementCode', 'stateManagement', 'STATE_MANAGEMENT'],
  ['foreignLanguages', 'foreignLanguages'],
  ['itLevel', 'itLevel'],
  ['admittedBy', 'admittedBy'],
  ['introducers', 'introducers'],
  ['seriousIllnessSince', 'seriousIllnessSince'],
  ['seriousIllnessGround', 'seriousIllnessGround'],
];

/**
 * Fields whose correction is an amendment of the file and needs a stated reason (the legal
 * basis): identity (name, gender, birth date) and every sensitive field of sensitive.ts that an
 * update can change (national ID, ethnicity, religion, addresses, phone, serious illness).
 */
const IDENTITY_FIELDS = ['fullName', 'gender', 'dateOfBirth'] as const;
const SENSITIVE_DETAILS: readonly (readonly [DetailKey, keyof Member & string])[] = DETAIL_FIELDS.filter(([key]) =>
  SENSITIVE_MEMBER_FIELDS.some((f) => f.field === key),
).map(([key, column]) => [key, column] as const);

const field = (name: string) => ['input', name];

/** Trimmed text, with blank meaning "no value". */
export function clean(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? null : trimmed;
}

/** A decision's checks are decision.ts's; services import them from here too. */
export { validateDecision };

/** The checks of docs/domain.md on the fields any record may carry; each error names its field. */
function validateDetails(input: MemberDetailsInput, config: Config): UserError[] {
  const errors: UserError[] = [];
  const card = clean(input.partyCardNumber);
  if (card && !config.cardNumberPattern.test(card)) {
    errors.push(userError(UserErrorCode.INVALID, `A party card number must match ${config.cardNumberPattern.source}.`, field('partyCardNumber')));
  }
  const nationalId = clean(input.nationalId);
  if (nationalId && !/^[0-9]{12}$/.test(nationalId)) {
    errors.push(userError(UserErrorCode.INVALID, 'A national ID (CCCD) has exactly 12 digits.', field('nationalId')));
  }
  for (const [key, , catalogue] of DETAIL_FIELDS) {
    const code = input[key];
    if (catalogue && typeof code === 'string' && code !== '' && !isCatalogueCode(catalogue, code)) {
      const message = isRetiredCode(catalogue, code)
        ? `${code} is no longer recorded (it is counted as ${countedAs(catalogue, code)}); record ${countedAs(catalogue, code)}.`
        : `${code} is not a code of the ${catalogue} catalogue.`;
      errors.push(userError(UserErrorCode.INVALID, message, field(key)));
    }
  }
  // The database takes any "grade/system"; a grade the system does not have (13/12, 0/9) is a typo.
  const education = clean(input.generalEducation);
  if (education && GRADE_PATTERN.test(education) && !generalEducationLevel(education)) {
    errors.push(userError(UserErrorCode.INVALID, `General education ${education} has no such grade in its system.`, field('generalEducation')));
  }
  if (input.introducers && (input.introducers.length > 2 || input.introducers.some((name) => !name.trim()))) {
    errors.push(userError(UserErrorCode.INVALID, 'Give at most two introducers, each by name.', field('introducers')));
  }
  return errors;
}

/**
 * A serious illness is recorded with its ground, both or neither (the values after the change),
 * and not before birth nor in the future.
 */
function validateIllness(since: string | null | undefined, ground: string | null | undefined, dateOfBirth: string, today: string): UserError[] {
  const errors: UserError[] = [];
  if (since && !ground) errors.push(userError(UserErrorCode.REQUIRED, 'A serious illness is recorded with its ground (seriousIllnessGround).', field('seriousIllnessGround')));
  if (!since && ground) errors.push(userError(UserErrorCode.REQUIRED, 'Give since when the member is seriously ill (seriousIllnessSince).', field('seriousIllnessSince')));
  if (since && (since > today || since < dateOfBirth)) {
    errors.push(userError(UserErrorCode.INVALID, 'The illness is dated between the date of birth and today.', field('seriousIllnessSince')));
  }
  return errors;
}

function applyDetails(member: Member, input: MemberDetailsInput): void {
  for (const [key, column] of DETAIL_FIELDS) {
    const value = input[key];
    if (value === undefined) continue;
    const cleaned = Array.isArray(value) ? value.map((v) => v.trim()) : clean(value as string | null);
    (member as unknown as Record<string, unknown>)[column] = key === 'introducers' ? (cleaned ?? []) : cleaned;
  }
}

/**
 * Whether a column keeps its value: the values of a member row are text (dates too), numbers,
 * booleans, null, arrays of text (introducers) or timestamps, which no update sets.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}

/** CONFLICT when the caller read an older version of the record than the one locked. */
function checkVersion(member: Member, expectedVersion: number): void {
  if (member.version !== expectedVersion) {
    throw codedError('CONFLICT', `The record is at version ${member.version}, not ${expectedVersion}: read it again and redo your change.`);
  }
}

/** Creating and correcting member records (lý lịch); lifecycle changes are in lifecycle.service.ts. */
export class MemberRecordsService {
  constructor(
    private readonly em: EntityManager,
    private readonly config: Config,
    private readonly today: string,
  ) {}

  /**
   * `registration`: when the member is registered here later than the admission (an arrival from
   * another province or abroad), the unit period starts then, resting on that act's decision.
   */
  async create(
    input: CreateMemberInput,
    registration?: { from: string; decision: DecisionInput; reason: string | null },
  ): Promise<MemberPayload> {
    const errors: UserError[] = [...validateDetails(input, this.config), ...validateDecision(input.decision, this.today)];
    const warnings: UserError[] = [];
    const fullName = clean(input.fullName);
    if (!fullName) errors.push(userError(UserErrorCode.REQUIRED, 'Give the full name.', field('fullName')));
    if (input.dateOfBirth >= input.joinedOn) {
      errors.push(userError(UserErrorCode.INVALID, 'The admission date must be after the date of birth.', field('joinedOn')));
    }
    if (input.joinedOn > this.today) errors.push(userError(UserErrorCode.INVALID, 'The admission date cannot be in the future.', field('joinedOn')));
    // Two admission dates: the decision (joinedOn, party age) and the ceremony (probation).
    const ceremonyOn = input.admissionCeremonyOn ?? input.joinedOn;
    if (ceremonyOn < input.joinedOn) {
      errors.push(userError(UserErrorCode.INVALID, 'The admission ceremony cannot precede the admission decision (joinedOn).', field('admissionCeremonyOn')));
    }
    if (ceremonyOn > this.today) errors.push(userError(UserErrorCode.INVALID, 'The admission ceremony cannot be in the future.', field('admissionCeremonyOn')));
    errors.push(
      ...validateDecisionDate(input.decision, {
        notBefore: [{ date: earliestAdmission(input.dateOfBirth), what: 'the 18th birthday' }],
        notAfter: [{ date: ceremonyOn, what: 'the admission ceremony' }],
      }),
    );
    errors.push(...this.ageErrors(input), ...validateIllness(input.seriousIllnessSince, clean(input.seriousIllnessGround), input.dateOfBirth, this.today));
    const education = educationCheck(input.generalEducation);
    if (education.kind === 'MISSING') warnings.push(userError(UserErrorCode.INVALID, education.message, field('generalEducation')));
    if (education.kind === 'BELOW' || education.kind === 'UNREADABLE') {
      if (!input.acceptEducationBelowRule) {
        errors.push(userError(UserErrorCode.INVALID, `${education.message} To admit anyway, set acceptEducationBelowRule and give the reason.`, field('generalEducation')));
      } else if (!clean(input.reason)) {
        errors.push(userError(UserErrorCode.REQUIRED, 'Admitting below the education requirement needs a reason.', field('reason')));
      } else {
        warnings.push(userError(UserErrorCode.INVALID, education.message, field('generalEducation')));
      }
    }
    let status = MemberStatus.PROBATIONARY;
    if (input.officialOn) {
      const expected = officialDateFor(ceremonyOn);
      if (input.officialOn !== expected) {
        errors.push(userError(UserErrorCode.INVALID, `The official date is the end of the 12 months of probation from the ceremony: ${expected}.`, field('officialOn')));
      } else if (expected > this.today) {
        errors.push(userError(UserErrorCode.INVALID, 'The 12 months of probation have not ended yet.', field('officialOn')));
      }
      status = MemberStatus.OFFICIAL;
    }
    const unit = isId(input.unitId) ? await this.em.findOne(OrgUnit, { id: input.unitId }) : null;
    if (!unit) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such unit in your scope.', field('unitId')));
    else if (unit.kind !== UnitKind.CELL) errors.push(userError(UserErrorCode.INVALID, 'Members are registered in a cell (chi bộ).', field('unitId')));
    else {
      // Registered from today: the cell must be alive today (its past is kept as it was).
      const life = unitLifeRefusal(unit, this.today);
      if (life) errors.push(userError(UserErrorCode.INVALID, life, field('unitId')));
    }
    if (errors.length || !unit || !fullName) return { member: null, userErrors: errors, warnings: [] };

    warnings.push(...(await this.possibleDuplicates(fullName, input.dateOfBirth)));
    const member = this.em.create(Member, {
      fullName,
      gender: input.gender,
      dateOfBirth: input.dateOfBirth,
      joinedOn: input.joinedOn,
      admissionCeremonyOn: ceremonyOn,
      officialOn: input.officialOn ?? null,
      status,
      unit,
    });
    if (input.ageExceptionDecision) member.ageExceptionDecision = decisionOf(input.ageExceptionDecision);
    applyDetails(member, input);
    await this.em.flush();
    const decision = { decision: decisionOf(input.decision) };
    this.em.create(MemberStatusPeriod, {
      member, status: MemberStatus.PROBATIONARY, validFrom: input.joinedOn, validTo: input.officialOn ?? null, reason: clean(input.reason), ...decision,
    });
    if (input.officialOn) this.em.create(MemberStatusPeriod, { member, status: MemberStatus.OFFICIAL, validFrom: input.officialOn });
    this.em.create(
      MemberUnitPeriod,
      registration
        ? { member, unit, validFrom: registration.from, decision: decisionOf(registration.decision), reason: registration.reason }
        : { member, unit, validFrom: input.joinedOn, ...decision },
    );
    await this.em.flush();
    return { member, userErrors: [], warnings };
  }

  /**
   * The age rule of admission.ts at the admission decision's date (it stands for the cell's vote):
   * under 18 refused; over 60 only with the provincial-level committee's decision, which is then
   * checked like any decision and kept on the record. The deprecated allowAgeOutsideRule is no
   * longer enough on its own.
   */
  private ageErrors(input: CreateMemberInput): UserError[] {
    const check = admissionAgeCheck(input.dateOfBirth, input.joinedOn);
    if (!check.ok) return [userError(UserErrorCode.INVALID, check.message, field('dateOfBirth'))];
    const exception = input.ageExceptionDecision;
    if (!check.needsException) {
      return exception
        ? [userError(UserErrorCode.INVALID, 'An age exception is recorded only for an admission over full 60 years.', field('ageExceptionDecision'))]
        : [];
    }
    if (!exception) return [userError(UserErrorCode.REQUIRED, check.message, field('ageExceptionDecision'))];
    return [
      ...validateDecision(exception, this.today, field('ageExceptionDecision')),
      ...validateDecisionDate(
        exception,
        { notBefore: [{ date: input.dateOfBirth, what: 'the date of birth' }], notAfter: [{ date: input.joinedOn, what: 'the admission decision' }] },
        ['input', 'ageExceptionDecision', 'date'],
      ),
    ];
  }

  /**
   * Corrects fields of a record. The hot path of the API's writes (a phone, an address), so it
   * runs on two statements of members.queries.ts instead of MikroORM's load, changeset and flush:
   * the row locked and read (`locked`: the rows of memberForChangeSql, which the resolver has
   * mutation() send in the savepoint's own message), its version checked as findForChange does,
   * the rules below on it, then one update of the columns that changed with the next version.
   * The rules are the same code as before, applied to a plain (untracked) instance of the record;
   * what was MikroORM's job is done explicitly: only changed columns are written (nothing at all,
   * and no new version, when nothing changed), and the version is checked again by the update.
   */
  async update(input: UpdateMemberInput, locked: readonly Record<string, unknown>[]): Promise<MemberPayload> {
    const member = locked.length ? readOnlyFromRow(this.em, Member, locked[0]) : null;
    if (!member) return { member: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'No such member in your scope.', field('id'))], warnings: [] };
    checkVersion(member, input.expectedVersion);
    const before = rowOf(this.em, Member, member);
    const errors = validateDetails(input, this.config);
    const fullName = input.fullName === undefined ? undefined : clean(input.fullName);
    if (input.fullName !== undefined && !fullName) errors.push(userError(UserErrorCode.REQUIRED, 'The full name cannot be blank.', field('fullName')));
    if (input.gender === null) errors.push(userError(UserErrorCode.REQUIRED, 'Gender cannot be blank.', field('gender')));
    if (input.dateOfBirth === null) errors.push(userError(UserErrorCode.REQUIRED, 'The date of birth cannot be blank.', field('dateOfBirth')));
    if (input.dateOfBirth && input.dateOfBirth >= member.joinedOn) {
      errors.push(userError(UserErrorCode.INVALID, 'The date of birth must be before the admission date.', field('dateOfBirth')));
    }
    const changed = [
      ...IDENTITY_FIELDS.filter((key) => {
        const value = key === 'fullName' ? fullName : input[key];
        return value !== undefined && value !== (member[key] ?? null);
      }),
      ...SENSITIVE_DETAILS.filter(([key, column]) => {
        const value = clean(input[key] as string | null | undefined);
        return value !== undefined && value !== (member[column] ?? null);
      }).map(([key]) => key),
    ];
    if (changed.length && !clean(input.reason)) {
      errors.push(
        userError(
          UserErrorCode.REQUIRED,
          `Correcting ${changed.join(', ')} needs a reason (the legal basis): identity and sensitive fields are amended, not overwritten.`,
          field('reason'),
        ),
      );
    }
    const since = input.seriousIllnessSince === undefined ? member.seriousIllnessSince : input.seriousIllnessSince;
    // seriousIllnessSince: null clears the illness, its ground with it (as the field says).
    const clearsIllness = input.seriousIllnessSince === null && input.seriousIllnessGround === undefined;
    const ground = clearsIllness ? null : input.seriousIllnessGround === undefined ? member.seriousIllnessGround : clean(input.seriousIllnessGround);
    errors.push(...validateIllness(since, ground, input.dateOfBirth ?? member.dateOfBirth, this.today));
    if (errors.length) return { member: null, userErrors: errors, warnings: [] };

    if (fullName) member.fullName = fullName;
    if (input.gender) member.gender = input.gender;
    if (input.dateOfBirth) member.dateOfBirth = input.dateOfBirth;
    if (input.underReview !== undefined && input.underReview !== null) member.underReview = input.underReview;
    applyDetails(member, input);
    if (clearsIllness) member.seriousIllnessGround = null;
    return { member: await this.writeChanges(member, before), userErrors: [], warnings: [] };
  }

  /**
   * Writes what the rules changed on `member` since its row was `before`: the changed columns and
   * the next version, in one statement. The payload is then `member` with the version written, as
   * MikroORM's flush left its entity (it read back only the version): no trigger changes the
   * columns of the row an update sets, so reading the whole row back would only cost parsing.
   * Nothing changed: nothing is written and the version stays, as a flush with no changeset did.
   */
  private async writeChanges(member: Member, before: Record<string, unknown>): Promise<Member> {
    const after = rowOf(this.em, Member, member);
    const changes = new Map<string, unknown>();
    for (const [column, value] of Object.entries(after)) {
      if (!sameValue(value, before[column])) changes.set(column, value);
    }
    if (!changes.size) return member;
    const { text, values } = memberUpdateSql(this.scopePath(), member.id, member.version, changes);
    // A correction of one field (a phone, an address: the hot path) is prepared; the texts of
    // several changed columns are as many as the combinations clients choose, so they are not.
    const [row] = await runWriteStatement<{ version: number }>(this.em, text, values, { prepare: changes.size === 1 });
    // Cannot happen under the lock; if it ever did, the record changed under us.
    if (!row) throw codedError('CONFLICT', 'The record was changed by someone else since you read it; read it again and redo your change.');
    member.version = row.version;
    return member;
  }

  /** The request's scope, as the ORM's scope filter has it (access/request-transaction.ts sets both). */
  private scopePath(): string {
    const scope = this.em.getFilterParams<{ path?: string }>(SCOPE_FILTER);
    if (!scope?.path) throw new Error('a member record is changed inside a request with a scope');
    return scope.path;
  }

  /**
   * The member to change, if it is in scope, locked for the rest of the request's transaction;
   * CONFLICT when the caller read an older version.
   *
   * The row is locked (SELECT … FOR UPDATE) before its version is compared. Without the lock,
   * two requests with the same expectedVersion both passed the check and raced to write; for a
   * lifecycle change the loser's new status period then broke the exclusion constraint on
   * overlapping periods (a 500) before its version-checked UPDATE could say CONFLICT. With it, the
   * second request waits for the first to commit and then reads the committed row (READ
   * COMMITTED re-reads a locked row), sees the new version and answers CONFLICT before writing
   * anything. This covers every change that starts here: updates, lifecycle changes, readmission,
   * confirmation and transfers. Mapping the exclusion violation to CONFLICT instead would have
   * guessed at the cause (the same violation can have other causes) and left other races open.
   */
  async findForChange(id: string, expectedVersion: number): Promise<Member | null> {
    const member = isId(id) ? await this.em.findOne(Member, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }) : null;
    if (member) checkVersion(member, expectedVersion);
    return member;
  }

  /** Members in scope with the same name and birth date: probably the same person entered twice. */
  private async possibleDuplicates(fullName: string, dateOfBirth: string): Promise<UserError[]> {
    const same = await this.em.find(
      Member,
      { [raw('search_name = hoso_fold(?)', [fullName])]: [], dateOfBirth },
      { fields: ['id'], limit: 5 },
    );
    return same.length
      ? [userError(UserErrorCode.POSSIBLE_DUPLICATE, `A member with the same name and date of birth exists (id ${same.map((m) => m.id).join(', ')}).`, field('fullName'))]
      : [];
  }
}
