import { useCallback, useEffect, useState } from 'react';
import { ApiError, request } from '../../api/client';
import type { ResultOf } from '../../api/graphql';
import { ErrorBox, Loading } from '../../ui/components';
import { formatDateTime } from '../../ui/format';
import { actionLabel, columnLabel, entityLabel, HIDDEN_COLUMNS, historyValue } from '../../ui/labels';
import { MemberHistoryQuery } from './queries';

type HistoryEvent = NonNullable<ResultOf<typeof MemberHistoryQuery>['member']>['history']['edges'][number]['node'];

/**
 * Lịch sử thay đổi: the member's audit trail, newest first, 50 events a page. Reads of sensitive
 * fields are in the same trail (one each time a file is opened by staff), so they are hidden
 * unless asked for: otherwise they bury the changes.
 */
export function MemberHistory({ memberId }: { memberId: string }) {
  const [events, setEvents] = useState<HistoryEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [showReads, setShowReads] = useState(false);

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      try {
        const { member } = await request(MemberHistoryQuery, { id: memberId, after });
        const page = member?.history;
        setEvents((before) => (after ? [...before, ...(page?.edges.map((e) => e.node) ?? [])] : (page?.edges.map((e) => e.node) ?? [])));
        setNext(page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);
        setTotal(page?.totalCount ?? 0);
        setError(null);
      } catch (failure) {
        setError(failure instanceof ApiError ? failure : new ApiError(String(failure), 'ERROR'));
      } finally {
        setLoading(false);
      }
    },
    [memberId],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  const shown = events.filter((event) => showReads || event.action !== 'READ_SENSITIVE');
  const reads = events.length - events.filter((event) => event.action !== 'READ_SENSITIVE').length;

  return (
    <>
      <div className="toolbar">
        <label className="check">
          <input type="checkbox" checked={showReads} onChange={(e) => setShowReads(e.target.checked)} /> Hiện cả các lần xem thông tin nhạy cảm
          {reads > 0 && ` (${reads})`}
        </label>
        {total !== null && <span className="muted">{total} sự kiện đã ghi</span>}
      </div>
      <ErrorBox error={error} />
      {!loading && !error && shown.length === 0 && <p>Chưa có thay đổi nào được ghi.</p>}
      <ol className="timeline" aria-label="Lịch sử thay đổi, mới nhất trước">
        {shown.map((event) => (
          <HistoryItem key={event.id} event={event} />
        ))}
      </ol>
      <Loading when={loading} />
      {next && !loading && (
        <button type="button" onClick={() => void load(next)}>
          Xem thêm
        </button>
      )}
    </>
  );
}

function HistoryItem({ event }: { event: HistoryEvent }) {
  const who = event.actor?.username ?? (event.apiKeyId ? `khóa API ${event.apiKeyId}` : 'hệ thống');
  const changes = (event.changes ?? {}) as Record<string, unknown>;
  return (
    <li>
      <p className="when">
        <time dateTime={event.at}>{formatDateTime(event.at)}</time> · <strong>{who}</strong> · {actionLabel(event.action)}: {entityLabel(event.entityType)}
      </p>
      {event.reason && <p className="reason">Lý do: {event.reason}</p>}
      <Changes action={event.action} changes={changes} />
    </li>
  );
}

function Changes({ action, changes }: { action: string; changes: Record<string, unknown> }) {
  if (action === 'READ_SENSITIVE') {
    const fields = Array.isArray(changes.fields) ? (changes.fields as string[]) : [];
    return <p className="changes">Đã xem: {fields.map(columnLabel).join(', ')}</p>;
  }
  const rows = Object.entries(changes).filter(([column]) => !HIDDEN_COLUMNS.has(column));
  if (!rows.length) return null;
  const list = (
    <ul className="changes">
      {rows.map(([column, values]) => (
        <li key={column}>
          <span className="column">{columnLabel(column)}</span>: {describeChange(values)}
        </li>
      ))}
    </ul>
  );
  // A new record lists every value it was written with: folded away, the changes stand out.
  return action === 'INSERT' ? (
    <details>
      <summary>Các giá trị được ghi ({rows.length})</summary>
      {list}
    </details>
  ) : (
    list
  );
}

/** `[old, new]`, or "changed" where the role may not read the values (the API redacts them). */
function describeChange(values: unknown): string {
  if (values === 'changed') return '(đã thay đổi, không được xem giá trị)';
  if (Array.isArray(values) && values.length === 2) return `${historyValue(values[0])} → ${historyValue(values[1])}`;
  return historyValue(values);
}
