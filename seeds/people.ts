import { ADMISSION_AGE_MONTHS, addMonths, monthsBetween } from '../src/members/lifecycle';
import type { Random } from './random';

export { addMonths };

/**
 * Synthetic but realistic Vietnamese party members: names with correct diacritics, Central
 * Vietnam's family-name frequencies, dates that obey the lifecycle rules of docs/domain.md.
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

/** Ethnic group codes of the catalogue (01 Kinh, 26 Cơ-tu, …) for the few non-Kinh, non-Cơ-tu members. */
const KINH = '01';
const CO_TU = '26';
const OTHER_ETHNICITIES: readonly (readonly [string, number])[] = [
  ['04', 4], ['02', 1.5], ['06', 1], ['07', 1], ['12', 0.5], ['10', 0.4], ['17', 0.6], ['05', 0.3],
];

const RELIGIONS: readonly (readonly [string | null, number])[] = [
  [null, 89], ['PHAT_GIAO', 7.5], ['CONG_GIAO', 2.5], ['TIN_LANH', 0.5], ['CAO_DAI', 0.5],
];

const PROVINCE_NAMES: Record<string, string> = {
  '048': 'Đà Nẵng', '049': 'Quảng Nam', '051': 'Quảng Ngãi', '046': 'Thừa Thiên Huế', '052': 'Bình Định',
  '001': 'Hà Nội', '079': 'Thành phố Hồ Chí Minh', '044': 'Quảng Bình',
};

/** Province codes that start a CCCD number: most members were born in or near Đà Nẵng. */
const BIRTH_PROVINCES: readonly (readonly [string, number])[] = [
  ['048', 60], ['049', 20], ['051', 6], ['046', 5], ['052', 3], ['001', 2], ['079', 2], ['044', 2],
];

export interface PersonSeed {
  fullName: string;
  placeOfBirth: string;
  permanentAddress: string;
  phone: string | null;
  occupation: string;
  generalEducation: string;
  professionalLevel: string | null;
  politicalTheory: string | null;
  stateManagement: string | null;
  /** Start of RELEASED, for released members. */
  releasedOn: string | null;
  /** Date of the end state, for removed, expelled, resigned and deceased members. */
  leftOn: string | null;
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


/** One synthetic member, consistent with the lifecycle as of `today`. */
export function person(random: Random, options: { coTu: boolean; today: string; address?: string }): PersonSeed {
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
  const drawnBirthMs = joinedMs - (ageAtAdmission * 365.25 + random.int(0, 364)) * DAY;
  const joinedOn = isoDate(joinedMs);
  // The rule counts months (full 18 to full 60 years: lifecycle.ts, ADMISSION_AGE_MONTHS): a
  // birth drawn more than 60 years 0 months before the admission is moved to the day the member
  // turned 60, the smallest change that keeps the rule; no further number is drawn.
  const overAge = monthsBetween(isoDate(drawnBirthMs), joinedOn) > ADMISSION_AGE_MONTHS.max;
  const birthMs = overAge ? Date.parse(addMonths(joinedOn, -ADMISSION_AGE_MONTHS.max)) : drawnBirthMs;
  const dateOfBirth = isoDate(birthMs);
  // The weights below (status, occupation) go by the age as drawn, so a birth moved by the age
  // rule changes nothing else.
  const age = (today - drawnBirthMs) / (365.25 * DAY);
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

  const ethnicity = coTu ? CO_TU : random.chance(0.012) ? random.weighted(OTHER_ETHNICITIES) : KINH;
  const religion = coTu ? null : random.weighted(RELIGIONS);

  const birthYear = Number(dateOfBirth.slice(0, 4));
  const centuryDigit = (birthYear >= 2000 ? 2 : 0) + (male ? 0 : 1);
  const province = random.weighted(BIRTH_PROVINCES);
  const nationalIdPrefix = `${province}${centuryDigit}${dateOfBirth.slice(2, 4)}`;

  // A date between two dates (inclusive of the first), for releases and departures.
  const between = (from: string, toMs: number) => isoDate(Date.parse(from) + random.int(1, Math.max(1, Math.floor((toMs - Date.parse(from)) / DAY))) * DAY);
  let releasedOn: string | null = null;
  let leftOn: string | null = null;
  if (status === 'RELEASED' && officialOn) releasedOn = between(officialOn, today);
  if (['REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED'].includes(status) && officialOn) leftOn = between(officialOn, today);

  const occupation =
    age >= 60 ? random.weighted([['HUU_TRI', 85], ['LAO_DONG_TU_DO', 8], ['NONG_DAN', 7]] as const)
    : age < 23 ? random.weighted([['HOC_SINH_SINH_VIEN', 50], ['LUC_LUONG_VU_TRANG', 30], ['CONG_NHAN', 20]] as const)
    : random.weighted([
        ['CAN_BO_CONG_CHUC', 30], ['VIEN_CHUC', 25], ['LUC_LUONG_VU_TRANG', 8], ['DOANH_NGHIEP', 15], ['CONG_NHAN', 8],
        [options.coTu ? 'NONG_DAN' : 'LAO_DONG_TU_DO', 8], ['KHAC', 6],
      ] as const);
  const professionalLevel = random.weighted([
    ['DAI_HOC', 45], ['CAO_DANG', 8], ['TRUNG_CAP', 15], ['THAC_SI', 6], ['TIEN_SI', 0.8], [null, 25],
  ] as const);

  return {
    fullName,
    placeOfBirth: PROVINCE_NAMES[province],
    permanentAddress: `Tổ ${random.int(1, 60)}, ${options.address ?? 'Đà Nẵng'}`,
    phone: random.chance(0.9) ? `09${String(random.int(0, 99_999_999)).padStart(8, '0')}` : null,
    occupation,
    // The year as drawn, so a birth moved by the age rule above draws the same numbers.
    generalEducation: Number(isoDate(drawnBirthMs).slice(0, 4)) < 1960 && random.chance(0.4) ? '10/10' : random.chance(0.05) ? '9/12' : '12/12',
    professionalLevel,
    politicalTheory: random.weighted([['SO_CAP', 60], ['TRUNG_CAP', 20], ['CAO_CAP', 5], ['CU_NHAN', 1], [null, 14]] as const),
    stateManagement:
      occupation === 'CAN_BO_CONG_CHUC'
        ? random.weighted([['CHUYEN_VIEN', 50], ['CHUYEN_VIEN_CHINH', 15], ['CHUYEN_VIEN_CAO_CAP', 2], [null, 33]] as const)
        : null,
    releasedOn,
    leftOn,
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
