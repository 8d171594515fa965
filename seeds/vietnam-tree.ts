/**
 * The party's organisation across the country after the 2025 reform, for the benchmark's
 * nation-shaped dataset (bench/seed.ts): the whole party at the root, the 34 provinces and
 * centrally-run cities of Nghị quyết 202/2025/QH15 (from 12 June 2025), and under each of them,
 * with the district tier gone (Quy định 294-QĐ/TW, from 1 July 2025), its commune-level party
 * committees: 3,321 wards (phường), communes (xã) and special zones (đặc khu) in all.
 *
 * Real: the provinces, their names, how many commune-level units each has and how many of them
 * are wards, and the special zones' names. Approximate: the population (thousands, 2024
 * estimates of the former provinces each new one merged), which sets each province's share of
 * the members. Synthetic: the communes' names (two common place-name syllables, unique within
 * their province) and everything below the communes.
 */
import { codeOf, codeSegmentOf } from '../src/units/unit-code';
import type { Random } from './random';

export interface ProvinceSeed {
  /** The place name without its kind, e.g. "Hà Nội". */
  name: string;
  /** "Thành phố" for the six centrally-run cities, "Tỉnh" for the provinces. */
  type: 'Thành phố' | 'Tỉnh';
  /** Commune-level units (phường, xã and đặc khu) since 1 July 2025. */
  communes: number;
  /** How many of them are wards (phường). */
  wards: number;
  /** Its special zones (đặc khu), by name; the rest are communes (xã). */
  specialZones: readonly string[];
  /** Population in thousands (approximate): the province's weight in the members. */
  population: number;
}

/** The root: the whole party, whose committee is the Central Committee (Ban Chấp hành Trung ương). */
export const NATION = { code: 'VN', name: 'Đảng Cộng sản Việt Nam' };

/**
 * The province whose tree below it is the city dataset's (seeds/danang-tree.ts: the city before
 * 2025, 7 districts, 56 wards, their cells), so the benchmark's district and city scenarios run
 * unchanged on a nation-shaped dataset. It keeps the code DN it has in the city dataset: a code
 * is made once and never changes when its unit is moved (docs/domain.md), and the city tree is
 * the one that existed first.
 */
export const CITY_PROVINCE = 'Đà Nẵng';

/**
 * Đà Nẵng's share of the members: about its real share of the party (~140,000 of 5.6 million),
 * a little under its share of the population, which sets the other provinces' shares.
 */
export const CITY_PROVINCE_MEMBER_SHARE = 0.025;

/** The account of the root's organisation department (Ban Tổ chức Trung ương), beside the demo's. */
export const NATION_ACCOUNT = { username: 'trunguong', role: 'CITY_ADMIN', unit: NATION.code } as const;

/**
 * The 34 provinces and centrally-run cities, in the order of the National Statistics Office's
 * codes. Counts of units after Nghị quyết 202/2025/QH15 and the Standing Committee's resolutions
 * on the commune level of June 2025: 3,321 units, of which 687 wards and 13 special zones.
 */
export const PROVINCES: readonly ProvinceSeed[] = [
  { name: 'Hà Nội', type: 'Thành phố', communes: 126, wards: 51, specialZones: [], population: 8720 },
  { name: 'Cao Bằng', type: 'Tỉnh', communes: 56, wards: 3, specialZones: [], population: 547 },
  { name: 'Tuyên Quang', type: 'Tỉnh', communes: 124, wards: 7, specialZones: [], population: 1705 },
  { name: 'Điện Biên', type: 'Tỉnh', communes: 45, wards: 3, specialZones: [], population: 640 },
  { name: 'Lai Châu', type: 'Tỉnh', communes: 38, wards: 2, specialZones: [], population: 482 },
  { name: 'Sơn La', type: 'Tỉnh', communes: 75, wards: 8, specialZones: [], population: 1300 },
  { name: 'Lào Cai', type: 'Tỉnh', communes: 99, wards: 10, specialZones: [], population: 1610 },
  { name: 'Thái Nguyên', type: 'Tỉnh', communes: 92, wards: 15, specialZones: [], population: 1660 },
  { name: 'Lạng Sơn', type: 'Tỉnh', communes: 65, wards: 4, specialZones: [], population: 802 },
  { name: 'Quảng Ninh', type: 'Tỉnh', communes: 54, wards: 30, specialZones: ['Vân Đồn', 'Cô Tô'], population: 1380 },
  { name: 'Bắc Ninh', type: 'Tỉnh', communes: 99, wards: 33, specialZones: [], population: 3410 },
  { name: 'Phú Thọ', type: 'Tỉnh', communes: 148, wards: 15, specialZones: [], population: 3590 },
  { name: 'Hải Phòng', type: 'Thành phố', communes: 114, wards: 45, specialZones: ['Cát Hải', 'Bạch Long Vĩ'], population: 4100 },
  { name: 'Hưng Yên', type: 'Tỉnh', communes: 104, wards: 11, specialZones: [], population: 3170 },
  { name: 'Ninh Bình', type: 'Tỉnh', communes: 129, wards: 32, specialZones: [], population: 3780 },
  { name: 'Thanh Hóa', type: 'Tỉnh', communes: 166, wards: 19, specialZones: [], population: 3760 },
  { name: 'Nghệ An', type: 'Tỉnh', communes: 130, wards: 11, specialZones: [], population: 3440 },
  { name: 'Hà Tĩnh', type: 'Tỉnh', communes: 69, wards: 9, specialZones: [], population: 1320 },
  { name: 'Quảng Trị', type: 'Tỉnh', communes: 78, wards: 8, specialZones: ['Cồn Cỏ'], population: 1570 },
  { name: 'Huế', type: 'Thành phố', communes: 40, wards: 21, specialZones: [], population: 1160 },
  { name: 'Đà Nẵng', type: 'Thành phố', communes: 94, wards: 23, specialZones: ['Hoàng Sa'], population: 2770 },
  { name: 'Quảng Ngãi', type: 'Tỉnh', communes: 96, wards: 9, specialZones: ['Lý Sơn'], population: 1830 },
  { name: 'Gia Lai', type: 'Tỉnh', communes: 135, wards: 25, specialZones: [], population: 3090 },
  { name: 'Khánh Hòa', type: 'Tỉnh', communes: 65, wards: 16, specialZones: ['Trường Sa'], population: 1860 },
  { name: 'Đắk Lắk', type: 'Tỉnh', communes: 102, wards: 14, specialZones: [], population: 2810 },
  { name: 'Lâm Đồng', type: 'Tỉnh', communes: 124, wards: 20, specialZones: ['Phú Quý'], population: 3260 },
  { name: 'Đồng Nai', type: 'Tỉnh', communes: 95, wards: 23, specialZones: [], population: 4340 },
  { name: 'Hồ Chí Minh', type: 'Thành phố', communes: 168, wards: 113, specialZones: ['Côn Đảo'], population: 14000 },
  { name: 'Tây Ninh', type: 'Tỉnh', communes: 96, wards: 14, specialZones: [], population: 2930 },
  { name: 'Đồng Tháp', type: 'Tỉnh', communes: 102, wards: 20, specialZones: [], population: 3390 },
  { name: 'Vĩnh Long', type: 'Tỉnh', communes: 124, wards: 19, specialZones: [], population: 3350 },
  { name: 'An Giang', type: 'Tỉnh', communes: 102, wards: 14, specialZones: ['Phú Quốc', 'Kiên Hải', 'Thổ Châu'], population: 3660 },
  { name: 'Cần Thơ', type: 'Thành phố', communes: 103, wards: 31, specialZones: [], population: 3190 },
  { name: 'Cà Mau', type: 'Tỉnh', communes: 64, wards: 9, specialZones: [], population: 2130 },
];

/** The name of a province's party organisation: "Đảng bộ thành phố Hà Nội", "Đảng bộ tỉnh Nghệ An". */
export function provinceCommitteeName(province: ProvinceSeed): string {
  return `Đảng bộ ${province.type.toLowerCase()} ${province.name}`;
}

/** Its code under the root: VN.HANOI, VN.HOCHIMINH (Đà Nẵng's is DN: CITY_PROVINCE). */
export function provinceCode(province: ProvinceSeed): string {
  return `${NATION.code}.${codeSegmentOf(provinceCommitteeName(province))}`;
}

/** Its standing body, which signs its decisions: "Thành ủy Hà Nội", "Tỉnh ủy Nghệ An". */
export function provinceCommitteeBody(province: ProvinceSeed): string {
  return `${province.type === 'Thành phố' ? 'Thành' : 'Tỉnh'} ủy ${province.name}`;
}

/**
 * Each province's share of the members: Đà Nẵng's fixed (CITY_PROVINCE_MEMBER_SHARE), the rest
 * shared by population. Sums to 1.
 */
export function memberShares(): Map<ProvinceSeed, number> {
  const others = PROVINCES.filter((p) => p.name !== CITY_PROVINCE);
  const population = others.reduce((sum, p) => sum + p.population, 0);
  const shares = new Map<ProvinceSeed, number>();
  for (const p of PROVINCES) {
    shares.set(p, p.name === CITY_PROVINCE ? CITY_PROVINCE_MEMBER_SHARE : ((1 - CITY_PROVINCE_MEMBER_SHARE) * p.population) / population);
  }
  return shares;
}

/** The province with the most members (by population: Hồ Chí Minh), whose statistics the benchmark asks for. */
export const LARGEST_PROVINCE: ProvinceSeed = [...memberShares()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];

export type CommuneKind = 'phường' | 'xã' | 'đặc khu';

export interface CommuneSeed {
  /** The place name, e.g. "Tân Hòa". */
  name: string;
  kind: CommuneKind;
}

// Syllables of common Vietnamese place names; two make a commune's name.
const FIRST_SYLLABLES = [
  'An', 'Bình', 'Hòa', 'Tân', 'Phú', 'Long', 'Thạnh', 'Vĩnh', 'Xuân', 'Hưng', 'Thành', 'Phước', 'Mỹ', 'Đông', 'Tây', 'Nam',
  'Bắc', 'Quảng', 'Thái', 'Minh', 'Hồng', 'Kim', 'Ngọc', 'Thanh', 'Đức', 'Lộc', 'Phúc', 'Hiệp', 'Trung', 'Gia', 'Yên',
  'Cẩm', 'Hải', 'Sơn', 'Lâm', 'Tiên', 'Định', 'Nghĩa', 'Quang', 'Hương', 'Đại', 'Tam', 'Song', 'Cát', 'Châu', 'Liên',
];
const SECOND_SYLLABLES = [
  'An', 'Bình', 'Hòa', 'Lợi', 'Phú', 'Long', 'Thạnh', 'Thịnh', 'Xuân', 'Hưng', 'Thành', 'Phước', 'Mỹ', 'Đông', 'Tây',
  'Lộc', 'Hải', 'Sơn', 'Lâm', 'Trung', 'Hiệp', 'Tiến', 'Thắng', 'Lạc', 'Khánh', 'Điền', 'Hà', 'Giang', 'Phong', 'Quý',
  'Vinh', 'Hội', 'Đồng', 'Tường', 'Dương', 'Nguyên', 'Thủy', 'Cường', 'Tân', 'Minh', 'Hạnh', 'Kiều',
];

/**
 * A province's commune-level units: its wards first, then its communes, then its special zones
 * (real names); the others' names are drawn from `random`, two syllables, distinct within the
 * province and from its special zones once coded ("Thành Lợi" and "Thạnh Lợi" would both be
 * THANHLOI).
 */
export function communesOf(province: ProvinceSeed, random: Random): CommuneSeed[] {
  const taken = new Set(province.specialZones.map(codeOf));
  const drawn = province.communes - province.specialZones.length;
  const names: string[] = [];
  while (names.length < drawn) {
    const first = random.pick(FIRST_SYLLABLES);
    const second = random.pick(SECOND_SYLLABLES);
    const name = `${first} ${second}`;
    if (first === second || taken.has(codeOf(name))) continue;
    taken.add(codeOf(name));
    names.push(name);
  }
  return [
    ...names.map((name, i): CommuneSeed => ({ name, kind: i < province.wards ? 'phường' : 'xã' })),
    ...province.specialZones.map((name): CommuneSeed => ({ name, kind: 'đặc khu' })),
  ];
}

/**
 * Grassroots organisations (tổ chức cơ sở đảng) a commune committee may have beside its
 * residential cells: party committees of its agencies, schools, health centres and enterprises,
 * each with cells of its own. Short names, so their codes fit with a cell's below them.
 */
export const GRASSROOTS_ORGANISATIONS = [
  'Cơ quan UBND', 'Trường THPT', 'Trung tâm Y tế', 'Quân sự', 'Trường THCS', 'Công ty cổ phần', 'Hợp tác xã', 'Trường Tiểu học',
];
