import { shield } from 'graphql-shield';
import { codedError } from '../graphql/errors';
import { allow, deny, has, isAuthenticated } from './rules';

/**
 * Who may use which operation and field — one line each, to be read against ACCESS.md.
 * Anything not listed is denied (fallbackRule), so a new field is closed until a line here
 * opens it. Row scope is not decided here: the data layer and row-level security do that.
 */
export const rules = {
  Query: {
    me: isAuthenticated,
    // The unit tree is structure, not a record: every role may read the units of its subtree.
    unit: isAuthenticated,
    units: isAuthenticated,
    member: has('readRecords'),
    members: has('readRecords'),
    apiKeys: has('manageUnitsAndAccounts'),
    catalogue: isAuthenticated,
  },
  Mutation: {
    login: allow,
    createApiKey: has('manageUnitsAndAccounts'),
    revokeApiKey: has('manageUnitsAndAccounts'),
    createMember: has('changeRecords'),
    updateMember: has('changeRecords'),
    changeMemberStatus: has('changeRecords'),
    confirmOfficial: has('changeRecords'),
    readmitMember: has('changeRecords'),
  },
  Member: {
    id: has('readRecords'),
    version: has('readRecords'),
    partyCardNumber: has('readRecords'),
    fullName: has('readRecords'),
    gender: has('readRecords'),
    dateOfBirth: has('readRecords'),
    joinedOn: has('readRecords'),
    officialOn: has('readRecords'),
    status: has('readRecords'),
    unit: has('readRecords'),
    birthName: has('readRecords'),
    aliases: has('readRecords'),
    placeOfBirth: has('readRecords'),
    homeTown: has('readRecords'),
    occupation: has('readRecords'),
    generalEducation: has('readRecords'),
    professionalLevel: has('readRecords'),
    professionalField: has('readRecords'),
    academicTitle: has('readRecords'),
    politicalTheory: has('readRecords'),
    stateManagement: has('readRecords'),
    foreignLanguages: has('readRecords'),
    itLevel: has('readRecords'),
    admittedBy: has('readRecords'),
    introducers: has('readRecords'),
    underReview: has('readRecords'),
    leftOn: has('readRecords'),
    readmittedOn: has('readRecords'),
    statusHistory: has('readRecords'),
    unitHistory: has('readRecords'),
    statusOn: has('readRecords'),
    unitOn: has('readRecords'),
    partyAge: has('readRecords'),
    // Sensitive personal data (ACCESS.md): CITY_ADMIN and ORG_STAFF only.
    nationalId: has('readSensitive'),
    ethnicity: has('readSensitive'),
    ethnicityCode: has('readSensitive'),
    religion: has('readSensitive'),
    religionCode: has('readSensitive'),
    permanentAddress: has('readSensitive'),
    temporaryAddress: has('readSensitive'),
    phone: has('readSensitive'),
  },
  MemberStatusPeriod: has('readRecords'),
  MemberUnitPeriod: has('readRecords'),
  OrgUnit: {
    id: isAuthenticated,
    code: isAuthenticated,
    name: isAuthenticated,
    kind: isAuthenticated,
    parent: isAuthenticated,
    children: isAuthenticated,
    members: has('readRecords'),
  },
  Account: {
    id: isAuthenticated,
    username: isAuthenticated,
    role: isAuthenticated,
    unit: isAuthenticated,
  },
  ApiKey: has('manageUnitsAndAccounts'),
  CreateApiKeyPayload: allow,
  RevokeApiKeyPayload: allow,
  // Plumbing types carry no data of their own: what they wrap has its own rules.
  LoginPayload: allow,
  MemberPayload: allow,
  CatalogueItem: allow,
  Decision: allow,
  PartyAge: allow,
  UserError: allow,
  PageInfo: allow,
  MemberConnection: allow,
  MemberEdge: allow,
  OrgUnitConnection: allow,
  OrgUnitEdge: allow,
  ApiKeyConnection: allow,
  ApiKeyEdge: allow,
};

export const permissions = shield(rules, {
  fallbackRule: deny,
  // Domain errors (NOT_FOUND, BAD_USER_INPUT, ...) thrown by resolvers reach the client as they are.
  allowExternalErrors: true,
  fallbackError: () => codedError('FORBIDDEN', 'Your role does not allow this.'),
  debug: false,
});
