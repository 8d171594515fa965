import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../access/context';
import type { AuditEvent } from '../audit/audit-event.entity';
import { AuditEventConnection } from '../audit/audit.types';
import { pageRequest, type Connection } from '../graphql/connection';
import { Member } from './member.entity';

/** `Member.history`: the audit trail of one member, read through the audit feature's service. */
@Resolver(() => Member)
export class MemberHistoryResolver {
  @FieldResolver(() => AuditEventConnection, { description: 'Every recorded change to the member’s file, newest first.' })
  history(
    @Root() member: Member,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<AuditEvent>> {
    return ctx.services.audit.list({ memberId: member.id }, pageRequest(first, after));
  }
}
