import { bandsSqlArgs, statisticsCallSql } from '../src/reports/bands';
import { statisticsFrom, type StatisticsRow } from '../src/reports/reports.service';

/**
 * For the benchmark's floor (bench/floor.ts, scenario S4): the selection a reporting tool asks
 * of `statistics`, and the same answer built from plain SQL without GraphQL or the ORM. It runs
 * the same counting function as the API (the counting is SQL either way); what the ratio
 * measures is everything around it.
 */
const COUNTS = '{ key label count }';
export const STATISTICS_SELECTION =
  `unit { id name } asOf total registeredDirectly byStatus ${COUNTS} byGender ${COUNTS} byAgeBand ${COUNTS} ` +
  `byPartyAgeBand ${COUNTS} byEthnicity ${COUNTS} byReligion ${COUNTS} byGeneralEducation ${COUNTS} ` +
  `byProfessionalLevel ${COUNTS} byPoliticalTheory ${COUNTS} byOccupation ${COUNTS} ` +
  `children { unit { id name } total byStatus ${COUNTS} }`;

type Query = (text: string, values: unknown[]) => Promise<object[]>;
interface UnitRow {
  id: string;
  code: string;
  name: string;
}

export async function statisticsFloor(query: Query, unitId: string, asOf: string): Promise<object> {
  const [unit] = (await query('select id::text, code, name from org_unit where id = $1', [unitId])) as UnitRow[];
  const rows = (await query(statisticsCallSql((n) => `$${n}`), [unitId, asOf, ...bandsSqlArgs()])) as StatisticsRow[];
  const children = (await query('select id::text, code, name from org_unit where parent_id = $1', [unitId])) as UnitRow[];
  const stats = statisticsFrom(unit, asOf, rows, children);
  const counts = (list: { key: string; label: string; count: number }[]) => list.map(({ key, label, count }) => ({ key, label, count }));
  return {
    unit: { id: unit.id, name: unit.name },
    asOf: stats.asOf,
    total: stats.total,
    registeredDirectly: stats.registeredDirectly,
    byStatus: counts(stats.byStatus),
    byGender: counts(stats.byGender),
    byAgeBand: counts(stats.byAgeBand),
    byPartyAgeBand: counts(stats.byPartyAgeBand),
    byEthnicity: counts(stats.byEthnicity),
    byReligion: counts(stats.byReligion),
    byGeneralEducation: counts(stats.byGeneralEducation),
    byProfessionalLevel: counts(stats.byProfessionalLevel),
    byPoliticalTheory: counts(stats.byPoliticalTheory),
    byOccupation: counts(stats.byOccupation),
    children: stats.children.map((c) => ({ unit: { id: c.unit.id, name: c.unit.name }, total: c.total, byStatus: counts(c.byStatus) })),
  };
}
