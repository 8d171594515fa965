import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import { can } from '../access/capabilities';
import { readOnlyFromRow } from '../database/read-only';
import { scopedQuery } from '../database/scoped-query';
import { codedError } from '../graphql/errors';
import type { Loaders } from '../access/context';
import { runStatement } from '../database/sql';
import { preloadsFor, primePreloads, type Preload } from '../graphql/preload';
import { memberConditions, memberPageSql, memberSql, type MemberColumns } from './members.queries';
import { connectionFrom, cursorAfter, type Connection, type CursorPart, type PageRequest } from '../graphql/connection';
import { Member } from './member.entity';
import { MemberOrderField, OrderDirection, type MemberFilter, type MemberOrder } from './members.inputs';
import { isId } from '../graphql/ids';

/** What the first component of each order's cursor holds (the second is the id). */
const ORDER_CURSORS: Record<MemberOrderField, CursorPart> = {
  [MemberOrderField.NAME]: 'text',
  [MemberOrderField.DATE_OF_BIRTH]: 'date',
  [MemberOrderField.JOINED_ON]: 'date',
};

const DEFAULT_ORDER: MemberOrder = { field: MemberOrderField.NAME, direction: OrderDirection.ASC };

/**
 * Member fields answered by a resolver from a column of another name (catalogue labels), or from
 * the id alone (the audit history). Fields that are properties of the entity read their own
 * columns; fields of a preload read the id; any other field reads the whole row.
 */
const RESOLVER_COLUMNS: Record<string, readonly string[]> = {
  __typename: [],
  ethnicity: ['ethnicity'],
  ethnicityCode: ['ethnicity'],
  religion: ['religion'],
  religionCode: ['religion'],
  history: [],
  probationEndsOn: ['status', 'joined_on', 'admission_ceremony_on', 'readmitted_on'],
  hasNationalId: ['national_id'],
};

/** What the query asks under the members read: the total, and the fields of each member (for preloads). */
export interface MemberSelection {
  count: boolean;
  fields: ReadonlySet<string>;
}

export class MembersService {
  constructor(
    private readonly em: EntityManager,
    private readonly account: AuthAccount,
    private readonly loaders: Loaders,
    private readonly preloads: readonly Preload<Loaders>[],
  ) {}

  /** The columns the asked fields need (members.queries.ts, MemberColumns), or null for the whole row. */
  private columnsFor(fields: ReadonlySet<string>): MemberColumns {
    const columns = new Set(['id', 'unit_id']);
    const meta = this.em.getMetadata().find(Member.name)!;
    for (const field of fields) {
      if (this.preloads.some((p) => p.type === 'Member' && p.fields.includes(field))) continue;
      const property = (meta.properties as Record<string, (typeof meta.props)[number] | undefined>)[field];
      const own =
        RESOLVER_COLUMNS[field] ??
        (property?.kind === 'embedded'
          ? meta.props.filter((p) => p.embedded?.[0] === field).flatMap((p) => p.fieldNames)
          : property && !property.formula && property.persist !== false
            ? property.fieldNames
            : null);
      if (!own) return null;
      for (const column of own) columns.add(column);
    }
    return [...columns];
  }

  /** The member read from a row of members.queries.ts, its preloaded fields handed to their loaders. */
  private memberOf(row: Record<string, unknown>, preloads: readonly Preload<Loaders>[]): Member {
    const member = readOnlyFromRow(this.em, Member, row);
    primePreloads(preloads, this.loaders, this.em, member.id, row);
    return member;
  }

  /** One member by id or card number; null when absent or outside scope (the two look the same). */
  async findOne(
    where: { id?: string | null; partyCardNumber?: string | null },
    fields: ReadonlySet<string> | 'whole row' = 'whole row',
  ): Promise<Member | null> {
    const given = [where.id, where.partyCardNumber].filter((v) => v !== undefined && v !== null);
    if (given.length !== 1) {
      throw codedError('BAD_USER_INPUT', 'Give exactly one of id or partyCardNumber.');
    }
    if (where.id !== undefined && where.id !== null && !isId(where.id)) return null;
    const preloads = fields === 'whole row' ? [] : preloadsFor(this.preloads, 'Member', fields);
    const columns = fields === 'whole row' ? null : this.columnsFor(fields);
    const by = where.id !== undefined && where.id !== null ? ({ by: 'id', value: where.id } as const) : ({ by: 'partyCardNumber', value: where.partyCardNumber!.trim() } as const);
    const { text, values } = memberSql(this.account.scope.path, columns, by.by, by.value, preloads);
    const [row] = await runStatement(this.em, text, values);
    return row ? this.memberOf(row, preloads) : null;
  }

  /**
   * A page of members matching the filter, in scope, in a total order: one statement, with the
   * total when the query asks for it and the nested lists it asks for (preloads).
   */
  async list(
    filter: MemberFilter | null | undefined,
    order: MemberOrder | null | undefined,
    page: PageRequest,
    selection: MemberSelection = { count: true, fields: new Set() },
  ): Promise<Connection<Member>> {
    // A unit id that is not one names no unit: the list is empty, as for a unit outside scope.
    if (filter?.unitId && !isId(filter.unitId)) return connectionFrom([], page, () => [], async () => 0);
    const { field, direction } = order ?? DEFAULT_ORDER;
    const preloads = preloadsFor(this.preloads, 'Member', selection.fields);
    const conditions = memberConditions(filter, can(this.account.role, 'readSensitive'));
    const after = cursorAfter(page, [ORDER_CURSORS[field], 'id'] as const);
    const { text, values } = memberPageSql({
      scope: this.account.scope.path,
      columns: this.columnsFor(selection.fields),
      conditions,
      order: { field, direction },
      after,
      limit: page.first + 1,
      count: selection.count,
      preloads,
    });
    const [result] = await runStatement<{ total_count: string | null; members: Record<string, unknown>[] }>(this.em, text, values);
    const members = result.members.map((row) => ({ member: this.memberOf(row, preloads), key: [String(row.sort_key), String(row.id)] }));
    const total = result.total_count;
    const connection = connectionFrom(members, page, (r) => r.key, async () => {
      if (total !== null) return Number(total);
      // Asked for in a way the selection did not show (it always shows a plain `totalCount`).
      const counted = memberPageSql({ scope: this.account.scope.path, columns: ['id'], conditions, order: { field, direction }, after: null, limit: 0, count: true, preloads: [] });
      const [again] = await runStatement<{ total_count: string }>(this.em, counted.text, counted.values);
      return Number(again.total_count);
    });
    return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: e.node.member })) };
  }

  /**
   * The members matching a filter, in scope, as a query builder over `m` (exports); null when the
   * filter names a unit outside scope.
   */
  async filtered(filter: MemberFilter | null | undefined): Promise<{ qb: QueryBuilder<Member> } | null> {
    if (filter?.unitId && !(isId(filter.unitId) && (await this.loaders.unitById.load(filter.unitId)))) return null;
    const { qb } = await scopedQuery(this.em, Member, 'm');
    const conditions = memberConditions(filter, can(this.account.role, 'readSensitive'));
    if (conditions.text) qb.andWhere(conditions.text, conditions.values);
    return { qb };
  }
}
