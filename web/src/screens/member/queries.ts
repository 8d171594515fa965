import { graphql } from '../../api/graphql';

/**
 * The documents of a member's file and its editing form.
 *
 * The sensitive fields (docs/access.md) are asked for in a query of their own, sent only for
 * roles that may read them: the API answers a field a role may not read with null *and* a
 * FORBIDDEN error, which would fail the whole screen, and every read of them is recorded
 * (READ_SENSITIVE) in the member's history, so they are not read when they will not be shown.
 */

/** Lý lịch: everything of the file that every role reading records may see. */
export const MemberFileQuery = graphql(`
  query MemberFile($id: ID!, $asOf: DateTime, $partyAgeOn: Date) {
    member(id: $id, asOf: $asOf) {
      id
      version
      fullName
      birthName
      aliases
      gender
      dateOfBirth
      placeOfBirth
      homeTown
      partyCardNumber
      status
      joinedOn
      admissionCeremonyOn
      officialOn
      readmittedOn
      leftOn
      transferredOutOn
      underReview
      admittedBy
      introducers
      ageExceptionDecision { number date issuedBy }
      partyAge(on: $partyAgeOn) { years months }
      unit { id code name }
      occupation { code label }
      generalEducation
      professionalLevel { code label }
      professionalField
      academicTitle { code label }
      politicalTheory { code label }
      stateManagement { code label }
      foreignLanguages
      itLevel
      statusHistory { id status validFrom validTo reason decision { number date issuedBy } }
      unitHistory { id unit { id code name } validFrom validTo reason decision { number date issuedBy } }
      workHistory { id fromDate toDate organisation position note decision { number date issuedBy } }
      training { id fromDate toDate institution programme qualification note decision { number date issuedBy } }
      awards { id kind name badgeYears awardedOn posthumous note decision { number date issuedBy } }
      ratings { id year category score note decision { number date issuedBy } }
      posts { id title unit { id name } startOn endOn termYears reappointmentDue reason decision { number date issuedBy } }
      planning { id postTitle periodStart periodEnd unit { id name } reason decision { number date issuedBy } }
    }
  }
`);

/** The sensitive part of the file (CITY_ADMIN, ORG_STAFF). */
export const MemberSensitiveQuery = graphql(`
  query MemberFileSensitive($id: ID!, $asOf: DateTime) {
    member(id: $id, asOf: $asOf) {
      id
      nationalId
      ethnicity
      religion
      permanentAddress
      temporaryAddress
      phone
      seriousIllnessSince
      seriousIllnessGround
      disciplines { id decidedOn form grounds note decision { number date issuedBy } }
      family { id relation fullName birthYear occupation address note }
    }
  }
`);

/** The member's history, newest first, a page at a time. */
export const MemberHistoryQuery = graphql(`
  query MemberHistory($id: ID!, $after: String) {
    member(id: $id) {
      id
      history(first: 50, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          node {
            id
            action
            at
            entityType
            entityId
            reason
            changes
            apiKeyId
            actor { id username }
          }
        }
      }
    }
  }
`);

/** What the editing form shows and sends back: the fields of UpdateMemberInput, with the version read. */
export const MemberEditQuery = graphql(`
  query MemberEdit($id: ID!) {
    member(id: $id) {
      id
      version
      fullName
      birthName
      aliases
      gender
      dateOfBirth
      placeOfBirth
      homeTown
      ethnicityCode
      ethnicity
      religionCode
      religion
      nationalId
      permanentAddress
      temporaryAddress
      phone
      partyCardNumber
      admittedBy
      introducers
      underReview
      occupation { code label }
      generalEducation
      professionalLevel { code label }
      professionalField
      academicTitle { code label }
      politicalTheory { code label }
      stateManagement { code label }
      foreignLanguages
      itLevel
      seriousIllnessSince
      seriousIllnessGround
    }
  }
`);

/** The catalogues the coded fields take their values from, in official order. */
export const CataloguesQuery = graphql(`
  query MemberEditCatalogues {
    ethnicGroups: catalogue(kind: ETHNIC_GROUP) { code label }
    religions: catalogue(kind: RELIGION) { code label }
    occupations: catalogue(kind: OCCUPATION) { code label }
    professionalLevels: catalogue(kind: PROFESSIONAL_LEVEL) { code label }
    academicTitles: catalogue(kind: ACADEMIC_TITLE) { code label }
    politicalTheories: catalogue(kind: POLITICAL_THEORY) { code label }
    stateManagements: catalogue(kind: STATE_MANAGEMENT) { code label }
  }
`);

export const UpdateMemberMutation = graphql(`
  mutation UpdateMember($input: UpdateMemberInput!) {
    updateMember(input: $input) {
      member { id version }
      userErrors { code field message }
      warnings { code field message }
    }
  }
`);
