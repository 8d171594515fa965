/**
 * What the interface offers each role: the server's table (src/access/capabilities.ts), copied
 * because that file is server code; test/web-capabilities.test.ts fails when the two differ.
 * Hiding a button is only courtesy: the API refuses whatever a role may not do.
 */
export type Capability = 'readRecords' | 'readSensitive' | 'changeRecords' | 'manageUnitsAndAccounts' | 'readStatistics' | 'readAudit' | 'importRecords';

export const CAPABILITIES: Record<string, readonly Capability[]> = {
  CITY_ADMIN: ['readRecords', 'readSensitive', 'changeRecords', 'manageUnitsAndAccounts', 'readStatistics', 'readAudit', 'importRecords'],
  ORG_STAFF: ['readRecords', 'readSensitive', 'changeRecords', 'readStatistics', 'importRecords'],
  COMMITTEE_VIEWER: ['readRecords', 'readStatistics'],
  REPORTER: ['readRecords', 'readStatistics'],
  AUDITOR: ['readAudit'],
};

export function can(role: string, capability: Capability): boolean {
  return CAPABILITIES[role]?.includes(capability) ?? false;
}
