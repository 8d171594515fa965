import { Role } from './roles';

/**
 * Roles → capabilities, line by line as in docs/access.md. Every permission check in the code asks
 * `can(role, capability)`; nothing else decides what a role may do.
 */
export type Capability =
  | 'readRecords' // list and open member records (non-sensitive fields)
  | 'readSensitive' // national ID, religion, ethnicity of a named person, discipline, family, addresses, phone
  | 'changeRecords' // member records, sub-records, lifecycle, transfers
  | 'manageUnitsAndAccounts'
  | 'readStatistics' // statistics and operational lists
  | 'readAudit' // audit history and its verification
  | 'importRecords'; // spreadsheet imports: upload (dry run), commit, undo, the stored files

const CAPABILITIES: Record<Role, readonly Capability[]> = {
  [Role.CITY_ADMIN]: ['readRecords', 'readSensitive', 'changeRecords', 'manageUnitsAndAccounts', 'readStatistics', 'readAudit', 'importRecords'],
  [Role.ORG_STAFF]: ['readRecords', 'readSensitive', 'changeRecords', 'readStatistics', 'importRecords'],
  [Role.COMMITTEE_VIEWER]: ['readRecords', 'readStatistics'],
  [Role.REPORTER]: ['readRecords', 'readStatistics'],
  [Role.AUDITOR]: ['readAudit'],
};

export function can(role: Role, capability: Capability): boolean {
  return CAPABILITIES[role].includes(capability);
}
