import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import { can } from '../access/capabilities';
import { catalogueItems, type CatalogueKind } from '../catalogues/catalogues';
import { codedError } from '../graphql/errors';
import { dateInRange } from '../graphql/scalars';
import { connectionFrom, idAfter, type Connection, type PageRequest } from '../graphql/connection';
import { ceremonyDaysText, isCeremonyDay, nextCeremony, type BadgeSettings } from '../members/party-badges';
import type { MemberLoaders } from '../members/members.loaders';
import type { OrgUnit } from '../units/org-unit.entity';
import { onKey, type UnitLoaders } from '../units/units.loaders';
import { badgeCandidatesSql, badgeListParams, type BadgeRow } from './badges';
import {
  AGE_BAND_LABELS, DEPARTURE_LABELS, GENDER_LABELS, PARTY_AGE_BAND_LABELS, STATUS_LABELS, UNKNOWN, catalogueLabel, completeCatalogueLabels,
} from './labels';
import { GENERAL_EDUCATION_LABELS, averageAge, countsAsCounted, countsByEducationLevel } from './categories';
import { BadgeReason, type BadgeCandidate, type BadgeRules, type DuplicateGroup, type StatisticsCount, type UnitFlows, type UnitStatistics } from './reports.types';
import { isId } from '../graphql/ids';
import { bandsSqlArgs, statisticsCallSql } from './bands';

/** Columns of hoso_unit_statistics in its GROUPING() order (migrations 10, 17 and 21). */
const GROUPED = [
  'child_id', 'status', 'gender', 'ethnicity', 'religion', 'general_education', 'professional_level', 'political_theory',
  'occupation', 'age_band', 'party_age_band',
] as const;
type Grouped = (typeof GROUPED)[number];

/** The GROUPING() value of the set made of the given columns. */
function groupingOf(...columns: Grouped[]): number {
  return GROUPED.reduce((bits, column, i) => (columns.includes(column) ? bits : bits | (1 << (GROUPED.length - 1 - i))), 0);
}

/** One group of hoso_unit_statistics: its members and the sum of their days of life on the date (migration 21). */
export type StatisticsRow = { grouping_set: number; members: string; age_days: string | null } & Record<Grouped, string | null>;

/** Every category of a fixed breakdown, in order, zeros included. */
function fixed(labels: Record<string, string>, counts: Map<string | null, number>): StatisticsCount[] {
  return Object.entries(labels).map(([key, label]) => ({ key, label, count: counts.get(key) ?? 0 }));
}

/** Every category of a catalogue, in order, zeros included, then the unrecorded as UNKNOWN. */
function complete(kind: CatalogueKind, recorded: Map<string | null, number>): StatisticsCount[] {
  const counts = new Map([...countsAsCounted(kind, recorded)].map(([code, n]) => [code ?? UNKNOWN.key, n]));
  return fixed(completeCatalogueLabels(kind), counts);
}

/**
 * The categories of a catalogue breakdown that occur, in catalogue order, then the unrecorded.
 * A retired code is counted as its replacement (a Protestant church as Tin lành).
 */
function catalogued(kind: CatalogueKind, recorded: Map<string | null, number>): StatisticsCount[] {
  const order = new Map(catalogueItems(kind).map((item, i) => [item.code, i]));
  return [...countsAsCounted(kind, recorded).entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9)))
    .map(([code, count]) => ({ ...catalogueLabel(kind, code), count }));
}

/**
 * Counted statistics by unit, date and facts generation, for this process. Reporting tools ask
 * the same unit and date again and again (each form, each refresh); a city count of a million
 * members takes seconds. Only counts are kept; the unit and scope are checked on every request.
 */
const STATISTICS_MEMO = new Map<string, StatisticsRow[]>();
const MEMO_SIZE = 500;

/**
 * The figures of `statistics` from the rows of hoso_unit_statistics (one row per group of each
 * grouping set) and the unit's children. Pure, so the benchmark's floor builds the same answer.
 */
export function statisticsFrom<U extends { id: string; code: string }>(
  unit: U,
  asOf: string,
  rows: StatisticsRow[],
  children: U[],
): Omit<UnitStatistics, 'unit' | 'children'> & { unit: U; children: { unit: U; total: number; byStatus: StatisticsCount[] }[] } {
  const breakdown = (column: Grouped) => {
    const set = groupingOf(column);
    const counts = new Map<string | null, number>();
    for (const row of rows) if (row.grouping_set === set) counts.set(row[column], Number(row.members));
    return counts;
  };
  const byStatusSet = groupingOf('child_id', 'status');
  const perChild = new Map<string | null, Map<string | null, number>>();
  for (const row of rows) {
    if (row.grouping_set !== byStatusSet) continue;
    const child = row.child_id === null ? null : String(row.child_id);
    if (!perChild.has(child)) perChild.set(child, new Map());
    const counts = perChild.get(child)!;
    counts.set(row.status, (counts.get(row.status) ?? 0) + Number(row.members));
  }
  const statusTotals = new Map<string | null, number>();
  for (const counts of perChild.values()) for (const [s, n] of counts) statusTotals.set(s, (statusTotals.get(s) ?? 0) + n);
  const sum = (counts: Map<string | null, number> | undefined) => [...(counts?.values() ?? [])].reduce((a, b) => a + b, 0);
  const total = sum(statusTotals);
  let ageDays = 0;
  for (const row of rows) if (row.grouping_set === byStatusSet) ageDays += Number(row.age_days ?? 0);
  return {
    unit,
    asOf,
    total,
    averageAge: averageAge(ageDays, total),
    registeredDirectly: sum(perChild.get(null)),
    byStatus: fixed(STATUS_LABELS, statusTotals),
    byGender: fixed(GENDER_LABELS, breakdown('gender')),
    byAgeBand: fixed(AGE_BAND_LABELS, breakdown('age_band')),
    byPartyAgeBand: fixed(PARTY_AGE_BAND_LABELS, breakdown('party_age_band')),
    byEthnicity: catalogued('ETHNIC_GROUP', breakdown('ethnicity')),
    byReligion: catalogued('RELIGION', breakdown('religion')),
    byGeneralEducation: fixed(GENERAL_EDUCATION_LABELS, countsByEducationLevel(breakdown('general_education'))),
    byProfessionalLevel: catalogued('PROFESSIONAL_LEVEL', breakdown('professional_level')),
    byPoliticalTheory: complete('POLITICAL_THEORY', breakdown('political_theory')),
    byOccupation: catalogued('OCCUPATION', breakdown('occupation')),
    children: [...children]
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((child) => {
        const counts = perChild.get(child.id);
        return { unit: child, total: sum(counts), byStatus: fixed(STATUS_LABELS, counts ?? new Map()) };
      }),
  };
}

/**
 * A report of a unit is for dates it existed: a unit formed by a reorganisation has no figures of
 * its own before (its lineage names the units it came from, each with its own reports), and a
 * unit that ended has none after. Refused with a clear error rather than answered with zeros.
 */
function existedOn(unit: OrgUnit, from: string, to: string, argument = 'asOf'): void {
  if (unit.validFrom && to < unit.validFrom) {
    throw codedError('BAD_USER_INPUT', `${unit.name} exists from ${unit.validFrom}; for earlier dates ask for the units it was formed from (its lineage.predecessors).`, { argument, validFrom: unit.validFrom });
  }
  if (unit.validTo && from >= unit.validTo) {
    throw codedError('BAD_USER_INPUT', `${unit.name} ended on ${unit.validTo}; for later dates ask for the units it went into (its lineage.successors).`, { argument, validTo: unit.validTo });
  }
}

/**
 * Reports of a unit's subtree: statistics and flows (counted in the database from the dated
 * facts, by functions that check the scope themselves) and the operational lists. The unit
 * asked for must be in the account's scope; otherwise NOT_FOUND, as for a missing unit.
 */
export class ReportsService {
  constructor(
    private readonly em: EntityManager,
    private readonly account: AuthAccount,
    private readonly loaders: UnitLoaders & MemberLoaders,
    private readonly today: string,
    /** The department's badge rules (HOSO_RULES_FILE section "badges"), as the award register applies them. */
    private readonly badgeRules: BadgeSettings,
  ) {}

  private async unitInScope(unitId: string | null | undefined): Promise<OrgUnit> {
    const id = unitId ?? this.account.unitId;
    const unit = isId(id) ? await this.loaders.unitById.load(id) : null;
    if (!unit) throw codedError('NOT_FOUND', 'No such unit in your scope.', { argument: 'unitId' });
    return unit;
  }

  async statistics(unitId: string, asOf: string | null | undefined): Promise<UnitStatistics> {
    const date = dateInRange(asOf ?? this.today, 'asOf');
    const unit = await this.unitInScope(unitId);
    existedOn(unit, date, date);
    const rows = await this.statisticsRows(unit.id, date);
    // Children of the tree of that date, and any unit members were counted under on the date.
    const children = [...(await this.loaders.childrenOn.load(onKey(date, unit.id)))];
    const known = new Set(children.map((c) => c.id));
    const others = [...new Set(rows.flatMap((r) => (r.child_id === null ? [] : [String(r.child_id)])))].filter((id) => !known.has(id));
    for (const other of await this.loaders.unitById.loadMany(others)) {
      if (other && !(other instanceof Error)) children.push(other);
    }
    // The unit as it was on the date (its name then), as its children are: the report and its
    // export name the tree of the date asked.
    // (Today's is the row already read: no statement for the usual case.)
    const then = date === this.today ? unit : ((await this.loaders.unitOn.load(onKey(date, unit.id))) ?? unit);
    return statisticsFrom(then, date, rows, children);
  }

  /**
   * The counted rows for a unit and date: from the memo when the facts have not changed since
   * (the generation is read in this request's snapshot, so the memo holds what this snapshot
   * would compute), otherwise counted now.
   */
  private async statisticsRows(unitId: string, date: string): Promise<StatisticsRow[]> {
    const [{ generation }] = await this.em.execute('select generation::text from report_generation');
    const key = `${unitId}|${date}|${generation}`;
    const known = STATISTICS_MEMO.get(key);
    if (known) return known;
    const rows: StatisticsRow[] = await this.em.execute(statisticsCallSql(() => '?'), [unitId, date, ...bandsSqlArgs()]);
    STATISTICS_MEMO.set(key, rows);
    // Oldest first out: a Map iterates in insertion order.
    if (STATISTICS_MEMO.size > MEMO_SIZE) STATISTICS_MEMO.delete(STATISTICS_MEMO.keys().next().value!);
    return rows;
  }

  async flows(unitId: string, from: string, to: string): Promise<UnitFlows> {
    dateInRange(from, 'from');
    dateInRange(to, 'to');
    const unit = await this.unitInScope(unitId);
    if (from > to) throw codedError('BAD_USER_INPUT', 'from must not be after to.', { argument: 'from' });
    existedOn(unit, from, to, 'from');
    const rows: { kind: string; members: string }[] = await this.em.execute('select * from hoso_unit_flows(?, ?, ?)', [unit.id, from, to]);
    const counts = new Map(rows.map((r) => [r.kind, Number(r.members)]));
    const n = (kind: string) => counts.get(kind) ?? 0;
    return {
      unit,
      from,
      to,
      opening: n('OPENING'),
      admissions: n('ADMISSION'),
      readmissions: n('READMISSION'),
      officialConfirmations: n('OFFICIAL_CONFIRMATION'),
      transfersIn: n('TRANSFER_IN'),
      transfersOut: n('TRANSFER_OUT'),
      reorganisedIn: n('REORGANISED_IN'),
      reorganisedOut: n('REORGANISED_OUT'),
      departures: fixed(DEPARTURE_LABELS, counts),
      closing: n('CLOSING'),
    };
  }

  /** Members due for a party badge at a ceremony (by default the next one), by member id. */
  async badgesDue(
    unitId: string | null | undefined,
    ceremonyOn: string | null | undefined,
    rules: BadgeRules,
    page: PageRequest,
  ): Promise<Connection<BadgeCandidate>> {
    const unit = await this.unitInScope(unitId);
    const ceremony = dateInRange(ceremonyOn ?? nextCeremony(this.today), 'ceremonyOn');
    if (!isCeremonyDay(ceremony)) {
      throw codedError('BAD_USER_INPUT', `Party badges are awarded on ${ceremonyDaysText()}; ceremonyOn must be one of those days.`, { argument: 'ceremonyOn' });
    }
    for (const [name, value] of Object.entries(rules) as [string, unknown][]) {
      if (typeof value === 'number' && (!Number.isInteger(value) || value < 0 || value > 120)) {
        throw codedError('BAD_USER_INPUT', `rules.${name} must be between 0 and 120 months.`, { argument: 'rules' });
      }
    }
    const params = badgeListParams(unit.path, ceremony, rules, this.badgeRules, can(this.account.role, 'readSensitive'));
    const after = idAfter(page);
    const { sql, values } = badgeCandidatesSql(params, { after, limit: page.first + 1 });
    const rows: BadgeRow[] = await this.em.execute(sql, values);
    const members = await this.loaders.memberById.loadMany(rows.map((r) => String(r.id)));
    const candidates = rows.flatMap((row, i) => {
      const member = members[i];
      if (!member || member instanceof Error) return [];
      return [{ member, badgeYears: row.badge_years, partyAgeYears: row.party_age_years, reason: row.reason as BadgeReason }];
    });
    return connectionFrom(candidates, page, (c) => [c.member.id], async () => {
      const count = badgeCandidatesSql(params, null);
      const [{ n }] = await this.em.execute(count.sql, count.values);
      return Number(n);
    });
  }

  /** Groups of records with the same folded name and date of birth, by their first id. */
  async duplicates(unitId: string | null | undefined, page: PageRequest): Promise<Connection<DuplicateGroup>> {
    const unit = await this.unitInScope(unitId);
    const after = idAfter(page);
    // The scope predicate is written out (RLS holds it too): the list never leaves the subtree.
    const groups = `
      select min(m.id) as id, array_agg(m.id order by m.id) as ids
        from member m
       where m.unit_path <@ ?::ltree and m.unit_path <@ ?::ltree
       group by m.search_name, m.date_of_birth
      having count(*) > 1`;
    const rows: { id: string; ids: string[] }[] = await this.em.execute(
      `select * from (${groups}) g ${after ? 'where g.id > ?' : ''} order by g.id limit ?`,
      [this.account.scope.path, unit.path, ...(after ? [after] : []), page.first + 1],
    );
    const found = await Promise.all(rows.map((r) => this.loaders.memberById.loadMany(r.ids.map(String))));
    const list = rows.map((row, i) => ({
      id: String(row.id),
      members: found[i].filter((m): m is NonNullable<typeof m> & object => !!m && !(m instanceof Error)),
    }));
    return connectionFrom(list as DuplicateGroup[], page, (g) => [g.id], async () => {
      const [{ n }] = await this.em.execute(`select count(*) as n from (${groups}) g`, [this.account.scope.path, unit.path]);
      return Number(n);
    });
  }
}
