import type { Random } from './random';

/**
 * Synthetic but realistic Vietnamese party members: names with correct diacritics, Central
 * Vietnam's family-name frequencies, dates that obey the lifecycle rules of DOMAIN.md.
 */

const FAMILY_NAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 30], ['Trần', 10], ['Lê', 10], ['Phạm', 5], ['Huỳnh', 6], ['Phan', 5], ['Võ', 6], ['Hoàng', 2],
  ['Đặng', 2.5], ['Bùi', 2], ['Đỗ', 1.5], ['Hồ', 2.5], ['Ngô', 1.5], ['Dương', 1], ['Lý', 0.5], ['Đoàn', 1.5],
  ['Trương', 2], ['Đinh', 1], ['Lương', 1], ['Mai', 0.8], ['Tôn', 0.4], ['Thái', 0.6], ['Châu', 0.5],
  ['Hà', 0.6], ['Cao', 0.7], ['Lâm', 0.5], ['Tạ', 0.3], ['Văn', 0.3], ['Đào', 0.6], ['Vũ', 1],
];

const MALE_MIDDLE: readonly (readonly [string, number])[] = [
  ['Văn', 40], ['Hữu', 8], ['Đức', 8], ['Minh', 8], ['Quang', 7], ['Thanh', 6], ['Công', 6], ['Ngọc', 4],
  ['Xuân', 4], ['Đình', 5], ['Tấn', 5], ['Bá', 3], ['Phước', 3], ['Viết', 2], ['Trọng', 3],
];

const FEMALE_MIDDLE: readonly (readonly [string, number])[] = [
  ['Thị', 60], ['Ngọc', 6], ['Thu', 5], ['Thanh', 5], ['Kim', 4], ['Minh', 3], ['Hoài', 2], ['Bích', 2],
  ['Mỹ', 3], ['Phương', 2], ['Thị Thu', 3], ['Thị Kim', 2], ['Thị Mỹ', 2],
];

const MALE_GIVEN = [
  'An', 'Anh', 'Bảo', 'Bình', 'Cường', 'Chiến', 'Dũng', 'Duy', 'Đạt', 'Đức', 'Giang', 'Hải', 'Hiếu', 'Hòa', 'Hoàng',
  'Hùng', 'Huy', 'Khánh', 'Khoa', 'Kiên', 'Lâm', 'Lộc', 'Long', 'Luân', 'Minh', 'Nam', 'Nghĩa', 'Nhân', 'Phong',
  'Phúc', 'Phước', 'Quân', 'Quang', 'Quốc', 'Sang', 'Sơn', 'Tài', 'Tâm', 'Tân', 'Thắng', 'Thành', 'Thiện', 'Thịnh',
  'Thông', 'Tiến', 'Toàn', 'Trí', 'Trung', 'Tú', 'Tuấn', 'Tùng', 'Vinh', 'Việt', 'Vũ', 'Hưng', 'Lợi', 'Định',
];

const FEMALE_GIVEN = [
  'An', 'Anh', 'Ánh', 'Bích', 'Châu', 'Chi', 'Diễm', 'Dung', 'Duyên', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hiền', 'Hoa',
  'Hồng', 'Huệ', 'Hương', 'Huyền', 'Lan', 'Liên', 'Linh', 'Loan', 'Ly', 'Mai', 'My', 'Nga', 'Ngân', 'Ngọc', 'Nhàn',
  'Nhi', 'Nhung', 'Oanh', 'Phương', 'Quyên', 'Sương', 'Tâm', 'Thanh', 'Thảo', 'Thu', 'Thủy', 'Thúy', 'Trâm', 'Trang',
  'Trinh', 'Tuyết', 'Uyên', 'Vân', 'Vy', 'Xuân', 'Yến', 'Hậu', 'Lệ', 'Nguyệt',
];

/** Cơ Tu family names of Hòa Vang's mountain communes, and the given names used with them. */
const COTU_FAMILY = ['Bríu', 'A Lăng', 'Ating', 'Clâu', 'Pơloong', 'Zơrâm', 'Hôih', 'Bhling', 'Alăng', 'Coor'];
const COTU_MALE_GIVEN = ['Pố', 'Tiến', 'Quân', 'Lợi', 'Hùng', 'Dũng', 'Nhím', 'Blăng', 'Hiên', 'Xông'];
const COTU_FEMALE_GIVEN = ['Thị Hoa', 'Thị Nhất', 'Thị Mai', 'Thị Blông', 'Thị Liên', 'Thị Ních', 'Thị Dung', 'Thị Hiền'];

const OTHER_ETHNICITIES: readonly (readonly [string, number])[] = [
  ['Hoa', 4], ['Tày', 1.5], ['Mường', 1], ['Nùng', 1], ['Ê Đê', 0.5], ['Gia Rai', 0.4], ['Chăm', 0.6], ['Khmer', 0.3],
];

const RELIGIONS: readonly (readonly [string | null, number])[] = [
  [null, 89], ['Phật giáo', 7.5], ['Công giáo', 2.5], ['Tin Lành', 0.5], ['Cao Đài', 0.5],
];

/** Province codes that start a CCCD number: most members were born in or near Đà Nẵng. */
const BIRTH_PROVINCES: readonly (readonly [string, number])[] = [
  ['048', 60], ['049', 20], ['051', 6], ['046', 5], ['052', 3], ['001', 2], ['079', 2], ['044', 2],
];

export interface PersonSeed {
  fullName: string;
  gender: 'MALE' | 'FEMALE';
  dateOfBirth: string;
  ethnicity: string;
  religion: string | null;
  joinedOn: string;
  officialOn: string | null;
  status: string;
  /** Province code and birth digits for the CCCD; the caller makes it unique. */
  nationalIdPrefix: string;
  hasNationalId: boolean;
}

const DAY = 86_400_000;

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(d, lastDay));
  return date.toISOString().slice(0, 10);
}

/** One synthetic member, consistent with the lifecycle as of `today`. */
export function person(random: Random, options: { coTu: boolean; today: string }): PersonSeed {
  const today = Date.parse(options.today);
  const male = random.chance(0.6);
  const gender = male ? 'MALE' : 'FEMALE';
  const coTu = options.coTu && random.chance(0.45);

  let fullName: string;
  if (coTu) {
    const family = random.pick(COTU_FAMILY);
    fullName = male ? `${family} Văn ${random.pick(COTU_MALE_GIVEN)}` : `${family} ${random.pick(COTU_FEMALE_GIVEN)}`;
  } else {
    const family = random.weighted(FAMILY_NAMES);
    const middle = random.weighted(male ? MALE_MIDDLE : FEMALE_MIDDLE);
    const given = random.pick(male ? MALE_GIVEN : FEMALE_GIVEN);
    fullName = `${family} ${middle} ${given}`;
  }

  // Admission at 18–60, mostly in one's twenties and thirties; admissions since 1960.
  const ageAtAdmission = random.weighted([
    [random.int(18, 22), 25], [random.int(23, 30), 40], [random.int(31, 40), 25], [random.int(41, 60), 10],
  ] as const);
  const joinedMs = today - random.int(0, 65 * 365) * DAY;
  const birthMs = joinedMs - (ageAtAdmission * 365.25 + random.int(0, 364)) * DAY;
  const joinedOn = isoDate(joinedMs);
  const dateOfBirth = isoDate(birthMs);
  const age = (today - birthMs) / (365.25 * DAY);
  const monthsSinceJoining = (today - joinedMs) / (30.44 * DAY);

  let status: string;
  let officialOn: string | null = null;
  if (monthsSinceJoining < 12 || (monthsSinceJoining < 13.5 && random.chance(0.5))) {
    // Still probationary: within 12 months, or due and awaiting the cell's vote.
    status = 'PROBATIONARY';
  } else {
    officialOn = addMonths(joinedOn, 12); // official as of the end of the probation, even if approved late
    status = random.weighted([
      ['OFFICIAL', 95],
      ['RELEASED', age > 70 ? 25 : 1],
      ['DECEASED', age > 90 ? 400 : age > 80 ? 40 : age > 75 ? 12 : 0.3],
      ['REMOVED', 0.5],
      ['EXPELLED', 0.08],
      ['RESIGNED', 0.08],
    ] as const);
  }

  const ethnicity = coTu ? 'Cơ Tu' : random.chance(0.012) ? random.weighted(OTHER_ETHNICITIES) : 'Kinh';
  const religion = coTu ? null : random.weighted(RELIGIONS);

  const birthYear = Number(dateOfBirth.slice(0, 4));
  const centuryDigit = (birthYear >= 2000 ? 2 : 0) + (male ? 0 : 1);
  const nationalIdPrefix = `${random.weighted(BIRTH_PROVINCES)}${centuryDigit}${dateOfBirth.slice(2, 4)}`;

  return {
    fullName,
    gender,
    dateOfBirth,
    ethnicity,
    religion,
    joinedOn,
    officialOn,
    status,
    nationalIdPrefix,
    hasNationalId: !random.chance(0.02),
  };
}
