import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, pageRequest, type Connection } from '../graphql/connection';
import type { RequestContext } from '../access/context';
import { DateScalar } from '../graphql/scalars';
import { OrgUnit, UnitKind } from './org-unit.entity';
import { UnitLineage } from './lineage.types';

export const OrgUnitConnection = ConnectionType(OrgUnit, 'OrgUnit', 'unit');

@Resolver(() => OrgUnit)
export class UnitResolver {
  @Query(() => OrgUnit, {
    nullable: true,
    description:
      'One unit by id or code (give exactly one); null when absent or outside your scope. A unit that has ended is still found (see validTo and lineage). With asOf, the unit as it was that day (tree of that date), null if it did not exist then.',
  })
  unit(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'Unit id.' }) id?: string,
    @Arg('code', () => String, { nullable: true, description: 'Unit code, e.g. DN.HAICHAU.THACHTHANG.' }) code?: string,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Read the unit, its parent and children as they were on this day (theo cây tổ chức tại ngày).' }) asOf?: string,
  ): Promise<OrgUnit | null> {
    return ctx.services.units.findOne({ id, code }, asOf);
  }

  @Query(() => OrgUnitConnection, { description: 'Units in your scope that exist today (or existed on asOf, as they were), ordered by code.' })
  units(
    @Ctx() ctx: RequestContext,
    @Arg('parentId', () => ID, { nullable: true, description: 'Only the direct children of this unit.' }) parentId?: string,
    @Arg('kind', () => UnitKind, { nullable: true, description: 'Only units of this kind.' }) kind?: UnitKind,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'The tree of this day: units that existed then, with their names and parents of then.' }) asOf?: string,
  ): Promise<Connection<OrgUnit>> {
    return ctx.services.units.list({ parentId, kind, asOf }, pageRequest(first, after));
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The unit above (cấp trên), of the same date as this unit was read; null at the root or when it is outside your scope.' })
  parent(@Root() unit: OrgUnit, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    return ctx.services.units.parent(unit);
  }

  @FieldResolver(() => UnitLineage, { description: 'Where the unit came from and where it went (sáp nhập, chia tách, đổi tên, điều chuyển, giải thể), with the decisions.' })
  lineage(@Root() unit: OrgUnit, @Ctx() ctx: RequestContext): Promise<UnitLineage> {
    return ctx.services.units.lineage(unit);
  }

  @FieldResolver(() => OrgUnitConnection, { description: 'The units directly below (cấp dưới), of the same date as this unit was read, ordered by code.' })
  children(
    @Root() unit: OrgUnit,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<OrgUnit>> {
    return ctx.services.units.children(unit, pageRequest(first, after));
  }
}
