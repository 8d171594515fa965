import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, pageRequest, type Connection } from '../graphql/connection';
import { requireAccount, type RequestContext } from '../graphql/context';
import { OrgUnit } from '../units/org-unit.entity';
import { Member } from './member.entity';
import { MemberFilter, MemberOrder } from './members.inputs';
import { MembersService } from './members.service';

export const MemberConnection = ConnectionType(Member, 'Member', 'member');

export function membersService(ctx: RequestContext): MembersService {
  return new MembersService(ctx.em, requireAccount(ctx), ctx.loaders);
}

@Resolver(() => Member)
export class MemberResolver {
  @Query(() => Member, {
    nullable: true,
    description: 'One member by id or by party card number (give exactly one); null when absent or outside your scope.',
  })
  member(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'Member id.' }) id?: string,
    @Arg('partyCardNumber', () => String, { nullable: true, description: 'Party card number (số thẻ đảng viên).' })
    partyCardNumber?: string,
  ): Promise<Member | null> {
    return membersService(ctx).findOne({ id, partyCardNumber });
  }

  @Query(() => MemberConnection, { description: 'Members in your scope, filtered, ordered and paginated.' })
  members(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => MemberFilter, { nullable: true, description: 'Which members.' }) filter?: MemberFilter,
    @Arg('orderBy', () => MemberOrder, { nullable: true, description: 'Order (default: by name, Vietnamese style).' })
    orderBy?: MemberOrder,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<Member>> {
    return membersService(ctx).list(filter, orderBy, pageRequest(first, after));
  }

  @FieldResolver(() => OrgUnit, { description: 'The cell (chi bộ) where the member is registered.' })
  async unit(@Root() member: Member, @Ctx() ctx: RequestContext): Promise<OrgUnit> {
    const unit = await ctx.loaders.unitById.load(member.unit.id);
    // A member in scope is registered in a unit in scope; anything else is a broken invariant.
    if (!unit) throw new Error(`unit ${member.unit.id} of member ${member.id} is not readable`);
    return unit;
  }
}
