import { escapeLiteral } from 'pg';
import { scopeSql } from '../access/scope';
import { isId } from '../graphql/ids';
import { preloadColumnsSql, type Preload } from '../graphql/preload';
import { probationEndsOnSql } from './lifecycle';
import { MemberOrderField, OrderDirection, type MemberFilter } from './members.inputs';

/**
 * The SQL the members feature sends on its hot reads: member pages (`members`, `OrgUnit.members`),
 * one member (`member`), with the nested lists the query asks for (graphql/preload.ts) in the
 * same statement. Values are `?` placeholders, bound in order; src/members/members.queries.sql is
 * the committed text of each statement (`npm run queries` writes it, a test compares), so a
 * change here shows in review as a change of SQL.
 *
 * Every statement names the caller's scope (scopeSql, the one predicate the ORM's filter uses too)
 * and row-level security binds it again.
 */

/** A statement's text and its values, in the order of the text's placeholders. */
export interface Sql {
  text: string;
  values: unknown[];
}

/**
 * A filter's conditions, and when they only name a unit, statuses and whether members
 * transferred out count, the same question for hoso_member_count (migration 23): the exact total
 * from per-unit counters kept by triggers, instead of counting every matching row under its
 * row-level policy (24,000 rows for a district of the 100,000-member benchmark).
 */
export interface MemberConditions extends Sql {
  counter: { unitId: string | null; subtree: boolean; statuses: string | null; includeTransferredOut: boolean } | null;
  /**
   * Set when the filter has a search text. Its members are found first, and a page and its total
   * read that one set (memberPageSql). `byName`: the members of the whole filter as rows
   * (id, sort_name), read from the name words without visiting a member row, when the filter is
   * the search alone (with or without includeTransferredOut); a member may come more than once.
   * Null when other conditions need the member rows.
   */
  search: { byName: Sql | null } | null;
}

/** A new line under the subquery of a `     and m.id = any(array(select …` condition, so the snapshot reads as SQL. */
const UNDER_ANY = '\n' + ' '.repeat('     and m.id = any(array('.length);

/** Column of each order; every order ends with id so it is total. */
const ORDER_COLUMNS: Record<MemberOrderField, string> = {
  [MemberOrderField.NAME]: 'sort_name',
  [MemberOrderField.DATE_OF_BIRTH]: 'date_of_birth',
  [MemberOrderField.JOINED_ON]: 'joined_on',
};

/**
 * The conditions of a member filter on `m` (scope aside), as SQL and values. `searchNationalId`:
 * whether a search text may match the national ID (only for roles that may read it, since a
 * match reveals it).
 */
export function memberConditions(filter: Partial<MemberFilter> | null | undefined, searchNationalId: boolean): MemberConditions {
  const text: string[] = [];
  const values: unknown[] = [];
  const add = (condition: string, ...given: unknown[]) => {
    text.push(condition);
    values.push(...given);
  };
  if (filter?.unitId) {
    // A unit outside the scope reads as no unit (row-level security on org_unit), so the list is
    // empty, as it is for a unit that does not exist.
    if (filter.includeSubunits === false) add('m.unit_id = (select u.id from org_unit u where u.id = ?::bigint)', filter.unitId);
    else add('m.unit_path <@ (select u.path from org_unit u where u.id = ?::bigint)', filter.unitId);
  }
  const search = filter?.search?.trim().replace(/\s+/g, ' ');
  let searched: MemberConditions['search'] = null;
  if (search) {
    // Name words match from the start of a word: "an" finds "An" and "Anh", not "Toàn"; the text
    // is folded and compared as characters, so "50%" or "_" match only themselves. The names
    // come from the word index of migration 32 (hoso_member_name_matches, under the request's
    // scope), a card number or national ID from its unique index.
    const includeTransferredOut = !!filter?.includeTransferredOut;
    const exact = ['s.party_card_number = ?'];
    const exactValues: unknown[] = [search];
    if (searchNationalId) {
      exact.push('s.national_id = ?');
      exactValues.push(search);
    }
    const names = 'hoso_member_name_matches(hoso_fold(?), ?::boolean) n';
    // The matches are found first, then ordered: with the search as a plain filter, PostgreSQL
    // walks the order's index hoping to meet 20 matches early, and a common name at the end of
    // the alphabet costs a scan of most of the table.
    add(`m.id = any(array(select n.id from ${names}${UNDER_ANY}union all${UNDER_ANY}select s.id from member s where ${exact.join(' or ')}))`, search, includeTransferredOut, ...exactValues);
    const alone = !filter?.unitId && !filter?.status?.length && !filter?.gender && !filter?.bornFrom && !filter?.bornTo
      && typeof filter?.hasNationalId !== 'boolean' && !filter?.probationEndsBy;
    // A member found twice (by two of its words, or by name and card number) is one member:
    // memberPageSql counts and pages distinct ids.
    const byName = alone
      ? {
          text: `  select n.id, n.sort_name from ${names}
   union all
  select s.id, s.sort_name from member s
   where ${exact.length > 1 ? `(${exact.join(' or ')})` : exact[0]}${includeTransferredOut ? '' : '\n     and s.transferred_out_on is null'}
     and s.unit_path <@ hoso_scope()`,
          values: [search, includeTransferredOut, ...exactValues],
        }
      : null;
    searched = { byName };
  }
  // A member transferred to another province or abroad keeps the status but is off these rolls.
  if (!filter?.includeTransferredOut) add('m.transferred_out_on is null');
  if (filter?.status?.length) add('m.status = any(?::text[])', `{${filter.status.join(',')}}`);
  if (filter?.gender) add('m.gender = ?', filter.gender);
  if (filter?.bornFrom) add('m.date_of_birth >= ?::date', filter.bornFrom);
  if (filter?.bornTo) add('m.date_of_birth <= ?::date', filter.bornTo);
  if (typeof filter?.hasNationalId === 'boolean') add(`m.national_id is ${filter.hasNationalId ? 'not ' : ''}null`);
  if (filter?.probationEndsBy) {
    // Probation runs from the admission ceremony, or from readmission for a readmitted member (lifecycle.ts).
    add(`m.status = 'PROBATIONARY'`);
    add(`${probationEndsOnSql('m.admission_ceremony_on', 'm.readmitted_on')} <= ?::date`, filter.probationEndsBy);
  }
  const counted = !search && !filter?.gender && !filter?.bornFrom && !filter?.bornTo && typeof filter?.hasNationalId !== 'boolean' && !filter?.probationEndsBy;
  const counter = counted
    ? {
        unitId: filter?.unitId ?? null,
        subtree: filter?.includeSubunits !== false,
        statuses: filter?.status?.length ? `{${filter.status.join(',')}}` : null,
        includeTransferredOut: !!filter?.includeTransferredOut,
      }
    : null;
  return { text: text.join('\n     and '), values, counter, search: searched };
}

/**
 * The member columns a statement reads: the ones the query's fields need (always with id and
 * unit_id), or null for the whole row. Fewer columns is less for PostgreSQL to turn into JSON and
 * for the API to parse and map, on every row of a page.
 */
export type MemberColumns = readonly string[] | null;

/** `m.*`, or the listed columns of `m` (`alias.column`), for a select list. */
function selectList(alias: string, columns: MemberColumns): string {
  return columns ? columns.map((c) => `${alias}.${c}`).join(', ') : `${alias}.*`;
}

export interface MemberPage {
  scope: string;
  columns: MemberColumns;
  conditions: MemberConditions;
  order: { field: MemberOrderField; direction: OrderDirection };
  /** The cursor's (order value, id), or null for the first page. */
  after: readonly [string, string] | null;
  /** Rows to read: the page size plus one (the extra row says a next page exists). */
  limit: number;
  /** Whether the total over all pages is asked for. */
  count: boolean;
  preloads: readonly Preload<unknown>[];
}

/**
 * One page of members, with its total when asked, as a single row: `total_count` (null when not
 * asked) and `members`, the page's rows as a JSON array in order, each with its `sort_key` (the
 * cursor's first value) and the preloads' columns.
 *
 * With a search, the matches are found once (`matches`: id and order value) and both the page and
 * the total read them, so the search runs once per statement; the page then reads only its own
 * member rows. By name order with nothing but the search, the matches come from the name words
 * alone (MemberConditions.search.byName), so no member row is visited but the page's.
 */
export function memberPageSql(page: MemberPage): Sql {
  const column = ORDER_COLUMNS[page.order.field];
  const dir = page.order.direction === OrderDirection.DESC ? 'desc' : 'asc';
  const where = [scopeSql('m.unit_path'), ...(page.conditions.text ? [page.conditions.text] : [])];
  const whereValues = [page.scope, ...page.conditions.values];
  const after = (alias: string) => `(${alias}.${column}, ${alias}.id) ${dir === 'asc' ? '>' : '<'} (?, ?::bigint)`;
  const columns = page.columns && !page.columns.includes(column) ? [...page.columns, column] : page.columns;
  const select = `select ${selectList('m', columns)}, m.${column}::text as sort_key
    from member m`;
  const order = (alias: string) => `order by ${alias}.${column} ${dir}, ${alias}.id ${dir}`;
  const rest = (count: string) => `select ${count} as total_count,
       coalesce((select json_agg(p ${order('p')})
                   from (select page.*${preloadColumnsSql(page.preloads, 'page').replace(/\n/g, '\n                  ')}
                           from page) p), '[]') as members`;

  if (page.conditions.search) {
    const byName = column === 'sort_name' ? page.conditions.search.byName : null;
    const matches = byName ?? { text: `  select m.id, m.${column}\n    from member m\n   where ${where.join('\n     and ')}`, values: whereValues };
    // The name words give a member once per matching word start ("an" in "Lê An Anh" twice), and
    // a card number may find a member its name found too. Rather than making the matches distinct
    // (hashing every match cost as much as finding it), the total counts distinct ids, and the
    // page reads as many more of the first matches as there are repeated rows: repeats of a
    // member are neighbours in the order, so those hold the first `limit` members.
    const text = `with matches as materialized (
${matches.text}
),
counted as (
  select count(*) as found, count(distinct x.id) as members from matches x
),
page as (
  ${select}
   where ${scopeSql('m.unit_path')}
     and m.id = any(array(select x.id from matches x${page.after ? `${UNDER_ANY}where ${after('x')}` : ''}${UNDER_ANY}${order('x')}${UNDER_ANY}limit ? + (select c.found - c.members from counted c)))
   ${order('m')}
   limit ?
)
${rest(page.count ? '(select c.members from counted c)' : 'null::bigint')}`;
    return { text, values: [...matches.values, page.scope, ...(page.after ?? []), page.limit, page.limit] };
  }

  const pageWhere = [...where];
  const pageValues = [...whereValues];
  if (page.after) {
    pageWhere.push(after('m'));
    pageValues.push(...page.after);
  }
  const counter = page.conditions.counter;
  const count = !page.count
    ? 'null::bigint'
    : counter
      ? 'hoso_member_count(?::bigint, ?::boolean, ?::text[], ?::boolean)'
      : `(select count(*) from member m\n   where ${where.join('\n     and ')})`;
  const countValues = !page.count ? [] : counter ? [counter.unitId, counter.subtree, counter.statuses, counter.includeTransferredOut] : whereValues;
  const text = `with page as (
  ${select}
   where ${pageWhere.join('\n     and ')}
   ${order('m')}
   limit ?
)
${rest(count)}`;
  return { text, values: [...pageValues, page.limit, ...countValues] };
}

/** One member by id or by party card number, in scope, with the preloads' columns. */
export function memberSql(scope: string, columns: MemberColumns, by: 'id' | 'partyCardNumber', value: string, preloads: readonly Preload<unknown>[]): Sql {
  const text = `select ${selectList('m', columns)}${preloadColumnsSql(preloads, 'm')}
  from member m
 where ${scopeSql('m.unit_path')}
   and ${by === 'id' ? 'm.id = ?::bigint' : 'm.party_card_number = ?'}`;
  return { text, values: [scope, value] };
}

/**
 * updateMember's hot path (member-records.service.ts, `update`) runs on these two statements
 * instead of MikroORM's load, changeset and flush, which were most of that mutation's CPU time.
 *
 * The whole row of the member to correct, in scope, locked until the request's transaction ends
 * (`for update`: the lock comes before the version check, see findForChange and decisions.md).
 * It is sent in the mutation's savepoint message (graphql/mutation.ts, `firstRead`), where nothing
 * can be bound, so its two values are written in: the id only when it is digits (isId), the scope
 * (a path the server read from the database) quoted by the driver.
 */
export function memberForChangeSql(scope: string, id: string): string {
  if (!isId(id)) throw new Error('the member to change is named by an id');
  return `select m.*
  from member m
 where m.unit_path <@ ${escapeLiteral(scope)}::ltree
   and m.id = ${id}::bigint
   for update`;
}

/**
 * Writes the changed columns of a member and the next version, if the row still has the version
 * read under the lock, and returns the version written. `changes`: column → value; the
 * columns are the entity's own (from its metadata, never from the request), so only the values
 * are bound. Each set of changed columns is its own text (a phone correction is one), prepared
 * like any other statement of a queries file.
 */
export function memberUpdateSql(scope: string, id: string, version: number, changes: ReadonlyMap<string, unknown>): Sql {
  const columns = [...changes.keys()];
  const text = `update member m
   set ${[...columns.map((c) => `${c} = ?`), 'version = m.version + 1'].join(',\n       ')}
 where ${scopeSql('m.unit_path')}
   and m.id = ?::bigint
   and m.version = ?
returning m.version`;
  return { text, values: [...changes.values(), scope, id, version] };
}

/** A member's rows of one table (a sub-record, its periods), all of them, as a JSON array in `order`. */
export function memberRowsJson(table: string, order: string, parent: string): string {
  return `coalesce((select json_agg(x order by ${order}) from ${table} x where x.member_id = ${parent}.id), '[]')`;
}

/**
 * The statements of this file as the snapshot shows them (src/members/members.queries.sql): the
 * shapes the API sends, each with the preloads a client typically asks for. The composition root
 * passes every feature's preloads.
 */
export function queryExamples(preloads: readonly Preload<unknown>[]): { name: string; text: string }[] {
  const pick = (...names: string[]) => preloads.filter((p) => p.type === 'Member' && names.includes(p.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
  const name = { field: MemberOrderField.NAME, direction: OrderDirection.ASC };
  // The columns of a list showing name, gender, birth date, status, card number and unit.
  const LIST_COLUMNS = ['id', 'unit_id', 'full_name', 'gender', 'date_of_birth', 'status', 'party_card_number'];
  const everyFilter = memberConditions(
    {
      unitId: '1',
      includeSubunits: true,
      search: 'nguyen',
      status: ['OFFICIAL' as never],
      gender: 'FEMALE' as never,
      bornFrom: '1960-01-01',
      bornTo: '1990-12-31',
      hasNationalId: false,
      probationEndsBy: '2026-12-31',
      includeTransferredOut: false,
    },
    true,
  );
  return [
    {
      name: 'members page: first page by name, with the total and each member’s unit (a district’s list)',
      text: memberPageSql({ scope: '1', columns: LIST_COLUMNS, conditions: memberConditions(null, false), order: name, after: null, limit: 51, count: true, preloads: pick('unit') }).text,
    },
    {
      name: 'members page: name search, with the total and units (a role that may read national IDs)',
      text: memberPageSql({ scope: '1', columns: LIST_COLUMNS, conditions: memberConditions({ search: 'nguyen thi huong' }, true), order: name, after: null, limit: 21, count: true, preloads: pick('unit') }).text,
    },
    {
      name: 'members page: every filter, by date of birth descending, after a cursor, the whole row, without the total or nested lists',
      text: memberPageSql({ scope: '1', columns: null, conditions: everyFilter, order: { field: MemberOrderField.DATE_OF_BIRTH, direction: OrderDirection.DESC }, after: ['1980-01-01', '1'], limit: 21, count: false, preloads: [] }).text,
    },
    {
      name: 'member by party card number, with unit, posts, awards and ratings',
      text: memberSql('1', [...LIST_COLUMNS, 'joined_on', 'official_on'], 'partyCardNumber', '48000001', pick('unit', 'posts', 'awards', 'ratings')).text,
    },
    {
      name: 'member by id, the whole row (as read for an earlier instant), with every nested list',
      text: memberSql('1', null, 'id', '1', pick(...preloads.filter((p) => p.type === 'Member').map((p) => p.name))).text,
    },
    {
      name: 'updateMember: the member to correct, locked before its version is compared (sent with the savepoint, its values written in)',
      text: memberForChangeSql('1', '1'),
    },
    {
      name: 'updateMember: a phone correction (the changed columns and the next version, if the version is still the one read)',
      text: memberUpdateSql('1', '1', 1, new Map([['phone', '0905123456']])).text,
    },
  ];
}
