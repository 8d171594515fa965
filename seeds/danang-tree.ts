/**
 * Đà Nẵng's party organisation before the 2025 reorganisation: the city, 7 districts and their
 * 56 wards/communes, with real names. Codes are the name in upper-case ASCII without diacritics.
 */
export interface DistrictSeed {
  name: string;
  /** "Quận" for urban districts, "Huyện" for the rural one. */
  type: 'Quận' | 'Huyện';
  /** Relative party-member weight of each ward (bigger, older wards have more members). */
  wards: readonly (readonly [name: string, weight: number])[];
  /** Mountain communes where many members are Cơ Tu. */
  coTu?: readonly string[];
}

export const CITY = { code: 'DN', name: 'Đảng bộ thành phố Đà Nẵng' };

export const DISTRICTS: readonly DistrictSeed[] = [
  {
    name: 'Hải Châu',
    type: 'Quận',
    wards: [
      ['Thanh Bình', 1.0], ['Thuận Phước', 1.0], ['Thạch Thang', 1.2], ['Hải Châu I', 1.3], ['Hải Châu II', 1.1],
      ['Phước Ninh', 1.1], ['Hòa Thuận Tây', 1.2], ['Hòa Thuận Đông', 1.0], ['Nam Dương', 0.8], ['Bình Hiên', 0.9],
      ['Bình Thuận', 1.1], ['Hòa Cường Bắc', 1.4], ['Hòa Cường Nam', 1.2],
    ],
  },
  {
    name: 'Thanh Khê',
    type: 'Quận',
    wards: [
      ['Tam Thuận', 1.0], ['Thanh Khê Tây', 1.1], ['Thanh Khê Đông', 1.0], ['Xuân Hà', 1.0], ['Tân Chính', 0.8],
      ['Chính Gián', 1.1], ['Vĩnh Trung', 1.0], ['Thạc Gián', 1.0], ['An Khê', 1.3], ['Hòa Khê', 1.1],
    ],
  },
  {
    name: 'Sơn Trà',
    type: 'Quận',
    wards: [
      ['Thọ Quang', 1.2], ['Nại Hiên Đông', 1.0], ['Mân Thái', 1.0], ['An Hải Bắc', 1.3], ['Phước Mỹ', 1.0],
      ['An Hải Tây', 1.0], ['An Hải Đông', 1.0],
    ],
  },
  {
    name: 'Ngũ Hành Sơn',
    type: 'Quận',
    wards: [['Mỹ An', 1.1], ['Khuê Mỹ', 1.2], ['Hòa Quý', 1.0], ['Hòa Hải', 1.2]],
  },
  {
    name: 'Liên Chiểu',
    type: 'Quận',
    wards: [['Hòa Hiệp Bắc', 1.0], ['Hòa Hiệp Nam', 1.0], ['Hòa Khánh Bắc', 1.8], ['Hòa Khánh Nam', 1.3], ['Hòa Minh', 1.4]],
  },
  {
    name: 'Cẩm Lệ',
    type: 'Quận',
    wards: [['Khuê Trung', 1.2], ['Hòa Phát', 1.0], ['Hòa An', 1.1], ['Hòa Thọ Tây', 0.9], ['Hòa Thọ Đông', 1.0], ['Hòa Xuân', 1.0]],
  },
  {
    name: 'Hòa Vang',
    type: 'Huyện',
    wards: [
      ['Hòa Bắc', 0.6], ['Hòa Liên', 0.9], ['Hòa Ninh', 0.6], ['Hòa Sơn', 0.8], ['Hòa Nhơn', 0.9], ['Hòa Phú', 0.6],
      ['Hòa Phong', 1.0], ['Hòa Châu', 1.0], ['Hòa Tiến', 1.0], ['Hòa Phước', 0.9], ['Hòa Khương', 0.9],
    ],
    coTu: ['Hòa Bắc', 'Hòa Ninh', 'Hòa Phú'],
  },
];

/** Upper-case ASCII without diacritics or spaces: "Hải Châu I" → "HAICHAUI" (the one rule, in src/units/unit-code.ts). */
export { codeOf } from '../src/units/unit-code';
