import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000001Foundation } from './Migration20261126000001Foundation';
import { Migration20261126000002Access } from './Migration20261126000002Access';
import { Migration20261126000003Records } from './Migration20261126000003Records';
import { Migration20261126000004SubRecords } from './Migration20261126000004SubRecords';
import { Migration20261126000005Transfers } from './Migration20261126000005Transfers';
import { Migration20261126000006Cadres } from './Migration20261126000006Cadres';
import { Migration20261126000007Audit } from './Migration20261126000007Audit';
import { Migration20261126000008AccessEvents } from './Migration20261126000008AccessEvents';
import { Migration20261126000009AuditBatchSeal } from './Migration20261126000009AuditBatchSeal';
import { Migration20261126000010Reporting } from './Migration20261126000010Reporting';
import { Migration20261126000011UnitMovesAndToday } from './Migration20261126000011UnitMovesAndToday';
import { Migration20261126000012ListIndexes } from './Migration20261126000012ListIndexes';
import { Migration20261126000013ReportGeneration } from './Migration20261126000013ReportGeneration';
import { Migration20261126000014FactsRebuildPlan } from './Migration20261126000014FactsRebuildPlan';
import { Migration20261126000015AuditVerifyInSnapshot } from './Migration20261126000015AuditVerifyInSnapshot';
import { Migration20261126000016UniqueConflictEvents } from './Migration20261126000016UniqueConflictEvents';
import { Migration20261126000017StatisticsBandsAsParameters } from './Migration20261126000017StatisticsBandsAsParameters';
import { Migration20261126000018AdmissionAndLeaving } from './Migration20261126000018AdmissionAndLeaving';
import { Migration20261126000019SubRecordRules } from './Migration20261126000019SubRecordRules';
import { Migration20261126000020BoundaryTransfers } from './Migration20261126000020BoundaryTransfers';
import { Migration20261126000021ReportCategories } from './Migration20261126000021ReportCategories';
import { Migration20261126000022CadrePlanning } from './Migration20261126000022CadrePlanning';
import { Migration20261130000023MemberCounts } from './Migration20261130000023MemberCounts';
import { Migration20261130000024SubtreeCounts } from './Migration20261130000024SubtreeCounts';
import { Migration20261130000025SubtreeCountsOrder } from './Migration20261130000025SubtreeCountsOrder';
import { Migration20261130000026UnitHistory } from './Migration20261130000026UnitHistory';
import { Migration20261130000027DeferredFactsOnMoves } from './Migration20261130000027DeferredFactsOnMoves';
import { Migration20261130000028FlowsAcrossReorganisations } from './Migration20261130000028FlowsAcrossReorganisations';
import { Migration20261130000029LineageNames } from './Migration20261130000029LineageNames';
import { Migration20261130000030SeedTasks } from './Migration20261130000030SeedTasks';
import { Migration20261130000031SharedLoginLimits } from './Migration20261130000031SharedLoginLimits';
import { Migration20261130000032MemberNameWords } from './Migration20261130000032MemberNameWords';
import { Migration20261130000033StatisticsCounts } from './Migration20261130000033StatisticsCounts';
import { Migration20261130000034CurrentUnits } from './Migration20261130000034CurrentUnits';
import { Migration20261130000035MemberImports } from './Migration20261130000035MemberImports';

/**
 * Every migration, in order. Listed explicitly (not discovered by path) so the compiled build,
 * the CLI and vitest all run the same classes.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261126000001Foundation', class: Migration20261126000001Foundation },
  { name: 'Migration20261126000002Access', class: Migration20261126000002Access },
  { name: 'Migration20261126000003Records', class: Migration20261126000003Records },
  { name: 'Migration20261126000004SubRecords', class: Migration20261126000004SubRecords },
  { name: 'Migration20261126000005Transfers', class: Migration20261126000005Transfers },
  { name: 'Migration20261126000006Cadres', class: Migration20261126000006Cadres },
  { name: 'Migration20261126000007Audit', class: Migration20261126000007Audit },
  { name: 'Migration20261126000008AccessEvents', class: Migration20261126000008AccessEvents },
  { name: 'Migration20261126000009AuditBatchSeal', class: Migration20261126000009AuditBatchSeal },
  { name: 'Migration20261126000010Reporting', class: Migration20261126000010Reporting },
  { name: 'Migration20261126000011UnitMovesAndToday', class: Migration20261126000011UnitMovesAndToday },
  { name: 'Migration20261126000012ListIndexes', class: Migration20261126000012ListIndexes },
  { name: 'Migration20261126000013ReportGeneration', class: Migration20261126000013ReportGeneration },
  { name: 'Migration20261126000014FactsRebuildPlan', class: Migration20261126000014FactsRebuildPlan },
  { name: 'Migration20261126000015AuditVerifyInSnapshot', class: Migration20261126000015AuditVerifyInSnapshot },
  { name: 'Migration20261126000016UniqueConflictEvents', class: Migration20261126000016UniqueConflictEvents },
  { name: 'Migration20261126000017StatisticsBandsAsParameters', class: Migration20261126000017StatisticsBandsAsParameters },
  { name: 'Migration20261126000018AdmissionAndLeaving', class: Migration20261126000018AdmissionAndLeaving },
  { name: 'Migration20261126000019SubRecordRules', class: Migration20261126000019SubRecordRules },
  { name: 'Migration20261126000020BoundaryTransfers', class: Migration20261126000020BoundaryTransfers },
  { name: 'Migration20261126000021ReportCategories', class: Migration20261126000021ReportCategories },
  { name: 'Migration20261126000022CadrePlanning', class: Migration20261126000022CadrePlanning },
  { name: 'Migration20261130000023MemberCounts', class: Migration20261130000023MemberCounts },
  { name: 'Migration20261130000024SubtreeCounts', class: Migration20261130000024SubtreeCounts },
  { name: 'Migration20261130000025SubtreeCountsOrder', class: Migration20261130000025SubtreeCountsOrder },
  { name: 'Migration20261130000026UnitHistory', class: Migration20261130000026UnitHistory },
  { name: 'Migration20261130000027DeferredFactsOnMoves', class: Migration20261130000027DeferredFactsOnMoves },
  { name: 'Migration20261130000028FlowsAcrossReorganisations', class: Migration20261130000028FlowsAcrossReorganisations },
  { name: 'Migration20261130000029LineageNames', class: Migration20261130000029LineageNames },
  { name: 'Migration20261130000030SeedTasks', class: Migration20261130000030SeedTasks },
  { name: 'Migration20261130000031SharedLoginLimits', class: Migration20261130000031SharedLoginLimits },
  { name: 'Migration20261130000032MemberNameWords', class: Migration20261130000032MemberNameWords },
  { name: 'Migration20261130000033StatisticsCounts', class: Migration20261130000033StatisticsCounts },
  { name: 'Migration20261130000034CurrentUnits', class: Migration20261130000034CurrentUnits },
  { name: 'Migration20261130000035MemberImports', class: Migration20261130000035MemberImports },
];
