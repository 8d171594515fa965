/**
 * What is sensitive personal data (docs/access.md, "Sensitive data"; Law 91/2025/QH15 and Decree
 * 356/2025): the one list. From it come the `readSensitive` lines of the permission table
 * (permissions.ts), the audit trail's redaction (src/audit/audit.service.ts) and the columns a
 * member export leaves out (src/reports/exports.ts). The access-matrix test keeps its own
 * independent oracle on purpose (test/support/matrix.ts).
 *
 * Pure: sensitive.test.ts beside it runs in milliseconds.
 */

/** Sensitive fields of a member record: the GraphQL field and the column it is stored in. */
export const SENSITIVE_MEMBER_FIELDS = [
  { field: 'nationalId', column: 'national_id' },
  { field: 'ethnicity', column: 'ethnicity' },
  { field: 'ethnicityCode', column: 'ethnicity' },
  { field: 'religion', column: 'religion' },
  { field: 'religionCode', column: 'religion' },
  { field: 'permanentAddress', column: 'permanent_address' },
  { field: 'temporaryAddress', column: 'temporary_address' },
  { field: 'phone', column: 'phone' },
  // Health data (serious illness, for an early badge) is sensitive under the same law.
  { field: 'seriousIllnessSince', column: 'serious_illness_since' },
  { field: 'seriousIllnessGround', column: 'serious_illness_ground' },
] as const;

/** Record kinds that are sensitive as a whole: GraphQL type, the Member field that lists them, the table (audit entity type). */
export const SENSITIVE_RECORD_KINDS = [
  { type: 'DisciplineRecord', memberField: 'disciplines', table: 'discipline' },
  { type: 'FamilyRelation', memberField: 'family', table: 'family_relation' },
] as const;

/**
 * Sensitive fields of other records (type, field, table, column): the ground of an early badge
 * tells of an illness; how a member left (a conviction, serious disunity) and the day a
 * conviction was expunged are criminal-record and political data.
 */
export const SENSITIVE_RECORD_FIELDS = [
  { type: 'Award', field: 'ground', table: 'award', column: 'ground' },
  { type: 'MemberStatusPeriod', field: 'cause', table: 'member_status_period', column: 'cause' },
  { type: 'MemberStatusPeriod', field: 'convictionExpungedOn', table: 'member_status_period', column: 'conviction_expunged_on' },
] as const;

/** The sensitive fields of one GraphQL type other than Member (permissions.ts). */
export function sensitiveFieldsOf(type: string): string[] {
  return SENSITIVE_RECORD_FIELDS.filter((f) => f.type === type).map((f) => f.field);
}

/** Member columns holding sensitive data (audit changes, exports). */
export const SENSITIVE_COLUMNS: ReadonlySet<string> = new Set(SENSITIVE_MEMBER_FIELDS.map((f) => f.column));

/** Tables (audit entity types) whose every change is sensitive. */
export const SENSITIVE_TABLES: ReadonlySet<string> = new Set(SENSITIVE_RECORD_KINDS.map((k) => k.table));

/** GraphQL types readable only with readSensitive. */
export const SENSITIVE_TYPES: readonly string[] = SENSITIVE_RECORD_KINDS.map((k) => k.type);

/** Member fields readable only with readSensitive: the sensitive values and the sensitive record lists. */
export const SENSITIVE_MEMBER_FIELD_NAMES: readonly string[] = [
  ...SENSITIVE_MEMBER_FIELDS.map((f) => f.field),
  ...SENSITIVE_RECORD_KINDS.map((k) => k.memberField),
];

/** Whether a change to this column of this table is sensitive (the audit trail's redaction). */
export function isSensitiveChange(table: string, column: string): boolean {
  return (
    SENSITIVE_TABLES.has(table) ||
    SENSITIVE_COLUMNS.has(column) ||
    SENSITIVE_RECORD_FIELDS.some((f) => f.table === table && f.column === column)
  );
}
