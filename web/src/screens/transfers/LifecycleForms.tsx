import { useState } from 'react';
import { request } from '../../api/client';
import type { VariablesOf } from '../../api/graphql';
import { Field, Select } from '../../ui/components';
import { formatDate, label, readDateInput } from '../../ui/format';
import { causeLabel } from '../../ui/labels';
import { CAUSES_BY_STATUS, CHANGE_LABELS } from './labels';
import { ChangeMemberStatus, ConfirmOfficial, ReadmitMember, type LifecycleMemberData } from './queries';
import { ActionForm, DecisionFields, emptyDecision, todayText, useMutationForm } from './shared';

/** What each form hands back: the words of the notice, or asks for the record to be read again. */
export interface FormProps {
  member: LifecycleMemberData;
  onDone(message: string): void;
  onCancel(): void;
  onStale(): void;
}


const decisionOf = (decision: { number: string; issuedBy: string }, date: string) => ({
  number: decision.number.trim(),
  date,
  issuedBy: decision.issuedBy.trim(),
});

const DECISION_FIELDS = ['number', 'date', 'issuedBy'] as const;

/** Công nhận đảng viên chính thức (confirmOfficial): official from the end of the 12 months. */
export function ConfirmOfficialForm({ member, onDone, onCancel, onStale }: FormProps) {
  // The day the API computes (Member.probationEndsOn): official from then, whenever the decision is signed.
  const officialOn = member.probationEndsOn ?? '';
  const [decision, setDecision] = useState(emptyDecision);
  const [reason, setReason] = useState('');
  const form = useMutationForm([...DECISION_FIELDS, 'reason'], { onConflict: onStale });
  const submit = async () => {
    const date = readDateInput(decision.date, { required: true });
    const ok = await form.submit({ date: date.problem }, async () => {
      const { confirmOfficial } = await request(ConfirmOfficial, {
        input: { id: member.id, expectedVersion: member.version, decision: decisionOf(decision, date.iso!), reason: reason.trim() || null },
      });
      return confirmOfficial;
    });
    if (ok) onDone(`Đã công nhận ${member.fullName} là đảng viên chính thức từ ngày ${formatDate(officialOn)}. Tình trạng hiện nay: Chính thức.`);
  };
  return (
    <ActionForm
      title="Công nhận đảng viên chính thức"
      intro={
        <p>
          Hết 12 tháng dự bị ngày <strong>{formatDate(officialOn)}</strong>: đảng viên là chính thức từ ngày đó, kể cả khi quyết định ký sau. Quyết
          định không được ký trước ngày này.
        </p>
      }
      form={form}
      submitLabel="Công nhận chính thức"
      onSubmit={submit}
      onCancel={onCancel}
    >
      <DecisionFields legend="Quyết định công nhận" value={decision} onChange={setDecision} errors={form.fields} issuedByHint="Ví dụ: Đảng ủy phường Hải Châu" />
      <Field label="Lý do" value={reason} onChange={setReason} error={form.fields.reason} multiline />
    </ActionForm>
  );
}

type ChangeInput = VariablesOf<typeof ChangeMemberStatus>['input'];

/** A change of status with changeMemberStatus: release, return from release, or one way of leaving. */
export function ChangeStatusForm({ member, to, onDone, onCancel, onStale }: FormProps & { to: ChangeInput['status'] }) {
  const causes = CAUSES_BY_STATUS[to] ?? [];
  const [effectiveOn, setEffectiveOn] = useState(todayText);
  const [decision, setDecision] = useState(emptyDecision);
  // A death is its own cause; the API takes it without asking.
  const [cause, setCause] = useState(to === 'DECEASED' ? 'DEATH' : to === 'EXPELLED' ? 'DISCIPLINE' : '');
  const [grounds, setGrounds] = useState('');
  const [reason, setReason] = useState('');
  const form = useMutationForm(['effectiveOn', ...DECISION_FIELDS, 'cause', 'grounds', 'reason'], { onConflict: onStale });
  const submit = async () => {
    const on = readDateInput(effectiveOn, { required: true });
    const date = readDateInput(decision.date, { required: true });
    let status = to as string;
    const ok = await form.submit({ effectiveOn: on.problem, date: date.problem }, async () => {
      const { changeMemberStatus } = await request(ChangeMemberStatus, {
        input: {
          id: member.id,
          expectedVersion: member.version,
          status: to,
          effectiveOn: on.iso!,
          decision: decisionOf(decision, date.iso!),
          cause: (cause || null) as ChangeInput['cause'],
          grounds: to === 'EXPELLED' ? grounds.trim() || null : null,
          reason: reason.trim(),
        },
      });
      if (changeMemberStatus.member) status = changeMemberStatus.member.status;
      return changeMemberStatus;
    });
    // The day as read (dd/mm/yyyy), not as typed ("1.7.2025").
    if (ok) onDone(`Đã ghi nhận: ${CHANGE_LABELS[to]} từ ngày ${formatDate(on.iso)}. Tình trạng hiện nay: ${label(status)}.`);
  };
  return (
    <ActionForm
      title={CHANGE_LABELS[to] ?? label(to)}
      intro={<p>Tình trạng hiện nay: {label(member.status)}. Ngày có hiệu lực không trước khi tình trạng này bắt đầu và không sau hôm nay.</p>}
      form={form}
      submitLabel="Ghi nhận"
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div className="form-grid">
        <Field label="Ngày có hiệu lực" value={effectiveOn} onChange={setEffectiveOn} error={form.fields.effectiveOn} hint="dd/mm/yyyy" />
      </div>
      {/* The causes are long sentences of the regulations: the list takes the form's width. */}
      {causes.length > 1 && (
        <Select
          label="Nguyên nhân"
          value={cause}
          onChange={setCause}
          error={form.fields.cause}
          options={[{ value: '', label: '— Chọn nguyên nhân —' }, ...causes.map((value) => ({ value, label: causeLabel(value) }))]}
        />
      )}
      <DecisionFields legend="Quyết định" value={decision} onChange={setDecision} errors={form.fields} issuedByHint="Ví dụ: Đảng ủy phường Hải Châu" />
      {to === 'EXPELLED' && (
        <Field label="Lý do kỷ luật (nếu khác lý do dưới đây)" value={grounds} onChange={setGrounds} error={form.fields.grounds} multiline />
      )}
      <Field label="Lý do" value={reason} onChange={setReason} error={form.fields.reason} multiline required />
    </ActionForm>
  );
}

/** Kết nạp lại (readmitMember): on the consent of the city's standing committee; a new probation. */
export function ReadmitForm({ member, onDone, onCancel, onStale }: FormProps) {
  const departure = [...member.statusHistory].reverse().find((period) => period.status === member.status);
  // A departure recorded before causes were kept asks for it; otherwise the recorded one holds.
  const askCause = !departure?.cause;
  const causes = CAUSES_BY_STATUS[member.status] ?? [];
  const [joinedOn, setJoinedOn] = useState(todayText);
  const [decision, setDecision] = useState(emptyDecision);
  const [departureCause, setDepartureCause] = useState('');
  const [expungedOn, setExpungedOn] = useState('');
  const [reason, setReason] = useState('');
  const form = useMutationForm(['joinedOn', ...DECISION_FIELDS, 'departureCause', 'convictionExpungedOn', 'reason'], { onConflict: onStale });
  const conviction = (askCause ? departureCause : departure?.cause) === 'CONVICTION_LESS_SERIOUS';
  const submit = async () => {
    const joined = readDateInput(joinedOn, { required: true });
    const date = readDateInput(decision.date, { required: true });
    const expunged = readDateInput(expungedOn);
    const ok = await form.submit({ joinedOn: joined.problem, date: date.problem, convictionExpungedOn: conviction ? expunged.problem : null }, async () => {
      const { readmitMember } = await request(ReadmitMember, {
        input: {
          id: member.id,
          expectedVersion: member.version,
          joinedOn: joined.iso!,
          decision: decisionOf(decision, date.iso!),
          departureCause: (askCause && departureCause ? departureCause : null) as VariablesOf<typeof ReadmitMember>['input']['departureCause'],
          convictionExpungedOn: conviction ? expunged.iso : null,
          reason: reason.trim(),
        },
      });
      return readmitMember;
    });
    if (ok) onDone(`Đã kết nạp lại ${member.fullName} từ ngày ${formatDate(joined.iso)}. Tình trạng hiện nay: Dự bị.`);
  };
  return (
    <ActionForm
      title="Kết nạp lại"
      intro={
        <p>
          Chỉ một lần, sau ít nhất 36 tháng kể từ ngày ra khỏi Đảng{member.leftOn ? ` (${formatDate(member.leftOn)})` : ''}, trên cơ sở văn bản đồng ý
          của Ban Thường vụ Thành ủy. Đảng viên bắt đầu 12 tháng dự bị mới.
        </p>
      }
      form={form}
      submitLabel="Kết nạp lại"
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div className="form-grid">
        <Field label="Ngày kết nạp lại" value={joinedOn} onChange={setJoinedOn} error={form.fields.joinedOn} hint="dd/mm/yyyy" />
        {conviction && (
          <Field label="Ngày được xóa án tích" value={expungedOn} onChange={setExpungedOn} error={form.fields.convictionExpungedOn} hint="dd/mm/yyyy" />
        )}
      </div>
      {askCause && causes.length > 0 && (
        <Select
          label="Nguyên nhân ra khỏi Đảng (chưa được ghi)"
          value={departureCause}
          onChange={setDepartureCause}
          error={form.fields.departureCause}
          options={[{ value: '', label: '— Chọn nguyên nhân —' }, ...causes.map((value) => ({ value, label: causeLabel(value) }))]}
        />
      )}
      <DecisionFields
        legend="Văn bản đồng ý của Ban Thường vụ Thành ủy"
        value={decision}
        onChange={setDecision}
        errors={form.fields}
        labels={{ number: 'Số văn bản', date: 'Ngày văn bản', issuedBy: 'Cơ quan ban hành' }}
        issuedByHint="Ví dụ: Ban Thường vụ Thành ủy Đà Nẵng"
      />
      <Field label="Lý do" value={reason} onChange={setReason} error={form.fields.reason} multiline required />
    </ActionForm>
  );
}
