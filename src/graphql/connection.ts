import type { ClassType } from 'type-graphql';
import { Field, Int, ObjectType } from 'type-graphql';
import { codedError } from './errors';
import { isId } from './ids';
import { isIsoDate } from './scalars';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ description: 'Where a page of a connection stands (Relay).', simpleResolvers: true })
export class PageInfo {
  @Field({ description: 'True when more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  /** Counted only when asked for: graphql-js calls a function-valued field. */
  totalCount: () => Promise<number>;
}

/** Declares `<Name>Connection` and `<Name>Edge` for a node type: the one connection shape of the API. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string, description: string) {
  @ObjectType(`${name}Edge`, { description: `One ${description} in a page, with its cursor.`, simpleResolvers: true })
  class Edge {
    @Field({ description: 'Opaque position of this item; pass it as `after` to continue from here.' })
    cursor!: string;

    @Field(() => node, { description: 'The item.' })
    node!: T;
  }

  // simpleResolvers: graphql-js's default resolver, which calls the lazy totalCount function.
  @ObjectType(`${name}Connection`, { description: `A page of ${description}s (Relay connection).`, simpleResolvers: true })
  class ConnectionClass {
    @Field(() => [Edge], { description: 'The items of this page, in order.' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Whether more items follow, and the cursor to continue from.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of matching items in your scope, over all pages.' })
    totalCount!: number;
  }
  return ConnectionClass;
}

/** A page request checked against the API's limits: `first` between 0 and 100, `after` a cursor of ours. */
export interface PageRequest {
  first: number;
  after: unknown[] | null;
}

export function pageRequest(first: number | null | undefined, after: string | null | undefined): PageRequest {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw codedError('BAD_USER_INPUT', `first must be between 0 and ${MAX_PAGE_SIZE}, got ${size}.`, { argument: 'first' });
  }
  return { first: size, after: after ? decodeCursor(after) : null };
}

/** What one component of a cursor holds: a record id, a text sort key, or a calendar date. */
export type CursorPart = 'id' | 'text' | 'date';

const notOurs = () => codedError('BAD_USER_INPUT', 'after is not a cursor of this list.', { argument: 'after' });

/** Longest text sort key a cursor may carry: more than any name or code the lists order by. */
const MAX_CURSOR_TEXT = 1000;

/**
 * The components of `after`, checked against the shape the list's cursors have, or null when
 * there is no cursor. A cursor is opaque but not trusted: a client can send any base64 JSON, so
 * each component is checked before it reaches SQL (an id beyond bigint, a date that is not one,
 * text with a NUL byte would make PostgreSQL refuse the query): any other shape is BAD_USER_INPUT.
 */
export function cursorAfter<const S extends readonly CursorPart[]>(page: PageRequest, shape: S): { [K in keyof S]: string } | null {
  if (!page.after) return null;
  if (page.after.length !== shape.length) throw notOurs();
  shape.forEach((part, i) => {
    const value = page.after![i];
    const ok =
      part === 'id'
        ? isId(value)
        : part === 'date'
          ? typeof value === 'string' && isIsoDate(value)
          : typeof value === 'string' && value.length <= MAX_CURSOR_TEXT && !value.includes('\u0000');
    if (!ok) throw notOurs();
  });
  return page.after as { [K in keyof S]: string };
}

/** The id a list ordered by id continues after, or null; a cursor that is not an id is BAD_USER_INPUT. */
export function idAfter(page: PageRequest): string | null {
  return cursorAfter(page, ['id'] as const)?.[0] ?? null;
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(cursor: string): unknown[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length > 0) return values;
  } catch {
    // fall through to the error below
  }
  throw codedError('BAD_USER_INPUT', 'after is not a cursor returned by this API.', { argument: 'after' });
}

/**
 * Builds a connection from rows fetched with `limit first + 1`: the extra row only says that a
 * next page exists.
 */
export function connectionFrom<T>(
  rows: T[],
  page: PageRequest,
  cursorOf: (row: T) => unknown[],
  totalCount: () => Promise<number>,
): Connection<T> {
  const hasNextPage = rows.length > page.first;
  const items = hasNextPage ? rows.slice(0, page.first) : rows;
  const edges = items.map((node) => ({ node, cursor: encodeCursor(cursorOf(node)) }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: { hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount: () => (counted ??= totalCount()),
  };
}
