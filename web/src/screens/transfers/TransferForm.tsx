import { useState, type ReactNode } from 'react';
import { request } from '../../api/client';
import type { VariablesOf } from '../../api/graphql';
import { href } from '../../router';
import { ErrorBox, Field, Select } from '../../ui/components';
import { formatDate, readDateInput } from '../../ui/format';
import { BOUNDARY_LABELS } from './labels';
import type { FormProps } from './LifecycleForms';
import { TransferMember, useCellsInScope } from './queries';
import { ActionForm, DecisionFields, emptyDecision, todayText, useMutationForm } from './shared';
import { Checkbox } from '../../ui/components';

type Input = VariablesOf<typeof TransferMember>['input'];
type Kind = Input['kind'];
type Boundary = NonNullable<Input['boundary']>;

const KIND_OPTIONS: { value: Kind; label: string; within: boolean }[] = [
  { value: 'PERMANENT', label: 'Chính thức (chuyển hẳn)', within: false },
  { value: 'TEMPORARY', label: 'Tạm thời (có ngày trở về)', within: false },
  // Within one grassroots organisation the move is decided and done by it at once.
  { value: 'INTERNAL', label: 'Trong đảng bộ cơ sở (ngay)', within: true },
];

const KNOWN = ['kind', 'boundary', 'toUnitCode', 'externalParty', 'country', 'returnsOn', 'forStudy', 'issuedOn', 'number', 'date', 'issuedBy', 'reason'];

/**
 * Chuyển sinh hoạt đảng (transferMember): to a cell of the organisation, named by its code (one in
 * the account's scope may be picked from the list; one outside it is typed), or out of the
 * organisation to another province's or a foreign party organisation, named in words.
 */
export function TransferForm({ member, onDone, onCancel, onStale }: Omit<FormProps, 'onDone'> & { onDone(message: ReactNode): void }) {
  const cells = useCellsInScope();
  const [kind, setKind] = useState<Kind>('PERMANENT');
  const [boundary, setBoundary] = useState<Boundary>('WITHIN');
  const [toUnitCode, setToUnitCode] = useState('');
  const [externalParty, setExternalParty] = useState('');
  const [country, setCountry] = useState('');
  const [returnsOn, setReturnsOn] = useState('');
  const [forStudy, setForStudy] = useState(false);
  const [issuedOn, setIssuedOn] = useState(todayText);
  const [decision, setDecision] = useState(emptyDecision);
  const [reason, setReason] = useState('');
  const form = useMutationForm(KNOWN, { onConflict: onStale });
  const within = boundary === 'WITHIN';
  const temporary = kind === 'TEMPORARY';
  const otherCells = cells.cells.filter((cell) => cell.id !== member.unit.id);
  const picked = otherCells.find((cell) => cell.code === toUnitCode.trim().toUpperCase())?.code ?? '';

  const submit = async () => {
    const issued = readDateInput(issuedOn, { required: true });
    const date = readDateInput(decision.date, { required: true });
    const returns = readDateInput(returnsOn);
    const outcome: { transfer: { status: string; toUnitName: string; reportBy: string } | null } = { transfer: null };
    const ok = await form.submit({ issuedOn: issued.problem, date: date.problem, returnsOn: temporary ? returns.problem : null }, async () => {
      const { transferMember } = await request(TransferMember, {
        input: {
          memberId: member.id,
          expectedVersion: member.version,
          kind,
          boundary,
          toUnitCode: within ? toUnitCode.trim().toUpperCase() : null,
          externalParty: within ? null : externalParty.trim(),
          country: boundary === 'ABROAD' ? country.trim() : null,
          returnsOn: temporary ? returns.iso : null,
          forStudy: temporary && forStudy,
          issuedOn: issued.iso!,
          decision: { number: decision.number.trim(), date: date.iso!, issuedBy: decision.issuedBy.trim() },
          reason: reason.trim() || null,
        },
      });
      outcome.transfer = transferMember.transfer;
      return transferMember;
    });
    const done = outcome.transfer;
    if (!ok || !done) return;
    onDone(
      <>
        {done.status === 'PENDING'
          ? `Đã chuyển sinh hoạt ${member.fullName} đến ${done.toUnitName}. Đảng viên vẫn sinh hoạt ở chi bộ cũ cho đến khi nơi nhận xác nhận; hạn đến sinh hoạt: ${formatDate(done.reportBy)}. `
          : `Đã chuyển sinh hoạt ${member.fullName} đến ${done.toUnitName}. `}
        <a href={href('transfers') + '?tab=outgoing'}>Xem danh sách chuyển đi</a>
      </>,
    );
  };

  return (
    <ActionForm
      title="Chuyển sinh hoạt đảng"
      intro={<p>Đảng viên phải đến sinh hoạt ở nơi nhận trong 30 ngày kể từ ngày chuyển.</p>}
      form={form}
      submitLabel="Chuyển sinh hoạt"
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div className="form-grid">
        <Select
          label="Nơi chuyển đến"
          value={boundary}
          onChange={(value) => {
            setBoundary(value as Boundary);
            if (value !== 'WITHIN' && kind === 'INTERNAL') setKind('PERMANENT');
          }}
          error={form.fields.boundary}
          options={Object.entries(BOUNDARY_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <Select
          label="Hình thức"
          value={kind}
          onChange={(value) => setKind(value as Kind)}
          error={form.fields.kind}
          options={KIND_OPTIONS.filter((option) => within || !option.within)}
        />
      </div>
      {within ? (
        <div className="form-grid">
          <Field
            label="Mã chi bộ nhận"
            value={toUnitCode}
            onChange={setToUnitCode}
            error={form.fields.toUnitCode}
            hint="Chi bộ ngoài phạm vi của bạn: nhập mã, ví dụ DN.SONTRA.MANTHAI.CB02"
          />
          <Select
            label="Hoặc chọn chi bộ trong phạm vi"
            value={picked}
            onChange={setToUnitCode}
            options={[
              { value: '', label: cells.loading ? 'Đang tải…' : '— Chọn chi bộ —' },
              ...otherCells.map((cell) => ({ value: cell.code, label: `${cell.name} (${cell.code})` })),
            ]}
          />
        </div>
      ) : (
        <div className="form-grid">
          <Field
            label="Tổ chức đảng nhận"
            value={externalParty}
            onChange={setExternalParty}
            error={form.fields.externalParty}
            hint={boundary === 'ABROAD' ? 'Ví dụ: Đảng ủy ngoài nước' : 'Ví dụ: Đảng bộ tỉnh Quảng Ngãi'}
          />
          {boundary === 'ABROAD' && <Field label="Nước" value={country} onChange={setCountry} error={form.fields.country} />}
        </div>
      )}
      <ErrorBox error={cells.error} />
      {!within && kind === 'PERMANENT' && (
        <p className="notice">Chuyển chính thức ra ngoài Đảng bộ thành phố: đảng viên ra khỏi danh sách của đơn vị từ ngày chuyển.</p>
      )}
      <div className="form-grid">
        <Field label="Ngày chuyển" value={issuedOn} onChange={setIssuedOn} error={form.fields.issuedOn} hint="dd/mm/yyyy" />
        {temporary && (
          <Field
            label="Ngày trở về"
            value={returnsOn}
            onChange={setReturnsOn}
            error={form.fields.returnsOn}
            hint="Từ 3 tháng đến dưới 12 tháng sau ngày chuyển; đi học: đến 2 năm"
          />
        )}
      </div>
      {temporary && <Checkbox label="Chuyển tạm thời để đi học" checked={forStudy} onChange={setForStudy} error={form.fields.forStudy} />}
      <DecisionFields
        legend="Giấy giới thiệu sinh hoạt đảng"
        value={decision}
        onChange={setDecision}
        errors={form.fields}
        labels={{ number: 'Số giấy giới thiệu', date: 'Ngày ký', issuedBy: 'Cơ quan cấp' }}
        issuedByHint="Ví dụ: Đảng ủy phường Hải Châu"
      />
      <Field label="Lý do" value={reason} onChange={setReason} error={form.fields.reason} multiline />
    </ActionForm>
  );
}
