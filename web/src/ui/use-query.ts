import { useCallback, useEffect, useRef, useState } from 'react';
import type { TadaDocumentNode } from 'gql.tada';
import { ApiError, request } from '../api/client';

export interface QueryState<Result> {
  /** The last answer, possibly to earlier variables (see `dataFor`). */
  data: Result | null;
  /** The variables (as JSON) `data` answers; null before any answer. */
  dataFor: string | null;
  /**
   * `data` only when it answers the variables asked now: what a screen that must not show one
   * thing's answer under another's heading (a member's file as of a day) shows; null meanwhile.
   */
  currentData: Result | null;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

/**
 * Runs a query whenever its variables change (compared as JSON) and keeps the last answer on
 * screen while the next one loads, so typing in a search box does not blank the list: `data`.
 * A screen for which an answer to other variables would mislead uses `currentData` instead.
 * An answer that arrives after a newer request was sent is dropped.
 */
export function useQuery<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  options: { skip?: boolean } = {},
): QueryState<Result> {
  const [answer, setAnswer] = useState<{ data: Result; for: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(!options.skip);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const key = JSON.stringify(variables);

  useEffect(() => {
    if (options.skip) return;
    const ticket = ++latest.current;
    setLoading(true);
    request(document, JSON.parse(key) as Variables).then(
      (result) => {
        if (ticket !== latest.current) return;
        setAnswer({ data: result, for: key });
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (ticket !== latest.current) return;
        setError(failure instanceof ApiError ? failure : new ApiError(String(failure), 'ERROR'));
        setLoading(false);
      },
    );
  }, [document, key, generation, options.skip]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const data = answer?.data ?? null;
  const dataFor = answer?.for ?? null;
  return { data, dataFor, currentData: dataFor === key ? data : null, error, loading, reload };
}

/** A value that follows `value` after `delay` ms of quiet: search as you type without a request per key. */
export function useDebounced<T>(value: T, delay = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}
