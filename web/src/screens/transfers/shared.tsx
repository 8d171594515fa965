import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { ErrorBox, Field } from '../../ui/components';
import { formatDate, todayIso } from '../../ui/format';
import { vietnameseMessage } from '../../ui/messages';

/**
 * What the lifecycle and transfer forms share: today as a typed date, the decision's three fields,
 * and the API's user errors sorted beside the fields they name. Typed dates are read by
 * format.ts readDateInput.
 */

export interface UserErrorLike {
  code?: string;
  field?: readonly string[] | null;
  message: string;
}

export const todayText = (): string => formatDate(todayIso());

/**
 * One form's submission state: field errors (from the API's userErrors, by the last element of
 * their path, or from the date checks), errors naming no field of this form, and a coded error.
 */
export function useMutationForm(known: readonly string[], options: { onConflict?: () => void } = {}) {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [other, setOther] = useState<string[]>([]);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const show = (errors: readonly UserErrorLike[]) => {
    const byField: Record<string, string> = {};
    const rest: string[] = [];
    for (const error of errors) {
      const name = error.field?.[error.field.length - 1];
      // Said in Vietnamese one by one, before two messages for one field are joined.
      const message = vietnameseMessage(error.message);
      // The API may name one problem twice (e.g. a missing reason, checked by two rules): say it once.
      if (name && known.includes(name)) {
        if (!byField[name]?.includes(message)) byField[name] = byField[name] ? `${byField[name]} ${message}` : message;
      } else if (!rest.includes(message)) rest.push(message);
    }
    setFields(byField);
    setOther(rest);
  };

  /**
   * Sends unless a local check failed; answers true when the API accepted the change. `local`
   * maps fields to a problem found before sending (null: none).
   */
  const submit = async (local: Record<string, string | null>, send: () => Promise<{ userErrors: readonly UserErrorLike[] }>): Promise<boolean> => {
    setFailure(null);
    const problems = Object.entries(local).filter((entry): entry is [string, string] => entry[1] !== null);
    if (problems.length) {
      show(problems.map(([field, message]) => ({ field: [field], message })));
      return false;
    }
    setBusy(true);
    try {
      const { userErrors } = await send();
      show(userErrors);
      return userErrors.length === 0;
    } catch (error) {
      const coded = error instanceof ApiError ? error : new ApiError(String(error), 'ERROR');
      // An input over its limit names its argument (e.g. input.reason): beside that field if it is one here.
      const name = coded.argument?.split('.').pop();
      if (name && known.includes(name)) {
        show([{ field: [name], message: coded.message }]);
      } else {
        show([]);
        // A stale version: the record is read again, so the next try names the new version.
        if (coded.code === 'CONFLICT') options.onConflict?.();
        setFailure(
          coded.code === 'CONFLICT'
            ? new ApiError('Hồ sơ vừa được thay đổi ở nơi khác. Màn hình đã đọc lại hồ sơ: kiểm tra rồi gửi lại.', coded.code)
            : coded,
        );
      }
      return false;
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setFields({});
    setOther([]);
    setFailure(null);
  };

  return { fields, other, failure, busy, submit, reset };
}

/** The errors a form's fields do not show: refusals about the member or the transfer itself. */
export function FormProblems({ other }: { other: readonly string[] }) {
  if (!other.length) return null;
  return (
    <div className="error-box" role="alert">
      {other.length === 1 ? (
        other[0]
      ) : (
        <ul>
          {other.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export interface DecisionState {
  number: string;
  date: string;
  issuedBy: string;
}

export const emptyDecision = (): DecisionState => ({ number: '', date: todayText(), issuedBy: '' });

/** The decision (quyết định) every lifecycle change and transfer rests on: number, date, issuing body. */
export function DecisionFields(props: {
  legend: string;
  value: DecisionState;
  onChange(value: DecisionState): void;
  errors: Record<string, string>;
  labels?: { number?: string; date?: string; issuedBy?: string };
  issuedByHint?: string;
}) {
  const { value, onChange, errors } = props;
  return (
    <fieldset className="decision">
      <legend>{props.legend}</legend>
      <div className="form-grid">
        <Field label={props.labels?.number ?? 'Số quyết định'} value={value.number} onChange={(number) => onChange({ ...value, number })} error={errors.number} placeholder="125-QĐ/ĐU" />
        <Field
          label={props.labels?.date ?? 'Ngày quyết định'}
          value={value.date}
          onChange={(date) => onChange({ ...value, date })}
          error={errors.date}
          hint="dd/mm/yyyy"
        />
        <Field
          label={props.labels?.issuedBy ?? 'Cấp ra quyết định'}
          value={value.issuedBy}
          onChange={(issuedBy) => onChange({ ...value, issuedBy })}
          error={errors.issuedBy}
          hint={props.issuedByHint}
        />
      </div>
    </fieldset>
  );
}

/** The buttons at the foot of a form. */
export function FormButtons({ busy, submitLabel, onCancel }: { busy: boolean; submitLabel: string; onCancel?: () => void }): ReactNode {
  return (
    <div className="form-buttons">
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Đang gửi…' : submitLabel}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel} disabled={busy}>
          Thôi
        </button>
      )}
    </div>
  );
}

/**
 * A form for one action: its heading takes the focus when it opens (so a keyboard user is in it),
 * the errors naming no field and a coded error above the fields, the buttons below.
 */
export function ActionForm(props: {
  title: string;
  intro?: ReactNode;
  form: { other: readonly string[]; failure: Error | null; busy: boolean };
  submitLabel: string;
  onSubmit(): void;
  onCancel?: () => void;
  children: ReactNode;
}) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <form className="action-form" aria-labelledby={id} onSubmit={submit} noValidate>
      <h3 id={id} ref={heading} tabIndex={-1}>
        {props.title}
      </h3>
      {props.intro}
      <FormProblems other={props.form.other} />
      <ErrorBox error={props.form.failure} />
      {props.children}
      <FormButtons busy={props.form.busy} submitLabel={props.submitLabel} onCancel={props.onCancel} />
    </form>
  );
}
