'use client';

import { useEffect, useId, useRef } from 'react';

interface DeleteDialogProps {
  onConfirm(): void;
  onClose(): void;
}

/** Asks before a message is deleted for everyone; a modal dialog, Escape or Cancel keeps it. */
export function DeleteDialog({ onConfirm, onClose }: DeleteDialogProps) {
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
        Delete this message?
      </h2>
      <p id={textId}>
        It will be replaced by “message deleted” for everyone. This cannot be undone.
      </p>
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
          Delete
        </button>
      </form>
    </dialog>
  );
}
