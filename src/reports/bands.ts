/**
 * The statistics bands of the forms (docs/domain.md, "Statistics and reports"): age bands (độ
 * tuổi) and party-age bands (tuổi đảng), each as keys with their lowest age in completed years
 * and the form's label, in the order forms print them. The one definition: the labels of
 * `statistics` (labels.ts), and the SQL count, which receives the lower bounds and keys as
 * parameters (`hoso_unit_statistics(unit, asOf, …bandsSqlArgs())`, migration 17), so the
 * database never holds a copy of the figures.
 *
 * Pure: bands.test.ts beside it runs in milliseconds.
 */
export interface Band {
  key: string;
  /** Lowest age in the band, completed years on the date. */
  from: number;
  label: string;
}

export const AGE_BANDS = [
  { key: 'UP_TO_30', from: 0, label: 'Từ 30 tuổi trở xuống' },
  { key: 'FROM_31_TO_40', from: 31, label: 'Từ 31 đến 40 tuổi' },
  { key: 'FROM_41_TO_50', from: 41, label: 'Từ 41 đến 50 tuổi' },
  { key: 'FROM_51_TO_60', from: 51, label: 'Từ 51 đến 60 tuổi' },
  { key: 'FROM_61_TO_70', from: 61, label: 'Từ 61 đến 70 tuổi' },
  { key: 'OVER_70', from: 71, label: 'Trên 70 tuổi' },
] as const satisfies readonly Band[];

/** Party age counts only the time in the party (see partyAge in src/members/lifecycle.ts). */
export const PARTY_AGE_BANDS = [
  { key: 'UNDER_10', from: 0, label: 'Dưới 10 năm' },
  { key: 'FROM_10_TO_19', from: 10, label: 'Từ 10 đến dưới 20 năm' },
  { key: 'FROM_20_TO_29', from: 20, label: 'Từ 20 đến dưới 30 năm' },
  { key: 'FROM_30_TO_39', from: 30, label: 'Từ 30 đến dưới 40 năm' },
  { key: 'FROM_40_TO_49', from: 40, label: 'Từ 40 đến dưới 50 năm' },
  { key: 'FROM_50', from: 50, label: 'Từ 50 năm trở lên' },
] as const satisfies readonly Band[];

/** The band an age in completed years falls in (the last band whose lowest age it reaches). */
export function bandOf<B extends Band>(bands: readonly B[], years: number): B['key'] {
  let found: B | undefined;
  for (const band of bands) if (years >= band.from) found = band;
  if (!found) throw new RangeError(`No band holds ${years} years.`);
  return found.key;
}

/** key → label, in the bands' order: the fixed categories of a breakdown. */
export function bandLabels<B extends Band>(bands: readonly B[]): Record<B['key'], string> {
  return Object.fromEntries(bands.map((b) => [b.key, b.label])) as Record<B['key'], string>;
}

/**
 * The band parameters of hoso_unit_statistics, after the unit and the date: age bands' lowest
 * ages and keys, then the party-age bands' (each ascending, as the SQL's width_bucket needs).
 * Written as PostgreSQL array literals: the ORM would spread a JavaScript array into a list.
 */
export function bandsSqlArgs(): [string, string, string, string] {
  const array = (values: readonly (string | number)[]) => `{${values.join(',')}}`;
  return [
    array(AGE_BANDS.map((b) => b.from)), array(AGE_BANDS.map((b) => b.key)),
    array(PARTY_AGE_BANDS.map((b) => b.from)), array(PARTY_AGE_BANDS.map((b) => b.key)),
  ];
}

/** The call of the statistics function with its band parameters, for `?` or `$n` placeholders. */
export function statisticsCallSql(placeholder: (n: number) => string): string {
  return `select * from hoso_unit_statistics(${placeholder(1)}, ${placeholder(2)}, ${placeholder(3)}::int[], ${placeholder(4)}::text[], ${placeholder(5)}::int[], ${placeholder(6)}::text[])`;
}
