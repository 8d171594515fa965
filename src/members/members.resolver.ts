import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, ID, Info, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, pageRequest, type Connection } from '../graphql/connection';
import { selectedFields } from '../graphql/preload';
import type { RequestContext } from '../access/context';
import { OrgUnit } from '../units/org-unit.entity';
import { CatalogueItem, catalogueItem } from '../catalogues/catalogues';
import { asOfOf, memberAsOf, rowsAsOf } from './point-in-time';
import { DateScalar, DateTimeScalar, dateInRange } from '../graphql/scalars';
import { partyAge, probationEndsOn } from './lifecycle';
import { MemberStatusPeriod, MemberUnitPeriod } from './member-period.entity';
import { Member, MemberStatus } from './member.entity';
import { MemberFilter, MemberOrder } from './members.inputs';
import type { MemberSelection } from './members.service';

/** What a member page's query asks: its total, and the fields of its members (their preloads). */
function pageSelection(info: GraphQLResolveInfo): MemberSelection {
  return { count: selectedFields(info).has('totalCount'), fields: selectedFields(info, ['edges', 'node']) };
}

export const MemberConnection = ConnectionType(Member, 'Member', 'member');

@ObjectType({ description: 'Party age (tuổi đảng) in completed years and months.', simpleResolvers: true })
class PartyAge {
  @Field(() => Int, { description: 'Completed years.' })
  years!: number;

  @Field(() => Int, { description: 'Completed months in all (years × 12 + months).' })
  months!: number;
}

/** `OrgUnit.members`: a field of the units feature's type, answered here (members depend on units, not the reverse). */
@Resolver(() => OrgUnit)
export class UnitMembersResolver {
  @FieldResolver(() => MemberConnection, { description: 'Members registered in this unit and, by default, the units below it.' })
  members(
    @Root() unit: OrgUnit,
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => MemberFilter, { nullable: true, description: 'Further conditions; unitId is this unit.' }) filter?: MemberFilter,
    @Arg('orderBy', () => MemberOrder, { nullable: true, description: 'Order (default: by name).' }) orderBy?: MemberOrder,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<Connection<Member>> {
    const scoped = Object.assign(new MemberFilter(), filter ?? {}, { unitId: unit.id });
    return ctx.services.members.list(scoped, orderBy, pageRequest(first, after), pageSelection(info!));
  }
}

@Resolver(() => MemberUnitPeriod)
export class MemberUnitPeriodResolver {
  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The unit; null when it is outside your scope.' })
  unit(@Root() period: MemberUnitPeriod, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    return ctx.loaders.unitById.load(period.unit.id);
  }
}

/** The member's status periods; as they were, for a member read `asOf` an earlier instant. */
async function statusPeriodsOf(member: Member, ctx: RequestContext): Promise<MemberStatusPeriod[]> {
  const periods = await ctx.loaders.statusPeriods.load(member.id);
  const asOf = asOfOf(member);
  return asOf ? rowsAsOf(ctx.em, MemberStatusPeriod, 'member_status_period', periods, asOf) : periods;
}

@Resolver(() => Member)
export class MemberResolver {
  @Query(() => Member, {
    nullable: true,
    description: 'One member by id or by party card number (give exactly one); null when absent or outside your scope.',
  })
  async member(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'Member id.' }) id?: string,
    @Arg('partyCardNumber', () => String, { nullable: true, description: 'Party card number (số thẻ đảng viên).' })
    partyCardNumber?: string,
    @Arg('asOf', () => DateTimeScalar, {
      nullable: true,
      description: 'The record, with its sub-records and periods, as it was at this instant (rebuilt from the audit trail).',
    })
    asOf?: Date,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<Member | null> {
    // Read as of an earlier instant, the member is rebuilt from its whole row (point-in-time.ts).
    const member = await ctx.services.members.findOne({ id, partyCardNumber }, asOf ? 'whole row' : selectedFields(info!));
    return member && asOf ? memberAsOf(ctx.em, member, asOf) : member;
  }

  @Query(() => MemberConnection, { description: 'Members in your scope, filtered, ordered and paginated.' })
  members(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => MemberFilter, { nullable: true, description: 'Which members.' }) filter?: MemberFilter,
    @Arg('orderBy', () => MemberOrder, { nullable: true, description: 'Order (default: by name, Vietnamese style).' })
    orderBy?: MemberOrder,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<Connection<Member>> {
    return ctx.services.members.list(filter, orderBy, pageRequest(first, after), pageSelection(info!));
  }

  @FieldResolver(() => String, { nullable: true, description: 'Ethnic group (dân tộc), its Vietnamese label. Sensitive personal data.' })
  ethnicity(@Root() member: Member): string | null {
    return catalogueItem('ETHNIC_GROUP', member.ethnicity)?.label ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'ETHNIC_GROUP code of the ethnic group. Sensitive personal data.' })
  ethnicityCode(@Root() member: Member): string | null {
    return member.ethnicity ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Religion (tôn giáo), its Vietnamese label; null for none. Sensitive personal data.' })
  religion(@Root() member: Member): string | null {
    return catalogueItem('RELIGION', member.religion)?.label ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'RELIGION code; null for none. Sensitive personal data.' })
  religionCode(@Root() member: Member): string | null {
    return member.religion ?? null;
  }

  @FieldResolver(() => CatalogueItem, { nullable: true, description: 'Occupation group (nghề nghiệp).' })
  occupation(@Root() member: Member): CatalogueItem | null {
    return catalogueItem('OCCUPATION', member.occupation);
  }

  @FieldResolver(() => CatalogueItem, { nullable: true, description: 'Professional qualification (trình độ chuyên môn).' })
  professionalLevel(@Root() member: Member): CatalogueItem | null {
    return catalogueItem('PROFESSIONAL_LEVEL', member.professionalLevel);
  }

  @FieldResolver(() => CatalogueItem, { nullable: true, description: 'Academic title (học hàm).' })
  academicTitle(@Root() member: Member): CatalogueItem | null {
    return catalogueItem('ACADEMIC_TITLE', member.academicTitle);
  }

  @FieldResolver(() => CatalogueItem, { nullable: true, description: 'Political theory level (lý luận chính trị).' })
  politicalTheory(@Root() member: Member): CatalogueItem | null {
    return catalogueItem('POLITICAL_THEORY', member.politicalTheory);
  }

  @FieldResolver(() => CatalogueItem, { nullable: true, description: 'State management level (quản lý nhà nước).' })
  stateManagement(@Root() member: Member): CatalogueItem | null {
    return catalogueItem('STATE_MANAGEMENT', member.stateManagement);
  }

  @FieldResolver(() => [MemberStatusPeriod], { description: 'Every status the member has had, oldest first, with its decision.' })
  statusHistory(@Root() member: Member, @Ctx() ctx: RequestContext): Promise<MemberStatusPeriod[]> {
    return statusPeriodsOf(member, ctx);
  }

  @FieldResolver(() => [MemberUnitPeriod], { description: 'Every unit the member has been registered in, oldest first.' })
  async unitHistory(@Root() member: Member, @Ctx() ctx: RequestContext): Promise<MemberUnitPeriod[]> {
    const periods = await ctx.loaders.unitPeriods.load(member.id);
    const asOf = asOfOf(member);
    return asOf ? rowsAsOf(ctx.em, MemberUnitPeriod, 'member_unit_period', periods, asOf) : periods;
  }

  @FieldResolver(() => MemberStatus, { nullable: true, description: 'The status on a date; null before admission.' })
  async statusOn(
    @Root() member: Member,
    @Ctx() ctx: RequestContext,
    @Arg('date', () => DateScalar, { description: 'The day.' }) date: string,
  ): Promise<MemberStatus | null> {
    const periods = await statusPeriodsOf(member, ctx);
    return periods.find((p) => p.validFrom <= date && (!p.validTo || date < p.validTo))?.status ?? null;
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The unit the member was registered in on a date; null before admission or when that unit is outside your scope.' })
  async unitOn(
    @Root() member: Member,
    @Ctx() ctx: RequestContext,
    @Arg('date', () => DateScalar, { description: 'The day.' }) date: string,
  ): Promise<OrgUnit | null> {
    const periods = await ctx.loaders.unitPeriods.load(member.id);
    const period = periods.find((p) => p.validFrom <= date && (!p.validTo || date < p.validTo));
    return period ? ctx.loaders.unitById.load(period.unit.id) : null;
  }

  @FieldResolver(() => PartyAge, { description: 'Party age (tuổi đảng): time in the Party since the first admission, minus time outside it.' })
  async partyAge(
    @Root() member: Member,
    @Ctx() ctx: RequestContext,
    @Arg('on', () => DateScalar, { nullable: true, description: 'The day to count to (default today), between 1930-01-01 and 2100-12-31.' }) on?: string,
  ): Promise<PartyAge> {
    return partyAge(await statusPeriodsOf(member, ctx), on ? dateInRange(on, 'on') : ctx.app.clock.today());
  }

  @FieldResolver(() => Boolean, {
    description: 'Whether a national ID (số CCCD) is recorded, without the number: lists flag the records to complete without reading (and logging) a sensitive field per row.',
  })
  hasNationalId(@Root() member: Member): boolean {
    return member.nationalId != null && member.nationalId !== '';
  }

  @FieldResolver(() => DateScalar, {
    nullable: true,
    description: 'Hết thời gian dự bị: the day the 12 months of probation end (from the admission ceremony, or the readmission); null unless the member is probationary. Due for recognition as official from that day.',
  })
  probationEndsOn(@Root() member: Member): string | null {
    // The one home of the rule is lifecycle.ts; clients read the day here rather than recount it.
    return member.status === MemberStatus.PROBATIONARY ? probationEndsOn(member) : null;
  }

  @FieldResolver(() => OrgUnit, { description: 'The cell (chi bộ) where the member is registered.' })
  async unit(@Root() member: Member, @Ctx() ctx: RequestContext): Promise<OrgUnit> {
    const unit = await ctx.loaders.unitById.load(member.unit.id);
    // A member in scope is registered in a unit in scope; anything else is a broken invariant.
    if (!unit) throw new Error(`unit ${member.unit.id} of member ${member.id} is not readable`);
    return unit;
  }
}
