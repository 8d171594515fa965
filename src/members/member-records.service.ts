import { LockMode, raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isCatalogueCode, type CatalogueKind } from '../catalogues/catalogues';
import type { Config } from '../config';
import { codedError, userError, UserErrorCode, type UserError } from '../graphql/errors';
import { OrgUnit, UnitKind } from '../units/org-unit.entity';
import { ADMISSION_AGE, officialDateFor, yearsBetween } from './lifecycle';
import { decisionOf, validateDecision } from './decision';
import { MemberStatusPeriod, MemberUnitPeriod } from './member-period.entity';
import { Member, MemberStatus } from './member.entity';
import type { CreateMemberInput, MemberDetailsInput, MemberPayload, UpdateMemberInput } from './member-mutations.inputs';
import { isId } from '../graphql/ids';

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
];

/** Identity fields: correcting one is an amendment of the file and needs a stated reason. */
const IDENTITY_FIELDS = ['fullName', 'gender', 'dateOfBirth', 'nationalId'] as const;

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
      errors.push(userError(UserErrorCode.INVALID, `${code} is not a code of the ${catalogue} catalogue.`, field(key)));
    }
  }
  if (input.introducers && (input.introducers.length > 2 || input.introducers.some((name) => !name.trim()))) {
    errors.push(userError(UserErrorCode.INVALID, 'Give at most two introducers, each by name.', field('introducers')));
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

/** Creating and correcting member records (lý lịch); lifecycle changes are in lifecycle.service.ts. */
export class MemberRecordsService {
  constructor(
    private readonly em: EntityManager,
    private readonly config: Config,
    private readonly today: string,
  ) {}

  async create(input: CreateMemberInput): Promise<MemberPayload> {
    const errors: UserError[] = [...validateDetails(input, this.config), ...validateDecision(input.decision, this.today)];
    const fullName = clean(input.fullName);
    if (!fullName) errors.push(userError(UserErrorCode.REQUIRED, 'Give the full name.', field('fullName')));
    if (input.dateOfBirth >= input.joinedOn) {
      errors.push(userError(UserErrorCode.INVALID, 'The admission date must be after the date of birth.', field('joinedOn')));
    }
    if (input.joinedOn > this.today) errors.push(userError(UserErrorCode.INVALID, 'The admission date cannot be in the future.', field('joinedOn')));
    const age = yearsBetween(input.dateOfBirth, input.joinedOn);
    if ((age < ADMISSION_AGE.min || age > ADMISSION_AGE.max) && !input.allowAgeOutsideRule) {
      errors.push(
        userError(UserErrorCode.INVALID, `Age at admission is ${age}; the rule is ${ADMISSION_AGE.min} to ${ADMISSION_AGE.max} unless an exception is decided.`, field('dateOfBirth')),
      );
    }
    if (input.allowAgeOutsideRule && !clean(input.reason)) {
      errors.push(userError(UserErrorCode.REQUIRED, 'An exception to the age rule needs a reason.', field('reason')));
    }
    let status = MemberStatus.PROBATIONARY;
    if (input.officialOn) {
      const expected = officialDateFor(input.joinedOn);
      if (input.officialOn !== expected) {
        errors.push(userError(UserErrorCode.INVALID, `The official date is the end of the 12 months of probation: ${expected}.`, field('officialOn')));
      } else if (expected > this.today) {
        errors.push(userError(UserErrorCode.INVALID, 'The 12 months of probation have not ended yet.', field('officialOn')));
      }
      status = MemberStatus.OFFICIAL;
    }
    const unit = isId(input.unitId) ? await this.em.findOne(OrgUnit, { id: input.unitId }) : null;
    if (!unit) errors.push(userError(UserErrorCode.NOT_FOUND, 'No such unit in your scope.', field('unitId')));
    else if (unit.kind !== UnitKind.CELL) errors.push(userError(UserErrorCode.INVALID, 'Members are registered in a cell (chi bộ).', field('unitId')));
    if (errors.length || !unit || !fullName) return { member: null, userErrors: errors, warnings: [] };

    const warnings = await this.possibleDuplicates(fullName, input.dateOfBirth);
    const member = this.em.create(Member, {
      fullName,
      gender: input.gender,
      dateOfBirth: input.dateOfBirth,
      joinedOn: input.joinedOn,
      officialOn: input.officialOn ?? null,
      status,
      unit,
    });
    applyDetails(member, input);
    await this.em.flush();
    const decision = { decision: decisionOf(input.decision) };
    this.em.create(MemberStatusPeriod, {
      member, status: MemberStatus.PROBATIONARY, validFrom: input.joinedOn, validTo: input.officialOn ?? null, reason: clean(input.reason), ...decision,
    });
    if (input.officialOn) this.em.create(MemberStatusPeriod, { member, status: MemberStatus.OFFICIAL, validFrom: input.officialOn });
    this.em.create(MemberUnitPeriod, { member, unit, validFrom: input.joinedOn, ...decision });
    await this.em.flush();
    return { member, userErrors: [], warnings };
  }

  async update(input: UpdateMemberInput): Promise<MemberPayload> {
    const member = await this.findForChange(input.id, input.expectedVersion);
    if (!member) return { member: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'No such member in your scope.', field('id'))], warnings: [] };
    const errors = validateDetails(input, this.config);
    const fullName = input.fullName === undefined ? undefined : clean(input.fullName);
    if (input.fullName !== undefined && !fullName) errors.push(userError(UserErrorCode.REQUIRED, 'The full name cannot be blank.', field('fullName')));
    if (input.gender === null) errors.push(userError(UserErrorCode.REQUIRED, 'Gender cannot be blank.', field('gender')));
    if (input.dateOfBirth === null) errors.push(userError(UserErrorCode.REQUIRED, 'The date of birth cannot be blank.', field('dateOfBirth')));
    if (input.dateOfBirth && input.dateOfBirth >= member.joinedOn) {
      errors.push(userError(UserErrorCode.INVALID, 'The date of birth must be before the admission date.', field('dateOfBirth')));
    }
    const identityChanged = IDENTITY_FIELDS.some((key) => {
      const value = key === 'fullName' ? fullName : key === 'nationalId' ? clean(input.nationalId) : input[key];
      return value !== undefined && value !== (member[key] ?? null);
    });
    if (identityChanged && !clean(input.reason)) {
      errors.push(userError(UserErrorCode.REQUIRED, 'Correcting name, gender, birth date or national ID needs a reason (the legal basis).', field('reason')));
    }
    if (errors.length) return { member: null, userErrors: errors, warnings: [] };

    if (fullName) member.fullName = fullName;
    if (input.gender) member.gender = input.gender;
    if (input.dateOfBirth) member.dateOfBirth = input.dateOfBirth;
    if (input.underReview !== undefined && input.underReview !== null) member.underReview = input.underReview;
    applyDetails(member, input);
    await this.em.flush();
    return { member, userErrors: [], warnings: [] };
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
    if (member && member.version !== expectedVersion) {
      throw codedError('CONFLICT', `The record is at version ${member.version}, not ${expectedVersion}: read it again and redo your change.`);
    }
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
