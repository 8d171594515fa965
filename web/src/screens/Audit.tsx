import { useState } from 'react';
import { can } from '../access';
import { ApiError, request } from '../api/client';
import { graphql, type ResultOf, type VariablesOf } from '../api/graphql';
import { useSession } from '../session';
import { ErrorBox, Field, Loading, Pager, Section, Select } from '../ui/components';
import { addDays, formatDateTime, formatNumber, label, readDateInput } from '../ui/format';
import { ACTION_LABELS, ENTITY_LABELS, actionLabel, columnLabel, entityLabel, historyValue } from '../ui/labels';
import { usePager } from '../ui/use-pager';
import { useQuery } from '../ui/use-query';
import { REPORT_DATES, argumentOf } from './reports/dates';

const AuditLogQuery = graphql(`
  query AuditLog($filter: AuditFilter, $first: Int, $after: String) {
    auditLog(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id at action entityType entityId reason requestId apiKeyId changes
          actor { id username role }
        }
      }
    }
  }
`);

const AuditIntegrityQuery = graphql(`
  query AuditIntegrity {
    auditIntegrity { intact events brokenEventId problem head }
  }
`);

type AuditFilter = NonNullable<VariablesOf<typeof AuditLogQuery>['filter']>;
type AuditEvent = ResultOf<typeof AuditLogQuery>['auditLog']['edges'][number]['node'];
type Integrity = ResultOf<typeof AuditIntegrityQuery>['auditIntegrity'];

const PAGE_SIZE = 50;

interface FormState {
  action: string;
  entityType: string;
  entityId: string;
  accountId: string;
  /** The username of accountId when it was picked from a row, to say whose events are shown. */
  accountName: string;
  from: string;
  to: string;
  ownUnit: boolean;
}

const EMPTY: FormState = { action: '', entityType: '', entityId: '', accountId: '', accountName: '', from: '', to: '', ownUnit: true };

/** The start of a Vietnamese day as an instant: the staff's dates are Vietnam's (UTC+7, no DST). */
const vietnamMidnight = (iso: string) => `${iso}T00:00:00+07:00`;

/** Màn hình Nhật ký: the audit trail of the account's scope, filtered and paged, and the chain check. */
export function Audit() {
  const session = useSession();
  const role = session.account.role;
  const [form, setForm] = useState<FormState>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<keyof FormState, string | null>>>({});
  const allowed = can(role, 'readAudit');
  // The working unit narrows the log only when the user chose one below their own (Units screen).
  const otherUnit = session.unit.id !== session.account.unit.id;
  const unitId = otherUnit && form.ownUnit ? session.unit.id : null;
  const applied = { ...filter, ...(unitId ? { unitId } : {}) };
  // Another filter starts at its first page.
  const pager = usePager(JSON.stringify(applied));
  const query = useQuery(AuditLogQuery, { filter: applied, first: PAGE_SIZE, after: pager.after }, { skip: !allowed });

  if (!allowed) {
    return (
      <>
        <h1>Nhật ký</h1>
        <p>Tài khoản này không được xem nhật ký.</p>
      </>
    );
  }

  const set = (key: keyof FormState) => (value: string) => setForm((f) => ({ ...f, [key]: value, ...(key === 'accountId' ? { accountName: '' } : {}) }));

  const apply = (next: FormState) => {
    const from = readDateInput(next.from, REPORT_DATES);
    const to = readDateInput(next.to, REPORT_DATES);
    const errors = { from: from.problem, to: to.problem };
    if (from.iso && to.iso && from.iso > to.iso) errors.to = 'Ngày cuối không được trước ngày đầu.';
    setFieldErrors(errors);
    if (errors.from || errors.to) return;
    const built: AuditFilter = {};
    if (next.action) built.action = next.action;
    if (next.entityType) built.entityType = next.entityType;
    if (next.entityId.trim()) built.entityId = next.entityId.trim();
    if (next.accountId.trim()) built.accountId = next.accountId.trim();
    if (from.iso) built.from = vietnamMidnight(from.iso);
    // "Đến ngày" includes that whole day: the API's `to` is exclusive.
    if (to.iso) built.to = vietnamMidnight(addDays(to.iso, 1));
    setFilter(built);
    // "Lọc" again with the same conditions also goes back to the first page (the newest events).
    pager.reset();
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    apply(form);
  };
  const clear = () => {
    setForm(EMPTY);
    apply(EMPTY);
  };
  const byAccount = (event: AuditEvent) => {
    if (!event.actor) return;
    const next = { ...form, accountId: event.actor.id, accountName: event.actor.username };
    setForm(next);
    apply(next);
  };

  // A refusal naming a filter field is shown beside it; any other in a box above the list.
  const apiError = query.error;
  const argument = argumentOf(apiError);
  const onField = apiError && argument && argument in EMPTY ? (argument as keyof FormState) : null;
  const errorFor = (key: keyof FormState) => fieldErrors[key] ?? (onField === key ? apiError!.message : null);
  const log = apiError ? null : query.data?.auditLog;
  const first = (pager.page - 1) * PAGE_SIZE;

  return (
    <>
      <h1>Nhật ký thay đổi và truy cập</h1>
      <IntegrityCheck />
      <Section title="Tra cứu nhật ký">
        <form onSubmit={submit} aria-label="Lọc nhật ký" className="audit-filter">
          <div className="form-grid">
            <Select
              label="Hành động"
              value={form.action}
              onChange={set('action')}
              error={errorFor('action')}
              options={[{ value: '', label: 'Tất cả' }, ...Object.entries(ACTION_LABELS).map(([value, text]) => ({ value, label: text }))]}
            />
            <Select
              label="Loại hồ sơ"
              value={form.entityType}
              onChange={set('entityType')}
              error={errorFor('entityType')}
              options={[{ value: '', label: 'Tất cả' }, ...Object.entries(ENTITY_LABELS).map(([value, text]) => ({ value, label: text }))]}
            />
            <Field label="Mã bản ghi" value={form.entityId} onChange={set('entityId')} error={errorFor('entityId')} hint="Số hiệu bản ghi, hoặc tên tệp xuất (members.csv)" />
            <Field
              label="Mã tài khoản"
              value={form.accountId}
              onChange={set('accountId')}
              error={errorFor('accountId')}
              hint={form.accountName ? `Tài khoản ${form.accountName}` : 'Hoặc bấm tên người thực hiện trong danh sách'}
            />
            <Field label="Từ ngày" value={form.from} onChange={set('from')} placeholder="dd/mm/yyyy" error={errorFor('from')} />
            <Field label="Đến ngày" value={form.to} onChange={set('to')} placeholder="dd/mm/yyyy" error={errorFor('to')} />
          </div>
          {otherUnit && (
            <div className="audit-check">
              <input id="audit-own-unit" type="checkbox" checked={form.ownUnit} onChange={(e) => {
                  setForm({ ...form, ownUnit: e.target.checked });
                }} />
              <label htmlFor="audit-own-unit">Chỉ sự kiện của {session.unit.name} và các đơn vị trực thuộc</label>
            </div>
          )}
          <div className="toolbar">
            <button type="submit" className="primary">
              Lọc
            </button>
            <button type="button" onClick={clear}>
              Bỏ lọc
            </button>
          </div>
        </form>
      </Section>
      {apiError && !onField && <ErrorBox error={apiError} />}
      <Loading when={query.loading} />
      {log && (
        <>
          <p role="status">{log.totalCount === 0 ? 'Không có sự kiện nào khớp điều kiện lọc.' : `${formatNumber(log.totalCount)} sự kiện, mới nhất trước.`}</p>
          {log.edges.length > 0 && (
            <div className="table-wrap">
              <table className="report-table audit-table">
                <caption className="report-hidden">Nhật ký, mới nhất trước</caption>
                <thead>
                  <tr>
                    <th scope="col">Thời điểm</th>
                    <th scope="col">Người thực hiện</th>
                    <th scope="col">Hành động</th>
                    <th scope="col">Đối tượng</th>
                    <th scope="col">Lý do</th>
                    <th scope="col">Nội dung</th>
                  </tr>
                </thead>
                <tbody>
                  {log.edges.map(({ node }) => (
                    <EventRow key={node.id} event={node} onAccount={byAccount} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager
            hasPrevious={pager.hasPrevious}
            hasNext={pager.hasNext(log.pageInfo)}
            onPrevious={pager.previous}
            onNext={() => pager.next(log.pageInfo)}
            summary={log.edges.length ? `${formatNumber(first + 1)}–${formatNumber(first + log.edges.length)} / ${formatNumber(log.totalCount)}` : null}
          />
        </>
      )}
    </>
  );
}

function EventRow({ event, onAccount }: { event: AuditEvent; onAccount(event: AuditEvent): void }) {
  const changes = event.changes && typeof event.changes === 'object' ? Object.entries(event.changes as Record<string, unknown>) : [];
  return (
    <tr>
      <td>
        <time dateTime={event.at}>{formatDateTime(event.at, { seconds: true })}</time>
        <div className="report-muted">Sự kiện #{event.id}</div>
      </td>
      <td>
        {event.actor ? (
          <>
            <button type="button" className="audit-link" onClick={() => onAccount(event)} title="Chỉ xem sự kiện của tài khoản này">
              {event.actor.username}
            </button>
            <div className="report-muted">{label(event.actor.role)}</div>
          </>
        ) : event.apiKeyId ? (
          `Khóa API #${event.apiKeyId}`
        ) : (
          'Hệ thống (lệnh trực tiếp vào cơ sở dữ liệu)'
        )}
      </td>
      <td>
        <span className={event.action === 'DELETE' || event.action === 'UNIQUE_CONFLICT_OUTSIDE_SCOPE' ? 'badge warn' : 'badge'}>{actionLabel(event.action)}</span>
      </td>
      <td>
        {entityLabel(event.entityType)}
        <div className="report-muted">{event.entityType === 'export' ? event.entityId : `#${event.entityId}`}</div>
      </td>
      <td>{event.reason ?? <span className="report-muted">(không ghi)</span>}</td>
      <td>
        {changes.length === 0 ? (
          <span className="report-muted">—</span>
        ) : (
          <details>
            <summary>{describe(event, changes)}</summary>
            <dl className="audit-changes">
              {changes.map(([key, value]) => (
                <div key={key}>
                  <dt>{columnLabel(key)}</dt>
                  <dd>{changeText(event.action, key, value)}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
        {event.requestId && <div className="report-muted audit-request">Yêu cầu {event.requestId}</div>}
      </td>
    </tr>
  );
}

function describe(event: AuditEvent, changes: [string, unknown][]): string {
  if (event.action === 'UPDATE') return `${changes.length} trường thay đổi`;
  if (event.action === 'INSERT' || event.action === 'DELETE') return `${changes.length} trường`;
  return 'Chi tiết';
}

/** A value as the member's history says it (dates dd/mm/yyyy, enums and yes/no in Vietnamese). */
const shown = historyValue;

/** A change as the trigger records it ([old, new]); a sensitive one the reader may not see is "changed". */
function changeText(action: string, key: string, value: unknown): string {
  if (value === 'changed') return '(đã thay đổi; nội dung không được xem)';
  // The sensitive fields a reading named, said as the file's labels.
  if (action === 'READ_SENSITIVE' && key === 'fields' && Array.isArray(value)) return value.map((field) => columnLabel(String(field))).join(', ');
  if (Array.isArray(value) && value.length === 2 && ['INSERT', 'UPDATE', 'DELETE'].includes(action)) {
    const [before, after] = value as [unknown, unknown];
    if (action === 'INSERT') return shown(after);
    if (action === 'DELETE') return shown(before);
    return `${shown(before)} → ${shown(after)}`;
  }
  if (Array.isArray(value)) return value.map(shown).join(', ');
  return shown(value);
}

/** The check's two findings (hoso_verify_audit) in Vietnamese; anything else as the server says it. */
function problemText(problem: string): string {
  if (problem.startsWith('content changed')) return 'nội dung sự kiện đã bị sửa';
  if (problem.startsWith('link broken')) return 'mắt xích bị đứt: một sự kiện trước nó đã bị xóa hoặc bị sửa';
  return problem;
}

/** Kiểm tra tính toàn vẹn: recomputes the hash chain on the server and says whether it holds. */
function IntegrityCheck() {
  const [result, setResult] = useState<Integrity | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const check = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult((await request(AuditIntegrityQuery, {})).auditIntegrity);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(String(failure), 'ERROR'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section
      title="Tính toàn vẹn của nhật ký"
      actions={
        <button type="button" className="primary" onClick={check} disabled={busy}>
          {busy ? 'Đang kiểm tra…' : 'Kiểm tra tính toàn vẹn'}
        </button>
      }
    >
      <p className="report-note">Máy chủ tính lại chuỗi mã băm nối các sự kiện: một sự kiện bị sửa hoặc bị xóa sẽ làm đứt chuỗi từ chỗ đó.</p>
      <div aria-live="polite">
        <ErrorBox error={error} />
        {result &&
          (result.intact ? (
            <div className="notice">
              <strong>Nhật ký toàn vẹn.</strong> Đã kiểm tra {formatNumber(result.events)} sự kiện: không sự kiện nào bị sửa hay bị xóa.
              {result.head && (
                <div>
                  Mã băm mới nhất (lưu ở nơi khác để đối chiếu về sau): <code className="audit-hash">{result.head}</code>
                </div>
              )}
            </div>
          ) : (
            <div className="error-box">
              <strong>Nhật ký đã bị can thiệp!</strong> Sự kiện đầu tiên không khớp: #{result.brokenEventId}
              {result.problem ? ` (${problemText(result.problem)})` : ''}. Đã kiểm tra {formatNumber(result.events)} sự kiện.
            </div>
          ))}
      </div>
    </Section>
  );
}
