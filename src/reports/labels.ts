import { catalogueItem, catalogueItems, type CatalogueKind } from '../catalogues/catalogues';
import { UNKNOWN } from './categories';
import { AGE_BANDS, PARTY_AGE_BANDS, bandLabels } from './bands';

/** Vietnamese labels of the fixed categories of reports, in the order forms print them. */
export const STATUS_LABELS = { PROBATIONARY: 'Đảng viên dự bị', OFFICIAL: 'Đảng viên chính thức', RELEASED: 'Miễn sinh hoạt đảng' };
export const GENDER_LABELS = { MALE: 'Nam', FEMALE: 'Nữ' };
/** The bands' labels come with the bands (bands.ts), in the same order. */
export const AGE_BAND_LABELS = bandLabels(AGE_BANDS);
export const PARTY_AGE_BAND_LABELS = bandLabels(PARTY_AGE_BANDS);
/** Every status, as a member list prints it. */
export const ALL_STATUS_LABELS: Record<string, string> = {
  PROBATIONARY: 'Dự bị',
  OFFICIAL: 'Chính thức',
  RELEASED: 'Miễn sinh hoạt',
  REMOVED: 'Xóa tên',
  EXPELLED: 'Khai trừ',
  RESIGNED: 'Xin ra khỏi Đảng',
  DECEASED: 'Từ trần',
};
export const DEPARTURE_LABELS = { REMOVED: 'Xóa tên', EXPELLED: 'Khai trừ', RESIGNED: 'Xin ra khỏi Đảng', DECEASED: 'Từ trần' };

export { UNKNOWN };

/** Label of a code of a catalogue breakdown; no value is UNKNOWN (for religion: none). */
export function catalogueLabel(kind: CatalogueKind, code: string | null): { key: string; label: string } {
  if (code === null) return kind === 'RELIGION' ? { key: 'NONE', label: 'Không' } : UNKNOWN;
  return { key: code, label: catalogueItem(kind, code)?.label ?? code };
}

/**
 * Every code of a catalogue, in order, then UNKNOWN: the lines of a breakdown the forms print in
 * full, zeros included (political theory: NONE, "chưa qua đào tạo", apart from "chưa khai").
 */
export function completeCatalogueLabels(kind: CatalogueKind): Record<string, string> {
  return Object.fromEntries([...catalogueItems(kind).map((item) => [item.code, item.label]), [UNKNOWN.key, UNKNOWN.label]]);
}
