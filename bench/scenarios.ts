import fs from 'node:fs';
import path from 'node:path';
import { LARGEST_PROVINCE } from '../seeds/vietnam-tree';

/**
 * The benchmark's scenarios: the GraphQL request each sends (the same body goes to the API and
 * to the floor, which dispatches on the operation name), and the account it runs as.
 */
export type ScenarioId = 'S1' | 'S2' | 'S3' | 'S4D' | 'S4C' | 'S4P' | 'S4N' | 'S5';

/** Where a request's variables come from: none, a random card number, a statistics unit, or the next member to update. */
export type VariableSource = 'none' | 'card' | 'statistics' | 'update';

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** Demo account (docs/api.md) whose scope the scenario runs in; `trunguong`, the root's, is in nation-shaped datasets only. */
  account: 'haichau' | 'admin' | 'trunguong';
  /** Only on nation-shaped datasets (bench/seed.ts), which have units above the city. */
  nationOnly?: boolean;
  operationName: string;
  query: string;
  variables: VariableSource;
  /**
   * The same request for the peer (PostGraphile, bench/peer.ts): its own GraphQL body, written so
   * that its `data` is the API's (aliases, plain lists; cursors aside). Null: no peer request
   * returns the same thing (S4).
   */
  peer: { query: string } | null;
}

const MEMBER_PAGE_FIELDS = `totalCount edges { cursor node { id fullName gender dateOfBirth status partyCardNumber unit { id name } } } pageInfo { hasNextPage endCursor }`;

/**
 * The peer's member page: PostGraphile's connection in the API's default order (sort_name, then
 * id: the same columns and collation as the API's ORDER BY), the unit through the foreign key.
 */
const PEER_MEMBER_PAGE_FIELDS = `totalCount edges { cursor node { id fullName gender dateOfBirth status partyCardNumber unit: orgUnitByUnitId { id name } } } pageInfo { hasNextPage endCursor }`;
const PEER_MEMBER_ORDER = 'orderBy: [SORT_NAME_ASC, ID_ASC]';

/** The text S3 searches for: accent-free, as a user types it. */
export const S3_SEARCH = 'nguyen thi huong';

/** The reason S5's updates give (app.reason, in the audit events). */
export const S5_REASON = 'Benchmark: cập nhật số điện thoại';

/**
 * S4's slot. The statistics query is the reports' own: when the build has
 * `dist/bench/statistics-floor.js` (bench/statistics-floor.ts) exporting
 *   STATISTICS_SELECTION: string — the selection set under `statistics(unitId:, asOf:)` to ask for, and
 *   statisticsFloor(query: (text: string, values: unknown[]) => Promise<object[]>, unitId: string, asOf: string): Promise<object>
 *     — the `statistics` object the API returns for that selection, computed from plain SQL run through `query`,
 * S4 runs (district DN.HAICHAU and the city DN, as of a day of statisticsDates(); on a nation-shaped dataset also the
 * largest province and the root, as `trunguong`); otherwise it is skipped and the report says so.
 */
export interface StatisticsSql {
  STATISTICS_SELECTION: string;
  statisticsFloor(query: (text: string, values: unknown[]) => Promise<object[]>, unitId: string, asOf: string): Promise<object>;
}

/**
 * S4's dates: every day of 2016–2025, latest first, one picked at random per request, so that a
 * memo of earlier answers does not stand in for the computation the scenario is about.
 */
export function statisticsDates(): string[] {
  const dates: string[] = [];
  for (let day = Date.UTC(2025, 11, 31); day >= Date.UTC(2016, 0, 1); day -= 86_400_000) dates.push(new Date(day).toISOString().slice(0, 10));
  return dates;
}

export function loadStatisticsSql(): StatisticsSql | null {
  // Compiled layout: dist/bench/scenarios.js → dist/bench/statistics-floor.js.
  const file = path.join(__dirname, 'statistics-floor.js');
  if (!fs.existsSync(file)) return null;
  // The module may reach decorated classes (the reports' service), which need the metadata polyfill.
  require('reflect-metadata');
  const module = require(file) as Partial<StatisticsSql>;
  return typeof module.STATISTICS_SELECTION === 'string' && typeof module.statisticsFloor === 'function' ? (module as StatisticsSql) : null;
}

export function scenarios(statistics: StatisticsSql | null): Scenario[] {
  const list: Scenario[] = [
    {
      id: 'S1',
      title: 'District account (haichau) lists the first 50 members of its district, with their cells',
      account: 'haichau',
      operationName: 'S1',
      query: `query S1 { members(first: 50) { ${MEMBER_PAGE_FIELDS} } }`,
      variables: 'none',
      // Row-level security alone keeps the page in the account's district.
      peer: { query: `query S1 { members: allMembers(first: 50, ${PEER_MEMBER_ORDER}) { ${PEER_MEMBER_PAGE_FIELDS} } }` },
    },
    {
      id: 'S2',
      title: 'One member by party card number, with unit, posts, awards and ratings (admin, a random cadre)',
      account: 'admin',
      operationName: 'S2',
      query: `query S2($card: String!) { member(partyCardNumber: $card) { id fullName gender dateOfBirth status partyCardNumber joinedOn officialOn unit { id name } posts { id title startOn endOn termYears } awards { id kind name badgeYears awardedOn } ratings { year score category } } }`,
      variables: 'card',
      // Posts in the API's order (start, id; RLS keeps those the scope manages); the current awards and ratings (not superseded) by id.
      peer: {
        query:
          'query S2($card: String!) { member: memberByPartyCardNumber(partyCardNumber: $card) { id fullName gender dateOfBirth status partyCardNumber joinedOn officialOn ' +
          'unit: orgUnitByUnitId { id name } posts: postsByMemberIdList(orderBy: [START_ON_ASC, ID_ASC]) { id title startOn endOn termYears } ' +
          'awards: awardsByMemberIdList(condition: {supersededAt: null}, orderBy: ID_ASC) { id kind name badgeYears awardedOn } ' +
          'ratings: qualityRatingsByMemberIdList(condition: {supersededAt: null}, orderBy: ID_ASC) { year score category } } }',
      },
    },
    {
      id: 'S3',
      title: `Accent-insensitive name search "${S3_SEARCH}", first 20, city scope (admin)`,
      account: 'admin',
      operationName: 'S3',
      query: `query S3 { members(filter: {search: "${S3_SEARCH}"}, first: 20) { ${MEMBER_PAGE_FIELDS} } }`,
      variables: 'none',
      // The API's match (members.service.ts) with connection-filter's operators: the folded name
      // starts with the text or has a word starting with it (LIKE 'x%' / '% x%', wildcards escaped),
      // or the text is the card number or (admin reads sensitive fields) the national ID. S3_SEARCH
      // is already folded (hoso_fold: lower case, no accents), which the peer cannot call in a filter.
      peer: {
        query:
          `query S3 { members: allMembers(first: 20, ${PEER_MEMBER_ORDER}, filter: {or: [{searchName: {startsWith: "${S3_SEARCH}"}}, ` +
          `{searchName: {includes: " ${S3_SEARCH}"}}, {partyCardNumber: {equalTo: "${S3_SEARCH}"}}, {nationalId: {equalTo: "${S3_SEARCH}"}}]}) { ${PEER_MEMBER_PAGE_FIELDS} } }`,
      },
    },
  ];
  if (statistics) {
    const query = `query S4($unitId: ID!, $asOf: Date) { statistics(unitId: $unitId, asOf: $asOf) { ${statistics.STATISTICS_SELECTION} } }`;
    list.push(
      // No peer: the API's statistics object is assembled from several reporting queries and the
      // bands it is asked for; PostGraphile can only return hoso_unit_statistics' rows as they are.
      { id: 'S4D', title: 'Statistics of a district (Hải Châu) as of a random day of 2016–2025 (admin)', account: 'admin', operationName: 'S4', query, variables: 'statistics', peer: null },
      { id: 'S4C', title: 'Statistics of the whole city as of a random day of 2016–2025 (admin)', account: 'admin', operationName: 'S4', query, variables: 'statistics', peer: null },
      {
        id: 'S4P',
        title: `Statistics of the largest province (${LARGEST_PROVINCE.name}) as of a random day of 2016–2025 (trunguong; nation-shaped data)`,
        account: 'trunguong',
        nationOnly: true,
        operationName: 'S4',
        query,
        variables: 'statistics',
        peer: null,
      },
      {
        id: 'S4N',
        title: 'Statistics of the whole party (the root) as of a random day of 2016–2025 (trunguong; nation-shaped data)',
        account: 'trunguong',
        nationOnly: true,
        operationName: 'S4',
        query,
        variables: 'statistics',
        peer: null,
      },
    );
  }
  list.push({
    id: 'S5',
    title: 'updateMember (phone) of a random member of the district, audited (haichau)',
    account: 'haichau',
    operationName: 'S5',
    query: `mutation S5($input: UpdateMemberInput!) { updateMember(input: $input) { member { id version } userErrors { field message code } } }`,
    variables: 'update',
    // PostGraphile's generated update by primary key, setting the phone and the next version (it
    // has no optimistic lock: the version is not checked, only written); the reason goes in the
    // x-hoso-reason header, which the peer sets as app.reason for the audit trigger. Variables: peerVariables().
    peer: {
      query:
        'mutation S5($id: BigInt!, $phone: String!, $version: Int!) { updateMember: updateMemberById(input: {id: $id, memberPatch: {phone: $phone, version: $version}}) { member { id version } } }',
    },
  });
  return list;
}

/** The peer's variables for a request whose API variables are these (S5: the update's input spelled PostGraphile's way). */
export function peerVariables(scenario: ScenarioId, variables: Record<string, unknown>): Record<string, unknown> {
  if (scenario !== 'S5') return variables;
  const input = variables.input as { id: string; expectedVersion: number; phone: string };
  return { id: input.id, phone: input.phone, version: input.expectedVersion + 1 };
}

/** A phone number for the n-th update: a valid format, different each time. */
export function benchPhone(n: number): string {
  return `09${String(n % 100_000_000).padStart(8, '0')}`;
}
