import { BigIntType, Entity, Filter, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { scopeFilter } from '../access/scope';
import { DateTimeScalar } from '../graphql/scalars';

/** One recorded change (written by the database's audit trigger; never changed or removed). */
@ObjectType({ description: 'A recorded change to a record (nhật ký thay đổi), written by the database and never altered.' })
@Entity({ tableName: 'audit_event', readonly: true })
@Filter(scopeFilter('scope_path'))
export class AuditEvent {
  @Field(() => ID, { description: 'Identifier of the event.' })
  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Field(() => DateTimeScalar, { description: 'When the change was written.' })
  @Property({ type: 'datetime' })
  at!: Date;

  /** The account that made the change; null for raw SQL outside the API or an API key. */
  @Property({ type: new BigIntType('string'), nullable: true })
  accountId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The API key that made the change, if one did.' })
  @Property({ type: new BigIntType('string'), nullable: true })
  apiKeyId?: string | null;

  @Field(() => String, { nullable: true, description: 'Request id (x-request-id) of the change.' })
  @Property({ nullable: true })
  requestId?: string | null;

  @Field(() => String, { nullable: true, description: 'The reason given with the change (lý do).' })
  @Property({ nullable: true })
  reason?: string | null;

  @Field({ description: 'INSERT, UPDATE or DELETE.' })
  @Property()
  action!: string;

  @Field({ description: 'Kind of record: the table, e.g. member, award, transfer.' })
  @Property()
  entityType!: string;

  @Field(() => ID, { description: 'Id of the record changed.' })
  @Property()
  entityId!: string;

  /** The member the record belongs to, if any. */
  @Property({ type: new BigIntType('string'), nullable: true })
  memberId?: string | null;

  /** Changed columns: { column: [old, new] }; exposed (redacted where needed) by the resolver. */
  @Property({ type: 'json' })
  changes!: Record<string, [unknown, unknown]>;
}
