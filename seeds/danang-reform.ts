/**
 * The two reorganisations of Đà Nẵng's commune level that the demo lives through, as data for
 * `reorganiseUnits` (the seed applies them through the operation itself).
 *
 * 1. From 1 January 2025 (Nghị quyết 1251/NQ-UBTVQH15 of 24 October 2024): 56 wards and communes
 *    became 47, by eight mergers inside their districts. (Three boundary adjustments of the same
 *    resolution move parts of wards, not whole cells, and are left out.)
 * 2. From 1 July 2025 (Quy định 294-QĐ/TW ended the district tier; Nghị quyết 1659/NQ-UBTVQH15 of
 *    16 June 2025 arranged the commune level): the 7 districts and 47 wards/communes of the former
 *    Đà Nẵng became 12 wards and 3 communes directly under the city (plus the Hoàng Sa special zone,
 *    whose party unit is a cell under a city department's committee: not in the demo tree). Hòa
 *    Liên was split between Hải Vân and Liên Chiểu. Quảng Nam's side of the merged city is left out.
 *
 * Names as the resolutions give them; each entry names the former units by their names in
 * seeds/danang-tree.ts (districts, then wards or communes).
 */

export interface MergeIntoNew {
  /** The new unit's name, e.g. "Phường Hải Châu". */
  name: string;
  /** The former units, as [district, ward] names of the tree before (after the merges of 1 January 2025). */
  from: readonly (readonly [district: string, ward: string])[];
}

export const JANUARY_2025 = {
  effectiveOn: '2025-01-01',
  decision: { number: '1251/NQ-UBTVQH15', date: '2024-10-24', issuedBy: 'Ủy ban Thường vụ Quốc hội' },
  reason: 'Sắp xếp đơn vị hành chính cấp xã giai đoạn 2023–2025 (Nghị quyết 1251/NQ-UBTVQH15).',
  /**
   * Merges inside a district. When the name is one of the former wards', the others are merged
   * into that one, which keeps its code (Nam Dương and Bình Hiên into Phước Ninh); otherwise
   * into a new ward of that name (Hải Châu I and II into a new Hải Châu).
   */
  merges: [
    { district: 'Hải Châu', name: 'Hải Châu', from: ['Hải Châu I', 'Hải Châu II'] },
    { district: 'Hải Châu', name: 'Phước Ninh', from: ['Phước Ninh', 'Nam Dương', 'Bình Hiên'] },
    { district: 'Hải Châu', name: 'Bình Thuận', from: ['Bình Thuận', 'Hòa Thuận Đông'] },
    { district: 'Thanh Khê', name: 'Thanh Khê Đông', from: ['Thanh Khê Đông', 'Hòa Khê'] },
    { district: 'Thanh Khê', name: 'Xuân Hà', from: ['Xuân Hà', 'Tam Thuận'] },
    { district: 'Thanh Khê', name: 'Thạc Gián', from: ['Thạc Gián', 'Vĩnh Trung'] },
    { district: 'Thanh Khê', name: 'Chính Gián', from: ['Chính Gián', 'Tân Chính'] },
    { district: 'Sơn Trà', name: 'An Hải Nam', from: ['An Hải Tây', 'An Hải Đông'] },
  ],
} as const;

export const JULY_2025 = {
  effectiveOn: '2025-07-01',
  decision: { number: '1659/NQ-UBTVQH15', date: '2025-06-16', issuedBy: 'Ủy ban Thường vụ Quốc hội' },
  reason: 'Bỏ cấp huyện, sắp xếp đơn vị hành chính cấp xã (Quy định 294-QĐ/TW; Nghị quyết 1659/NQ-UBTVQH15).',
  /** New ward and commune committees directly under the city, each merging former wards and communes. */
  units: [
    { name: 'Phường Hải Châu', from: [['Hải Châu', 'Thanh Bình'], ['Hải Châu', 'Thuận Phước'], ['Hải Châu', 'Thạch Thang'], ['Hải Châu', 'Phước Ninh'], ['Hải Châu', 'Hải Châu']] },
    { name: 'Phường Hòa Cường', from: [['Hải Châu', 'Bình Thuận'], ['Hải Châu', 'Hòa Thuận Tây'], ['Hải Châu', 'Hòa Cường Bắc'], ['Hải Châu', 'Hòa Cường Nam']] },
    { name: 'Phường Thanh Khê', from: [['Thanh Khê', 'Xuân Hà'], ['Thanh Khê', 'Chính Gián'], ['Thanh Khê', 'Thạc Gián'], ['Thanh Khê', 'Thanh Khê Đông'], ['Thanh Khê', 'Thanh Khê Tây']] },
    { name: 'Phường An Khê', from: [['Thanh Khê', 'An Khê'], ['Cẩm Lệ', 'Hòa An'], ['Cẩm Lệ', 'Hòa Phát']] },
    { name: 'Phường An Hải', from: [['Sơn Trà', 'Phước Mỹ'], ['Sơn Trà', 'An Hải Bắc'], ['Sơn Trà', 'An Hải Nam']] },
    { name: 'Phường Sơn Trà', from: [['Sơn Trà', 'Thọ Quang'], ['Sơn Trà', 'Nại Hiên Đông'], ['Sơn Trà', 'Mân Thái']] },
    { name: 'Phường Ngũ Hành Sơn', from: [['Ngũ Hành Sơn', 'Mỹ An'], ['Ngũ Hành Sơn', 'Khuê Mỹ'], ['Ngũ Hành Sơn', 'Hòa Hải'], ['Ngũ Hành Sơn', 'Hòa Quý']] },
    { name: 'Phường Hòa Khánh', from: [['Liên Chiểu', 'Hòa Khánh Nam'], ['Liên Chiểu', 'Hòa Minh'], ['Hòa Vang', 'Hòa Sơn']] },
    { name: 'Phường Hải Vân', from: [['Liên Chiểu', 'Hòa Hiệp Bắc'], ['Liên Chiểu', 'Hòa Hiệp Nam'], ['Hòa Vang', 'Hòa Bắc']] },
    { name: 'Phường Liên Chiểu', from: [['Liên Chiểu', 'Hòa Khánh Bắc']] },
    { name: 'Phường Cẩm Lệ', from: [['Cẩm Lệ', 'Hòa Thọ Tây'], ['Cẩm Lệ', 'Hòa Thọ Đông'], ['Cẩm Lệ', 'Khuê Trung']] },
    { name: 'Phường Hòa Xuân', from: [['Cẩm Lệ', 'Hòa Xuân'], ['Hòa Vang', 'Hòa Châu'], ['Hòa Vang', 'Hòa Phước']] },
    { name: 'Xã Hòa Vang', from: [['Hòa Vang', 'Hòa Phong'], ['Hòa Vang', 'Hòa Phú']] },
    { name: 'Xã Hòa Tiến', from: [['Hòa Vang', 'Hòa Tiến'], ['Hòa Vang', 'Hòa Khương']] },
    { name: 'Xã Bà Nà', from: [['Hòa Vang', 'Hòa Ninh'], ['Hòa Vang', 'Hòa Nhơn']] },
  ] satisfies readonly MergeIntoNew[],
  /** Split between two of the new wards: its first cells (30 %, the mountain side) to Hải Vân, the rest to Liên Chiểu. */
  split: { from: ['Hòa Vang', 'Hòa Liên'], into: ['Phường Hải Vân', 'Phường Liên Chiểu'], firstShare: 0.3 },
} as const;
