import { describe, expect, it } from 'vitest';
import { unitLifeRefusal } from './unit-life';

const ward = { name: 'Đảng bộ phường Thạch Thang', validFrom: null, validTo: '2025-07-01' };
const committee = { name: 'Đảng bộ phường Hải Châu', validFrom: '2025-07-01', validTo: null };

describe('unitLifeRefusal', () => {
  it('lets anything start in a unit that has neither begun late nor ended', () => {
    expect(unitLifeRefusal({ name: 'Chi bộ 1' }, '1990-01-01')).toBeNull();
    expect(unitLifeRefusal(committee, '2025-07-01')).toBeNull();
  });

  it('refuses a start on or after the day a unit ended, naming that day', () => {
    expect(unitLifeRefusal(ward, '2025-07-01')).toMatch(/ended on 2025-07-01/);
    expect(unitLifeRefusal(ward, '2026-11-30', '2026-12-01')).toMatch(/ended on 2025-07-01/);
  });

  it('refuses a start before the unit began', () => {
    expect(unitLifeRefusal(committee, '2025-06-30')).toMatch(/began on 2025-07-01/);
  });

  it('takes a past stretch inside an ended unit, but not one still running or running past its end', () => {
    expect(unitLifeRefusal(ward, '2020-05-01', '2025-07-01')).toBeNull();
    expect(unitLifeRefusal(ward, '2020-05-01', null)).toMatch(/must end by then/);
    expect(unitLifeRefusal(ward, '2020-05-01', '2025-08-01')).toMatch(/must end by then/);
  });
});
