import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from './permissions';
import { SENSITIVE_COLUMNS, SENSITIVE_MEMBER_FIELD_NAMES, isSensitiveChange } from './sensitive';

describe('sensitive personal data', () => {
  it('are national ID, ethnicity, religion, addresses, phone, discipline and family', () => {
    expect([...SENSITIVE_COLUMNS].sort()).toEqual(['ethnicity', 'national_id', 'permanent_address', 'phone', 'religion', 'temporary_address']);
    expect([...SENSITIVE_MEMBER_FIELD_NAMES].sort()).toEqual([
      'disciplines', 'ethnicity', 'ethnicityCode', 'family', 'nationalId', 'permanentAddress', 'phone', 'religion', 'religionCode', 'temporaryAddress',
    ]);
  });
  it('redact the audit trail by column or by whole record kind', () => {
    expect(isSensitiveChange('member', 'phone')).toBe(true);
    expect(isSensitiveChange('member', 'full_name')).toBe(false);
    expect(isSensitiveChange('discipline', 'grounds')).toBe(true);
    expect(isSensitiveChange('family_relation', 'full_name')).toBe(true);
    expect(isSensitiveChange('award', 'title')).toBe(false);
  });
  it('are exactly the Member fields and types the permission table gives readSensitive', () => {
    const member = PERMISSIONS.Member as Record<string, string>;
    expect(Object.keys(member).filter((f) => member[f] === 'readSensitive').sort()).toEqual([...SENSITIVE_MEMBER_FIELD_NAMES].sort());
    const types = Object.keys(PERMISSIONS).filter((t) => PERMISSIONS[t] === 'readSensitive');
    expect(types.sort()).toEqual(['DisciplineRecord', 'FamilyRelation']);
  });
});
