import { Entity, Enum, Filter, Formula, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { scopeFilter } from '../access/scope';
import { DateScalar } from '../graphql/scalars';

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

@ObjectType({
  description:
    'A party organisation in the tree (tổ chức đảng): city, district, ward/commune or cell. Read as of a date (`asOf`), its name and parent are those of that date.',
})
@Entity({ tableName: 'org_unit' })
@Filter(scopeFilter('path'))
export class OrgUnit {
  @Field(() => ID, { description: 'Stable identifier of the unit.' })
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field({
    description:
      "Unit code (mã tổ chức): made once when the unit is created, from its parent's code, a dot and its name in upper-case ASCII (e.g. DN.HAICHAU.THACHTHANG); it never changes and is never given to another unit, so an old code still finds its unit after a rename, a move or its end.",
  })
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

  @Field(() => DateScalar, { nullable: true, description: 'First day the unit exists (ngày thành lập); null when it existed before the records began.' })
  @Property({ type: 'date', nullable: true })
  validFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'First day the unit no longer exists (merged, split or dissolved: ngày kết thúc); null while it exists.' })
  @Property({ type: 'date', nullable: true })
  validTo?: string | null;

  @Property()
  version: number = 1;
}
