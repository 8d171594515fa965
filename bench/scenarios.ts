import fs from 'node:fs';
import path from 'node:path';

/**
 * The benchmark's scenarios: the GraphQL request each sends (the same body goes to the API and
 * to the floor, which dispatches on the operation name), and the account it runs as.
 */
export type ScenarioId = 'S1' | 'S2' | 'S3' | 'S4D' | 'S4C' | 'S5';

/** Where a request's variables come from: none, a random card number, a statistics unit, or the next member to update. */
export type VariableSource = 'none' | 'card' | 'statistics' | 'update';

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** Demo account (docs/api.md) whose scope the scenario runs in. */
  account: 'haichau' | 'admin';
  operationName: string;
  query: string;
  variables: VariableSource;
}

const MEMBER_PAGE_FIELDS = `totalCount edges { cursor node { id fullName gender dateOfBirth status partyCardNumber unit { id name } } } pageInfo { hasNextPage endCursor }`;

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
 * S4 runs (district DN.HAICHAU and the city DN, as of a day of statisticsDates()); otherwise it is skipped and the report says so.
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
    },
    {
      id: 'S2',
      title: 'One member by party card number, with unit, posts, awards and ratings (admin, a random cadre)',
      account: 'admin',
      operationName: 'S2',
      query: `query S2($card: String!) { member(partyCardNumber: $card) { id fullName gender dateOfBirth status partyCardNumber joinedOn officialOn unit { id name } posts { id title startOn endOn termYears } awards { id kind name badgeYears awardedOn } ratings { year score category } } }`,
      variables: 'card',
    },
    {
      id: 'S3',
      title: `Accent-insensitive name search "${S3_SEARCH}", first 20, city scope (admin)`,
      account: 'admin',
      operationName: 'S3',
      query: `query S3 { members(filter: {search: "${S3_SEARCH}"}, first: 20) { ${MEMBER_PAGE_FIELDS} } }`,
      variables: 'none',
    },
  ];
  if (statistics) {
    const query = `query S4($unitId: ID!, $asOf: Date) { statistics(unitId: $unitId, asOf: $asOf) { ${statistics.STATISTICS_SELECTION} } }`;
    list.push(
      { id: 'S4D', title: 'Statistics of a district (Hải Châu) as of a random day of 2016–2025 (admin)', account: 'admin', operationName: 'S4', query, variables: 'statistics' },
      { id: 'S4C', title: 'Statistics of the whole city as of a random day of 2016–2025 (admin)', account: 'admin', operationName: 'S4', query, variables: 'statistics' },
    );
  }
  list.push({
    id: 'S5',
    title: 'updateMember (phone) of a random member of the district, audited (haichau)',
    account: 'haichau',
    operationName: 'S5',
    query: `mutation S5($input: UpdateMemberInput!) { updateMember(input: $input) { member { id version } userErrors { field message code } } }`,
    variables: 'update',
  });
  return list;
}

/** A phone number for the n-th update: a valid format, different each time. */
export function benchPhone(n: number): string {
  return `09${String(n % 100_000_000).padStart(8, '0')}`;
}
