import { useEffect, useRef, useState, type ReactNode } from 'react';
import { can } from '../access';
import { href } from '../router';
import { useSession } from '../session';
import { ErrorBox, Loading, Section } from '../ui/components';
import { formatDate, label, todayIso } from '../ui/format';
import { causeLabel, formatDecision } from '../ui/labels';
import { useQuery } from '../ui/use-query';
import { ACTIVE_STATUSES, CHANGE_LABELS, END_STATUSES, STATUS_TRANSITIONS } from './transfers/labels';
import { ChangeStatusForm, ConfirmOfficialForm, ReadmitForm } from './transfers/LifecycleForms';
import { LifecycleMember, type LifecycleMemberData } from './transfers/queries';
import { TransferForm } from './transfers/TransferForm';

interface Action {
  key: string;
  label: string;
}

/**
 * The actions the API offers for the member's status (docs/domain.md, "Lifecycle"): confirming a
 * probationary member, the status changes allowed from here, a transfer while the member is
 * active, readmission after leaving. None once the member has been transferred out.
 */
function actionsFor(member: LifecycleMemberData): Action[] {
  if (member.transferredOutOn) return [];
  const actions: Action[] = [];
  if (member.status === 'PROBATIONARY') actions.push({ key: 'confirmOfficial', label: 'Công nhận đảng viên chính thức' });
  if (ACTIVE_STATUSES.includes(member.status) && !member.underReview) actions.push({ key: 'transfer', label: 'Chuyển sinh hoạt đảng' });
  for (const to of STATUS_TRANSITIONS[member.status] ?? []) actions.push({ key: to, label: CHANGE_LABELS[to] ?? label(to) });
  // A death is no departure one returns from; the API judges the other causes.
  if (END_STATUSES.includes(member.status) && member.status !== 'DECEASED') actions.push({ key: 'readmit', label: 'Kết nạp lại' });
  return actions;
}

/** Màn hình biến động đảng viên: one member's status, its history, and the decisions that change it. */
export function Lifecycle({ memberId }: { memberId: string }) {
  const session = useSession();
  const mayChange = can(session.account.role, 'changeRecords');
  const query = useQuery(LifecycleMember, { id: memberId, withCause: can(session.account.role, 'readSensitive') });
  const [action, setAction] = useState<string | null>(null);
  const [notice, setNotice] = useState<ReactNode>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  // Only this member's answer: another's (the one open before, still on screen while this one
  // loads) must not be shown, nor acted on, under this address.
  const answered = query.currentData?.member ?? null;
  const member = answered && answered.id === memberId ? answered : null;

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  if (!member) {
    return (
      <>
        <h1>Biến động đảng viên</h1>
        <Loading when={query.loading} />
        <ErrorBox error={query.error} />
        {!query.loading && !query.error && <p>Không có đảng viên này trong phạm vi của bạn.</p>}
      </>
    );
  }

  const done = (message: ReactNode) => {
    setAction(null);
    setNotice(message);
    query.reload();
  };
  const formProps = { member, onDone: done, onCancel: () => setAction(null), onStale: query.reload };
  const actions = actionsFor(member);

  return (
    <div className="screen-lifecycle">
      <p className="back">
        <a href={href('members', member.id)}>← Hồ sơ đảng viên</a>
      </p>
      <h1>Biến động đảng viên: {member.fullName}</h1>
      {notice && (
        <div className="notice" role="status" tabIndex={-1} ref={noticeRef}>
          {notice}
        </div>
      )}
      <ErrorBox error={query.error} />
      <div className="grid-2 lifecycle">
        <div>
          <Section title="Đảng viên">
            <MemberFacts member={member} />
          </Section>
          <Section title="Quá trình tình trạng">
            <StatusHistory member={member} />
          </Section>
        </div>
        <Section title="Thao tác">
          {!mayChange ? (
            <p>Vai trò của bạn chỉ được xem; các thay đổi do cán bộ tổ chức thực hiện.</p>
          ) : actions.length === 0 ? (
            <p>
              {member.transferredOutOn
                ? `Đảng viên đã chuyển sinh hoạt ra ngoài Đảng bộ thành phố từ ngày ${formatDate(member.transferredOutOn)}: tổ chức đảng nơi nhận quản lý tình trạng từ đó.`
                : 'Không còn thao tác nào với tình trạng này.'}
            </p>
          ) : (
            <>
              <div className="actions" role="group" aria-label="Chọn thao tác">
                {actions.map((candidate) => (
                  <button
                    key={candidate.key}
                    type="button"
                    aria-pressed={action === candidate.key}
                    onClick={() => {
                      setNotice(null);
                      setAction(action === candidate.key ? null : candidate.key);
                    }}
                  >
                    {candidate.label}
                  </button>
                ))}
              </div>
              {member.underReview && ACTIVE_STATUSES.includes(member.status) && (
                <p>Đảng viên đang bị kiểm tra, giải quyết khiếu nại: chưa chuyển sinh hoạt được.</p>
              )}
              {/* Keyed by the action: each form opens empty; after a conflict the record is read again and the form keeps what was typed. */}
              {action === 'confirmOfficial' && <ConfirmOfficialForm key={action} {...formProps} />}
              {action === 'transfer' && <TransferForm key={action} {...formProps} />}
              {action === 'readmit' && <ReadmitForm key={action} {...formProps} />}
              {action && CHANGE_LABELS[action] && <ChangeStatusForm key={action} {...formProps} to={action as 'OFFICIAL'} />}
              {!action && <p className="hint-text">Chọn một thao tác để mở biểu mẫu: mỗi thay đổi cần quyết định và lý do.</p>}
            </>
          )}
        </Section>
      </div>
    </div>
  );
}

function MemberFacts({ member }: { member: LifecycleMemberData }) {
  const probationEnds = member.probationEndsOn;
  const due = probationEnds !== null && probationEnds <= todayIso();
  return (
    <dl className="facts">
      <dt>Họ và tên</dt>
      <dd>{member.fullName}</dd>
      {member.partyCardNumber && (
        <>
          <dt>Số thẻ đảng viên</dt>
          <dd>{member.partyCardNumber}</dd>
        </>
      )}
      <dt>Ngày sinh</dt>
      <dd>{formatDate(member.dateOfBirth)}</dd>
      <dt>Tình trạng</dt>
      <dd>
        <span className="badge">{label(member.status)}</span>
        {member.underReview && <span className="badge warn">Đang bị kiểm tra, giải quyết khiếu nại</span>}
      </dd>
      <dt>Chi bộ</dt>
      <dd>
        {member.unit.name} <span className="code">({member.unit.code})</span>
      </dd>
      <dt>Ngày vào Đảng</dt>
      <dd>{formatDate(member.joinedOn)}</dd>
      {member.readmittedOn && (
        <>
          <dt>Ngày kết nạp lại</dt>
          <dd>{formatDate(member.readmittedOn)}</dd>
        </>
      )}
      {probationEnds && (
        <>
          <dt>Hết thời gian dự bị</dt>
          <dd>
            {formatDate(probationEnds)} {due && <span className="badge warn">Đến hạn xét công nhận chính thức</span>}
          </dd>
        </>
      )}
      {member.officialOn && (
        <>
          <dt>Ngày chính thức</dt>
          <dd>{formatDate(member.officialOn)}</dd>
        </>
      )}
      {member.leftOn && (
        <>
          <dt>Ngày ra khỏi Đảng</dt>
          <dd>{formatDate(member.leftOn)}</dd>
        </>
      )}
      {member.transferredOutOn && (
        <>
          <dt>Chuyển ra ngoài Đảng bộ</dt>
          <dd>{formatDate(member.transferredOutOn)}</dd>
        </>
      )}
    </dl>
  );
}

function StatusHistory({ member }: { member: LifecycleMemberData }) {
  // Newest first: the current status is what the user came for.
  const periods = [...member.statusHistory].reverse();
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Tình trạng</th>
            <th scope="col">Từ ngày</th>
            <th scope="col">Đến ngày</th>
            <th scope="col">Quyết định</th>
          </tr>
        </thead>
        <tbody>
          {periods.map((period) => (
            <tr key={period.id}>
              <td>
                {label(period.status)}
                {period.cause && <div className="sub">{causeLabel(period.cause)}</div>}
                {period.reason && <div className="sub">Lý do: {period.reason}</div>}
              </td>
              <td>{formatDate(period.validFrom)}</td>
              <td>{period.validTo ? formatDate(period.validTo) : 'nay'}</td>
              <td>{formatDecision(period.decision) || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
