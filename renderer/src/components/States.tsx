import { isSwitchboardError } from '@switchboard/shared';
import type { ReactNode } from 'react';

/**
 * The three states every view has besides its content: loading, empty, and failed.
 */

/** A quiet loading line, announced to screen readers. */
export function Loading({ label }: { label: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** Nothing to show yet, and what would make something appear. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty" role="status">
      <strong>{title}</strong>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

/** The message and id of any error (a SwitchboardError's detail too, when it says more). */
export function describeError(error: unknown): { message: string; detail: string; id: string | null } {
  if (isSwitchboardError(error)) return { message: error.message, detail: error.detail, id: error.id };
  if (error instanceof Error) return { message: error.message, detail: '', id: null };
  return { message: String(error), detail: '', id: null };
}

/** A failure, what it was, and a way to try again. */
export function ErrorState({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const { message, detail, id } = describeError(error);
  return (
    <div className="state state-error" role="alert">
      <strong>{title}</strong>
      <p>
        {message}
        {id ? <code className="error-id">{id}</code> : null}
      </p>
      {detail ? <p className="muted small">{detail}</p> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
