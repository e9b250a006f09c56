import { useId } from 'react';

/** Props of {@link TextField}. */
export interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The validation message, shown under the field and tied to it for assistive technology. */
  error?: string;
  hint?: string;
  placeholder?: string;
  type?: 'text' | 'url' | 'number';
}

/**
 * A labelled text input with its validation message inline.
 * @example <TextField label="Cluster" value={form.cluster} onChange={set('cluster')} error={errors.cluster} />
 */
export function TextField({ label, value, onChange, error, hint, placeholder, type = 'text' }: TextFieldProps) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} type={type} value={value} placeholder={placeholder} aria-invalid={error ? true : undefined} aria-describedby={describedBy} onChange={(event) => onChange(event.target.value)} />
      {hint ? (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}

/**
 * A labelled checkbox.
 * @example <CheckField label="Local host" checked={host.local} onChange={setLocal} />
 */
export function CheckField({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} /> {label}
    </label>
  );
}
