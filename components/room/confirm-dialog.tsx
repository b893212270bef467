'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ConfirmDialogProps {
  title: string;
  /** What will happen, and any choice to make before it does. */
  children: ReactNode;
  /** The button that does it ("Delete", "Ban"). */
  confirmLabel: string;
  onConfirm(): void;
  onClose(): void;
}

/**
 * Asks before something that cannot be undone: a modal dialog (the browser's own, so focus
 * stays inside and Escape works) that Cancel or Escape closes without doing it.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      onClose={onClose}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      <div id={textId} className="dialog-body">
        {children}
      </div>
      <form method="dialog" className="dialog-buttons">
        <button type="submit" className="button button-secondary" autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          onClick={() => {
            onConfirm();
            ref.current?.close();
          }}
        >
          {confirmLabel}
        </button>
      </form>
    </dialog>
  );
}
