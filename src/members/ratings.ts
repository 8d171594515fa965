import { ConfigError, ruleSettings, type Config } from '../config';
import type { MemberStatus } from './member.entity';
import type { RatingCategory } from './sub-records.entity';

/**
 * The yearly quality rating's categories on the 100-point scale of QĐ 366-QĐ/TW (docs/domain.md,
 * "Quality ratings"): a category from its lowest score, highest first. The one definition in
 * TypeScript: the service's check (categoryForScore in sub-records.entity.ts calls it) and the
 * demo and benchmark data. The database's check on quality_rating (migration 4, frozen) repeats
 * the thresholds; ratings.test.ts holds the two together by reading that check's text.
 *
 * Pure (the category enum is imported as a type only), so ratings.test.ts runs in milliseconds.
 */
export const RATING_CATEGORIES: readonly { category: RatingCategory; minScore: number }[] = [
  { category: 'XUAT_SAC' as RatingCategory.XUAT_SAC, minScore: 90 },
  { category: 'TOT' as RatingCategory.TOT, minScore: 70 },
  { category: 'HOAN_THANH' as RatingCategory.HOAN_THANH, minScore: 50 },
  { category: 'KHONG_HOAN_THANH' as RatingCategory.KHONG_HOAN_THANH, minScore: 0 },
];

/** The category a score falls in. */
export function ratingCategoryFor(score: number): RatingCategory {
  return RATING_CATEGORIES.find((c) => score >= c.minScore)?.category ?? RATING_CATEGORIES[RATING_CATEGORIES.length - 1].category;
}


/** One status period of a member, [validFrom, validTo): the dated history ratings are checked against. */
export interface RatingStatusPeriod {
  status: MemberStatus;
  validFrom: string;
  validTo?: string | null;
}

/**
 * The department's figures for ratings (HOSO_RULES_FILE section "ratings"). `disciplinedCap`: the
 * highest category for a member disciplined in the year rated. Older guidance puts it at "not
 * completed" (KHONG_HOAN_THANH); QĐ 366-QĐ/TW has not been checked on this point, so it is a
 * setting (XUAT_SAC turns the rule off).
 */
export interface RatingSettings {
  disciplinedCap: string;
}
export const RATING_DEFAULTS: RatingSettings = { disciplinedCap: 'KHONG_HOAN_THANH' };

/** The settings checked: the cap must be a category (ruleSettings checks only the type). */
export function checkedRatingSettings(settings: RatingSettings): RatingSettings {
  if (!RATING_CATEGORIES.some((c) => c.category === settings.disciplinedCap)) {
    throw new ConfigError(`HOSO_RULES_FILE ratings.disciplinedCap must be one of ${RATING_CATEGORIES.map((c) => c.category).join(', ')}, got "${settings.disciplinedCap}".`);
  }
  return settings;
}

/** The department's rating settings (HOSO_RULES_FILE section "ratings") over the defaults, checked. */
export function ratingSettings(config: Pick<Config, 'ruleOverrides'>): RatingSettings {
  return checkedRatingSettings(ruleSettings(config, 'ratings', RATING_DEFAULTS));
}

/** A refusal of a rating: the field at fault under the rating input, and why. */
export interface RatingRefusal {
  field: 'year' | 'score' | 'category';
  message: string;
}

const ACTIVE = ['PROBATIONARY', 'OFFICIAL', 'RELEASED'];

/** The active periods that share at least one day with the year (periods are [validFrom, validTo)). */
function activePeriodsIn(periods: readonly RatingStatusPeriod[], year: number): RatingStatusPeriod[] {
  const first = `${year}-01-01`;
  const next = `${year + 1}-01-01`;
  return periods
    .filter((p) => ACTIVE.includes(p.status) && p.validFrom < next && (!p.validTo || p.validTo > first))
    .sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
}

/**
 * Who may be rated for a year, and how high (docs/domain.md, "Quality ratings"):
 * - only a year of membership: the member was on the rolls (PROBATIONARY, OFFICIAL or RELEASED)
 *   on at least one day of it, from the dated status periods, so a year before admission, or one
 *   spent wholly outside the party between leaving and readmission, is refused;
 * - members released from activities (miễn công tác và sinh hoạt đảng) are not rated: refused
 *   when the member's last status of the year on the rolls is RELEASED, that is at the year's end
 *   (when the cell rates) or when the membership of that year ended. A member released for part
 *   of the year and back at work by its end is rated;
 * - a member disciplined in the year (a current discipline decided in it) is not rated above
 *   `settings.disciplinedCap`.
 * The score and category must already agree (ratingCategoryFor); `category` is the one stored.
 */
export function ratingRefusals(
  rating: { year: number; score?: number | null; category: RatingCategory },
  periods: readonly RatingStatusPeriod[],
  disciplinesDecidedOn: readonly string[],
  settings: RatingSettings,
): RatingRefusal[] {
  const inYear = activePeriodsIn(periods, rating.year);
  if (!inYear.length) return [{ field: 'year', message: `The member was not on the rolls in ${rating.year}: only years of membership are rated.` }];
  if (inYear[inYear.length - 1].status === ('RELEASED' as MemberStatus)) {
    return [{ field: 'year', message: `The member was released from activities (miễn công tác và sinh hoạt đảng) at the end of ${rating.year}: released members are not rated.` }];
  }
  const disciplined = disciplinesDecidedOn.some((d) => Number(d.slice(0, 4)) === rating.year);
  const rank = (c: string) => RATING_CATEGORIES.findIndex((r) => r.category === c);
  if (disciplined && rank(rating.category) < rank(settings.disciplinedCap)) {
    return [{
      field: rating.score === null || rating.score === undefined ? 'category' : 'score',
      message: `The member was disciplined in ${rating.year}: the rating for that year is at most ${settings.disciplinedCap}.`,
    }];
  }
  return [];
}
