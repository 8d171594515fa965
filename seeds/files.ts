import { addMonths, type PersonSeed } from './people';
import type { Random } from './random';
import { BADGE_YEARS, nextCeremony } from '../src/members/party-badges';
import { RATING_CATEGORIES, RATING_DEFAULTS, ratingCategoryFor } from '../src/members/ratings';

/**
 * The sub-records of a synthetic member's file: work history, training, party badges as the
 * rules would have given them, yearly ratings, now and then a discipline, and family.
 */
export interface FileSeed {
  work: [string, string | null, string, string][]; // from, to, position, organisation
  training: [string, string, string, string, string | null][]; // from, to, institution, programme, qualification
  badges: [number, string, boolean][]; // years, awarded on, posthumous
  ratings: [number, number, string][]; // year, score, category
  disciplines: [string, string, string][]; // form, decided on, grounds (the caller adds the decision, dated that day)
  family: [string, string, number][]; // relation, full name, birth year
}

// Badge years, ceremony days (3/2, 19/5, 2/9, 7/11) and rating categories: the app's own rules.

const POSITIONS = ['Chuyên viên', 'Cán sự', 'Phó Trưởng phòng', 'Trưởng phòng', 'Giáo viên', 'Kỹ sư', 'Bác sĩ', 'Công nhân', 'Nhân viên'];
const ORGANISATIONS = ['UBND phường', 'Trường THCS', 'Bệnh viện Đà Nẵng', 'Công ty cổ phần', 'Sở Giáo dục và Đào tạo', 'Ban Chỉ huy quân sự', 'Hợp tác xã', 'Cảng Đà Nẵng'];

export function file(random: Random, p: PersonSeed, today: string): FileSeed {
  const work: FileSeed['work'] = [];
  const start = addMonths(p.dateOfBirth, 12 * random.int(18, 24));
  // A demo, not a census: full work and training history for some members, enough to look real.
  if (start < today && random.chance(0.4)) {
    const change = addMonths(start, 12 * random.int(3, 15));
    const org = random.pick(ORGANISATIONS);
    if (change < today && random.chance(0.6)) {
      work.push([start, change, random.pick(POSITIONS), org]);
      work.push([change, p.occupation === 'HUU_TRI' ? addMonths(p.dateOfBirth, 12 * 60) : null, random.pick(POSITIONS), random.pick(ORGANISATIONS)]);
    } else {
      work.push([start, null, random.pick(POSITIONS), org]);
    }
  }
  const training: FileSeed['training'] = [];
  if (p.politicalTheory && p.joinedOn < today && random.chance(0.3)) {
    const from = addMonths(p.joinedOn, random.int(6, 60));
    if (from < today) {
      const to = addMonths(from, p.politicalTheory === 'SO_CAP' ? 2 : 18);
      training.push([from, to < today ? to : today, 'Trường Chính trị thành phố Đà Nẵng', 'Lý luận chính trị', p.politicalTheory === 'SO_CAP' ? 'Sơ cấp' : 'Trung cấp']);
    }
  }
  // Party age runs from admission until leaving (the seed has no readmissions, so no gaps).
  const until = p.leftOn ?? today;
  const badges: FileSeed['badges'] = [];
  for (const years of BADGE_YEARS) {
    const reached = addMonths(p.joinedOn, 12 * years);
    if (reached > until) break;
    const awarded = nextCeremony(reached);
    if (awarded > today) continue;
    // Nothing is awarded on or after the day of leaving, except posthumously to the dead
    // (lifecycle.ts, refusalAfterLeaving): a member who died before the ceremony is awarded
    // posthumously; one who left otherwise is not awarded.
    const afterLeaving = p.leftOn !== null && awarded >= p.leftOn;
    if (afterLeaving && p.status !== 'DECEASED') continue;
    badges.push([years, awarded, afterLeaving]);
  }
  const ratings: FileSeed['ratings'] = [];
  if (p.status === 'PROBATIONARY' || p.status === 'OFFICIAL') {
    for (const year of [2025]) {
      if (`${year}-12-31` < p.joinedOn) continue;
      const score = Math.min(100, Math.max(35, Math.round(78 + (random.next() - 0.5) * 40)));
      ratings.push([year, score, ratingCategoryFor(score)]);
    }
  }
  const disciplines: FileSeed['disciplines'] = [];
  if (random.chance(0.006) && p.officialOn && p.officialOn < today) {
    disciplines.push([random.pick(['REPRIMAND', 'WARNING']), addMonths(p.officialOn, random.int(1, 24)), 'Vi phạm quy định sinh hoạt chi bộ']);
    // Not in the future, and discipline is for members: not on or after the day of leaving.
    if (disciplines[0][1] > today || (p.leftOn && disciplines[0][1] >= p.leftOn)) disciplines.pop();
  }
  // A member disciplined in a year is rated no higher than the cap (ratings.ts, RATING_DEFAULTS:
  // KHONG_HOAN_THANH): the score drawn is lowered to the cap's range, nothing else drawn.
  const cap = RATING_CATEGORIES.findIndex((c) => c.category === RATING_DEFAULTS.disciplinedCap);
  const capScore = cap > 0 ? RATING_CATEGORIES[cap - 1].minScore - 1 : 100;
  for (const rating of ratings) {
    if (disciplines.some(([, on]) => Number(on.slice(0, 4)) === rating[0]) && rating[1] > capScore) {
      rating[1] = capScore;
      rating[2] = ratingCategoryFor(capScore);
    }
  }
  const family: FileSeed['family'] = [];
  if (random.chance(0.15)) {
    const surname = p.fullName.split(' ')[0];
    family.push(['Cha', `${surname} Văn ${random.pick(['Hùng', 'Minh', 'Sơn', 'Tâm'])}`, Number(p.dateOfBirth.slice(0, 4)) - random.int(22, 35)]);
    family.push(['Mẹ', `${random.pick(['Nguyễn', 'Trần', 'Lê'])} Thị ${random.pick(['Hoa', 'Lan', 'Mai', 'Hương'])}`, Number(p.dateOfBirth.slice(0, 4)) - random.int(20, 32)]);
  }
  return { work, training, badges, ratings, disciplines, family };
}
