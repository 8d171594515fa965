import { registerEnumType } from 'type-graphql';

/** The five roles (docs/access.md). What each may do is in capabilities.ts. */
export enum Role {
  CITY_ADMIN = 'CITY_ADMIN',
  ORG_STAFF = 'ORG_STAFF',
  COMMITTEE_VIEWER = 'COMMITTEE_VIEWER',
  REPORTER = 'REPORTER',
  AUDITOR = 'AUDITOR',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'What an account may do within its unit subtree (vai trò, phân quyền).',
  valuesConfig: {
    CITY_ADMIN: { description: 'City organisation department (Ban Tổ chức Thành ủy): everything, plus units and accounts.' },
    ORG_STAFF: { description: 'Organisation staff of a district or ward: full records, changes to records.' },
    COMMITTEE_VIEWER: { description: 'Committee leaders (cấp ủy): read records without sensitive fields.' },
    REPORTER: { description: 'Reporting tools (API key): statistics, lists, non-sensitive fields.' },
    AUDITOR: { description: 'Inspection (kiểm tra): audit history and its verification.' },
  },
});
