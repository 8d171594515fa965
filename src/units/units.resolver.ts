import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, pageRequest, type Connection } from '../graphql/connection';
import type { RequestContext } from '../access/context';
import { OrgUnit, UnitKind } from './org-unit.entity';

export const OrgUnitConnection = ConnectionType(OrgUnit, 'OrgUnit', 'unit');

@Resolver(() => OrgUnit)
export class UnitResolver {
  @Query(() => OrgUnit, { nullable: true, description: 'One unit by id or code (give exactly one); null when absent or outside your scope.' })
  unit(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'Unit id.' }) id?: string,
    @Arg('code', () => String, { nullable: true, description: 'Unit code, e.g. DN.HAICHAU.THACHTHANG.' }) code?: string,
  ): Promise<OrgUnit | null> {
    return ctx.services.units.findOne({ id, code });
  }

  @Query(() => OrgUnitConnection, { description: 'Units in your scope, ordered by code.' })
  units(
    @Ctx() ctx: RequestContext,
    @Arg('parentId', () => ID, { nullable: true, description: 'Only the direct children of this unit.' }) parentId?: string,
    @Arg('kind', () => UnitKind, { nullable: true, description: 'Only units of this kind.' }) kind?: UnitKind,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<OrgUnit>> {
    return ctx.services.units.list({ parentId, kind }, pageRequest(first, after));
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
    return ctx.services.units.children(unit, ctx.loaders, pageRequest(first, after));
  }
}
