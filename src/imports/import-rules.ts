import { GRADE_PATTERN, generalEducationLevel } from '../catalogues/education';
import { admissionAgeCheck } from '../members/admission';
import { officialDateFor } from '../members/lifecycle';
import { Gender } from '../members/member.entity';
import { unitLifeRefusal } from '../units/unit-life';
import { foldText, IMPORT_COLUMNS, parseDate, resolveCatalogue, resolveGender, type ImportField } from './columns';
import type { RawRow } from './read-file';

/**
 * The rules a row of an import must meet before it can become a member record, and what an
 * import may change on a member it matches. Pure: the dry run (imports.service.ts) applies them
 * row by row, the commit re-checks only what the database could have changed since.
 *
 * What an import is for: entering existing files (the members were admitted long ago, under the
 * rules of their time), so it checks what makes a record wrong whenever it was made (dates in
 * order, an adult at admission, a 12-month probation, numbers well formed, catalogue values
 * known) rather than the rules of a new admission today (createMember's decision and education
 * checks). It never erases: an empty cell leaves the record's value as it is.
 */

/** The values of a row that passed, as stored in import_row.values and written at commit. */
export interface ImportValues {
  fullName: string;
  dateOfBirth: string;
  gender: Gender;
  joinedOn: string;
  admissionCeremonyOn: string;
  officialOn: string | null;
  cellId: string;
  cellName: string;
  partyCardNumber?: string;
  nationalId?: string;
  ethnicity?: string;
  religion?: string;
  placeOfBirth?: string;
  homeTown?: string;
  permanentAddress?: string;
  temporaryAddress?: string;
  phone?: string;
  occupation?: string;
  generalEducation?: string;
  professionalLevel?: string;
  politicalTheory?: string;
  admissionDecisionNumber?: string;
  admittedBy?: string;
}

/** Why a row cannot be imported, naming the column (its Vietnamese header) as the file has it. */
export interface RowProblem {
  column: string;
  message: string;
}

/** A cell a row may name: those under the import's unit, in the caller's scope. */
export interface ImportCell {
  id: string;
  code: string;
  name: string;
  validFrom: string | null;
  validTo: string | null;
}

const HEADER = new Map(IMPORT_COLUMNS.map((c) => [c.field, c.header]));
export const headerOf = (field: ImportField): string => HEADER.get(field) ?? field;

/** The longest text each free-text field takes (the API's limits on the same fields). */
const TEXT_LIMITS: Partial<Record<ImportField, number>> = {
  fullName: 150,
  placeOfBirth: 300,
  homeTown: 300,
  permanentAddress: 300,
  temporaryAddress: 300,
  admissionDecisionNumber: 50,
  admissionDecisionIssuer: 300,
};

/** Finds a row's cell by its code or its name (case, accents and spacing ignored). */
export class CellIndex {
  private readonly byCode = new Map<string, ImportCell>();
  private readonly byName = new Map<string, ImportCell[]>();

  constructor(cells: readonly ImportCell[], private readonly unitName: string) {
    for (const cell of cells) {
      this.byCode.set(foldText(cell.code), cell);
      const name = foldText(cell.name);
      this.byName.set(name, [...(this.byName.get(name) ?? []), cell]);
    }
  }

  /** The cell named, or why not; a cell outside the unit or the caller's scope is simply not found. */
  find(text: string): { cell: ImportCell } | { problem: string } {
    const folded = foldText(text);
    const byCode = this.byCode.get(folded);
    if (byCode) return { cell: byCode };
    const named = this.byName.get(folded) ?? [];
    if (named.length === 1) return { cell: named[0] };
    if (named.length > 1) return { problem: `${named.length} cells are named "${text}": give the cell's code (${named.map((c) => c.code).join(', ')}).` };
    return { problem: `No cell "${text}" under ${this.unitName}.` };
  }
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** Text of a raw value: numbers written without exponent or grouping, dates as dd/mm/yyyy. */
function textOf(value: string | number | Date | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? undefined : trimmed;
}

/**
 * A number typed into a spreadsheet cell loses its leading zeros (a CCCD begins with the
 * province's code, 001…096; a mobile number with 0): digits one short are given back their zero.
 */
function digitsOf(value: string | number | Date | undefined, length: number): string | undefined {
  const text = textOf(value)?.replace(/[\s.-]/g, '');
  if (text === undefined) return undefined;
  return typeof value === 'number' && /^[0-9]+$/.test(text) && text.length === length - 1 ? `0${text}` : text;
}

export interface RowContext {
  cells: CellIndex;
  today: string;
  cardNumberPattern: RegExp;
}

/** A row of the file read into the values of a record, or every problem it has (each naming its column). */
export function readRow(raw: RawRow, context: RowContext): { values: ImportValues } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const problem = (field: ImportField, message: string) => problems.push({ column: headerOf(field), message });
  // Control characters (a NUL from a damaged export) are refused: no record field holds them.
  const v: RawRow['values'] = {};
  for (const [field, value] of Object.entries(raw.values) as [ImportField, string | number | Date][]) {
    if (typeof value === 'string' && CONTROL.test(value)) problem(field, 'The cell holds control characters (a damaged file?): retype it.');
    else v[field] = value;
  }

  for (const column of IMPORT_COLUMNS) {
    if (column.required && textOf(v[column.field]) === undefined) problem(column.field, 'Required: nothing is written in this column.');
  }
  const text = (field: ImportField): string | undefined => {
    const value = textOf(v[field]);
    const limit = TEXT_LIMITS[field];
    if (value !== undefined && limit && value.length > limit) {
      problem(field, `At most ${limit} characters (${value.length} given).`);
      return undefined;
    }
    return value;
  };
  const date = (field: ImportField): string | undefined => {
    const value = v[field];
    if (value === undefined || textOf(value) === undefined) return undefined;
    const parsed = parseDate(value);
    if ('problem' in parsed) {
      problem(field, parsed.problem);
      return undefined;
    }
    return parsed.date;
  };
  const catalogue = (field: ImportField): string | undefined => {
    const value = textOf(v[field]);
    const kind = IMPORT_COLUMNS.find((c) => c.field === field)?.catalogue;
    if (value === undefined || !kind) return undefined;
    const resolved = resolveCatalogue(kind, value);
    if ('problem' in resolved) {
      problem(field, resolved.problem);
      return undefined;
    }
    // '' is "none" (Không): nothing to record, and an import never erases.
    return resolved.code || undefined;
  };

  const fullName = text('fullName');
  const dateOfBirth = date('dateOfBirth');
  const joinedOn = date('joinedOn');
  const ceremony = date('admissionCeremonyOn');
  const officialOn = date('officialOn');
  let gender: Gender | undefined;
  const genderText = textOf(v.gender);
  if (genderText !== undefined) {
    const resolved = resolveGender(genderText);
    if ('problem' in resolved) problem('gender', resolved.problem);
    else gender = resolved.gender;
  }

  // Lifecycle dates in order: born, admitted as an adult, ceremony, 12 months of probation.
  if (dateOfBirth && dateOfBirth > context.today) problem('dateOfBirth', 'The date of birth is in the future.');
  if (joinedOn && joinedOn > context.today) problem('joinedOn', 'The admission date is in the future.');
  if (dateOfBirth && joinedOn) {
    if (joinedOn <= dateOfBirth) problem('joinedOn', 'The admission date must be after the date of birth.');
    else {
      const age = admissionAgeCheck(dateOfBirth, joinedOn);
      if (!age.ok) problem('joinedOn', age.message);
    }
  }
  const ceremonyOn = ceremony ?? joinedOn;
  if (ceremony && joinedOn && ceremony < joinedOn) problem('admissionCeremonyOn', 'The admission ceremony cannot precede the admission date.');
  if (ceremony && ceremony > context.today) problem('admissionCeremonyOn', 'The admission ceremony is in the future.');
  if (officialOn && ceremonyOn) {
    const earliest = officialDateFor(ceremonyOn);
    if (officialOn < earliest) problem('officialOn', `Official only after the 12 months of probation from the ceremony: ${formatDate(earliest)} at the earliest.`);
  }
  if (officialOn && officialOn > context.today) problem('officialOn', 'The official date is in the future.');

  const card = digitsOf(v.partyCardNumber, 8);
  if (card !== undefined && !context.cardNumberPattern.test(card)) problem('partyCardNumber', `A party card number must match ${context.cardNumberPattern.source}.`);
  const nationalId = digitsOf(v.nationalId, 12);
  if (nationalId !== undefined && !/^[0-9]{12}$/.test(nationalId)) problem('nationalId', 'A national ID (CCCD) has exactly 12 digits.');
  const phone = digitsOf(v.phone, 10)?.replace(/^\+84/, '0');
  if (phone !== undefined && !/^[0-9]{8,20}$/.test(phone)) problem('phone', 'A phone number has 8 to 20 digits.');
  // Excel turns "12/12" typed into a cell of general format into the date 12 December: the
  // grade and the system are its day and month (both ≤ 12, as every system is).
  const educationValue = v.generalEducation;
  const education =
    educationValue instanceof Date ? `${educationValue.getUTCDate()}/${educationValue.getUTCMonth() + 1}` : textOf(educationValue);
  if (education !== undefined && !(GRADE_PATTERN.test(education) && generalEducationLevel(education))) {
    problem('generalEducation', `Write general education as grade/system, like 12/12, 10/10 or 9/9 ("${education}" given).`);
  }

  let cell: ImportCell | undefined;
  const cellText = textOf(v.cell);
  if (cellText !== undefined) {
    const found = context.cells.find(cellText);
    if ('problem' in found) problem('cell', found.problem);
    else {
      const life = unitLifeRefusal(found.cell, context.today);
      if (life) problem('cell', life);
      else cell = found.cell;
    }
  }

  const values: Partial<ImportValues> = {
    partyCardNumber: card,
    nationalId,
    ethnicity: catalogue('ethnicity'),
    religion: catalogue('religion'),
    placeOfBirth: text('placeOfBirth'),
    homeTown: text('homeTown'),
    permanentAddress: text('permanentAddress'),
    temporaryAddress: text('temporaryAddress'),
    phone,
    occupation: catalogue('occupation'),
    generalEducation: education,
    professionalLevel: catalogue('professionalLevel'),
    politicalTheory: catalogue('politicalTheory'),
    admissionDecisionNumber: text('admissionDecisionNumber'),
    admittedBy: text('admissionDecisionIssuer'),
  };
  if (problems.length || !fullName || !dateOfBirth || !gender || !joinedOn || !ceremonyOn || !cell) {
    return { problems: problems.length ? problems : [{ column: '', message: 'The row could not be read.' }] };
  }
  for (const key of Object.keys(values) as (keyof ImportValues)[]) if (values[key] === undefined) delete values[key];
  return {
    values: {
      ...values,
      fullName,
      dateOfBirth,
      gender,
      joinedOn,
      admissionCeremonyOn: ceremonyOn,
      officialOn: officialOn ?? null,
      cellId: cell.id,
      cellName: cell.name,
    } as ImportValues,
  };
}

/** dd/mm/yyyy, as the department writes dates. */
export function formatDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/**
 * The member columns an import may correct on a member it matched, with the value's field. The
 * lifecycle (admission, official date) and the cell are changed by their own acts (a decision, a
 * transfer), never by a spreadsheet.
 */
export const UPDATABLE: readonly (readonly [keyof ImportValues & ImportField, string])[] = [
  ['fullName', 'full_name'],
  ['dateOfBirth', 'date_of_birth'],
  ['gender', 'gender'],
  ['partyCardNumber', 'party_card_number'],
  ['nationalId', 'national_id'],
  ['ethnicity', 'ethnicity'],
  ['religion', 'religion'],
  ['placeOfBirth', 'place_of_birth'],
  ['homeTown', 'home_town'],
  ['permanentAddress', 'permanent_address'],
  ['temporaryAddress', 'temporary_address'],
  ['phone', 'phone'],
  ['occupation', 'occupation'],
  ['generalEducation', 'general_education'],
  ['professionalLevel', 'professional_level'],
  ['politicalTheory', 'political_theory'],
];
/** The template's header of a member column an import corrects (report and API name changes by it). */
export function headerOfColumn(column: string): string {
  const field = UPDATABLE.find(([, c]) => c === column)?.[0];
  return field ? headerOf(field) : column;
}

const FIXED: readonly (readonly [ImportField, string, string])[] = [
  ['joinedOn', 'joined_on', 'The admission date differs from the record'],
  ['officialOn', 'official_on', 'The official date differs from the record'],
];

/** Statuses of a member who has left the party. */
const LEFT = new Set(['REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED']);

/**
 * A value the file writes differently without meaning anything else: a name written without
 * its diacritics or in other case (old exports drop them; they must not strip the record's),
 * a phone number spaced or written +84.
 */
function sameInSubstance(column: string, given: unknown, recorded: unknown): boolean {
  if (typeof given !== 'string' || typeof recorded !== 'string') return false;
  if (column === 'full_name') {
    const plain = given === given.normalize('NFD').replace(/\p{M}/gu, '') && !/[đĐ]/.test(given);
    return foldText(given) === foldText(recorded) && (plain || given.toLowerCase() === recorded.toLowerCase());
  }
  if (column === 'phone') return given.replace(/\D/g, '').replace(/^84/, '0') === recorded.replace(/\D/g, '').replace(/^84/, '0');
  return false;
}

/** A member row as read for matching (snake_case columns of member; dates as YYYY-MM-DD). */
export type MemberColumnsRow = Record<string, unknown> & { id: string; version: number; unit_id: string };

/**
 * What importing the row would change on the member it matched: column → [from, to]; or why it
 * cannot (a lifecycle date or the cell differs: those have their own acts).
 */
export function changesFor(member: MemberColumnsRow, values: ImportValues): { changes: Record<string, [unknown, unknown]> } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  // A member who has left, or was transferred out of the organisation, keeps the file as it was.
  if (LEFT.has(String(member.status)) || member.transferred_out_on) {
    const what = member.transferred_out_on ? 'was transferred out of the organisation' : `has left the party (${member.status})`;
    return { problems: [{ column: headerOf(values.partyCardNumber ? 'partyCardNumber' : 'nationalId'), message: `Member ${member.id} ${what}: an import does not correct that file.` }] };
  }
  // Matched by a number, but neither the name nor the birth date is that member's: probably
  // another person's number on the row (members admitted together share a cell and a date).
  if (foldText(values.fullName) !== foldText(String(member.full_name)) && values.dateOfBirth !== member.date_of_birth) {
    return {
      problems: [{
        column: headerOf(values.partyCardNumber ? 'partyCardNumber' : 'nationalId'),
        message: `The number is member ${member.id}'s, whose name and date of birth both differ from the row's: check the row.`,
      }],
    };
  }
  for (const [field, column, message] of FIXED) {
    const given = values[field as keyof ImportValues];
    if (given && given !== member[column]) {
      problems.push({ column: headerOf(field), message: `${message} (${member[column] ? formatDate(String(member[column])) : 'none'}): it is changed by its own decision, not by an import.` });
    }
  }
  if (values.cellId !== String(member.unit_id)) {
    problems.push({ column: headerOf('cell'), message: `The member is registered in another cell: a move is a transfer, not an import.` });
  }
  if (problems.length) return { problems };
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [field, column] of UPDATABLE) {
    const given = values[field];
    const recorded = member[column] ?? null;
    if (given === undefined || given === recorded || sameInSubstance(column, given, recorded)) continue;
    changes[column] = [recorded, given];
  }
  return { changes };
}
