import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { ConnectionType, pageRequest, type Connection } from '../graphql/connection';
import type { RequestContext } from '../access/context';
import { DateScalar } from '../graphql/scalars';
import { BadgeCandidate, BadgeRules, DuplicateGroup, UnitFlows, UnitStatistics } from './reports.types';

const BadgeCandidateConnection = ConnectionType(BadgeCandidate, 'BadgeCandidate', 'badge candidate');
const DuplicateGroupConnection = ConnectionType(DuplicateGroup, 'DuplicateGroup', 'group of likely duplicates');

@Resolver()
export class ReportsResolver {
  @Query(() => UnitStatistics, { description: 'Số lượng, cơ cấu đảng viên: the members on the rolls of a unit and its subtree on a date, with breakdowns and per child unit.' })
  statistics(
    @Ctx() ctx: RequestContext,
    @Arg('unitId', () => ID, { description: 'The unit; NOT_FOUND when it is outside your scope.' }) unitId: string,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'The date the figures hold on (default today), between 1930-01-01 and 2100-12-31.' }) asOf?: string,
  ): Promise<UnitStatistics> {
    return ctx.services.reports.statistics(unitId, asOf);
  }

  @Query(() => UnitFlows, { description: 'Biến động đảng viên: admissions, confirmations, transfers, moves by reorganisation and departures of a unit and its subtree within a period.' })
  flows(
    @Ctx() ctx: RequestContext,
    @Arg('unitId', () => ID, { description: 'The unit; NOT_FOUND when it is outside your scope.' }) unitId: string,
    @Arg('from', () => DateScalar, { description: 'First day of the period, between 1930-01-01 and 2100-12-31.' }) from: string,
    @Arg('to', () => DateScalar, { description: 'Last day of the period, between 1930-01-01 and 2100-12-31 and not before from.' }) to: string,
  ): Promise<UnitFlows> {
    return ctx.services.reports.flows(unitId, from, to);
  }

  @Query(() => BadgeCandidateConnection, {
    description: 'Members to propose for a party badge (Huy hiệu Đảng) at a ceremony: reached the party age and not yet awarded it, in member id order.',
  })
  badgesDue(
    @Ctx() ctx: RequestContext,
    @Arg('unitId', () => ID, { nullable: true, description: 'The unit whose subtree is listed (default: your own unit).' }) unitId?: string,
    @Arg('ceremonyOn', () => DateScalar, { nullable: true, description: 'The ceremony: 3/2, 19/5, 2/9 or 7/11 of a year from 1930 to 2100 (default: the next one).' }) ceremonyOn?: string,
    @Arg('rules', () => BadgeRules, { nullable: true, description: 'Early, posthumous and discipline rules (defaults as documented).' }) rules?: BadgeRules,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<BadgeCandidate>> {
    return ctx.services.reports.badgesDue(unitId, ceremonyOn, rules ?? new BadgeRules(), pageRequest(first, after));
  }

  @Query(() => DuplicateGroupConnection, {
    description: 'Likely duplicate records (same name without regard to diacritics or case, same date of birth) in a subtree, to be checked by staff.',
  })
  duplicateMembers(
    @Ctx() ctx: RequestContext,
    @Arg('unitId', () => ID, { nullable: true, description: 'The unit whose subtree is searched (default: your own unit).' }) unitId?: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<DuplicateGroup>> {
    return ctx.services.reports.duplicates(unitId, pageRequest(first, after));
  }
}
