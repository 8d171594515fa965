import { useState } from 'react';
import { request } from '../../api/client';
import { ErrorBox, Field, Select } from '../../ui/components';
import { formatDate, readDateInput } from '../../ui/format';
import { CancelTransfer, ConfirmTransfer, RecordTransferReturn, useCellsInScope, type TransferRow } from './queries';
import { ActionForm, todayText, useMutationForm } from './shared';

interface PanelProps {
  transfer: TransferRow;
  onDone(message: string): void;
  onCancel(): void;
}

/** The transfer the form acts on, in a few facts, so the user sees whom they confirm or cancel. */
function TransferSummary({ transfer }: { transfer: TransferRow }) {
  return (
    <dl className="facts">
      <dt>Đảng viên</dt>
      <dd>
        {transfer.memberName}
        {transfer.memberPartyCardNumber ? `, thẻ số ${transfer.memberPartyCardNumber}` : ''}, sinh ngày {formatDate(transfer.memberDateOfBirth)}
      </dd>
      <dt>Chuyển từ</dt>
      <dd>{transfer.fromUnitName}</dd>
      <dt>Chuyển đến</dt>
      <dd>{transfer.toUnitName}</dd>
      <dt>Ngày chuyển</dt>
      <dd>{formatDate(transfer.issuedOn)}</dd>
      <dt>Hạn đến sinh hoạt</dt>
      <dd>
        {formatDate(transfer.reportBy)} {transfer.overdue && <span className="badge warn">Đã quá hạn 30 ngày</span>}
      </dd>
    </dl>
  );
}

/**
 * Tiếp nhận (confirmTransfer), receiving side: the day the member reported, the cell that takes
 * the member (another cell of the scope may be chosen), and the reason for a late arrival.
 */
export function ConfirmPanel({ transfer, onDone, onCancel }: PanelProps) {
  const cells = useCellsInScope();
  const [confirmedOn, setConfirmedOn] = useState(todayText);
  const [toUnitId, setToUnitId] = useState(transfer.toUnit?.id ?? '');
  const [lateReason, setLateReason] = useState('');
  const [reason, setReason] = useState('');
  const form = useMutationForm(['confirmedOn', 'toUnitId', 'lateReason', 'reason']);
  const arrived = readDateInput(confirmedOn, { required: true });
  // After the 30 days the API asks why: the field shows as soon as the typed day is late.
  const late = transfer.overdue || (arrived.iso !== null && arrived.iso > transfer.reportBy);
  const submit = async () => {
    const ok = await form.submit({ confirmedOn: arrived.problem }, async () => {
      const { confirmTransfer } = await request(ConfirmTransfer, {
        input: {
          transferId: transfer.id,
          confirmedOn: arrived.iso!,
          toUnitId: toUnitId && toUnitId !== transfer.toUnit?.id ? toUnitId : null,
          lateReason: late ? lateReason.trim() || null : null,
          reason: reason.trim() || null,
        },
      });
      return confirmTransfer;
    });
    if (ok) {
      const cell = cells.cells.find((c) => c.id === toUnitId)?.name ?? transfer.toUnitName;
      // The day as read (dd/mm/yyyy), not as typed ("1.7.2025").
      onDone(`Đã tiếp nhận đảng viên ${transfer.memberName} vào ${cell} từ ngày ${formatDate(arrived.iso)}.`);
    }
  };
  return (
    <ActionForm
      title={`Xác nhận đảng viên ${transfer.memberName} đến sinh hoạt`}
      intro={<TransferSummary transfer={transfer} />}
      form={form}
      submitLabel="Xác nhận đến"
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div className="form-grid">
        <Field label="Ngày đến sinh hoạt" value={confirmedOn} onChange={setConfirmedOn} error={form.fields.confirmedOn} hint="dd/mm/yyyy" />
        {cells.cells.length > 1 ? (
          <Select
            label="Chi bộ tiếp nhận"
            value={toUnitId}
            onChange={setToUnitId}
            error={form.fields.toUnitId}
            options={cells.cells.map((cell) => ({ value: cell.id, label: `${cell.name} (${cell.code})` }))}
          />
        ) : (
          form.fields.toUnitId && <p className="error">{form.fields.toUnitId}</p>
        )}
      </div>
      <ErrorBox error={cells.error} />
      {late && (
        <Field
          label="Lý do đến chậm"
          value={lateReason}
          onChange={setLateReason}
          error={form.fields.lateReason}
          hint={`Đảng viên đến sau hạn ${formatDate(transfer.reportBy)} (quá 30 ngày kể từ ngày chuyển).`}
          multiline
        />
      )}
      <Field label="Ghi chú" value={reason} onChange={setReason} error={form.fields.reason} multiline />
    </ActionForm>
  );
}

/** Hủy chuyển sinh hoạt (cancelTransfer), sending side, before arrival: with the reason. */
export function CancelPanel({ transfer, onDone, onCancel }: PanelProps) {
  const [reason, setReason] = useState('');
  const form = useMutationForm(['reason']);
  const submit = async () => {
    const ok = await form.submit({}, async () => (await request(CancelTransfer, { input: { transferId: transfer.id, reason: reason.trim() } })).cancelTransfer);
    if (ok) onDone(`Đã hủy chuyển sinh hoạt của ${transfer.memberName}; đảng viên vẫn sinh hoạt tại ${transfer.fromUnitName}.`);
  };
  return (
    <ActionForm
      title={`Hủy chuyển sinh hoạt của ${transfer.memberName}`}
      intro={<TransferSummary transfer={transfer} />}
      form={form}
      submitLabel="Hủy chuyển sinh hoạt"
      onSubmit={submit}
      onCancel={onCancel}
    >
      <Field label="Lý do hủy" value={reason} onChange={setReason} error={form.fields.reason} multiline required />
    </ActionForm>
  );
}

/** Ghi nhận trở về (recordTransferReturn): the end of a temporary transfer, recorded at home. */
export function ReturnPanel({ transfer, onDone, onCancel }: PanelProps) {
  const [returnedOn, setReturnedOn] = useState(todayText);
  const [reason, setReason] = useState('');
  const form = useMutationForm(['returnedOn', 'reason']);
  const submit = async () => {
    const returned = readDateInput(returnedOn, { required: true });
    const ok = await form.submit({ returnedOn: returned.problem }, async () => {
      const { recordTransferReturn } = await request(RecordTransferReturn, {
        input: { transferId: transfer.id, returnedOn: returned.iso!, reason: reason.trim() || null },
      });
      return recordTransferReturn;
    });
    if (ok) onDone(`Đã ghi nhận ${transfer.memberName} trở về sinh hoạt từ ngày ${formatDate(returned.iso)}.`);
  };
  return (
    <ActionForm
      title={`Ghi nhận ${transfer.memberName} trở về`}
      intro={transfer.returnsOn ? <p>Hạn trở về: {formatDate(transfer.returnsOn)}.</p> : undefined}
      form={form}
      submitLabel="Ghi nhận trở về"
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div className="form-grid">
        <Field label="Ngày trở về" value={returnedOn} onChange={setReturnedOn} error={form.fields.returnedOn} hint="dd/mm/yyyy" />
      </div>
      <Field label="Lý do" value={reason} onChange={setReason} error={form.fields.reason} multiline />
    </ActionForm>
  );
}
