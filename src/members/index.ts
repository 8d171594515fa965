import type { EntityManager } from '@mikro-orm/postgresql';
import { requireAccount, type ServiceFactories } from '../access/context';
import { Decision } from '../graphql/decision';
import { LifecycleService } from './lifecycle.service';
import { MemberHistoryResolver } from './member-history.resolver';
import { MemberMutationsResolver } from './member-mutations.resolver';
import { MemberStatusPeriod, MemberUnitPeriod } from './member-period.entity';
import { MemberRecordsService } from './member-records.service';
import { Member } from './member.entity';
import { createMemberLoaders, memberPreloads, type MemberLoaders } from './members.loaders';
import { MemberResolver, MemberUnitPeriodResolver, UnitMembersResolver } from './members.resolver';
import { MembersService } from './members.service';
import { SUB_RECORD_ENTITIES } from './sub-records.entity';
import { SubRecordsResolver } from './sub-records.resolver';
import { SubRecordsService } from './sub-records.service';
import { badgeSettings } from './party-badges';
import { ratingSettings } from './ratings';

/** Member records: what this feature adds to the API. */
export const resolvers = [MemberResolver, MemberUnitPeriodResolver, UnitMembersResolver, MemberMutationsResolver, SubRecordsResolver, MemberHistoryResolver] as const;
export const entities = [Decision, Member, MemberStatusPeriod, MemberUnitPeriod, ...SUB_RECORD_ENTITIES];
export const createLoaders = (em: EntityManager): MemberLoaders => createMemberLoaders(em);
export const preloads = memberPreloads;

/** The configurable rules this feature reads from HOSO_RULES_FILE, by section (checked at start). */
export const ruleSections = { badges: badgeSettings, ratings: ratingSettings };

export interface MemberServices {
  members: MembersService;
  memberRecords: MemberRecordsService;
  lifecycle: LifecycleService;
  subRecords: SubRecordsService;
}
export const services: ServiceFactories<MemberServices> = {
  members: (ctx, em) => new MembersService(em, requireAccount(ctx), ctx.loaders, ctx.app.preloads),
  memberRecords: (ctx, em) => {
    requireAccount(ctx);
    return new MemberRecordsService(em, ctx.app.config, ctx.app.clock.today());
  },
  lifecycle: (ctx, em, services) => new LifecycleService(em, services.memberRecords, ctx.app.clock.today()),
  subRecords: (ctx, em) => new SubRecordsService(em, ctx.app.clock.today(), ctx.app.config),
};

declare module '../access/context' {
  interface Loaders extends MemberLoaders {}
  interface Services extends MemberServices {}
}

export { queryExamples } from './members.queries';
