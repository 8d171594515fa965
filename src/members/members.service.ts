import { raw } from '@mikro-orm/core';
import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import { can } from '../access/capabilities';
import { readOnlyFromRow } from '../database/read-only';
import { scopedQuery } from '../database/scoped-query';
import { codedError } from '../graphql/errors';
import { connectionFrom, cursorAfter, type Connection, type CursorPart, type PageRequest } from '../graphql/connection';
import type { UnitLoaders } from '../units/units.loaders';
import { Member } from './member.entity';
import { MemberOrderField, OrderDirection, type MemberFilter, type MemberOrder } from './members.inputs';
import { isId } from '../graphql/ids';
import { probationEndsOnSql } from './lifecycle';

/** Column and cursor type of each order; every order ends with id so it is total. */
const ORDER_COLUMNS: Record<MemberOrderField, string> = {
  [MemberOrderField.NAME]: 'sort_name',
  [MemberOrderField.DATE_OF_BIRTH]: 'date_of_birth',
  [MemberOrderField.JOINED_ON]: 'joined_on',
};

/** What the first component of each order's cursor holds (the second is the id). */
const ORDER_CURSORS: Record<MemberOrderField, CursorPart> = {
  [MemberOrderField.NAME]: 'text',
  [MemberOrderField.DATE_OF_BIRTH]: 'date',
  [MemberOrderField.JOINED_ON]: 'date',
};

const DEFAULT_ORDER: MemberOrder = { field: MemberOrderField.NAME, direction: OrderDirection.ASC };

/** Escapes LIKE wildcards so a search for "50%" means the characters, not a pattern. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class MembersService {
  constructor(
    private readonly em: EntityManager,
    private readonly account: AuthAccount,
    private readonly loaders: UnitLoaders,
  ) {}

  /** One member by id or card number; null when absent or outside scope (the two look the same). */
  async findOne(where: { id?: string | null; partyCardNumber?: string | null }): Promise<Member | null> {
    const given = [where.id, where.partyCardNumber].filter((v) => v !== undefined && v !== null);
    if (given.length !== 1) {
      throw codedError('BAD_USER_INPUT', 'Give exactly one of id or partyCardNumber.');
    }
    if (where.id !== undefined && where.id !== null) {
      if (!isId(where.id)) return null;
      return this.em.findOne(Member, { id: where.id });
    }
    return this.em.findOne(Member, { partyCardNumber: where.partyCardNumber!.trim() });
  }

  /** A page of members matching the filter, in scope, in a total order, with a lazy total count. */
  async list(filter: MemberFilter | null | undefined, order: MemberOrder | null | undefined, page: PageRequest): Promise<Connection<Member>> {
    const filtered = await this.filtered(filter);
    // A unit outside scope is indistinguishable from a missing one: the list is empty.
    if (!filtered) return connectionFrom([], page, () => [], async () => 0);
    const { qb } = filtered;

    const countQb = qb.clone();
    const { field, direction } = order ?? DEFAULT_ORDER;
    const column = ORDER_COLUMNS[field];
    const dir = direction === OrderDirection.DESC ? 'desc' : 'asc';
    const after = cursorAfter(page, [ORDER_CURSORS[field], 'id'] as const);
    if (after) {
      const [value, id] = after;
      qb.andWhere(`(m.${column}, m.id) ${dir === 'asc' ? '>' : '<'} (?, ?)`, [value, id]);
    }
    qb.select(['m.*', raw(`m.${column}::text as sort_key`)])
      .orderBy({ [raw(`m.${column}`)]: dir, id: dir })
      .limit(page.first + 1);

    const rows = (await qb.execute('all', false)) as Record<string, unknown>[];
    const members = rows.map((row) => ({ member: readOnlyFromRow(this.em, Member, row), key: [String(row.sort_key), String(row.id)] }));
    const connection = connectionFrom(members, page, (r) => r.key, () => countQb.getCount());
    return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: e.node.member })) };
  }

  /**
   * The members matching a filter, in scope, as a query builder over `m` (lists and exports);
   * null when the filter names a unit outside scope.
   */
  async filtered(filter: MemberFilter | null | undefined): Promise<{ qb: QueryBuilder<Member> } | null> {
    const { qb } = await scopedQuery(this.em, Member, 'm');
    if (filter?.unitId) {
      const unit = isId(filter.unitId) ? await this.loaders.unitById.load(filter.unitId) : null;
      if (!unit) return null;
      if (filter.includeSubunits === false) qb.andWhere({ unit: unit.id });
      else qb.andWhere('m.unit_path <@ ?::ltree', [unit.path]);
    }
    const search = filter?.search?.trim().replace(/\s+/g, ' ');
    if (search) {
      // Name words match from the start of a word: "an" finds "An" and "Anh", not "Toàn".
      const conditions = [
        `m.search_name like hoso_fold(?) || '%'`,
        `m.search_name like '% ' || hoso_fold(?) || '%'`,
        'm.party_card_number = ?',
      ];
      const params: unknown[] = [likeLiteral(search), likeLiteral(search), search];
      // Matching a national ID reveals it; only roles that may read it may search by it.
      if (can(this.account.role, 'readSensitive')) {
        conditions.push('m.national_id = ?');
        params.push(search);
      }
      // The matches are found first (trigram and unique indexes), then ordered: with the search
      // as a plain filter, PostgreSQL walks the order's index hoping to meet 20 matches early,
      // and a common name at the end of the alphabet costs a scan of most of the table.
      qb.andWhere(`m.id = any(array(select s.id from member s where ${conditions.join(' or ').replace(/\bm\./g, 's.')}))`, params);
    }
    // A member transferred to another province or abroad keeps the status but is off these rolls.
    if (!filter?.includeTransferredOut) qb.andWhere({ transferredOutOn: null });
    if (filter?.status?.length) qb.andWhere({ status: { $in: filter.status } });
    if (filter?.gender) qb.andWhere({ gender: filter.gender });
    if (filter?.bornFrom) qb.andWhere({ dateOfBirth: { $gte: filter.bornFrom } });
    if (filter?.bornTo) qb.andWhere({ dateOfBirth: { $lte: filter.bornTo } });
    if (typeof filter?.hasNationalId === 'boolean') qb.andWhere({ nationalId: filter.hasNationalId ? { $ne: null } : null });
    if (filter?.probationEndsBy) {
      // Probation runs from the admission ceremony, or from readmission for a readmitted member (lifecycle.ts).
      qb.andWhere({ status: 'PROBATIONARY' });
      qb.andWhere(`${probationEndsOnSql('m.admission_ceremony_on', 'm.readmitted_on')} <= ?::date`, [filter.probationEndsBy]);
    }

    return { qb };
  }
}
