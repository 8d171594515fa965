import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from './permissions';
import { SENSITIVE_COLUMNS, SENSITIVE_MEMBER_FIELD_NAMES, isSensitiveChange } from './sensitive';

describe('sensitive personal data', () => {
  it('are national ID, ethnicity, religion, addresses, phone, serious illness, discipline and family', () => {
    expect([...SENSITIVE_COLUMNS].sort()).toEqual([
      'ethnicity', 'national_id', 'permanent_address', 'phone', 'religion', 'serious_illness_ground', 'serious_illness_since', 'temporary_address',
    ]);
    expect([...SENSITIVE_MEMBER_FIELD_NAMES].sort()).toEqual([
      'disciplines', 'ethnicity', 'ethnicityCode', 'family', 'nationalId', 'permanentAddress', 'phone', 'religion', 'religionCode',
      'seriousIllnessGround', 'seriousIllnessSince', 'temporaryAddress',
    ]);
  });
  it('redact the audit trail by column or by whole record kind', () => {
    expect(isSensitiveChange('member', 'phone')).toBe(true);
    expect(isSensitiveChange('member', 'full_name')).toBe(false);
    expect(isSensitiveChange('discipline', 'grounds')).toBe(true);
    expect(isSensitiveChange('family_relation', 'full_name')).toBe(true);
    expect(isSensitiveChange('award', 'title')).toBe(false);
    expect(isSensitiveChange('award', 'ground')).toBe(true);
    expect(isSensitiveChange('member_status_period', 'cause')).toBe(true);
    expect(isSensitiveChange('member_status_period', 'conviction_expunged_on')).toBe(true);
    expect(isSensitiveChange('member_status_period', 'status')).toBe(false);
  });
  it("include how a member left and an early badge's ground, readable only with readSensitive", () => {
    expect(PERMISSIONS.Award).toMatchObject({ ground: 'readSensitive', name: 'readRecords' });
    expect(PERMISSIONS.MemberStatusPeriod).toMatchObject({ cause: 'readSensitive', convictionExpungedOn: 'readSensitive', status: 'readRecords' });
  });
  it('are exactly the Member fields and types the permission table gives readSensitive', () => {
    const member = PERMISSIONS.Member as Record<string, string>;
    expect(Object.keys(member).filter((f) => member[f] === 'readSensitive').sort()).toEqual([...SENSITIVE_MEMBER_FIELD_NAMES].sort());
    const types = Object.keys(PERMISSIONS).filter((t) => PERMISSIONS[t] === 'readSensitive');
    expect(types.sort()).toEqual(['DisciplineRecord', 'FamilyRelation']);
  });
});
