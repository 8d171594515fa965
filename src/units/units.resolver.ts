import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, pageRequest, type Connection } from '../graphql/connection';
import type { RequestContext } from '../graphql/context';
import { Member } from '../members/member.entity';
import { MemberFilter, MemberOrder } from '../members/members.inputs';
import { MemberConnection, membersService } from '../members/members.resolver';
import { OrgUnit, UnitKind } from './org-unit.entity';
import { UnitsService } from './units.service';

export const OrgUnitConnection = ConnectionType(OrgUnit, 'OrgUnit', 'unit');

function unitsService(ctx: RequestContext): UnitsService {
  return new UnitsService(ctx.em);
}

@Resolver(() => OrgUnit)
export class UnitResolver {
  @Query(() => OrgUnit, { nullable: true, description: 'One unit by id or code (give exactly one); null when absent or outside your scope.' })
  unit(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'Unit id.' }) id?: string,
    @Arg('code', () => String, { nullable: true, description: 'Unit code, e.g. DN.HAICHAU.THACHTHANG.' }) code?: string,
  ): Promise<OrgUnit | null> {
    return unitsService(ctx).findOne({ id, code });
  }

  @Query(() => OrgUnitConnection, { description: 'Units in your scope, ordered by code.' })
  units(
    @Ctx() ctx: RequestContext,
    @Arg('parentId', () => ID, { nullable: true, description: 'Only the direct children of this unit.' }) parentId?: string,
    @Arg('kind', () => UnitKind, { nullable: true, description: 'Only units of this kind.' }) kind?: UnitKind,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<OrgUnit>> {
    return unitsService(ctx).list({ parentId, kind }, pageRequest(first, after));
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The unit above (cấp trên); null at the root or when it is outside your scope.' })
  parent(@Root() unit: OrgUnit, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> | null {
    return unit.parent ? ctx.loaders.unitById.load(unit.parent.id) : null;
  }

  @FieldResolver(() => OrgUnitConnection, { description: 'The units directly below (cấp dưới), ordered by code.' })
  children(
    @Root() unit: OrgUnit,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<OrgUnit>> {
    return unitsService(ctx).children(unit, ctx.loaders, pageRequest(first, after));
  }

  @FieldResolver(() => MemberConnection, { description: 'Members registered in this unit and, by default, the units below it.' })
  members(
    @Root() unit: OrgUnit,
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => MemberFilter, { nullable: true, description: 'Further conditions; unitId is this unit.' }) filter?: MemberFilter,
    @Arg('orderBy', () => MemberOrder, { nullable: true, description: 'Order (default: by name).' }) orderBy?: MemberOrder,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<Member>> {
    const scoped = Object.assign(new MemberFilter(), filter ?? {}, { unitId: unit.id });
    return membersService(ctx).list(scoped, orderBy, pageRequest(first, after));
  }
}
