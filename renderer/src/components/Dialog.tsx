import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal dialog on the platform's `<dialog>` (focus kept inside, Escape closes, the rest of the
 * page inert). Open while mounted with `open`.
 * @example <Dialog open title="Kill node n1?" onClose={cancel}>…</Dialog>
 */
export function Dialog({ open, title, onClose, children, wide }: { open: boolean; title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`dialog ${wide ? 'dialog-wide' : ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <>
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}

/**
 * Asks before something that cannot be undone; the confirm button names the action and target.
 * @example <ConfirmDialog open title="Kill node n1?" confirmLabel="Kill n1" onConfirm={kill} onCancel={close}>…</ConfirmDialog>
 */
export function ConfirmDialog(props: { open: boolean; title: string; confirmLabel: string; onConfirm: () => void; onCancel: () => void; children: ReactNode }) {
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onCancel}>
      <div className="dialog-body">{props.children}</div>
      <div className="dialog-actions">
        <button type="button" onClick={props.onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
