import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { byMember } from '../members/members.loaders';
import { PlanningEntry, Post } from './cadre.entity';

/** Posts and planning entries visible at the caller's level, per member. */
export interface CadreLoaders {
  posts: DataLoader<string, Post[]>;
  planning: DataLoader<string, PlanningEntry[]>;
}

export function createCadreLoaders(em: EntityManager): CadreLoaders {
  return {
    posts: new DataLoader(async (ids) => byMember(ids, await em.find(Post, { member: { $in: [...ids] } }, { orderBy: { startOn: 'asc', id: 'asc' } }))),
    planning: new DataLoader(async (ids) =>
      byMember(ids, await em.find(PlanningEntry, { member: { $in: [...ids] } }, { orderBy: { periodStart: 'asc', id: 'asc' } })),
    ),
  };
}
