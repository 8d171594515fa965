import { Entity, Enum, Filter, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from '../access/roles';
import { scopeFilterByUnit } from '../access/scope';
import { DateTimeScalar } from '../graphql/scalars';
import { OrgUnit } from '../units/org-unit.entity';
import { Account } from './account.entity';

@ObjectType({ description: 'A key a reporting tool uses as a bearer token (khóa API); it acts with its role over its unit’s subtree.' })
@Entity({ tableName: 'api_key' })
@Filter(scopeFilterByUnit('unit_id'))
export class ApiKey {
  [OptionalProps]?: 'createdAt' | 'version' | 'revokedAt' | 'lastUsedAt' | 'createdBy';

  @Field(() => ID, { description: 'Identifier of the key (also its public part).' })
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field({ description: 'What the key is for, e.g. "Báo cáo thống kê quý".' })
  @Property()
  name!: string;

  /** SHA-256 of the secret; the secret itself is never stored. */
  @Property({ hidden: true })
  secretHash!: string;

  @Field(() => Role, { description: 'Role the key acts with.' })
  @Enum(() => Role)
  role!: Role;

  @ManyToOne(() => OrgUnit, { ref: true, fieldName: 'unit_id' })
  unit!: Ref<OrgUnit>;

  @ManyToOne(() => Account, { ref: true, nullable: true, fieldName: 'created_by' })
  createdBy?: Ref<Account> | null;

  @Field(() => DateTimeScalar, { description: 'When the key was created.' })
  @Property({ defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the key was revoked; a revoked key no longer works.' })
  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Last use, to the minute.' })
  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date | null;

  @Property()
  version: number = 1;
}
