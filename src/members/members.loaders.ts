import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { MemberStatusPeriod, MemberUnitPeriod } from './member-period.entity';

/** Per-request batching of a member's dated periods (one query for a whole page of members). */
export interface MemberLoaders {
  statusPeriods: DataLoader<string, MemberStatusPeriod[]>;
  unitPeriods: DataLoader<string, MemberUnitPeriod[]>;
}

function byMember<T extends { member: { id: string } }>(ids: readonly string[], rows: T[]): T[][] {
  const grouped = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) grouped.get(row.member.id)?.push(row);
  return ids.map((id) => grouped.get(id)!);
}

export function createMemberLoaders(em: EntityManager): MemberLoaders {
  return {
    statusPeriods: new DataLoader(async (ids) =>
      byMember(ids, await em.find(MemberStatusPeriod, { member: { $in: [...ids] } }, { orderBy: { validFrom: 'asc' } })),
    ),
    unitPeriods: new DataLoader(async (ids) =>
      byMember(ids, await em.find(MemberUnitPeriod, { member: { $in: [...ids] } }, { orderBy: { validFrom: 'asc' } })),
    ),
  };
}
