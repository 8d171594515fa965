import type { ResultOf } from '../../api/graphql';
import { formatDate, label, parseDate } from '../../ui/format';
import type { CataloguesQuery, MemberEditQuery } from './queries';

/**
 * The editing form's model, apart from React: the fields of UpdateMemberInput, how a member read
 * from the API fills them, and which of them the user changed. Only changed fields are sent, so
 * a save never writes back a value the user did not touch (it may have changed meanwhile), and
 * a conflict can be told apart: what the user changed, what someone else changed.
 */
export type EditMember = NonNullable<ResultOf<typeof MemberEditQuery>['member']>;
export type Catalogues = ResultOf<typeof CataloguesQuery>;
export type CatalogueName = keyof Catalogues;

export type FormKey =
  | 'fullName' | 'birthName' | 'aliases' | 'gender' | 'dateOfBirth' | 'placeOfBirth' | 'homeTown'
  | 'ethnicityCode' | 'religionCode' | 'nationalId' | 'permanentAddress' | 'temporaryAddress' | 'phone'
  | 'partyCardNumber' | 'admittedBy' | 'introducer1' | 'introducer2' | 'underReview'
  | 'occupationCode' | 'generalEducation' | 'professionalLevelCode' | 'professionalField' | 'academicTitleCode'
  | 'politicalTheoryCode' | 'stateManagementCode' | 'foreignLanguages' | 'itLevel'
  | 'seriousIllnessSince' | 'seriousIllnessGround';

/** What the user types: text for every field ("true"/"false" for the check box). */
export type FormValues = Record<FormKey, string>;

export interface FieldSpec {
  key: FormKey;
  label: string;
  kind: 'text' | 'date' | 'gender' | 'catalogue' | 'check';
  maxLength?: number;
  catalogue?: CatalogueName;
  /** The option for "no value" of a catalogue. */
  none?: string;
  hint?: string;
}

/** The form's groups, in the order of the official lý lịch. Limits are the API's (schema.graphql). */
export const GROUPS: { title: string; fields: FieldSpec[] }[] = [
  {
    title: 'Sơ yếu lý lịch',
    fields: [
      { key: 'fullName', label: 'Họ và tên', kind: 'text', maxLength: 150 },
      { key: 'birthName', label: 'Họ tên khai sinh', kind: 'text', maxLength: 150, hint: 'Nếu khác họ và tên' },
      { key: 'aliases', label: 'Bí danh, tên gọi khác', kind: 'text', maxLength: 300 },
      { key: 'gender', label: 'Giới tính', kind: 'gender' },
      { key: 'dateOfBirth', label: 'Ngày sinh', kind: 'date' },
      { key: 'placeOfBirth', label: 'Nơi sinh', kind: 'text', maxLength: 300 },
      { key: 'homeTown', label: 'Quê quán', kind: 'text', maxLength: 300 },
      { key: 'ethnicityCode', label: 'Dân tộc', kind: 'catalogue', catalogue: 'ethnicGroups', none: '— Chưa ghi —' },
      { key: 'religionCode', label: 'Tôn giáo', kind: 'catalogue', catalogue: 'religions', none: 'Không' },
      { key: 'nationalId', label: 'Số CCCD', kind: 'text', maxLength: 20, hint: '12 chữ số' },
      { key: 'permanentAddress', label: 'Nơi thường trú', kind: 'text', maxLength: 300 },
      { key: 'temporaryAddress', label: 'Nơi tạm trú', kind: 'text', maxLength: 300 },
      { key: 'phone', label: 'Số điện thoại', kind: 'text', maxLength: 20 },
    ],
  },
  {
    title: 'Thông tin đảng viên',
    fields: [
      { key: 'partyCardNumber', label: 'Số thẻ đảng viên', kind: 'text', maxLength: 30 },
      { key: 'admittedBy', label: 'Chi bộ kết nạp', kind: 'text', maxLength: 300 },
      { key: 'introducer1', label: 'Người giới thiệu thứ nhất', kind: 'text', maxLength: 150 },
      { key: 'introducer2', label: 'Người giới thiệu thứ hai', kind: 'text', maxLength: 150 },
      { key: 'underReview', label: 'Đang bị kiểm tra, giải quyết khiếu nại', kind: 'check', hint: 'Không chuyển sinh hoạt khi đang bị kiểm tra' },
    ],
  },
  {
    title: 'Trình độ, nghề nghiệp',
    fields: [
      { key: 'occupationCode', label: 'Nghề nghiệp', kind: 'catalogue', catalogue: 'occupations', none: '— Chưa ghi —' },
      { key: 'generalEducation', label: 'Giáo dục phổ thông', kind: 'text', maxLength: 10, hint: 'Ví dụ 12/12' },
      { key: 'professionalLevelCode', label: 'Trình độ chuyên môn', kind: 'catalogue', catalogue: 'professionalLevels', none: '— Chưa ghi —' },
      { key: 'professionalField', label: 'Chuyên ngành', kind: 'text', maxLength: 200 },
      { key: 'academicTitleCode', label: 'Học hàm', kind: 'catalogue', catalogue: 'academicTitles', none: '— Không —' },
      { key: 'politicalTheoryCode', label: 'Lý luận chính trị', kind: 'catalogue', catalogue: 'politicalTheories', none: '— Chưa ghi —' },
      { key: 'stateManagementCode', label: 'Quản lý nhà nước', kind: 'catalogue', catalogue: 'stateManagements', none: '— Chưa ghi —' },
      { key: 'foreignLanguages', label: 'Ngoại ngữ', kind: 'text', maxLength: 300 },
      { key: 'itLevel', label: 'Tin học', kind: 'text', maxLength: 200 },
    ],
  },
  {
    title: 'Sức khỏe',
    fields: [
      { key: 'seriousIllnessSince', label: 'Bệnh hiểm nghèo từ ngày', kind: 'date', hint: 'Để trống nếu không có' },
      { key: 'seriousIllnessGround', label: 'Căn cứ (giấy xác nhận của cơ sở y tế)', kind: 'text', maxLength: 500 },
    ],
  },
];

export const FIELDS: FieldSpec[] = GROUPS.flatMap((group) => group.fields);
const SPEC = new Map(FIELDS.map((spec) => [spec.key, spec]));

/** The input fields of UpdateMemberInput the form sends, each read from one or two form fields. */
export type ApiField =
  | Exclude<FormKey, 'introducer1' | 'introducer2'>
  | 'introducers';

export const API_FIELDS: ApiField[] = [
  ...FIELDS.map((spec) => spec.key).filter((key): key is Exclude<FormKey, 'introducer1' | 'introducer2'> => key !== 'introducer1' && key !== 'introducer2'),
  'introducers',
];

/** The form fields an input field comes from (where its errors are shown). */
export function formKeysOf(field: ApiField): FormKey[] {
  return field === 'introducers' ? ['introducer1', 'introducer2'] : [field];
}

/** Whose change needs a reason (the API's rule, UpdateMemberInput.reason): identity and sensitive fields. */
export const REASON_FIELDS: ReadonlySet<ApiField> = new Set<ApiField>([
  'fullName', 'gender', 'dateOfBirth', 'nationalId', 'ethnicityCode', 'religionCode',
  'permanentAddress', 'temporaryAddress', 'phone', 'seriousIllnessSince', 'seriousIllnessGround',
]);

export function apiFieldLabel(field: ApiField): string {
  return field === 'introducers' ? 'Người giới thiệu' : (SPEC.get(field)?.label ?? field);
}

/** As the API cleans text: trimmed, inner spaces collapsed, blank meaning none. */
function cleanText(text: string): string | null {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? null : trimmed;
}

/** The value the API is sent for a field (dates as ISO; a date that does not parse is sent as typed, for the API to name). */
export function apiValue(field: ApiField, values: FormValues): unknown {
  if (field === 'introducers') return [values.introducer1, values.introducer2].map((name) => cleanText(name)).filter((name) => name !== null);
  const spec = SPEC.get(field)!;
  const text = values[field];
  switch (spec.kind) {
    case 'check':
      return text === 'true';
    case 'date':
      return parseDate(text);
    case 'gender':
    case 'catalogue':
      return text === '' ? null : text;
    default:
      return cleanText(text);
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Input fields whose value differs between two fillings of the form. */
export function changedFields(values: FormValues, base: FormValues): ApiField[] {
  return API_FIELDS.filter((field) => !same(apiValue(field, values), apiValue(field, base)));
}

/** The form filled from a member as read. */
export function valuesOf(member: EditMember): FormValues {
  return {
    fullName: member.fullName,
    birthName: member.birthName ?? '',
    aliases: member.aliases ?? '',
    gender: member.gender,
    dateOfBirth: formatDate(member.dateOfBirth),
    placeOfBirth: member.placeOfBirth ?? '',
    homeTown: member.homeTown ?? '',
    ethnicityCode: member.ethnicityCode ?? '',
    religionCode: member.religionCode ?? '',
    nationalId: member.nationalId ?? '',
    permanentAddress: member.permanentAddress ?? '',
    temporaryAddress: member.temporaryAddress ?? '',
    phone: member.phone ?? '',
    partyCardNumber: member.partyCardNumber ?? '',
    admittedBy: member.admittedBy ?? '',
    introducer1: member.introducers[0] ?? '',
    introducer2: member.introducers[1] ?? '',
    underReview: member.underReview ? 'true' : 'false',
    occupationCode: member.occupation?.code ?? '',
    generalEducation: member.generalEducation ?? '',
    professionalLevelCode: member.professionalLevel?.code ?? '',
    professionalField: member.professionalField ?? '',
    academicTitleCode: member.academicTitle?.code ?? '',
    politicalTheoryCode: member.politicalTheory?.code ?? '',
    stateManagementCode: member.stateManagement?.code ?? '',
    foreignLanguages: member.foreignLanguages ?? '',
    itLevel: member.itLevel ?? '',
    seriousIllnessSince: formatDate(member.seriousIllnessSince),
    seriousIllnessGround: member.seriousIllnessGround ?? '',
  };
}

/**
 * The codes a member holds with their labels: a code the catalogue no longer offers (retired,
 * kept only on the records that hold it) must still show as the member's value.
 */
export function heldCodes(member: EditMember): Partial<Record<FormKey, { code: string; label: string }>> {
  const held: Partial<Record<FormKey, { code: string; label: string }>> = {};
  if (member.ethnicityCode) held.ethnicityCode = { code: member.ethnicityCode, label: member.ethnicity ?? member.ethnicityCode };
  if (member.religionCode) held.religionCode = { code: member.religionCode, label: member.religion ?? member.religionCode };
  const items: [FormKey, { code: string; label: string } | null][] = [
    ['occupationCode', member.occupation],
    ['professionalLevelCode', member.professionalLevel],
    ['academicTitleCode', member.academicTitle],
    ['politicalTheoryCode', member.politicalTheory],
    ['stateManagementCode', member.stateManagement],
  ];
  for (const [key, item] of items) if (item) held[key] = item;
  return held;
}

/** The options of a catalogue field: none, the catalogue in official order, and a held retired code. */
export function optionsOf(spec: FieldSpec, catalogues: Catalogues | null, held: { code: string; label: string }[]): { value: string; label: string }[] {
  const items = catalogues && spec.catalogue ? catalogues[spec.catalogue] : [];
  const options = [{ value: '', label: spec.none ?? '—' }, ...items.map((item) => ({ value: item.code, label: item.label }))];
  for (const item of held) {
    if (!options.some((option) => option.value === item.code)) options.push({ value: item.code, label: `${item.label} (mã không còn dùng)` });
  }
  return options;
}

/** A field's value in words, for the conflict table. */
export function displayValue(field: ApiField, values: FormValues, catalogueLabel: (key: FormKey, code: string) => string): string {
  if (field === 'introducers') return (apiValue('introducers', values) as string[]).join('; ') || '(trống)';
  const spec = SPEC.get(field)!;
  const text = values[field];
  switch (spec.kind) {
    case 'check':
      return text === 'true' ? 'Có' : 'Không';
    case 'gender':
      return label(text) || '(trống)';
    case 'catalogue':
      return text ? catalogueLabel(field, text) : (spec.none ?? '(trống)');
    default:
      return text.trim() || '(trống)';
  }
}

/**
 * The form field an error names: the last element of a userError's path (or of a BAD_USER_INPUT's
 * argument) that is a field of the form, so ["input", "introducers", "1"] still finds its field.
 */
export function formKeyOfPath(path: readonly string[] | null | undefined): FormKey | 'reason' | null {
  for (const part of [...(path ?? [])].reverse()) {
    if (part === 'reason') return 'reason';
    if (part === 'introducers') return 'introducer1';
    if (SPEC.has(part as FormKey)) return part as FormKey;
  }
  return null;
}
