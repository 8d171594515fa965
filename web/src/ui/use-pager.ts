import { useState } from 'react';

/** What a Relay connection says about the page after the one shown. */
export interface PageInfoLike {
  hasNextPage: boolean;
  endCursor?: string | null;
}

/** Where a pager may keep its cursors beyond the component (e.g. the history entry), by list key. */
export interface CursorStore {
  load(key: string): (string | null)[] | null;
  save(key: string, cursors: (string | null)[]): void;
}

export interface PagerState {
  /** The `after` of the page shown (null: the first page). */
  after: string | null;
  /** 1 for the first page. */
  page: number;
  hasPrevious: boolean;
  /** Whether there is a page after this one that can be reached: the API said so and gave its cursor. */
  hasNext(pageInfo: PageInfoLike | null | undefined): boolean;
  /** To the page after the one shown; nothing when the API gave no cursor (never back to page 1). */
  next(pageInfo: PageInfoLike | null | undefined): void;
  previous(): void;
  /** Back to the first page (e.g. after the API refused a stale cursor). */
  reset(): void;
}

/**
 * Paging over a Relay connection, which goes forward only: a stack of the `after` cursors of the
 * pages up to the one shown, so "previous" walks back. The stack belongs to one list (`key`: its
 * filter, order, page size…); another key starts at the first page. `store` keeps it elsewhere
 * too, so a list can come back to the page it was on (the member list keeps it in history.state).
 */
export function usePager(key: string, store?: CursorStore): PagerState {
  const [stack, setStack] = useState<{ key: string; cursors: (string | null)[] }>(() => ({ key, cursors: loaded(store, key) }));
  const cursors = stack.key === key ? stack.cursors : loaded(store, key);
  const move = (next: (string | null)[]) => {
    setStack({ key, cursors: next });
    store?.save(key, next);
  };
  const reachable = (pageInfo: PageInfoLike | null | undefined): pageInfo is PageInfoLike & { endCursor: string } =>
    !!pageInfo?.hasNextPage && typeof pageInfo.endCursor === 'string' && pageInfo.endCursor !== '';
  return {
    after: cursors[cursors.length - 1] ?? null,
    page: cursors.length,
    hasPrevious: cursors.length > 1,
    hasNext: reachable,
    next(pageInfo) {
      if (reachable(pageInfo)) move([...cursors, pageInfo.endCursor]);
    },
    previous() {
      if (cursors.length > 1) move(cursors.slice(0, -1));
    },
    reset() {
      move([null]);
    },
  };
}

function loaded(store: CursorStore | undefined, key: string): (string | null)[] {
  const cursors = store?.load(key);
  // A stored stack starts at the first page (null) and holds cursors (strings) after it.
  return cursors && cursors.length > 0 && cursors[0] === null && cursors.slice(1).every((c) => typeof c === 'string') ? cursors : [null];
}
