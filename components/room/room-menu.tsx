'use client';

import { useId, type ReactNode } from 'react';
import { useDisclosure } from './use-disclosure';

/**
 * The room's secondary actions. On a wide screen they sit in the header as they are; on a phone
 * (the stylesheet decides) they fold behind one "Room menu" button, which Escape or a tap
 * elsewhere closes.
 */
export function RoomMenu({ children }: { children: ReactNode }) {
  const { open, toggle, rootRef, toggleRef, onKeyDown } = useDisclosure();
  const panelId = useId();

  return (
    <div ref={rootRef} className="room-menu" onKeyDown={onKeyDown}>
      <button
        ref={toggleRef}
        type="button"
        className="button button-quiet room-menu-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={toggle}
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
