import { useCallback, useEffect, useRef, useState } from 'react';
import type { TadaDocumentNode } from 'gql.tada';
import { ApiError, request } from '../api/client';

export interface QueryState<Result> {
  data: Result | null;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

/**
 * Runs a query whenever its variables change (compared as JSON) and keeps the last answer on
 * screen while the next one loads, so typing in a search box does not blank the list.
 * An answer that arrives after a newer request was sent is dropped.
 */
export function useQuery<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  options: { skip?: boolean } = {},
): QueryState<Result> {
  const [data, setData] = useState<Result | null>(null);
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
        setData(result);
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
  return { data, error, loading, reload };
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
