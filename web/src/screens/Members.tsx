import { useEffect, useId, useRef, useState } from 'react';
import { ApiError, download } from '../api/client';
import { graphql, type ResultOf } from '../api/graphql';
import { can } from '../access';
import { href, useHashParams } from '../router';
import { useSession } from '../session';
import { ErrorBox, Loading, Pager } from '../ui/components';
import { formatDate, formatNumber, label, todayIso } from '../ui/format';
import { usePager, type CursorStore } from '../ui/use-pager';
import { useQuery } from '../ui/use-query';
import { MemberFilters, type FilterErrors } from './members/MemberFilters';
import { ORDERS, apiFilter, exportQuery, isFiltered, readParams, writeParams, type ListParams } from './members/list-params';

export const MemberList = graphql(`
  query MemberList($filter: MemberFilter, $orderBy: MemberOrder, $first: Int, $after: String) {
    members(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          fullName
          dateOfBirth
          gender
          status
          partyCardNumber
          joinedOn
          probationEndsOn
          hasNationalId
          unit { id code name }
        }
      }
    }
  }
`);

// The unit a link names (#/members?unitId=…) when it is not the one the user works in.
const ListedUnit = graphql(`
  query ListedUnit($id: ID!) {
    unit(id: $id) { id code name }
  }
`);

type Row = ResultOf<typeof MemberList>['members']['edges'][number]['node'];

/**
 * The pager's cursors are also kept in the history entry (history.state), so coming back from a
 * member's file, or reloading, returns to the same page; they belong to one filter (the key).
 */
const HISTORY_PAGES: CursorStore = {
  load(key) {
    const stored = (window.history.state as { memberPages?: { key: string; cursors: (string | null)[] } } | null)?.memberPages;
    return stored && stored.key === key && Array.isArray(stored.cursors) ? stored.cursors : null;
  },
  save(key, cursors) {
    window.history.replaceState({ ...(window.history.state as object | null), memberPages: { key, cursors } }, '');
  },
};

/** The hash of the list with these parameters. */
function listHash(params: ListParams): string {
  const query = writeParams(params);
  return '#/members' + (query ? `?${query}` : '');
}

/** Màn hình Đảng viên: the members of the unit worked in (and below), searched, filtered, paged, exported. */
export function Members() {
  const session = useSession();
  const role = session.account.role;
  // Only the search box cares: the list itself reads no sensitive field (hasNationalId is not one).
  const searchesNationalId = can(role, 'readSensitive');
  const hashParams = useHashParams();
  const params = readParams(hashParams);
  const canonical = writeParams(params);
  const unitId = params.unitId ?? session.unit.id;

  // The filters live in the hash. A change made here replaces the history entry (each key typed
  // is not a step for the back button); a change from outside (the menu link, back) remounts
  // the filter form so its boxes show what is applied.
  const written = useRef(canonical);
  const [formKey, setFormKey] = useState(0);
  useEffect(() => {
    if (canonical !== written.current) setFormKey((key) => key + 1);
    written.current = canonical;
  }, [canonical]);

  const change = (partial: Partial<ListParams>) => {
    // Read the hash afresh: a debounced search may apply after a drop-down changed it.
    const current = readParams(new URLSearchParams(window.location.hash.split('?')[1] ?? ''));
    const next = { ...current, ...partial };
    written.current = writeParams(next);
    const target = listHash(next);
    if (target !== window.location.hash) window.location.replace(target);
  };

  const pager = usePager(canonical, HISTORY_PAGES);

  const order = ORDERS[params.order];
  const list = useQuery(MemberList, {
    filter: apiFilter(params, unitId),
    orderBy: { field: order.field, direction: order.direction },
    first: params.first,
    after: pager.after,
  });
  const otherUnit = params.unitId !== null && params.unitId !== session.unit.id;
  const unit = useQuery(ListedUnit, { id: unitId }, { skip: !otherUnit });
  const unitName = otherUnit ? (unit.data?.unit?.name ?? (unit.data ? null : '…')) : session.unit.name;

  // The API names the argument at fault (e.g. "filter.search"): its message goes beside that field.
  const argument = list.error?.argument?.split('.').pop();
  const apiErrors: FilterErrors = {};
  if (list.error && (argument === 'search' || argument === 'probationEndsBy')) apiErrors[argument] = list.error.message;
  if (list.error && argument === 'bornFrom') apiErrors.yearFrom = list.error.message;
  if (list.error && argument === 'bornTo') apiErrors.yearTo = list.error.message;
  const shownError = list.error && !Object.keys(apiErrors).length ? list.error : null;

  const connection = list.data?.members;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];
  const pageNumber = pager.page;
  const firstRow = (pageNumber - 1) * params.first + 1;
  const countId = useId();
  const today = todayIso();

  return (
    <>
      <div className="member-heading">
        <div>
          <h1>Danh sách đảng viên</h1>
          <p>
            Đơn vị: <strong>{unitName ?? 'không có trong phạm vi của bạn'}</strong>
            {params.includeSubunits ? ' (gồm các đơn vị trực thuộc)' : ' (chỉ đơn vị này)'} · <a href={href('units')}>Chọn đơn vị khác</a>
          </p>
        </div>
        <ExportButtons query={exportQuery(params, unitId)} />
      </div>
      <MemberFilters key={formKey} params={params} onChange={change} apiErrors={apiErrors} searchesNationalId={searchesNationalId} />
      <ErrorBox error={shownError} />
      {list.error?.argument === 'after' && (
        <p>
          <button type="button" onClick={pager.reset}>
            Về trang đầu
          </button>
        </p>
      )}
      <div className="member-count-row">
        <p id={countId} className="member-count" role="status" aria-live="polite">
        {connection
          ? connection.totalCount === 0
            ? isFiltered(params)
              ? 'Không có đảng viên nào khớp với điều kiện tìm kiếm.'
              : 'Đơn vị chưa có đảng viên nào.'
            : `Tìm thấy ${formatNumber(connection.totalCount)} đảng viên` +
              (rows.length ? ` · hiển thị ${formatNumber(firstRow)}–${formatNumber(firstRow + rows.length - 1)}` : '')
          : ''}
        </p>
        {/* Beside the count, so the table does not jump while the next answer loads. */}
        <Loading when={list.loading} />
      </div>
      {rows.length > 0 && (
        <div className="table-wrap member-table" aria-busy={list.loading}>
          <table aria-describedby={countId}>
            <caption className="member-hidden">Danh sách đảng viên, trang {pageNumber}</caption>
            <thead>
              <tr>
                <th scope="col" className="number member-col-number">
                  STT
                </th>
                <th scope="col" aria-sort={order.field === 'NAME' ? sortWord(order.direction) : undefined}>
                  Họ và tên
                </th>
                <th scope="col" aria-sort={order.field === 'DATE_OF_BIRTH' ? sortWord(order.direction) : undefined}>
                  Ngày sinh
                </th>
                <th scope="col">Giới tính</th>
                <th scope="col">Số thẻ đảng viên</th>
                <th scope="col" aria-sort={order.field === 'JOINED_ON' ? sortWord(order.direction) : undefined}>
                  Ngày vào Đảng
                </th>
                <th scope="col">Tình trạng</th>
                <th scope="col">Số CCCD</th>
                <th scope="col" className="member-col-unit">
                  Chi bộ
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((member, index) => (
                <MemberRow key={member.id} member={member} number={firstRow + index} today={today} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {connection && (connection.totalCount > 0 || pageNumber > 1) && (
        <Pager
          hasPrevious={pager.hasPrevious}
          hasNext={pager.hasNext(connection.pageInfo)}
          onPrevious={pager.previous}
          onNext={() => pager.next(connection.pageInfo)}
          summary={`Trang ${formatNumber(pageNumber)} / ${formatNumber(Math.max(1, Math.ceil(connection.totalCount / params.first)))}`}
        />
      )}
    </>
  );
}

function sortWord(direction: 'ASC' | 'DESC'): 'ascending' | 'descending' {
  return direction === 'ASC' ? 'ascending' : 'descending';
}

/**
 * Where a probationary member stands (docs/domain.md): the probation ends on probationEndsOn, the
 * server's day (src/members/lifecycle.ts), not a recount here. The review is due from that day
 * (as the lifecycle screen says) and overdue only after it; both against Vietnam's today.
 */
function probationState(endsOn: string, today: string): { overdue: boolean; due: boolean; text: string } {
  if (endsOn < today) return { overdue: true, due: true, text: 'Quá hạn xét chính thức từ ' };
  if (endsOn === today) return { overdue: false, due: true, text: 'Đến hạn xét chính thức ' };
  return { overdue: false, due: false, text: 'Hết dự bị ' };
}

function MemberRow({ member, number, today }: { member: Row; number: number; today: string }) {
  const endsOn = member.status === 'PROBATIONARY' ? member.probationEndsOn : null;
  const probation = endsOn ? probationState(endsOn, today) : null;
  const overdue = probation?.overdue ?? false;
  return (
    <tr className={overdue ? 'overdue' : undefined}>
      <td className="number member-col-number">{formatNumber(number)}</td>
      <td>
        <a href={href('members', member.id)}>{member.fullName}</a>
        {/* Shown instead of the unit column on a narrow screen. */}
        <span className="member-sub">{member.unit.name}</span>
      </td>
      <td className="member-date">{formatDate(member.dateOfBirth)}</td>
      <td>{label(member.gender)}</td>
      <td>{member.partyCardNumber ?? ''}</td>
      <td className="member-date">{formatDate(member.joinedOn)}</td>
      <td>
        {label(member.status)}
        {endsOn && probation && (
          <>
            {' '}
            <span className={probation.due ? 'badge warn' : 'badge'}>
              {probation.text}
              {formatDate(endsOn)}
            </span>
          </>
        )}
      </td>
      {/* Whether the number is recorded, not the number: a list reads no sensitive field. */}
      <td>{member.hasNationalId ? 'Có' : <span className="badge warn">Thiếu</span>}</td>
      <td className="member-col-unit">{member.unit.name}</td>
    </tr>
  );
}

/** "Xuất CSV" / "Xuất Excel": the whole filtered list (every page), as the server writes it. */
function ExportButtons({ query }: { query: string }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const run = async (format: 'csv' | 'xlsx') => {
    // Not `disabled` while busy: a disabled button would drop the keyboard focus.
    if (busy) return;
    setBusy(format);
    setError(null);
    try {
      await download(`/exports/members.${format}?${query}`, `danh-sach-dang-vien.${format}`);
    } catch (failure) {
      setError(failure instanceof ApiError || failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="member-export">
      <div className="member-export-buttons">
        <button type="button" onClick={() => run('csv')} aria-disabled={busy !== null}>
          Xuất CSV
        </button>
        <button type="button" onClick={() => run('xlsx')} aria-disabled={busy !== null}>
          Xuất Excel
        </button>
      </div>
      <small className="hint" role="status">
        {busy ? 'Đang chuẩn bị tệp…' : 'Tệp gồm mọi trang của danh sách đã lọc, theo thứ tự tên.'}
      </small>
      <ErrorBox error={error} />
    </div>
  );
}
