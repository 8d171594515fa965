import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BADGE_YEARS, BADGE_YEARS_SQL, ceremonyDaysText, highestBadge, isBadgeYears, isCeremonyDay, nextCeremony } from './party-badges';

describe('party badge years', () => {
  it('are 30, 40, then every 5 years to 90', () => {
    expect(BADGE_YEARS).toEqual([30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]);
    expect([30, 35, 45, 95].map(isBadgeYears)).toEqual([true, false, true, false]);
  });
  it('give the highest badge reached', () => {
    expect([29, 30, 39, 40, 44, 45, 89, 95].map(highestBadge)).toEqual([null, 30, 30, 40, 40, 45, 85, 90]);
  });
  it('are the database check of migration 4 (frozen), and the SQL array', () => {
    const migration = fs.readFileSync(path.join(__dirname, '..', '..', 'migrations', 'Migration20261126000004SubRecords.ts'), 'utf8');
    const listed = /badge_years in \(([\d, ]+)\)/.exec(migration)![1].split(',').map(Number);
    expect(listed).toEqual(BADGE_YEARS);
    expect(BADGE_YEARS_SQL).toBe('array[30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]');
  });
});

describe('ceremony days (3/2, 19/5, 2/9, 7/11)', () => {
  it('are recognised', () => {
    expect(['2027-02-03', '2027-05-19', '2027-09-02', '2027-11-07', '2027-02-02'].map(isCeremonyDay)).toEqual([true, true, true, true, false]);
    expect(ceremonyDaysText()).toBe('3/2, 19/5, 2/9 and 7/11');
  });
  it('give the next ceremony on or after a date', () => {
    expect(nextCeremony('2025-02-03')).toBe('2025-02-03');
    expect(nextCeremony('2025-02-04')).toBe('2025-05-19');
    expect(nextCeremony('2025-09-03')).toBe('2025-11-07');
    expect(nextCeremony('2025-11-08')).toBe('2026-02-03');
  });
});
