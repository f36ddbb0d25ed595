/** Form controls with their label, hint and error wired for assistive technology. */
import { type InputHTMLAttributes, type Ref, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>;

export interface FieldProps extends InputProps {
  label: string;
  hint?: string;
  error?: string | null;
  ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, hint, error, ref, ...input }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      <input
        id={id}
        ref={ref}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
    </div>
  );
}

/** A password field with a "show password" box: typing on a phone keyboard is error-prone. */
export function PasswordField(props: Omit<FieldProps, 'type'>) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const id = useId();
  return (
    <div className="password-field">
      <TextField {...props} type={shown ? 'text' : 'password'} spellCheck={false} autoCapitalize="none" />
      {/* The whole 44 px row is the target, not the 20 px box and its line of text. */}
      <label className="check" htmlFor={id}>
        <input id={id} type="checkbox" checked={shown} onChange={(event) => setShown(event.target.checked)} />
        <span>{t('fields.showPassword')}</span>
      </label>
    </div>
  );
}

/** A ref that focuses its element as it appears: a message the person must find, not only hear. */
export const focusOnMount = (element: HTMLElement | null) => element?.focus();

/**
 * The live region of a form: always in the DOM so screen readers announce what appears in it.
 * `attempt` changes on every failed submit, so the same message is announced again. `focus`:
 * the message takes the focus (a long form whose summary is off-screen, above the button).
 */
export function FormAlert({
  message,
  attempt,
  focus = false,
}: {
  message: string | null;
  attempt: number;
  focus?: boolean;
}) {
  return (
    <div role="alert" className="form-alert-region">
      {message && (
        <p
          key={attempt}
          className="form-alert"
          tabIndex={focus ? -1 : undefined}
          ref={focus ? focusOnMount : undefined}
        >
          {message}
        </p>
      )}
    </div>
  );
}

/**
 * A status line (success messages), announced politely. `focus`: each new message takes the
 * focus, for an action whose button disappears with it (the element that had the focus is gone).
 */
export function FormStatus({ message, focus = false }: { message: string | null; focus?: boolean }) {
  return (
    <div role="status" className="form-status-region">
      {message && (
        <p
          key={focus ? message : undefined}
          className="form-status"
          tabIndex={focus ? -1 : undefined}
          ref={focus ? focusOnMount : undefined}
        >
          {message}
        </p>
      )}
    </div>
  );
}

/** Stays focusable while busy (a disabled button would drop keyboard focus); double submits are ignored. */
export function SubmitButton({
  busy,
  label,
  busyLabel,
  variant = 'primary',
}: {
  busy: boolean;
  label: string;
  busyLabel: string;
  variant?: 'primary' | 'danger';
}) {
  return (
    <button type="submit" className={`button ${variant}`} aria-disabled={busy || undefined}>
      {busy ? busyLabel : label}
    </button>
  );
}
