import { Entity, Enum, Filter, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from '../access/roles';
import { scopeFilterByUnit } from '../access/scope';
import { OrgUnit } from '../units/org-unit.entity';

@ObjectType({ description: 'A user account (tài khoản) of organisation staff, committees, reporting tools or inspectors.' })
@Entity({ tableName: 'account' })
@Filter(scopeFilterByUnit('unit_id'))
export class Account {
  @Field(() => ID, { description: 'Stable identifier of the account.' })
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field({ description: 'Login name (tên đăng nhập).' })
  @Property()
  username!: string;

  /** argon2id hash; never exposed. */
  @Property({ hidden: true })
  passwordHash!: string;

  @Field(() => Role, { description: 'Role (vai trò) deciding what the account may do in its scope.' })
  @Enum(() => Role)
  role!: Role;

  /** The unit whose subtree is the account's scope; exposed through AccountResolver.unit. */
  @ManyToOne(() => OrgUnit, { ref: true, fieldName: 'unit_id' })
  unit!: Ref<OrgUnit>;

  @Property()
  active: boolean = true;

  @Property()
  version: number = 1;
}
