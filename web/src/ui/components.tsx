import { useId, type ReactNode } from 'react';
import type { ApiError } from '../api/client';
import { vietnameseMessage } from './messages';

/**
 * What every form control here has: a visible label, an optional hint, and the API's message for
 * the field beside it (in Vietnamese, announced, tied by aria-describedby). "Required" is said in
 * words and aria-required, not by the browser's own check, so the API's message is the one heard.
 */
interface Control {
  label: string;
  error?: string | null;
  hint?: string;
  name?: string;
  required?: boolean;
}

function describedBy(id: string, props: Control): string | undefined {
  return [props.error ? `${id}-error` : null, props.hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
}

function ControlLabel({ id, props }: { id: string; props: Control }) {
  return (
    <label htmlFor={id}>
      {props.label}
      {props.required && <span className="required"> (bắt buộc)</span>}
    </label>
  );
}

function ControlNotes({ id, props }: { id: string; props: Control }) {
  return (
    <>
      {props.hint && (
        <small id={`${id}-hint`} className="hint">
          {props.hint}
        </small>
      )}
      {props.error && (
        <small id={`${id}-error`} className="error" role="alert">
          {vietnameseMessage(props.error)}
        </small>
      )}
    </>
  );
}

function controlState(id: string, props: Control) {
  return {
    id,
    name: props.name,
    'aria-invalid': props.error ? true : undefined,
    'aria-required': props.required ? true : undefined,
    'aria-describedby': describedBy(id, props),
  };
}

/** A labelled text input (or text area). */
export function Field(
  props: Control & {
    value: string;
    onChange(value: string): void;
    type?: string;
    placeholder?: string;
    multiline?: boolean;
    maxLength?: number;
    inputMode?: 'numeric' | 'tel' | 'text';
  },
) {
  const id = useId();
  const common = { ...controlState(id, props), value: props.value, placeholder: props.placeholder, maxLength: props.maxLength };
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <ControlLabel id={id} props={props} />
      {props.multiline ? (
        <textarea {...common} onChange={(e) => props.onChange(e.target.value)} rows={3} />
      ) : (
        <input {...common} type={props.type ?? 'text'} inputMode={props.inputMode} onChange={(e) => props.onChange(e.target.value)} />
      )}
      <ControlNotes id={id} props={props} />
    </div>
  );
}

/** A labelled drop-down. */
export function Select(props: Control & { value: string; onChange(value: string): void; options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <ControlLabel id={id} props={props} />
      <select {...controlState(id, props)} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <ControlNotes id={id} props={props} />
    </div>
  );
}

/** A check box with its label after it. */
export function Checkbox(props: Control & { checked: boolean; onChange(checked: boolean): void }) {
  const id = useId();
  return (
    <div className={props.error ? 'field check invalid' : 'field check'}>
      <span className="check-line">
        <input {...controlState(id, props)} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
        <ControlLabel id={id} props={props} />
      </span>
      <ControlNotes id={id} props={props} />
    </div>
  );
}

/**
 * An API error shown to the user (never a stack or an internal detail: the API gives none), in
 * Vietnamese (ui/messages.ts); the English of the API when the catalogue does not know it.
 */
export function ErrorBox({ error }: { error: ApiError | Error | null | undefined }) {
  if (!error) return null;
  return (
    <p className="error-box" role="alert">
      {vietnameseMessage(error.message)}
    </p>
  );
}

export function Loading({ when }: { when: boolean }) {
  return when ? (
    <p className="loading" role="status" aria-live="polite">
      Đang tải…
    </p>
  ) : null;
}

/** Next/previous over a Relay connection: the cursors the API answers. */
export function Pager(props: { hasNext: boolean; hasPrevious: boolean; onNext(): void; onPrevious(): void; summary?: ReactNode }) {
  return (
    <nav className="pager" aria-label="Phân trang">
      <button type="button" onClick={props.onPrevious} disabled={!props.hasPrevious}>
        ← Trang trước
      </button>
      <span>{props.summary}</span>
      <button type="button" onClick={props.onNext} disabled={!props.hasNext}>
        Trang sau →
      </button>
    </nav>
  );
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const id = useId();
  return (
    <section className="section" aria-labelledby={id}>
      <header>
        <h2 id={id}>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}
