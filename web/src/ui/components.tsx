import { useId, type ReactNode } from 'react';
import type { ApiError } from '../api/client';
import { vietnameseMessage } from './messages';

/** A labelled input with the API's message for this field shown beside it (in Vietnamese, and announced). */
export function Field(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string | null;
  type?: string;
  placeholder?: string;
  hint?: string;
  name?: string;
  required?: boolean;
  multiline?: boolean;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const described = [props.error ? errorId : null, props.hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: props.name,
    value: props.value,
    required: props.required,
    placeholder: props.placeholder,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': described,
  };
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} onChange={(e) => props.onChange(e.target.value)} rows={3} />
      ) : (
        <input {...common} type={props.type ?? 'text'} onChange={(e) => props.onChange(e.target.value)} />
      )}
      {props.hint && (
        <small id={hintId} className="hint">
          {props.hint}
        </small>
      )}
      {props.error && (
        <small id={errorId} className="error" role="alert">
          {vietnameseMessage(props.error)}
        </small>
      )}
    </div>
  );
}

/** A labelled drop-down. */
export function Select(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  options: { value: string; label: string }[];
  error?: string | null;
  name?: string;
}) {
  const id = useId();
  // Tied to the drop-down like Field's message, so a screen reader reads it with the field.
  const errorId = `${id}-error`;
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? errorId : undefined}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {props.error && (
        <small id={errorId} className="error" role="alert">
          {vietnameseMessage(props.error)}
        </small>
      )}
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
