import { useId } from 'react';

/**
 * The editing form's inputs: as ui/components' Field (a visible label, the API's message beside
 * the field, announced, and tied to it by aria-describedby), plus what a record's form needs:
 * the API's length limits as maxLength (a longer value would be refused before any rule ran),
 * "required" said in words and aria-required rather than the browser's own check (which would
 * speak instead of the API), a drop-down and a check box with the same error placement.
 */
interface Common {
  label: string;
  error?: string | null;
  hint?: string;
  required?: boolean;
  name: string;
}

function describedBy(id: string, props: Common): string | undefined {
  return [props.error ? `${id}-error` : null, props.hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
}

function Label({ id, props }: { id: string; props: Common }) {
  return (
    <label htmlFor={id}>
      {props.label}
      {props.required && <span className="required"> (bắt buộc)</span>}
    </label>
  );
}

function Notes({ id, props }: { id: string; props: Common }) {
  return (
    <>
      {props.hint && (
        <small id={`${id}-hint`} className="hint">
          {props.hint}
        </small>
      )}
      {props.error && (
        <small id={`${id}-error`} className="error" role="alert">
          {props.error}
        </small>
      )}
    </>
  );
}

export function TextInput(props: Common & { value: string; onChange(value: string): void; maxLength?: number; placeholder?: string; multiline?: boolean; inputMode?: 'numeric' | 'tel' | 'text' }) {
  const id = useId();
  const common = {
    id,
    name: props.name,
    value: props.value,
    maxLength: props.maxLength,
    placeholder: props.placeholder,
    'aria-invalid': props.error ? true : undefined,
    'aria-required': props.required ? true : undefined,
    'aria-describedby': describedBy(id, props),
  };
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <Label id={id} props={props} />
      {props.multiline ? (
        <textarea {...common} rows={3} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" inputMode={props.inputMode} onChange={(e) => props.onChange(e.target.value)} />
      )}
      <Notes id={id} props={props} />
    </div>
  );
}

export function SelectInput(props: Common & { value: string; onChange(value: string): void; options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <Label id={id} props={props} />
      <select
        id={id}
        name={props.name}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <Notes id={id} props={props} />
    </div>
  );
}

export function CheckInput(props: Common & { checked: boolean; onChange(checked: boolean): void }) {
  const id = useId();
  return (
    <div className={props.error ? 'field field-check invalid' : 'field field-check'}>
      <span className="check">
        <input
          id={id}
          name={props.name}
          type="checkbox"
          checked={props.checked}
          onChange={(e) => props.onChange(e.target.checked)}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy(id, props)}
        />
        <Label id={id} props={props} />
      </span>
      <Notes id={id} props={props} />
    </div>
  );
}
