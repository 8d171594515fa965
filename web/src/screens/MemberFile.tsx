import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { ResultOf } from '../api/graphql';
import { can } from '../access';
import { href, useHashParams } from '../router';
import { useSession } from '../session';
import { ErrorBox, Field, Loading, Section } from '../ui/components';
import { formatDate, formatNumber, label, readDateInput } from '../ui/format';
import { formatDecision } from '../ui/labels';
import { useQuery } from '../ui/use-query';
import { MemberHistory } from './member/History';
import { MemberFileQuery, MemberSensitiveQuery } from './member/queries';
import { asOfInstant } from './member/dates';

type FileMember = NonNullable<ResultOf<typeof MemberFileQuery>['member']>;
type SensitiveMember = NonNullable<ResultOf<typeof MemberSensitiveQuery>['member']>;

/** Shown in place of what the API withholds from the role (sensitive personal data). */
const WITHHELD = '(không được xem)';

/**
 * Màn hình Hồ sơ đảng viên (#/members/<id>): the lý lịch in the sections of the official form,
 * the history of changes, and the file as it was at the end of a chosen day (`?asOf=yyyy-mm-dd`
 * in the hash, so the view can be bookmarked and the back button leaves it).
 */
export function MemberFile({ memberId }: { memberId: string }) {
  const session = useSession();
  const role = session.account.role;
  const params = useHashParams();
  const asOf = params.get('asOf');
  const saved = params.get('saved') === '1';
  const mayReadSensitive = can(role, 'readSensitive');

  const vars = { id: memberId, asOf: asOf ? asOfInstant(asOf) : null };
  const file = useQuery(MemberFileQuery, { ...vars, partyAgeOn: asOf });
  const sensitive = useQuery(MemberSensitiveQuery, vars, { skip: !mayReadSensitive });
  // Only the answer to what is asked now (this member, this day): while another day's file loads,
  // or after it failed, the file shown before must not stand under the "hồ sơ tại ngày" banner.
  const member = file.currentData?.member;
  const current = member && member.id === memberId ? member : null;
  const secrets = sensitive.currentData?.member ?? null;

  // The tab names the member (several files open side by side); the title goes back on leaving.
  const title = current?.fullName;
  useEffect(() => {
    if (!title) return;
    const before = document.title;
    document.title = `${title} — Hồ sơ đảng viên`;
    return () => {
      document.title = before;
    };
  }, [title]);

  return (
    <div className={asOf ? 'member-file asof-view' : 'member-file'}>
      <p className="crumbs">
        <a href={href('members')}>← Danh sách đảng viên</a>
      </p>
      {saved && !asOf && (
        <p className="notice" role="status">
          Đã lưu thay đổi hồ sơ.
        </p>
      )}
      <AsOfPicker memberId={memberId} asOf={asOf} />
      <Loading when={file.loading} />
      <ErrorBox error={file.error} />
      {file.currentData && !file.loading && !member && (
        <div className="notice-missing" role="alert">
          <h1>Không tìm thấy hồ sơ</h1>
          <p>
            {asOf
              ? `Hồ sơ này chưa có vào ngày ${formatDate(asOf)}.`
              : 'Không tìm thấy đảng viên này trong phạm vi của bạn: hồ sơ không có, hoặc thuộc đơn vị bạn không được xem.'}
          </p>
        </div>
      )}
      {current && (
        <FileBody
          member={current}
          asOf={asOf}
          sensitive={mayReadSensitive ? secrets : null}
          sensitiveState={!mayReadSensitive ? 'withheld' : sensitive.error ? 'failed' : sensitive.loading || !sensitive.currentData ? 'loading' : 'ready'}
          sensitiveError={sensitive.error}
          mayEdit={can(role, 'changeRecords')}
        />
      )}
    </div>
  );
}

/** The date to view the file at, typed dd/mm/yyyy; the file is then that day's, and says so. */
function AsOfPicker({ memberId, asOf }: { memberId: string; asOf: string | null }) {
  const [text, setText] = useState(asOf ? formatDate(asOf) : '');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(asOf ? formatDate(asOf) : ''), [asOf]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { iso, problem } = readDateInput(text, { required: true });
    setError(problem);
    if (!iso) return;
    window.location.hash = href('members', memberId).slice(1) + `?asOf=${iso}`;
  };

  return (
    <form className="toolbar asof-picker" onSubmit={submit} aria-label="Xem hồ sơ tại một ngày" noValidate>
      <Field label="Xem hồ sơ tại ngày" value={text} onChange={setText} placeholder="dd/mm/yyyy" error={error} name="asOf" />
      <button type="submit">Xem</button>
      {asOf && (
        <a className="button" href={href('members', memberId)}>
          Xem hồ sơ hiện tại
        </a>
      )}
    </form>
  );
}

type SensitiveState = 'withheld' | 'loading' | 'failed' | 'ready';

function FileBody(props: {
  member: FileMember;
  asOf: string | null;
  sensitive: SensitiveMember | null;
  sensitiveState: SensitiveState;
  sensitiveError: Error | null;
  mayEdit: boolean;
}) {
  const { member, asOf, sensitive, sensitiveState } = props;
  /** A sensitive value, or why it is not shown. */
  const secret = (pick: (s: SensitiveMember) => ReactNode): ReactNode => {
    if (sensitiveState === 'withheld') return <span className="withheld">{WITHHELD}</span>;
    if (sensitiveState === 'loading') return '…';
    if (sensitiveState === 'failed' || !sensitive) return <span className="withheld">(không tải được)</span>;
    return pick(sensitive);
  };
  const age = member.partyAge;

  return (
    <>
      <header className="file-head">
        <h1>
          {member.fullName}
          {asOf && <span className="asof-tag"> — hồ sơ tại ngày {formatDate(asOf)}</span>}
        </h1>
        <p className="file-sub">
          <span className="badge">{label(member.status)}</span> {member.unit.name}
          {member.partyCardNumber && <> · Số thẻ đảng viên {member.partyCardNumber}</>}
          {member.underReview && <span className="badge warn">Đang bị kiểm tra, giải quyết khiếu nại</span>}
        </p>
        {asOf && (
          <p className="notice asof-banner" role="status">
            Đây là hồ sơ <strong>như đã ghi đến hết ngày {formatDate(asOf)}</strong>, không phải hồ sơ hiện tại. Các thay đổi sau ngày đó không hiện ở đây
            (xem Lịch sử thay đổi).
          </p>
        )}
        <nav className="toolbar" aria-label="Thao tác với hồ sơ">
          {props.mayEdit && (
            <a className="button primary" href={href('members', member.id, 'edit')}>
              Sửa hồ sơ
            </a>
          )}
          <a className="button" href={href('members', member.id, 'lifecycle')}>
            Biến động, chuyển sinh hoạt
          </a>
        </nav>
      </header>
      {props.sensitiveState === 'failed' && <ErrorBox error={props.sensitiveError} />}

      <div className="grid-2">
        <Section title="Sơ yếu lý lịch">
          <dl className="facts">
            <Fact term="Họ và tên">{member.fullName}</Fact>
            <Fact term="Họ tên khai sinh">{member.birthName}</Fact>
            <Fact term="Bí danh">{member.aliases}</Fact>
            <Fact term="Giới tính">{label(member.gender)}</Fact>
            <Fact term="Ngày sinh">{formatDate(member.dateOfBirth)}</Fact>
            <Fact term="Nơi sinh">{member.placeOfBirth}</Fact>
            <Fact term="Quê quán">{member.homeTown}</Fact>
            <Fact term="Dân tộc">{secret((s) => s.ethnicity)}</Fact>
            <Fact term="Tôn giáo">{secret((s) => s.religion ?? 'Không')}</Fact>
            <Fact term="Số CCCD">{secret((s) => s.nationalId)}</Fact>
            <Fact term="Nơi thường trú">{secret((s) => s.permanentAddress)}</Fact>
            <Fact term="Nơi tạm trú">{secret((s) => s.temporaryAddress)}</Fact>
            <Fact term="Số điện thoại">{secret((s) => s.phone)}</Fact>
            <Fact term="Nghề nghiệp">{member.occupation?.label}</Fact>
            <Fact term="Bệnh hiểm nghèo">
              {secret((s) => (s.seriousIllnessSince ? `Từ ngày ${formatDate(s.seriousIllnessSince)}; căn cứ: ${s.seriousIllnessGround ?? ''}` : 'Không'))}
            </Fact>
          </dl>
        </Section>

        <Section title="Thông tin đảng viên">
          <dl className="facts">
            <Fact term="Tình trạng">{label(member.status)}</Fact>
            <Fact term="Chi bộ sinh hoạt">{member.unit.name}</Fact>
            <Fact term="Số thẻ đảng viên">{member.partyCardNumber}</Fact>
            <Fact term="Ngày vào Đảng">{formatDate(member.joinedOn)}</Fact>
            <Fact term="Ngày lễ kết nạp">{formatDate(member.admissionCeremonyOn)}</Fact>
            <Fact term="Ngày chính thức">{member.officialOn ? formatDate(member.officialOn) : member.status === 'PROBATIONARY' ? 'Đang dự bị' : ''}</Fact>
            <Fact term="Tuổi đảng">
              {age.years} năm {age.months % 12} tháng{asOf && ` (tính đến ${formatDate(asOf)})`}
            </Fact>
            <Fact term="Chi bộ kết nạp">{member.admittedBy}</Fact>
            <Fact term="Người giới thiệu">{member.introducers.join('; ')}</Fact>
            {member.readmittedOn && <Fact term="Ngày kết nạp lại">{formatDate(member.readmittedOn)}</Fact>}
            {member.leftOn && <Fact term="Ngày ra khỏi Đảng">{formatDate(member.leftOn)}</Fact>}
            {member.transferredOutOn && <Fact term="Chuyển sinh hoạt ra ngoài từ">{formatDate(member.transferredOutOn)}</Fact>}
            {(member.ageExceptionDecision.number || member.ageExceptionDecision.date) && (
              <Fact term="Kết nạp trên 60 tuổi">{formatDecision(member.ageExceptionDecision)}</Fact>
            )}
            <Fact term="Kiểm tra, khiếu nại">{member.underReview ? 'Đang bị kiểm tra, giải quyết khiếu nại' : 'Không'}</Fact>
          </dl>
        </Section>
      </div>

      <Section title="Trình độ">
        <dl className="facts facts-wide">
          <Fact term="Giáo dục phổ thông">{member.generalEducation}</Fact>
          <Fact term="Trình độ chuyên môn">{member.professionalLevel?.label}</Fact>
          <Fact term="Chuyên ngành">{member.professionalField}</Fact>
          <Fact term="Học hàm">{member.academicTitle?.label}</Fact>
          <Fact term="Lý luận chính trị">{member.politicalTheory?.label}</Fact>
          <Fact term="Quản lý nhà nước">{member.stateManagement?.label}</Fact>
          <Fact term="Ngoại ngữ">{member.foreignLanguages}</Fact>
          <Fact term="Tin học">{member.itLevel}</Fact>
        </dl>
      </Section>

      <Section title="Quá trình tình trạng đảng viên">
        <Table
          label="Quá trình tình trạng đảng viên"
          head={['Tình trạng', 'Từ ngày', 'Đến ngày', 'Quyết định', 'Lý do']}
          rows={member.statusHistory}
          cells={(p) => [label(p.status), formatDate(p.validFrom), formatDate(p.validTo), formatDecision(p.decision), p.reason]}
        />
      </Section>

      <Section title="Quá trình sinh hoạt đảng">
        <Table
          label="Quá trình sinh hoạt đảng"
          head={['Chi bộ', 'Từ ngày', 'Đến ngày', 'Quyết định', 'Lý do']}
          rows={member.unitHistory}
          cells={(p) => [p.unit?.name ?? '(ngoài phạm vi)', formatDate(p.validFrom), formatDate(p.validTo), formatDecision(p.decision), p.reason]}
        />
      </Section>

      <Section title="Quá trình công tác">
        <Table
          label="Quá trình công tác"
          head={['Từ', 'Đến', 'Cơ quan, đơn vị', 'Chức vụ, công việc', 'Quyết định', 'Ghi chú']}
          rows={member.workHistory}
          cells={(w) => [formatDate(w.fromDate), w.toDate ? formatDate(w.toDate) : 'nay', w.organisation, w.position, formatDecision(w.decision), w.note]}
        />
      </Section>

      <Section title="Đào tạo, bồi dưỡng">
        <Table
          label="Đào tạo, bồi dưỡng"
          head={['Từ', 'Đến', 'Cơ sở đào tạo', 'Ngành học, nội dung', 'Văn bằng, chứng chỉ', 'Ghi chú']}
          rows={member.training}
          cells={(e) => [formatDate(e.fromDate), formatDate(e.toDate), e.institution, e.programme, e.qualification, e.note]}
        />
      </Section>

      <Section title="Khen thưởng">
        <Table
          label="Khen thưởng"
          head={['Ngày', 'Hình thức', 'Tên', 'Quyết định', 'Ghi chú']}
          rows={member.awards}
          cells={(a) => [
            formatDate(a.awardedOn),
            label(a.kind),
            a.name + (a.posthumous ? ' (truy tặng)' : ''),
            formatDecision(a.decision),
            a.note,
          ]}
        />
      </Section>

      <Section title="Kỷ luật">
        {sensitiveState === 'ready' && sensitive ? (
          <Table
            label="Kỷ luật"
            head={['Ngày', 'Hình thức', 'Lý do kỷ luật', 'Quyết định', 'Ghi chú']}
            rows={sensitive.disciplines ?? []}
            cells={(d) => [formatDate(d.decidedOn), label(d.form), d.grounds, formatDecision(d.decision), d.note]}
          />
        ) : (
          <p>{secret(() => null)}</p>
        )}
      </Section>

      <Section title="Đánh giá, xếp loại chất lượng">
        <Table
          label="Đánh giá, xếp loại chất lượng"
          head={['Năm', 'Xếp loại', 'Điểm', 'Quyết định', 'Ghi chú']}
          rows={[...member.ratings].sort((a, b) => b.year - a.year)}
          cells={(r) => [String(r.year), label(r.category), r.score === null ? '' : formatNumber(r.score), formatDecision(r.decision), r.note]}
        />
      </Section>

      <Section title="Quan hệ gia đình">
        {sensitiveState === 'ready' && sensitive ? (
          <Table
            label="Quan hệ gia đình"
            head={['Quan hệ', 'Họ và tên', 'Năm sinh', 'Nghề nghiệp', 'Địa chỉ', 'Ghi chú']}
            rows={sensitive.family ?? []}
            cells={(f) => [f.relation, f.fullName, f.birthYear === null ? '' : String(f.birthYear), f.occupation, f.address, f.note]}
          />
        ) : (
          <p>{secret(() => null)}</p>
        )}
      </Section>

      <Section title="Chức vụ">
        <Table
          label="Chức vụ"
          head={['Chức vụ', 'Đơn vị', 'Từ ngày', 'Đến ngày', 'Nhiệm kỳ', 'Quyết định']}
          rows={member.posts}
          cells={(p) => [
            p.title,
            p.unit?.name ?? '(ngoài phạm vi)',
            formatDate(p.startOn),
            p.endOn ? formatDate(p.endOn) : `đang giữ (đến hạn bổ nhiệm lại ${formatDate(p.reappointmentDue)})`,
            `${p.termYears} năm`,
            formatDecision(p.decision),
          ]}
        />
        <h3>Quy hoạch</h3>
        <Table
          label="Quy hoạch"
          head={['Chức danh quy hoạch', 'Đơn vị', 'Giai đoạn', 'Quyết định']}
          rows={member.planning}
          cells={(p) => [p.postTitle, p.unit?.name ?? '(ngoài phạm vi)', `${p.periodStart}–${p.periodEnd}`, formatDecision(p.decision)]}
        />
      </Section>

      <Section title="Lịch sử thay đổi">
        {asOf && <p className="muted">Lịch sử đầy đủ đến nay, kể cả các thay đổi sau ngày {formatDate(asOf)}.</p>}
        <MemberHistory memberId={member.id} />
      </Section>
    </>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <>
      <dt>{term}</dt>
      <dd>{empty ? <span className="muted">—</span> : children}</dd>
    </>
  );
}

/** A list of the file's entries; an empty one says so instead of showing a bare header. */
function Table<T extends { id: string }>(props: { label: string; head: string[]; rows: readonly T[]; cells(row: T): ReactNode[] }) {
  if (!props.rows.length) return <p className="muted">Không có.</p>;
  return (
    <div className="table-wrap">
      <table aria-label={props.label}>
        <thead>
          <tr>
            {props.head.map((title) => (
              <th key={title} scope="col">
                {title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.id}>
              {props.cells(row).map((cell, index) => (
                <td key={index}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
