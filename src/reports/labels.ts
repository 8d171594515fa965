import { catalogueItem, type CatalogueKind } from '../catalogues/catalogues';

/** Vietnamese labels of the fixed categories of reports, in the order forms print them. */
export const STATUS_LABELS = { PROBATIONARY: 'Đảng viên dự bị', OFFICIAL: 'Đảng viên chính thức', RELEASED: 'Miễn sinh hoạt đảng' };
export const GENDER_LABELS = { MALE: 'Nam', FEMALE: 'Nữ' };
export const AGE_BAND_LABELS = {
  UP_TO_30: 'Từ 30 tuổi trở xuống',
  FROM_31_TO_40: 'Từ 31 đến 40 tuổi',
  FROM_41_TO_50: 'Từ 41 đến 50 tuổi',
  FROM_51_TO_60: 'Từ 51 đến 60 tuổi',
  FROM_61_TO_70: 'Từ 61 đến 70 tuổi',
  OVER_70: 'Trên 70 tuổi',
};
export const PARTY_AGE_BAND_LABELS = {
  UNDER_10: 'Dưới 10 năm',
  FROM_10_TO_19: 'Từ 10 đến dưới 20 năm',
  FROM_20_TO_29: 'Từ 20 đến dưới 30 năm',
  FROM_30_TO_39: 'Từ 30 đến dưới 40 năm',
  FROM_40_TO_49: 'Từ 40 đến dưới 50 năm',
  FROM_50: 'Từ 50 năm trở lên',
};
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

export const UNKNOWN = { key: 'UNKNOWN', label: 'Chưa khai' };

/** Label of a code of a catalogue breakdown; no value is UNKNOWN (for religion: none). */
export function catalogueLabel(kind: CatalogueKind, code: string | null): { key: string; label: string } {
  if (code === null) return kind === 'RELIGION' ? { key: 'NONE', label: 'Không' } : UNKNOWN;
  return { key: code, label: catalogueItem(kind, code)?.label ?? code };
}
