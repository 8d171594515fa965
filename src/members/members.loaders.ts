import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Loaders } from '../access/context';
import { readOnlyFromRow } from '../database/read-only';
import type { Preload } from '../graphql/preload';
import { unitJson } from '../units/units.queries';
import { unitFromRow } from '../units/units.loaders';
import { MemberStatusPeriod, MemberUnitPeriod } from './member-period.entity';
import { Member } from './member.entity';
import { memberRowsJson } from './members.queries';
import { Award, DisciplineRecord, FamilyRelation, QualityRating, TrainingEntry, WorkHistoryEntry, type SubRecord } from './sub-records.entity';

/** Per-request batching of a member's dated periods (one query for a whole page of members). */
export interface MemberLoaders {
  /** A member by id, in scope (null otherwise). */
  memberById: DataLoader<string, Member | null>;
  statusPeriods: DataLoader<string, MemberStatusPeriod[]>;
  unitPeriods: DataLoader<string, MemberUnitPeriod[]>;
  /** Every entry (current and superseded) of one kind of sub-record, per member, oldest first. */
  subRecords: <T extends SubRecord>(entity: new () => T) => DataLoader<string, T[]>;
}

export function byMember<T extends { member: { id: string } }>(ids: readonly string[], rows: T[]): T[][] {
  const grouped = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) grouped.get(row.member.id)?.push(row);
  return ids.map((id) => grouped.get(id)!);
}

export function createMemberLoaders(em: EntityManager): MemberLoaders {
  const subRecordLoaders = new Map<new () => SubRecord, DataLoader<string, SubRecord[]>>();
  return {
    memberById: new DataLoader(async (ids) => {
      const members = await em.find(Member, { id: { $in: [...ids] } });
      const byId = new Map(members.map((m) => [m.id, m]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    statusPeriods: new DataLoader(async (ids) =>
      byMember(ids, await em.find(MemberStatusPeriod, { member: { $in: [...ids] } }, { orderBy: { validFrom: 'asc', id: 'asc' } })),
    ),
    unitPeriods: new DataLoader(async (ids) =>
      byMember(ids, await em.find(MemberUnitPeriod, { member: { $in: [...ids] } }, { orderBy: { validFrom: 'asc', id: 'asc' } })),
    ),
    subRecords<T extends SubRecord>(entity: new () => T): DataLoader<string, T[]> {
      let loader = subRecordLoaders.get(entity) as DataLoader<string, T[]> | undefined;
      if (!loader) {
        loader = new DataLoader<string, T[]>(async (ids) =>
          byMember(ids, (await em.find(entity, { member: { $in: [...ids] } } as object, { orderBy: { id: 'asc' } as object })) as T[]),
        );
        subRecordLoaders.set(entity, loader as DataLoader<string, SubRecord[]>);
      }
      return loader;
    },
  };
}

/** Rows of one table of a member's file, preloaded in the order the loader reads them, for the fields that read it. */
export function rowsPreload<T extends object>(
  name: string,
  fields: readonly string[],
  entity: { name: string; prototype: T },
  table: string,
  order: string,
  loader: (loaders: Loaders) => DataLoader<string, T[]>,
): Preload<Loaders> {
  return {
    type: 'Member',
    name,
    fields,
    sql: (parent) => memberRowsJson(table, order, parent),
    prime: (loaders, em, memberId, rows) => {
      loader(loaders).prime(memberId, (rows as Record<string, unknown>[]).map((row) => readOnlyFromRow(em, entity, row)));
    },
  };
}

const subRecordsPreload = (field: string, entity: new () => SubRecord & object, table: string) =>
  rowsPreload(field, [field], entity, table, 'x.id', (loaders) => loaders.subRecords(entity));

/** The member fields whose values come with the member's own statement (graphql/preload.ts). */
export const memberPreloads: Preload<Loaders>[] = [
  {
    type: 'Member',
    name: 'unit',
    fields: ['unit'],
    sql: (parent) => unitJson(`${parent}.unit_id`),
    prime: (loaders, em, _memberId, row) => {
      if (row) loaders.unitById.prime(String((row as { id: unknown }).id), unitFromRow(em, row as Record<string, unknown>));
    },
  },
  rowsPreload('statusPeriods', ['statusHistory', 'statusOn', 'partyAge'], MemberStatusPeriod, 'member_status_period', 'x.valid_from, x.id', (l) => l.statusPeriods),
  rowsPreload('unitPeriods', ['unitHistory', 'unitOn'], MemberUnitPeriod, 'member_unit_period', 'x.valid_from, x.id', (l) => l.unitPeriods),
  subRecordsPreload('workHistory', WorkHistoryEntry, 'work_history'),
  subRecordsPreload('training', TrainingEntry, 'training'),
  subRecordsPreload('awards', Award, 'award'),
  subRecordsPreload('disciplines', DisciplineRecord, 'discipline'),
  subRecordsPreload('ratings', QualityRating, 'quality_rating'),
  subRecordsPreload('family', FamilyRelation, 'family_relation'),
];
