import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { MemberStatusPeriod, MemberUnitPeriod } from './member-period.entity';
import { Member } from './member.entity';
import type { SubRecord } from './sub-records.entity';

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
      byMember(ids, await em.find(MemberStatusPeriod, { member: { $in: [...ids] } }, { orderBy: { validFrom: 'asc' } })),
    ),
    unitPeriods: new DataLoader(async (ids) =>
      byMember(ids, await em.find(MemberUnitPeriod, { member: { $in: [...ids] } }, { orderBy: { validFrom: 'asc' } })),
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
