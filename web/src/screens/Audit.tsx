import { useState } from 'react';
import { can } from '../access';
import { ApiError, request } from '../api/client';
import { graphql, type ResultOf, type VariablesOf } from '../api/graphql';
import { useSession } from '../session';
import { ErrorBox, Field, Loading, Pager, Section, Select } from '../ui/components';
import { formatDate, formatNumber, label } from '../ui/format';
import { useQuery } from '../ui/use-query';
import { argumentOf, nextDay, readDate } from './reports/dates';

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

/** The actions the API records (AuditFilter.action), in the words staff use. */
const ACTIONS: Record<string, string> = {
  INSERT: 'Thêm mới',
  UPDATE: 'Sửa đổi',
  DELETE: 'Xóa',
  READ_SENSITIVE: 'Xem thông tin nhạy cảm',
  EXPORT: 'Xuất dữ liệu',
  IMPORT: 'Nhập dữ liệu',
  UNIQUE_CONFLICT_OUTSIDE_SCOPE: 'Nhập số trùng ngoài phạm vi',
};

/** The kinds of record (the audited tables, plus exports and imports). */
const ENTITIES: Record<string, string> = {
  member: 'Đảng viên',
  member_status_period: 'Tình trạng đảng viên',
  member_unit_period: 'Nơi sinh hoạt đảng',
  work_history: 'Quá trình công tác',
  training: 'Đào tạo, bồi dưỡng',
  award: 'Khen thưởng',
  discipline: 'Kỷ luật',
  quality_rating: 'Đánh giá, xếp loại',
  family_relation: 'Quan hệ gia đình',
  transfer: 'Chuyển sinh hoạt đảng',
  post: 'Chức vụ',
  planning_entry: 'Quy hoạch',
  org_unit: 'Tổ chức đảng',
  reorganisation: 'Sắp xếp tổ chức',
  unit_lineage: 'Kế thừa giữa các tổ chức',
  account: 'Tài khoản',
  api_key: 'Khóa API',
  export: 'Tệp xuất dữ liệu',
  import_batch: 'Đợt nhập dữ liệu',
};

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

function whenText(iso: string): string {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(when.getDate())}/${pad(when.getMonth() + 1)}/${when.getFullYear()} ${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}`;
}

/** Màn hình Nhật ký: the audit trail of the account's scope, filtered and paged, and the chain check. */
export function Audit() {
  const session = useSession();
  const role = session.account.role;
  const [form, setForm] = useState<FormState>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<keyof FormState, string | null>>>({});
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const allowed = can(role, 'readAudit');
  // The working unit narrows the log only when the user chose one below their own (Units screen).
  const otherUnit = session.unit.id !== session.account.unit.id;
  const unitId = otherUnit && form.ownUnit ? session.unit.id : null;
  const after = cursors[cursors.length - 1] ?? null;
  const query = useQuery(AuditLogQuery, { filter: { ...filter, ...(unitId ? { unitId } : {}) }, first: PAGE_SIZE, after }, { skip: !allowed });

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
    const from = readDate(next.from, { required: false });
    const to = readDate(next.to, { required: false });
    const errors = { from: from.error, to: to.error };
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
    if (to.iso) built.to = vietnamMidnight(nextDay(to.iso));
    setFilter(built);
    setCursors([null]);
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
  const first = (cursors.length - 1) * PAGE_SIZE;

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
              options={[{ value: '', label: 'Tất cả' }, ...Object.entries(ACTIONS).map(([value, text]) => ({ value, label: text }))]}
            />
            <Select
              label="Loại hồ sơ"
              value={form.entityType}
              onChange={set('entityType')}
              error={errorFor('entityType')}
              options={[{ value: '', label: 'Tất cả' }, ...Object.entries(ENTITIES).map(([value, text]) => ({ value, label: text }))]}
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
                  setCursors([null]);
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
            hasPrevious={cursors.length > 1}
            hasNext={log.pageInfo.hasNextPage}
            onPrevious={() => setCursors(cursors.slice(0, -1))}
            onNext={() => setCursors([...cursors, log.pageInfo.endCursor ?? null])}
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
        <time dateTime={event.at}>{whenText(event.at)}</time>
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
        <span className={event.action === 'DELETE' || event.action === 'UNIQUE_CONFLICT_OUTSIDE_SCOPE' ? 'badge warn' : 'badge'}>{ACTIONS[event.action] ?? event.action}</span>
      </td>
      <td>
        {ENTITIES[event.entityType] ?? event.entityType}
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
                  <dt>{key}</dt>
                  <dd>{changeText(event.action, value)}</dd>
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

const shown = (value: unknown): string => {
  if (value === null || value === undefined) return '(trống)';
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : value;
  return JSON.stringify(value);
};

/** A change as the trigger records it ([old, new]); a sensitive one the reader may not see is "changed". */
function changeText(action: string, value: unknown): string {
  if (value === 'changed') return '(đã thay đổi; nội dung không được xem)';
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
