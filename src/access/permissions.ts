import type { Capability } from './capabilities';
import { SENSITIVE_MEMBER_FIELD_NAMES, SENSITIVE_TYPES, sensitiveFieldsOf } from './sensitive';

/** The same need for each name. */
function needs(names: readonly string[], need: Need): Record<string, Need> {
  return Object.fromEntries(names.map((name) => [name, need]));
}

/**
 * What it takes to use an operation or read a field: nothing ('public'), being signed in
 * ('signedIn'), or a capability of the role (capabilities.ts).
 */
export type Need = 'public' | 'signedIn' | Capability;

/**
 * Who may use which operation and field — one line each, to be read against docs/access.md.
 * A type given one need applies it to all its fields (plumbing types only); record types list
 * every field. Anything not listed is denied, so a new field is closed until a line here opens
 * it. Row scope is not decided here: the data layer and row-level security do that.
 * Enforced by graphql-shield (shield.ts).
 */
export const PERMISSIONS: Record<string, Need | Record<string, Need>> = {
  Query: {
    me: 'signedIn',
    // The unit tree is structure, not a record: every role may read the units of its subtree.
    unit: 'signedIn',
    units: 'signedIn',
    member: 'readRecords',
    members: 'readRecords',
    apiKeys: 'manageUnitsAndAccounts',
    catalogue: 'signedIn',
    transfers: 'readRecords',
    auditLog: 'readAudit',
    auditIntegrity: 'readAudit',
    // Counts and operational lists; the members they name show only the fields the role may read.
    statistics: 'readStatistics',
    flows: 'readStatistics',
    badgesDue: 'readStatistics',
    duplicateMembers: 'readStatistics',
    // Records to fix, named with the member: whoever may open those records (staff, committees,
    // reporting tools in scope). The checks over the discipline register run only for readSensitive.
    dataQualityIssues: 'readRecords',
    // Cadre records: posts managed at the caller's level or below (the scope filter does the rest).
    postsDueForReappointment: 'readRecords',
    // Imports: those who import (staff and the city's administrators), in their scope.
    importBatch: 'importRecords',
  },
  Mutation: {
    login: 'public',
    createApiKey: 'manageUnitsAndAccounts',
    revokeApiKey: 'manageUnitsAndAccounts',
    createMember: 'changeRecords',
    updateMember: 'changeRecords',
    changeMemberStatus: 'changeRecords',
    confirmOfficial: 'changeRecords',
    readmitMember: 'changeRecords',
    addSubRecord: 'changeRecords',
    correctSubRecord: 'changeRecords',
    voidSubRecord: 'changeRecords',
    transferMember: 'changeRecords',
    confirmTransfer: 'changeRecords',
    cancelTransfer: 'changeRecords',
    receiveTransferFromOutside: 'changeRecords',
    recordTransferReturn: 'changeRecords',
    commitImport: 'importRecords',
    undoImport: 'importRecords',
    appointToPost: 'changeRecords',
    endPost: 'changeRecords',
    addPlanningEntry: 'changeRecords',
    // Reorganisation of units (sáp nhập, chia tách…): staff of a committee within its scope, below
    // its own unit (the scope filter and row-level security decide which units), and the city.
    reorganiseUnits: 'changeRecords',
  },
  Member: {
    id: 'readRecords',
    version: 'readRecords',
    partyCardNumber: 'readRecords',
    fullName: 'readRecords',
    gender: 'readRecords',
    dateOfBirth: 'readRecords',
    joinedOn: 'readRecords',
    admissionCeremonyOn: 'readRecords',
    ageExceptionDecision: 'readRecords',
    officialOn: 'readRecords',
    probationEndsOn: 'readRecords',
    // Whether a CCCD is recorded, not the number: the list filter hasNationalId says as much.
    hasNationalId: 'readRecords',
    status: 'readRecords',
    unit: 'readRecords',
    birthName: 'readRecords',
    aliases: 'readRecords',
    placeOfBirth: 'readRecords',
    homeTown: 'readRecords',
    occupation: 'readRecords',
    generalEducation: 'readRecords',
    professionalLevel: 'readRecords',
    professionalField: 'readRecords',
    academicTitle: 'readRecords',
    politicalTheory: 'readRecords',
    stateManagement: 'readRecords',
    foreignLanguages: 'readRecords',
    itLevel: 'readRecords',
    admittedBy: 'readRecords',
    introducers: 'readRecords',
    underReview: 'readRecords',
    leftOn: 'readRecords',
    transferredOutOn: 'readRecords',
    readmittedOn: 'readRecords',
    statusHistory: 'readRecords',
    unitHistory: 'readRecords',
    statusOn: 'readRecords',
    unitOn: 'readRecords',
    partyAge: 'readRecords',
    workHistory: 'readRecords',
    training: 'readRecords',
    awards: 'readRecords',
    ratings: 'readRecords',
    posts: 'readRecords',
    planning: 'readRecords',
    history: 'readRecords',
    // Sensitive personal data (docs/access.md): CITY_ADMIN and ORG_STAFF only. The fields are
    // listed once, in sensitive.ts: nationalId, ethnicity(Code), religion(Code), permanentAddress,
    // temporaryAddress, phone, disciplines, family, seriousIllnessSince, seriousIllnessGround.
    ...needs(SENSITIVE_MEMBER_FIELD_NAMES, 'readSensitive'),
  },
  WorkHistoryEntry: 'readRecords',
  TrainingEntry: 'readRecords',
  Award: {
    ...needs(['id', 'version', 'kind', 'name', 'badgeYears', 'awardedOn', 'posthumous', 'note', 'decision', 'supersededAt', 'supersededBy', 'supersedeReason'], 'readRecords'),
    // ground: EARLY_ILLNESS tells of an illness (sensitive.ts).
    ...needs(sensitiveFieldsOf('Award'), 'readSensitive'),
  },
  QualityRating: 'readRecords',
  // DisciplineRecord, FamilyRelation (sensitive.ts).
  ...needs(SENSITIVE_TYPES, 'readSensitive'),
  SubRecordPayload: 'public',
  Transfer: 'readRecords',
  Post: 'readRecords',
  PlanningEntry: 'readRecords',
  PostPayload: 'public',
  PostConnection: 'public',
  PostEdge: 'public',
  // Reached only through auditLog (readAudit) or Member.history (readRecords); changes are redacted by role.
  AuditEvent: 'signedIn',
  AuditEventConnection: 'public',
  AuditEventEdge: 'public',
  AuditIntegrity: 'public',
  PlanningEntryPayload: 'public',
  TransferPayload: 'public',
  // An import's rows name members and their values (national IDs too): only for those who import.
  ImportBatch: 'importRecords',
  ImportRow: 'importRecords',
  ImportCounts: 'importRecords',
  ImportProblem: 'importRecords',
  ImportChange: 'importRecords',
  ImportBlocker: 'importRecords',
  ImportPayload: 'public',
  // Reached only through reorganiseUnits (changeRecords): counts and account names of the units it involves.
  ReorganiseUnitsPayload: 'public',
  Reorganisation: 'changeRecords',
  CreatedUnit: 'changeRecords',
  ReorganisationUnitReport: 'changeRecords',
  ReorganisationAccount: 'changeRecords',
  TransferConnection: 'public',
  TransferEdge: 'public',
  UnitStatistics: 'readStatistics',
  ChildUnitStatistics: 'readStatistics',
  StatisticsCount: 'readStatistics',
  UnitFlows: 'readStatistics',
  BadgeCandidate: 'readStatistics',
  BadgeCandidateConnection: 'public',
  BadgeCandidateEdge: 'public',
  DuplicateGroup: 'readStatistics',
  DuplicateGroupConnection: 'public',
  DuplicateGroupEdge: 'public',
  DataQualityIssue: 'readRecords',
  DataQualityRuleCount: 'readRecords',
  DataQualityIssueConnection: 'public',
  DataQualityIssueEdge: 'public',
  MemberStatusPeriod: {
    ...needs(['id', 'status', 'validFrom', 'validTo', 'decision', 'reason'], 'readRecords'),
    // cause, convictionExpungedOn: how a member left (sensitive.ts).
    ...needs(sensitiveFieldsOf('MemberStatusPeriod'), 'readSensitive'),
  },
  MemberUnitPeriod: 'readRecords',
  OrgUnit: {
    id: 'signedIn',
    code: 'signedIn',
    name: 'signedIn',
    kind: 'signedIn',
    parent: 'signedIn',
    children: 'signedIn',
    validFrom: 'signedIn',
    validTo: 'signedIn',
    // The reorganisations the unit took part in: structure and decisions, not members.
    lineage: 'signedIn',
    members: 'readRecords',
  },
  UnitLineage: 'signedIn',
  LineageStep: 'signedIn',
  LineageUnit: 'signedIn',
  Account: {
    id: 'signedIn',
    username: 'signedIn',
    role: 'signedIn',
    unit: 'signedIn',
  },
  ApiKey: 'manageUnitsAndAccounts',
  CreateApiKeyPayload: 'public',
  RevokeApiKeyPayload: 'public',
  // Plumbing types carry no data of their own: what they wrap has its own rules.
  LoginPayload: 'public',
  MemberPayload: 'public',
  CatalogueItem: 'public',
  Decision: 'public',
  PartyAge: 'public',
  UserError: 'public',
  PageInfo: 'public',
  MemberConnection: 'public',
  MemberEdge: 'public',
  OrgUnitConnection: 'public',
  OrgUnitEdge: 'public',
  ApiKeyConnection: 'public',
  ApiKeyEdge: 'public',
};
