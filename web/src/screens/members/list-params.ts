import { isCalendarDate, label } from '../../ui/format';

/**
 * The member list's state as the hash query keeps it (#/members?search=…&status=…): what is on
 * screen survives a reload, the back button from a member's file, and a link sent to a colleague.
 * Only values that differ from the defaults are written, so the plain list is plain `#/members`.
 */
export interface ListParams {
  /** The unit whose members are listed; null: the unit the user works in (session.unit). */
  unitId: string | null;
  includeSubunits: boolean;
  search: string;
  /** Any of these statuses; empty: every status. */
  status: MemberStatus[];
  gender: '' | 'MALE' | 'FEMALE';
  /** Birth years, four digits each, or ''. */
  yearFrom: string;
  yearTo: string;
  /** ISO date, or '': probationary members whose probation ends by then. */
  probationEndsBy: string;
  missingNationalId: boolean;
  order: OrderKey;
  first: number;
}

export type MemberStatus = 'OFFICIAL' | 'PROBATIONARY' | 'RELEASED' | 'REMOVED' | 'EXPELLED' | 'RESIGNED' | 'DECEASED';
const STATUSES: readonly MemberStatus[] = ['OFFICIAL', 'PROBATIONARY', 'RELEASED', 'REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED'];

/** The status choices offered: single statuses and the groups staff ask for most. */
export const STATUS_CHOICES: { value: string; label: string }[] = [
  { value: '', label: 'Tất cả tình trạng' },
  { value: 'OFFICIAL,PROBATIONARY', label: 'Chính thức, dự bị' },
  ...STATUSES.map((status) => ({ value: status, label: label(status) })),
  { value: 'REMOVED,EXPELLED,RESIGNED,DECEASED', label: 'Đã ra khỏi Đảng (xóa tên, khai trừ, xin ra, từ trần)' },
];

export const ORDERS = {
  NAME_ASC: { field: 'NAME', direction: 'ASC', label: 'Tên (A → Z)' },
  NAME_DESC: { field: 'NAME', direction: 'DESC', label: 'Tên (Z → A)' },
  DATE_OF_BIRTH_ASC: { field: 'DATE_OF_BIRTH', direction: 'ASC', label: 'Ngày sinh (lớn tuổi trước)' },
  DATE_OF_BIRTH_DESC: { field: 'DATE_OF_BIRTH', direction: 'DESC', label: 'Ngày sinh (trẻ tuổi trước)' },
  JOINED_ON_ASC: { field: 'JOINED_ON', direction: 'ASC', label: 'Ngày vào Đảng (sớm trước)' },
  JOINED_ON_DESC: { field: 'JOINED_ON', direction: 'DESC', label: 'Ngày vào Đảng (gần đây trước)' },
} as const;
export type OrderKey = keyof typeof ORDERS;

export const PAGE_SIZES = [20, 50, 100] as const;

export const DEFAULTS: ListParams = {
  unitId: null,
  includeSubunits: true,
  search: '',
  status: [],
  gender: '',
  yearFrom: '',
  yearTo: '',
  probationEndsBy: '',
  missingNationalId: false,
  order: 'NAME_ASC',
  first: 20,
};

/** A birth year the list accepts: four digits from 1900 to 2100. */
export function isYear(text: string): boolean {
  return /^\d{4}$/.test(text) && Number(text) >= 1900 && Number(text) <= 2100;
}

/**
 * Reads the hash query. Anything a hand-edited or old link holds that the list does not know is
 * dropped rather than sent to the API (which would refuse the whole list for it).
 */
export function readParams(query: URLSearchParams): ListParams {
  const text = (name: string) => query.get(name)?.trim() ?? '';
  const order = text('order');
  const first = Number(text('first'));
  const gender = text('gender');
  return {
    unitId: text('unitId') || null,
    includeSubunits: text('includeSubunits') !== 'false',
    search: (query.get('search') ?? '').slice(0, 100),
    status: text('status')
      .split(',')
      .filter((status): status is MemberStatus => (STATUSES as readonly string[]).includes(status)),
    gender: gender === 'MALE' || gender === 'FEMALE' ? gender : '',
    yearFrom: isYear(text('yearFrom')) ? text('yearFrom') : '',
    yearTo: isYear(text('yearTo')) ? text('yearTo') : '',
    probationEndsBy: isCalendarDate(text('probationEndsBy')) ? text('probationEndsBy') : '',
    missingNationalId: text('missingNationalId') === 'true',
    // Own keys only: `order in ORDERS` would take an inherited name (?order=toString) for an order.
    order: Object.hasOwn(ORDERS, order) ? (order as OrderKey) : DEFAULTS.order,
    first: (PAGE_SIZES as readonly number[]).includes(first) ? first : DEFAULTS.first,
  };
}

/** The hash query for these parameters: only what differs from the defaults, in a fixed order. */
export function writeParams(params: ListParams): string {
  const query = new URLSearchParams();
  if (params.unitId) query.set('unitId', params.unitId);
  if (!params.includeSubunits) query.set('includeSubunits', 'false');
  if (params.search) query.set('search', params.search);
  if (params.status.length) query.set('status', params.status.join(','));
  if (params.gender) query.set('gender', params.gender);
  if (params.yearFrom) query.set('yearFrom', params.yearFrom);
  if (params.yearTo) query.set('yearTo', params.yearTo);
  if (params.probationEndsBy) query.set('probationEndsBy', params.probationEndsBy);
  if (params.missingNationalId) query.set('missingNationalId', 'true');
  if (params.order !== DEFAULTS.order) query.set('order', params.order);
  if (params.first !== DEFAULTS.first) query.set('first', String(params.first));
  return query.toString();
}

/** Whether any condition narrows the list (the unit and the order do not). */
export function isFiltered(params: ListParams): boolean {
  return !!(params.search.trim() || params.status.length || params.gender || params.yearFrom || params.yearTo || params.probationEndsBy || params.missingNationalId);
}

/** The API's MemberFilter, with field names as in schema.graphql. */
export function apiFilter(params: ListParams, unitId: string) {
  const search = params.search.trim();
  return {
    unitId,
    includeSubunits: params.includeSubunits,
    search: search || null,
    status: params.status.length ? params.status : null,
    gender: params.gender || null,
    bornFrom: params.yearFrom ? `${params.yearFrom}-01-01` : null,
    bornTo: params.yearTo ? `${params.yearTo}-12-31` : null,
    hasNationalId: params.missingNationalId ? false : null,
    probationEndsBy: params.probationEndsBy || null,
  };
}

/**
 * The same filter as the query string of /exports/members.csv|xlsx (docs/api.md): what the file
 * holds is what the screen lists, over all pages.
 */
export function exportQuery(params: ListParams, unitId: string): string {
  const filter = apiFilter(params, unitId);
  const query = new URLSearchParams();
  query.set('unitId', filter.unitId);
  query.set('includeSubunits', String(filter.includeSubunits));
  if (filter.search) query.set('search', filter.search);
  if (filter.status) query.set('status', filter.status.join(','));
  if (filter.gender) query.set('gender', filter.gender);
  if (filter.bornFrom) query.set('bornFrom', filter.bornFrom);
  if (filter.bornTo) query.set('bornTo', filter.bornTo);
  if (filter.hasNationalId !== null) query.set('hasNationalId', String(filter.hasNationalId));
  if (filter.probationEndsBy) query.set('probationEndsBy', filter.probationEndsBy);
  return query.toString();
}
