import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { VariablesOf } from '../api/graphql';
import { can } from '../access';
import { href, useHashParams } from '../router';
import { useSession } from '../session';
import { ErrorBox, Loading, Pager, Select } from '../ui/components';
import { daysBetween, formatDate, formatNumber, label, todayIso } from '../ui/format';
import { formatDecision } from '../ui/labels';
import { vietnameseMessage } from '../ui/messages';
import { usePager } from '../ui/use-pager';
import { useQuery } from '../ui/use-query';
import { BOUNDARY_LABELS, KIND_LABELS } from './transfers/labels';
import { InboxCounts, TransferList, type TransferRow } from './transfers/queries';
import { Checkbox } from '../ui/components';
import { CancelPanel, ConfirmPanel, ReturnPanel } from './transfers/TransferPanels';

type Filter = NonNullable<VariablesOf<typeof TransferList>['filter']>;
type Status = NonNullable<Filter['status']>[number];

/** The lists, as tabs: the inbox (incoming, awaiting arrival) first, as the receiving side works from it. */
const TABS: { key: string; label: string; filter: Filter; statuses: boolean; returns: boolean }[] = [
  { key: 'inbox', label: 'Chờ tiếp nhận', filter: { direction: 'INCOMING', status: ['PENDING'] }, statuses: false, returns: false },
  { key: 'incoming', label: 'Chuyển đến', filter: { direction: 'INCOMING' }, statuses: true, returns: false },
  { key: 'outgoing', label: 'Chuyển đi', filter: { direction: 'OUTGOING' }, statuses: true, returns: true },
  { key: 'all', label: 'Tất cả', filter: {}, statuses: true, returns: true },
];

const STATUS_OPTIONS = [
  { value: '', label: 'Tất cả tình trạng' },
  { value: 'PENDING', label: 'Chờ tiếp nhận' },
  { value: 'CONFIRMED', label: 'Đã tiếp nhận' },
  { value: 'CANCELLED', label: 'Đã hủy' },
];

type Panel = { mode: 'confirm' | 'cancel' | 'return'; transfer: TransferRow };

/** Màn hình chuyển sinh hoạt đảng: incoming transfers to confirm, outgoing ones to follow. */
export function Transfers() {
  const session = useSession();
  const mayChange = can(session.account.role, 'changeRecords');
  const params = useHashParams();
  const tab = TABS.find((candidate) => candidate.key === params.get('tab')) ?? TABS[0]!;
  const [status, setStatus] = useState('');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [returnOverdueOnly, setReturnOverdueOnly] = useState(false);
  const [panel, setPanel] = useState<Panel | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const tabIds = useId();

  const filter: Filter = {
    ...tab.filter,
    ...(tab.statuses && status ? { status: [status as Status] } : {}),
    ...(overdueOnly ? { overdue: true } : {}),
    ...(tab.returns && returnOverdueOnly ? { returnOverdue: true } : {}),
  };
  // Pages are followed by the cursors the API answered; another filter starts from the first page.
  const pager = usePager(JSON.stringify(filter));
  const list = useQuery(TransferList, { filter, after: pager.after });
  const counts = useQuery(InboxCounts, {});

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const selectTab = (key: string) => {
    setStatus('');
    setOverdueOnly(false);
    setReturnOverdueOnly(false);
    setPanel(null);
    setNotice(null);
    window.location.hash = `#/transfers?tab=${key}`;
  };

  const moveFocus = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.indexOf(tab);
    const next =
      event.key === 'ArrowRight' ? (index + 1) % TABS.length
      : event.key === 'ArrowLeft' ? (index + TABS.length - 1) % TABS.length
      : event.key === 'Home' ? 0
      : event.key === 'End' ? TABS.length - 1
      : null;
    if (next === null) return;
    event.preventDefault();
    selectTab(TABS[next]!.key);
    document.getElementById(`${tabIds}-tab-${TABS[next]!.key}`)?.focus();
  };

  const done = (message: string) => {
    setPanel(null);
    setNotice(message);
    list.reload();
    counts.reload();
  };

  const waiting = counts.data?.waiting.totalCount;
  const late = counts.data?.late.totalCount ?? 0;
  const rows = list.data?.transfers.edges.map((edge) => edge.node) ?? [];
  const total = list.data?.transfers.totalCount ?? 0;

  return (
    <div className="screen-transfers">
      <h1>Chuyển sinh hoạt đảng</h1>
      {waiting !== undefined && (
        <p>
          {waiting === 0
            ? 'Không có đảng viên nào chờ tiếp nhận.'
            : `Có ${formatNumber(waiting)} đảng viên chuyển đến chờ tiếp nhận${late ? `, trong đó ${formatNumber(late)} đã quá hạn 30 ngày kể từ ngày chuyển` : ''}.`}
        </p>
      )}
      <ErrorBox error={counts.error} />
      <div className="tabs" role="tablist" aria-label="Danh sách chuyển sinh hoạt" onKeyDown={moveFocus}>
        {TABS.map((candidate) => (
          <button
            key={candidate.key}
            id={`${tabIds}-tab-${candidate.key}`}
            type="button"
            role="tab"
            aria-selected={candidate === tab}
            aria-controls={`${tabIds}-panel`}
            tabIndex={candidate === tab ? 0 : -1}
            onClick={() => selectTab(candidate.key)}
          >
            {candidate.label}
            {candidate.key === 'inbox' && waiting !== undefined ? ` (${formatNumber(waiting)})` : ''}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`${tabIds}-panel`} aria-labelledby={`${tabIds}-tab-${tab.key}`}>
        {notice && (
          <p className="notice" role="status" tabIndex={-1} ref={noticeRef}>
            {notice}
          </p>
        )}
        {panel && (
          <section className="section panel" aria-label="Thao tác">
            {panel.mode === 'confirm' && <ConfirmPanel key={panel.transfer.id} transfer={panel.transfer} onDone={done} onCancel={() => setPanel(null)} />}
            {panel.mode === 'cancel' && <CancelPanel key={panel.transfer.id} transfer={panel.transfer} onDone={done} onCancel={() => setPanel(null)} />}
            {panel.mode === 'return' && <ReturnPanel key={panel.transfer.id} transfer={panel.transfer} onDone={done} onCancel={() => setPanel(null)} />}
          </section>
        )}
        <div className="toolbar">
          {tab.statuses && <Select label="Tình trạng" value={status} onChange={setStatus} options={STATUS_OPTIONS} />}
          <Checkbox label="Chỉ những trường hợp quá hạn 30 ngày chưa đến" checked={overdueOnly} onChange={setOverdueOnly} />
          {tab.returns && <Checkbox label="Chỉ chuyển tạm thời quá hạn trở về" checked={returnOverdueOnly} onChange={setReturnOverdueOnly} />}
        </div>
        <Loading when={list.loading} />
        <ErrorBox error={list.error} />
        {list.data && rows.length === 0 && <p>Không có chuyển sinh hoạt nào trong danh sách này.</p>}
        {rows.length > 0 && (
          <div className="table-wrap">
            <table className="transfers">
              <thead>
                <tr>
                  <th scope="col">Đảng viên</th>
                  <th scope="col">Chuyển từ</th>
                  <th scope="col">Chuyển đến</th>
                  <th scope="col">Hình thức</th>
                  <th scope="col">Ngày chuyển, giấy giới thiệu</th>
                  <th scope="col">Hạn đến sinh hoạt</th>
                  <th scope="col">Tình trạng</th>
                  {mayChange && <th scope="col">Thao tác</th>}
                </tr>
              </thead>
              <tbody>
                {rows.map((transfer) => (
                  <TransferLine
                    key={transfer.id}
                    transfer={transfer}
                    mayChange={mayChange}
                    onAction={(mode) => {
                      setNotice(null);
                      setPanel({ mode, transfer });
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.data && (
          <Pager
            hasNext={pager.hasNext(list.data.transfers.pageInfo)}
            hasPrevious={pager.hasPrevious}
            onNext={() => pager.next(list.data?.transfers.pageInfo)}
            onPrevious={pager.previous}
            summary={`Trang ${pager.page} · ${formatNumber(total)} chuyển sinh hoạt`}
          />
        )}
      </div>
    </div>
  );
}

/** One transfer: who, from where to where, how, by when, and what became of it. */
function TransferLine({ transfer, mayChange, onAction }: { transfer: TransferRow; mayChange: boolean; onAction(mode: Panel['mode']): void }) {
  const today = todayIso();
  const pending = transfer.status === 'PENDING';
  // Ends in the account's scope come with their unit; the other end is only a name.
  const canConfirm = pending && transfer.toUnit !== null;
  const canCancel = pending && transfer.fromUnit !== null;
  const canReturn = transfer.kind === 'TEMPORARY' && transfer.status === 'CONFIRMED' && !transfer.returnedOn && transfer.fromUnit !== null;
  // The transfer's paper is the party's letter of introduction, cited as a decision is.
  const decision = formatDecision(transfer.decision, 'Giấy giới thiệu');
  return (
    <tr className={transfer.overdue || transfer.returnOverdue ? 'overdue' : undefined}>
      <td>
        {transfer.member ? <a href={href('members', transfer.member.id)}>{transfer.memberName}</a> : <strong>{transfer.memberName}</strong>}
        <div className="sub">
          {transfer.memberPartyCardNumber ? `Thẻ ${transfer.memberPartyCardNumber} · ` : ''}Sinh {formatDate(transfer.memberDateOfBirth)}
        </div>
      </td>
      <td>
        {transfer.fromUnitName}
        {transfer.fromUnit && <div className="sub code">{transfer.fromUnit.code}</div>}
      </td>
      <td>
        {transfer.toUnitName}
        {transfer.country ? ` (${transfer.country})` : ''}
        {transfer.toUnit && <div className="sub code">{transfer.toUnit.code}</div>}
      </td>
      <td>
        {KIND_LABELS[transfer.kind] ?? transfer.kind}
        {transfer.boundary !== 'WITHIN' && <div className="sub">{BOUNDARY_LABELS[transfer.boundary]}</div>}
        {transfer.forStudy && <div className="sub">Đi học</div>}
        {transfer.returnsOn && <div className="sub">Trở về: {formatDate(transfer.returnsOn)}</div>}
      </td>
      <td>
        {formatDate(transfer.issuedOn)}
        {decision && <div className="sub">{decision}</div>}
      </td>
      <td>
        {formatDate(transfer.reportBy)}
        {transfer.overdue && (
          <div>
            <span className="badge warn">Quá hạn {formatNumber(daysBetween(transfer.reportBy, today))} ngày</span>
          </div>
        )}
      </td>
      <td>
        {label(transfer.status)}
        {transfer.confirmedOn && <div className="sub">ngày {formatDate(transfer.confirmedOn)}</div>}
        {transfer.arrivedLate && <div className="sub">Đến chậm{transfer.lateReason ? `: ${transfer.lateReason}` : ''}</div>}
        {transfer.cancelledOn && <div className="sub">ngày {formatDate(transfer.cancelledOn)}</div>}
        {/* A reason the server wrote itself (the member left) is said in Vietnamese; one typed by staff matches nothing and shows as typed. */}
        {transfer.cancelReason && <div className="sub">Lý do: {vietnameseMessage(transfer.cancelReason)}</div>}
        {transfer.returnedOn && <div className="sub">Đã trở về ngày {formatDate(transfer.returnedOn)}</div>}
        {transfer.returnOverdue && (
          <div>
            <span className="badge warn">Quá hạn trở về</span>
          </div>
        )}
      </td>
      {mayChange && (
        <td>
          <div className="row-actions">
            {canConfirm && (
              <button type="button" className="primary" onClick={() => onAction('confirm')} aria-label={`Xác nhận đến: ${transfer.memberName}`}>
                Xác nhận đến
              </button>
            )}
            {canCancel && (
              <button type="button" onClick={() => onAction('cancel')} aria-label={`Hủy chuyển: ${transfer.memberName}`}>
                Hủy chuyển
              </button>
            )}
            {canReturn && (
              <button type="button" onClick={() => onAction('return')} aria-label={`Ghi nhận trở về: ${transfer.memberName}`}>
                Ghi nhận trở về
              </button>
            )}
          </div>
        </td>
      )}
    </tr>
  );
}
