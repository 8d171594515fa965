import { Entity, Enum, Filter, Formula, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { scopeFilter } from '../access/scope';

export enum UnitKind {
  CITY = 'CITY',
  DISTRICT = 'DISTRICT',
  WARD = 'WARD',
  CELL = 'CELL',
}

registerEnumType(UnitKind, {
  name: 'UnitKind',
  description: 'The label of a unit in the tree. Kinds are labels, not fixed levels: the tree may lose a tier.',
  valuesConfig: {
    CITY: { description: 'Thành ủy / Đảng bộ thành phố — the root.' },
    DISTRICT: { description: 'Quận ủy, Huyện ủy, Đảng ủy khối (abolished 1 Jul 2025).' },
    WARD: { description: 'Đảng ủy phường/xã — grassroots organisation (tổ chức cơ sở đảng) keeping the original files.' },
    CELL: { description: 'Chi bộ — where a member is registered and active.' },
  },
});

@ObjectType({ description: 'A party organisation in the tree (tổ chức đảng): city, district, ward/commune or cell.' })
@Entity({ tableName: 'org_unit' })
@Filter(scopeFilter('path'))
export class OrgUnit {
  @Field(() => ID, { description: 'Stable identifier of the unit.' })
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field({ description: "Unit code: the parent's code, a dot, the name in upper-case ASCII (e.g. DN.HAICHAU.THACHTHANG)." })
  @Property({ unique: true })
  code!: string;

  @Field({ description: 'Name with Vietnamese diacritics (tên tổ chức đảng), e.g. "Phường Thạch Thang".' })
  @Property()
  name!: string;

  @Field(() => UnitKind, { description: 'Kind of unit (cấp).' })
  @Enum(() => UnitKind)
  kind!: UnitKind;

  @ManyToOne(() => OrgUnit, { ref: true, nullable: true, fieldName: 'parent_id' })
  parent?: Ref<OrgUnit>;

  /** ltree of ids from the root (e.g. "1.3.40"); written by a database trigger, so read-only here. */
  @Formula((alias) => `${alias}.path::text`, { lazy: false })
  path!: string;

  @Property()
  version: number = 1;
}
