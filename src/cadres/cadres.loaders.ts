import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Loaders } from '../access/context';
import type { Preload } from '../graphql/preload';
import { byMember, rowsPreload } from '../members/members.loaders';
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

/** A member's posts and planning entries come with the member's own statement when asked (graphql/preload.ts). */
export const cadrePreloads: Preload<Loaders>[] = [
  rowsPreload('posts', ['posts'], Post, 'post', 'x.start_on, x.id', (loaders) => loaders.posts),
  rowsPreload('planning', ['planning'], PlanningEntry, 'planning_entry', 'x.period_start, x.id', (loaders) => loaders.planning),
];
