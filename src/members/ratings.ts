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

