import type { Capability } from './capabilities';

/**
 * What it takes to use an operation or read a field: nothing ('public'), being signed in
 * ('signedIn'), or a capability of the role (capabilities.ts).
 */
export type Need = 'public' | 'signedIn' | Capability;

/**
 * Who may use which operation and field — one line each, to be read against ACCESS.md.
 * A type given one need applies it to all its fields (plumbing types only); record types list
 * every field. Anything not listed is denied, so a new field is closed until a line here opens
 * it. Row scope is not decided here: the data layer and row-level security do that.
 * Enforced by guard.ts.
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
  },
  Member: {
    id: 'readRecords',
    version: 'readRecords',
    partyCardNumber: 'readRecords',
    fullName: 'readRecords',
    gender: 'readRecords',
    dateOfBirth: 'readRecords',
    joinedOn: 'readRecords',
    officialOn: 'readRecords',
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
    readmittedOn: 'readRecords',
    statusHistory: 'readRecords',
    unitHistory: 'readRecords',
    statusOn: 'readRecords',
    unitOn: 'readRecords',
    partyAge: 'readRecords',
    // Sensitive personal data (ACCESS.md): CITY_ADMIN and ORG_STAFF only.
    nationalId: 'readSensitive',
    ethnicity: 'readSensitive',
    ethnicityCode: 'readSensitive',
    religion: 'readSensitive',
    religionCode: 'readSensitive',
    permanentAddress: 'readSensitive',
    temporaryAddress: 'readSensitive',
    phone: 'readSensitive',
  },
  MemberStatusPeriod: 'readRecords',
  MemberUnitPeriod: 'readRecords',
  OrgUnit: {
    id: 'signedIn',
    code: 'signedIn',
    name: 'signedIn',
    kind: 'signedIn',
    parent: 'signedIn',
    children: 'signedIn',
    members: 'readRecords',
  },
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
