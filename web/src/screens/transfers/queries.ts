import { useEffect, useState } from 'react';
import { ApiError, request } from '../../api/client';
import { graphql, type ResultOf } from '../../api/graphql';

/** The documents of the lifecycle and transfer screens. */

/** The cause of a departure is sensitive (docs/access.md): asked for only by roles that may read it. */
export const LifecycleMember = graphql(`
  query LifecycleMember($id: ID!, $withCause: Boolean!) {
    member(id: $id) {
      id
      fullName
      partyCardNumber
      dateOfBirth
      status
      version
      joinedOn
      admissionCeremonyOn
      readmittedOn
      probationEndsOn
      officialOn
      leftOn
      transferredOutOn
      underReview
      unit { id code name }
      statusHistory {
        id
        status
        validFrom
        validTo
        cause @include(if: $withCause)
        reason
        decision { number date issuedBy }
      }
    }
  }
`);

export type LifecycleMemberData = NonNullable<ResultOf<typeof LifecycleMember>['member']>;

export const ConfirmOfficial = graphql(`
  mutation ConfirmOfficial($input: ConfirmOfficialInput!) {
    confirmOfficial(input: $input) { member { id status version } userErrors { code field message } }
  }
`);

export const ChangeMemberStatus = graphql(`
  mutation ChangeMemberStatus($input: ChangeMemberStatusInput!) {
    changeMemberStatus(input: $input) { member { id status version } userErrors { code field message } }
  }
`);

export const ReadmitMember = graphql(`
  mutation ReadmitMember($input: ReadmitMemberInput!) {
    readmitMember(input: $input) { member { id status version } userErrors { code field message } }
  }
`);

export const TransferMember = graphql(`
  mutation TransferMember($input: TransferMemberInput!) {
    transferMember(input: $input) {
      transfer { id status kind boundary toUnitName reportBy confirmedOn }
      userErrors { code field message }
    }
  }
`);

export const TransferList = graphql(`
  query TransferList($filter: TransferFilter, $after: String) {
    transfers(first: 20, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          version
          status
          kind
          boundary
          forStudy
          memberName
          memberPartyCardNumber
          memberDateOfBirth
          member { id }
          fromUnit { id code name }
          fromUnitName
          toUnit { id code name }
          toUnitName
          externalParty
          country
          issuedOn
          reportBy
          overdue
          confirmedOn
          arrivedLate
          lateReason
          cancelledOn
          cancelReason
          returnsOn
          returnedOn
          returnOverdue
          reason
          decision { number date issuedBy }
        }
      }
    }
  }
`);

export type TransferRow = ResultOf<typeof TransferList>['transfers']['edges'][number]['node'];

/** How many await arrival, and how many of them are past the 30 days: the inbox tab says both. */
export const InboxCounts = graphql(`
  query InboxCounts {
    waiting: transfers(first: 0, filter: { direction: INCOMING, status: [PENDING] }) { totalCount }
    late: transfers(first: 0, filter: { direction: INCOMING, status: [PENDING], overdue: true }) { totalCount }
  }
`);

export const ConfirmTransfer = graphql(`
  mutation ConfirmTransfer($input: ConfirmTransferInput!) {
    confirmTransfer(input: $input) { transfer { id status confirmedOn cancelledOn returnedOn toUnitName toUnit { id name } } userErrors { code field message } }
  }
`);

export const CancelTransfer = graphql(`
  mutation CancelTransfer($input: CancelTransferInput!) {
    cancelTransfer(input: $input) { transfer { id status confirmedOn cancelledOn returnedOn toUnitName toUnit { id name } } userErrors { code field message } }
  }
`);

export const RecordTransferReturn = graphql(`
  mutation RecordTransferReturn($input: RecordTransferReturnInput!) {
    recordTransferReturn(input: $input) { transfer { id status confirmedOn cancelledOn returnedOn toUnitName toUnit { id name } } userErrors { code field message } }
  }
`);

const CellsPage = graphql(`
  query CellsInScope($after: String) {
    units(kind: CELL, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id code name } }
    }
  }
`);

export interface Cell {
  id: string;
  code: string;
  name: string;
}

/**
 * Every cell of the account's scope (a ward has dozens, the city hundreds), in the API's order by
 * code, which keeps the cells of one former ward together; read page by page, at most 20 pages.
 */
export function useCellsInScope(skip = false): { cells: Cell[]; error: ApiError | null; loading: boolean } {
  const [state, setState] = useState<{ cells: Cell[]; error: ApiError | null; loading: boolean }>({ cells: [], error: null, loading: !skip });
  useEffect(() => {
    if (skip) return;
    let live = true;
    (async () => {
      const cells: Cell[] = [];
      let after: string | null = null;
      for (let page = 0; page < 20; page++) {
        const { units }: ResultOf<typeof CellsPage> = await request(CellsPage, { after });
        cells.push(...units.edges.map((edge) => edge.node));
        if (!units.pageInfo.hasNextPage || !units.pageInfo.endCursor) break;
        after = units.pageInfo.endCursor;
      }
      return cells;
    })().then(
      (cells) => live && setState({ cells, error: null, loading: false }),
      (error: unknown) => live && setState({ cells: [], error: error instanceof ApiError ? error : new ApiError(String(error), 'ERROR'), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [skip]);
  return state;
}
