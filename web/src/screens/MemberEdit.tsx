import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError, request } from '../api/client';
import type { VariablesOf } from '../api/graphql';
import { can } from '../access';
import { href } from '../router';
import { useSession } from '../session';
import { Checkbox, ErrorBox, Field, Loading, Section, Select } from '../ui/components';
import { vietnameseMessage } from '../ui/messages';
import { useQuery } from '../ui/use-query';
import {
  apiFieldLabel,
  apiValue,
  changedFields,
  displayValue,
  formKeyOfPath,
  formKeysOf,
  GROUPS,
  heldCodes,
  optionsOf,
  REASON_FIELDS,
  valuesOf,
  type ApiField,
  type Catalogues,
  type EditMember,
  type FieldSpec,
  type FormKey,
  type FormValues,
} from './member/edit-model';
import { CataloguesQuery, MemberEditQuery, UpdateMemberMutation } from './member/queries';

type Errors = Partial<Record<FormKey | 'reason', string>>;

/** Someone saved the record after the form read it: their changes, from a fresh read. */
interface Conflict {
  fresh: EditMember;
  /** Fields the other save changed (the form's version → the fresh one). */
  theirs: ApiField[];
}

const GENDERS = [
  { value: 'MALE', label: 'Nam' },
  { value: 'FEMALE', label: 'Nữ' },
];

/**
 * Màn hình Sửa hồ sơ (#/members/<id>/edit): the fields of `updateMember`, sent only when changed,
 * with the version read (optimistic locking). The API's messages are shown beside the field they
 * name; a stale version shows what changed meanwhile and re-applies the user's edits on the new
 * version with one click. Whatever fails, what the user typed stays in the form.
 */
export function MemberEdit({ memberId }: { memberId: string }) {
  const session = useSession();
  const mayEdit = can(session.account.role, 'changeRecords');
  const loaded = useQuery(MemberEditQuery, { id: memberId }, { skip: !mayEdit });
  const catalogues = useQuery(CataloguesQuery, {}, { skip: !mayEdit });

  if (!mayEdit) {
    return (
      <>
        <h1>Sửa hồ sơ</h1>
        <p className="error-box" role="alert">
          Vai trò của bạn không được sửa hồ sơ đảng viên.
        </p>
        <p>
          <a href={href('members', memberId)}>← Về hồ sơ</a>
        </p>
      </>
    );
  }
  const member = loaded.data?.member;
  return (
    <div className="member-edit">
      <p className="crumbs">
        <a href={href('members', memberId)}>← Về hồ sơ</a>
      </p>
      <Loading when={loaded.loading && !member} />
      <ErrorBox error={loaded.error} />
      {loaded.data && !member && (
        <p className="error-box" role="alert">
          Không tìm thấy đảng viên này trong phạm vi của bạn.
        </p>
      )}
      {member && member.id === memberId && (
        // Keyed by member: another member's form starts afresh, the same member's keeps its input.
        <EditForm key={member.id} initial={member} catalogues={catalogues.data} cataloguesError={catalogues.error} />
      )}
    </div>
  );
}

function EditForm({ initial, catalogues, cataloguesError }: { initial: EditMember; catalogues: Catalogues | null; cataloguesError: ApiError | null }) {
  /** The record as read: the version the save names, and what "changed" is measured from. */
  const [base, setBase] = useState<EditMember>(initial);
  const [values, setValues] = useState<FormValues>(() => valuesOf(initial));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const conflictRef = useRef<HTMLHeadingElement>(null);

  const baseValues = useMemo(() => valuesOf(base), [base]);
  const changed = changedFields(values, baseValues);
  const reasonNeeded = changed.some((field) => REASON_FIELDS.has(field));
  const held = useMemo(() => {
    // Codes held by the record as read and by a fresher read: both must stay choosable.
    const all = [heldCodes(base), conflict ? heldCodes(conflict.fresh) : {}];
    return (key: FormKey) => all.flatMap((codes) => (codes[key] ? [codes[key]!] : []));
  }, [base, conflict]);

  // After a refused save, the first field at fault takes the focus (keyboard and screen reader users land on it).
  const errorCount = Object.keys(errors).length;
  useEffect(() => {
    if (errorCount) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors, errorCount]);
  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  const set = (key: FormKey) => (value: string) => {
    setValues((before) => ({ ...before, [key]: value }));
    setNotice(null);
  };

  const catalogueLabel = (key: FormKey, code: string): string => {
    const spec = GROUPS.flatMap((g) => g.fields).find((f) => f.key === key)!;
    return optionsOf(spec, catalogues, held(key)).find((o) => o.value === code)?.label ?? code;
  };

  /** Sends the changes of `typed` over `from` (the version it names). */
  const save = async (from: EditMember, typed: FormValues, why: string) => {
    const fields = changedFields(typed, valuesOf(from));
    if (!fields.length) {
      setNotice('Chưa có thay đổi nào để lưu.');
      return;
    }
    setBusy(true);
    setErrors({});
    setOtherErrors([]);
    setFailure(null);
    setNotice(null);
    const input: VariablesOf<typeof UpdateMemberMutation>['input'] = { id: from.id, expectedVersion: from.version };
    // apiValue gives each field the type UpdateMemberInput declares for it (edit-model.ts).
    for (const field of fields) (input as Record<string, unknown>)[field] = apiValue(field, typed);
    if (why.trim()) input.reason = why.trim();
    try {
      const { updateMember } = await request(UpdateMemberMutation, { input });
      if (updateMember.userErrors.length) {
        const byField: Errors = {};
        const rest: string[] = [];
        for (const error of updateMember.userErrors) {
          const key = formKeyOfPath(error.field);
          // In Vietnamese here for the list below, which shows them as given (the fields translate too: it is idempotent).
          if (key && !byField[key]) byField[key] = vietnameseMessage(error.message);
          else rest.push(vietnameseMessage(error.message));
        }
        setErrors(byField);
        setOtherErrors(rest);
        return;
      }
      // Saved: back to the file, which says so (and shows the change in its history).
      window.location.hash = href('members', from.id).slice(1) + '?saved=1';
    } catch (caught) {
      const error = caught instanceof ApiError ? caught : new ApiError(String(caught), 'ERROR');
      if (error.code === 'CONFLICT') {
        await showConflict(from, typed);
        return;
      }
      // An input refused before any rule ran (a date that is not one, a value too long) names its argument.
      const key = error.code === 'BAD_USER_INPUT' ? formKeyOfPath(pathOf(error)) : null;
      if (key) setErrors({ [key]: vietnameseMessage(error.message) });
      else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  /** Reads the record again and shows what the other save changed, beside what the user typed. */
  const showConflict = async (from: EditMember, typed: FormValues) => {
    try {
      const { member: fresh } = await request(MemberEditQuery, { id: from.id });
      if (!fresh) {
        setFailure(new ApiError('Hồ sơ này không còn trong phạm vi của bạn; không lưu được.', 'NOT_FOUND'));
        return;
      }
      setConflict({ fresh, theirs: changedFields(valuesOf(fresh), valuesOf(from)) });
    } catch (caught) {
      setFailure(caught instanceof ApiError ? caught : new ApiError(String(caught), 'ERROR'));
    }
  };

  /** The new version, with the user's own changes (as typed now, over the version read) typed over it again, then saved. */
  const reapply = async () => {
    if (!conflict) return;
    const rebased = valuesOf(conflict.fresh);
    for (const field of changed) for (const key of formKeysOf(field)) rebased[key] = values[key];
    setBase(conflict.fresh);
    setValues(rebased);
    setConflict(null);
    await save(conflict.fresh, rebased, reason);
  };

  const discardMine = () => {
    if (!conflict) return;
    setBase(conflict.fresh);
    setValues(valuesOf(conflict.fresh));
    setConflict(null);
    setErrors({});
    setNotice('Đã tải bản mới nhất; các thay đổi của bạn đã bỏ.');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(base, values, reason);
  };

  const field = (spec: FieldSpec) => {
    const common = { label: spec.label, name: spec.key, error: errors[spec.key], hint: spec.hint };
    switch (spec.kind) {
      case 'check':
        return <Checkbox key={spec.key} {...common} checked={values[spec.key] === 'true'} onChange={(checked) => set(spec.key)(String(checked))} />;
      case 'gender':
        return <Select key={spec.key} {...common} value={values[spec.key]} onChange={set(spec.key)} options={GENDERS} />;
      case 'catalogue':
        return <Select key={spec.key} {...common} value={values[spec.key]} onChange={set(spec.key)} options={optionsOf(spec, catalogues, held(spec.key))} />;
      case 'date':
        return (
          <Field key={spec.key} {...common} value={values[spec.key]} onChange={set(spec.key)} maxLength={10} placeholder="dd/mm/yyyy" hint={spec.hint ?? 'Dạng dd/mm/yyyy'} inputMode="numeric" />
        );
      default:
        return <Field key={spec.key} {...common} value={values[spec.key]} onChange={set(spec.key)} maxLength={spec.maxLength} />;
    }
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="edit-title">
      <h1 id="edit-title">Sửa hồ sơ: {base.fullName}</h1>
      <p className="muted">
        Sửa theo phiên bản {base.version} của hồ sơ. Chỉ những trường bạn sửa được gửi đi; nếu trong lúc đó có người khác lưu hồ sơ, bạn sẽ thấy những gì đã đổi.
      </p>
      <ErrorBox error={cataloguesError} />

      {conflict && (
        <section className="conflict" aria-labelledby="conflict-title">
          <h2 id="conflict-title" tabIndex={-1} ref={conflictRef}>
            Hồ sơ đã được người khác lưu trong lúc bạn sửa
          </h2>
          <p>
            Hồ sơ đã lên phiên bản {conflict.fresh.version} (bạn sửa từ phiên bản {base.version}). Chưa có gì của bạn được lưu; nội dung bạn nhập vẫn còn trong biểu mẫu.
          </p>
          {conflict.theirs.length ? (
            <div className="table-wrap">
              <table aria-label="Những trường đã thay đổi">
                <thead>
                  <tr>
                    <th scope="col">Trường</th>
                    <th scope="col">Giá trị của bạn</th>
                    <th scope="col">Giá trị mới đã lưu</th>
                  </tr>
                </thead>
                <tbody>
                  {conflict.theirs.map((f) => (
                    <tr key={f}>
                      <th scope="row">
                        {apiFieldLabel(f)}
                        {changed.includes(f) && <span className="badge warn">bạn cũng sửa</span>}
                      </th>
                      <td>{displayValue(f, values, catalogueLabel)}</td>
                      <td>{displayValue(f, valuesOf(conflict.fresh), catalogueLabel)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>Các trường của biểu mẫu này không đổi (thay đổi ở phần khác của hồ sơ, ví dụ tình trạng hoặc chi bộ).</p>
          )}
          <p>
            {changed.length
              ? `Thay đổi của bạn: ${changed.map(apiFieldLabel).join(', ')}. Áp dụng lại sẽ ghi chúng lên phiên bản mới` +
                (changed.some((f) => conflict.theirs.includes(f)) ? ' (ở trường cả hai cùng sửa, giá trị của bạn sẽ thay giá trị mới).' : '; các thay đổi kia được giữ.')
              : 'Bạn chưa sửa trường nào.'}
          </p>
          <div className="toolbar">
            <button type="button" className="primary" onClick={() => void reapply()} disabled={busy || !changed.length}>
              Áp dụng lại thay đổi của tôi và lưu
            </button>
            <button type="button" onClick={discardMine} disabled={busy}>
              Bỏ thay đổi của tôi, dùng bản mới
            </button>
          </div>
        </section>
      )}

      {GROUPS.map((group) => (
        <Section key={group.title} title={group.title}>
          <div className="form-grid">{group.fields.map(field)}</div>
        </Section>
      ))}

      <Section title="Lý do sửa">
        <Field
          label="Lý do, căn cứ pháp lý"
          name="reason"
          value={reason}
          onChange={(value) => {
            setReason(value);
            setNotice(null);
          }}
          error={errors.reason}
          required={reasonNeeded}
          maxLength={2000}
          multiline
          hint={
            reasonNeeded
              ? `Bắt buộc vì bạn sửa ${changed.filter((f) => REASON_FIELDS.has(f)).map(apiFieldLabel).join(', ')}.`
              : 'Bắt buộc khi sửa họ tên, giới tính, ngày sinh hoặc thông tin nhạy cảm (CCCD, dân tộc, tôn giáo, địa chỉ, điện thoại, bệnh hiểm nghèo).'
          }
        />
      </Section>

      {otherErrors.length > 0 && (
        <div className="error-box" role="alert">
          <ul>
            {otherErrors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      )}
      <ErrorBox error={failure} />
      <div className="form-actions">
        {/* Announced when it appears; the list of changed fields below is not (it follows every key). */}
        <div role="status">{notice && <p className="notice">{notice}</p>}</div>
        <p>{changed.length ? `Đã sửa: ${changed.map(apiFieldLabel).join(', ')}.` : 'Chưa sửa trường nào.'}</p>
      </div>
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Đang lưu…' : 'Lưu thay đổi'}
        </button>
        <a className="button" href={href('members', base.id)}>
          Hủy
        </a>
      </div>
    </form>
  );
}

/** Where a BAD_USER_INPUT points: its argument ("input.nationalId"), or the variable path in a coercion message. */
function pathOf(error: ApiError): string[] | null {
  const where = error.argument ?? /at "([\w.]+)"/.exec(error.message)?.[1];
  return where ? where.split('.') : null;
}
