import { describe, expect, it } from 'vitest';
import { yearsBetween } from '../members/lifecycle';
import { AGE_BANDS, PARTY_AGE_BANDS, bandLabels, bandOf, bandsSqlArgs, statisticsCallSql } from './bands';
import { SNAPSHOT_BANDS } from '../../migrations/Migration20261130000033StatisticsCounts';
import { AGE_BAND_LABELS, PARTY_AGE_BAND_LABELS } from './labels';

describe('age bands', () => {
  it('put each edge in its band', () => {
    const ages = [18, 30, 31, 40, 41, 50, 51, 60, 61, 70, 71, 99];
    expect(ages.map((a) => bandOf(AGE_BANDS, a))).toEqual([
      'UP_TO_30', 'UP_TO_30', 'FROM_31_TO_40', 'FROM_31_TO_40', 'FROM_41_TO_50', 'FROM_41_TO_50',
      'FROM_51_TO_60', 'FROM_51_TO_60', 'FROM_61_TO_70', 'FROM_61_TO_70', 'OVER_70', 'OVER_70',
    ]);
  });
  it('count the age exactly on the date', () => {
    expect(bandOf(AGE_BANDS, yearsBetween('1994-12-31', '2025-12-30'))).toBe('UP_TO_30');
    expect(bandOf(AGE_BANDS, yearsBetween('1994-12-31', '2025-12-31'))).toBe('FROM_31_TO_40');
  });
});

describe('party-age bands', () => {
  it('put each edge in its band', () => {
    expect([0, 9, 10, 19, 20, 29, 30, 39, 40, 49, 50, 70].map((a) => bandOf(PARTY_AGE_BANDS, a))).toEqual([
      'UNDER_10', 'UNDER_10', 'FROM_10_TO_19', 'FROM_10_TO_19', 'FROM_20_TO_29', 'FROM_20_TO_29',
      'FROM_30_TO_39', 'FROM_30_TO_39', 'FROM_40_TO_49', 'FROM_40_TO_49', 'FROM_50', 'FROM_50',
    ]);
  });
});

describe('the bands given to SQL and to the labels', () => {
  it('are the lowest ages in ascending order with their keys', () => {
    expect(bandsSqlArgs()).toEqual([
      '{0,31,41,51,61,71}',
      '{UP_TO_30,FROM_31_TO_40,FROM_41_TO_50,FROM_51_TO_60,FROM_61_TO_70,OVER_70}',
      '{0,10,20,30,40,50}',
      '{UNDER_10,FROM_10_TO_19,FROM_20_TO_29,FROM_30_TO_39,FROM_40_TO_49,FROM_50}',
    ]);
    expect(statisticsCallSql((n) => `$${n}`)).toBe('select * from hoso_unit_statistics($1, $2, $3::int[], $4::text[], $5::int[], $6::text[])');
  });
  it('label the breakdowns in the same order', () => {
    expect(Object.keys(AGE_BAND_LABELS)).toEqual(AGE_BANDS.map((b) => b.key));
    expect(PARTY_AGE_BAND_LABELS).toEqual(bandLabels(PARTY_AGE_BANDS));
    expect(AGE_BAND_LABELS.OVER_70).toBe('Trên 70 tuổi');
  });
});

describe('the bands of the statistics snapshots (migration 33)', () => {
  it('are the bands of the code: bands changed here need a migration calling hoso_statistics_setup with them, or statistics fall back to counting every fact', () => {
    expect(SNAPSHOT_BANDS).toEqual({
      ageFrom: AGE_BANDS.map((b) => b.from),
      ageKeys: AGE_BANDS.map((b) => b.key),
      partyAgeFrom: PARTY_AGE_BANDS.map((b) => b.from),
      partyAgeKeys: PARTY_AGE_BANDS.map((b) => b.key),
    });
  });
});
