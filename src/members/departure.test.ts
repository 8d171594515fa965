import { describe, expect, it } from 'vitest';
import { CAUSES_BY_STATUS, DEPARTURE_CAUSES, READMISSION_BARRED_CAUSES, causeRefusal, readmissionByCause } from './departure';
import type { MemberStatus } from './member.entity';

const s = (status: string) => status as MemberStatus;

describe('the cause of a departure', () => {
  it('is required for an end state; death defaults to DEATH', () => {
    expect(causeRefusal(s('REMOVED'), null)).toMatch(/needs its cause/);
    expect(causeRefusal(s('RESIGNED'), undefined)).toMatch(/needs its cause/);
    expect(causeRefusal(s('DECEASED'), null)).toBeNull();
    expect(causeRefusal(s('REMOVED'), 'SELF_ABANDONMENT')).toBeNull();
  });
  it('must fit the way of leaving, and is not given for active states', () => {
    expect(causeRefusal(s('RESIGNED'), 'DISCIPLINE')).toMatch(/not a cause of RESIGNED/);
    expect(causeRefusal(s('DECEASED'), 'OTHER')).toMatch(/not a cause of DECEASED/);
    expect(causeRefusal(s('RELEASED'), 'OTHER')).toMatch(/only for leaving/);
    expect(causeRefusal(s('RELEASED'), null)).toBeNull();
  });
  it('every cause belongs to at least one way of leaving', () => {
    const used = new Set(Object.values(CAUSES_BY_STATUS).flat());
    expect(DEPARTURE_CAUSES.filter((c) => !used.has(c))).toEqual([]);
  });
});

describe('readmission by the cause of leaving (QĐ 294-QĐ/TW §3.5)', () => {
  const left = { status: s('REMOVED'), leftOn: '2020-03-15' };
  it('is barred after self-abandonment, voluntary resignation, disunity, corruption or a serious crime, whatever the wait', () => {
    expect(READMISSION_BARRED_CAUSES).toEqual(
      expect.arrayContaining(['SELF_ABANDONMENT', 'VOLUNTARY_RESIGNATION', 'SERIOUS_DISUNITY', 'CONVICTION_CORRUPTION', 'CONVICTION_SERIOUS']),
    );
    expect(readmissionByCause({ ...left, cause: 'SELF_ABANDONMENT' }, '2030-01-01')).toMatchObject({ ok: false, barred: true, field: 'departureCause' });
    expect(readmissionByCause({ ...left, status: s('RESIGNED'), cause: 'VOLUNTARY_RESIGNATION' }, '2030-01-01')).toMatchObject({ ok: false, barred: true });
  });
  it('is considered after resignation for special family hardship', () => {
    expect(readmissionByCause({ ...left, status: s('RESIGNED'), cause: 'SPECIAL_FAMILY_HARDSHIP' }, '2023-03-15')).toMatchObject({ ok: true });
  });
  it('after expulsion for another cause waits 36 months: 2020-03-15 → 2023-03-15', () => {
    const expelled = { status: s('EXPELLED'), leftOn: '2020-03-15', cause: 'DISCIPLINE' as const };
    expect(readmissionByCause(expelled, '2023-03-14')).toMatchObject({ ok: false, field: 'joinedOn', barred: false });
    expect(readmissionByCause(expelled, '2023-03-15')).toEqual({ ok: true, earliest: '2023-03-15' });
  });
  it('after a less serious conviction waits 60 months from the expungement, which must be given', () => {
    const convicted = { ...left, cause: 'CONVICTION_LESS_SERIOUS' as const };
    expect(readmissionByCause(convicted, '2030-01-01')).toMatchObject({ ok: false, field: 'convictionExpungedOn' });
    // Expunged 2021-06-10: 59 months later (2026-05-10) is too early, 60 months (2026-06-10) is the day.
    const expunged = { ...convicted, convictionExpungedOn: '2021-06-10' };
    const early = readmissionByCause(expunged, '2026-05-10');
    expect(early).toMatchObject({ ok: false, field: 'joinedOn' });
    expect(early.ok === false && early.message).toContain('2026-06-10');
    expect(readmissionByCause(expunged, '2026-06-10')).toEqual({ ok: true, earliest: '2026-06-10' });
  });
  it('asks for the cause when none was recorded', () => {
    expect(readmissionByCause({ ...left, cause: null }, '2030-01-01')).toMatchObject({ ok: false, field: 'departureCause', barred: false });
  });
});
