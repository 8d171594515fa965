import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Account } from '../accounts/account.entity';
import { pageRequest, type Connection } from '../graphql/connection';
import { requireAccount, type RequestContext } from '../access/context';
import { DateTimeScalar, JSONScalar } from '../graphql/scalars';
import { AuditEvent } from './audit-event.entity';
import { AuditEventConnection } from './audit.types';
import { visibleChanges } from './audit.service';
import { isId } from '../graphql/ids';


@InputType({ description: 'Which audit events; all conditions must hold, within your scope.' })
class AuditFilter {
  @Field(() => ID, { nullable: true, description: 'Only events filed under this unit and the units below it.' }) unitId?: string | null;
  @Field(() => String, { nullable: true, description: 'Kind of record, e.g. member, award, transfer.' }) entityType?: string | null;
  @Field(() => ID, { nullable: true, description: 'Id of the record, or for an export its file name (e.g. members.csv).' }) entityId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The account that made the changes.' }) accountId?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'From this instant.' }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Before this instant.' }) to?: Date | null;
  @Field(() => String, { nullable: true, description: 'INSERT, UPDATE or DELETE (changes), READ_SENSITIVE (sensitive fields viewed), EXPORT, or UNIQUE_CONFLICT_OUTSIDE_SCOPE (a national ID or party card number held outside the writer’s scope was entered).' }) action?: string | null;
}

@ObjectType({ description: 'Whether the audit trail’s hash chain is whole (kiểm tra toàn vẹn).', simpleResolvers: true })
class AuditIntegrity {
  @Field({ description: 'True when every event’s hash and link hold.' }) intact!: boolean;
  @Field(() => ID, { nullable: true, description: 'The first event whose hash or link does not hold.' }) brokenEventId!: string | null;
  @Field(() => String, { nullable: true, description: 'What is wrong there.' }) problem!: string | null;
  @Field(() => Int, { description: 'Events checked: those linked into the chain when the request began. New events are linked by the sealer within a second; until then they are not counted.' }) events!: number;
  @Field(() => String, { nullable: true, description: 'Hash of the newest event (hex): keep it elsewhere to detect later rewriting.' }) head!: string | null;
}

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'The audit trail within your scope, newest first (AUDITOR, CITY_ADMIN).' })
  async auditLog(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AuditFilter, { nullable: true, description: 'Which events.' }) filter?: AuditFilter,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<AuditEvent>> {
    const page = pageRequest(first, after);
    // Account ids are numbers: any other value matches nothing (rather than failing in the database).
    if (filter?.accountId && !isId(filter.accountId)) {
      return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: async () => 0 };
    }
    let unitPath: string | null = null;
    if (filter?.unitId) {
      // A unit outside scope is like a missing one: no events.
      const unit = isId(filter.unitId) ? await ctx.loaders.unitById.load(filter.unitId) : null;
      if (!unit) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: async () => 0 };
      unitPath = unit.path;
    }
    return ctx.services.audit.list({ ...filter, unitPath }, page);
  }

  @Query(() => AuditIntegrity, { description: 'Recomputes the audit hash chain, as linked when the request began, and names the first broken event (AUDITOR, CITY_ADMIN).' })
  auditIntegrity(@Ctx() ctx: RequestContext): Promise<AuditIntegrity> {
    return ctx.services.audit.integrity();
  }

  @FieldResolver(() => Account, { nullable: true, description: 'The account that made the change; null for raw SQL or an API key.' })
  actor(@Root() event: AuditEvent, @Ctx() ctx: RequestContext): Promise<Account | null> | null {
    return event.accountId ? ctx.loaders.accountById.load(event.accountId) : null;
  }

  @FieldResolver(() => JSONScalar, { description: 'Changed fields: { column: [old, new] }; a sensitive field you may not read shows as "changed".' })
  changes(@Root() event: AuditEvent, @Ctx() ctx: RequestContext): Record<string, unknown> {
    return visibleChanges(event, requireAccount(ctx));
  }
}
