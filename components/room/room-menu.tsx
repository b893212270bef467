'use client';

import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

/**
 * The room's secondary actions. On a wide screen they sit in the header as they are; on a phone
 * (the stylesheet decides) they fold behind one "Room menu" button, which Escape or a tap
 * elsewhere closes.
 */
export function RoomMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [open]);

  // A form inside (the nickname changer) handles its own Escape first and marks it handled.
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'Escape' || event.defaultPrevented || !open) return;
    setOpen(false);
    toggleRef.current?.focus();
  }

  return (
    <div ref={rootRef} className="room-menu" onKeyDown={onKeyDown}>
      <button
        ref={toggleRef}
        type="button"
        className="button button-quiet room-menu-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((wasOpen) => !wasOpen)}
      >
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <path d="M3 5h14M3 10h14M3 15h14" stroke="currentColor" strokeWidth="1.8" />
        </svg>
        <span className="visually-hidden">Room menu</span>
      </button>
      <div id={panelId} className="room-actions" data-open={open || undefined}>
        {children}
      </div>
    </div>
  );
}
