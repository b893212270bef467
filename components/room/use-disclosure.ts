'use client';

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

/**
 * A button that shows and hides a panel of actions: a tap elsewhere or Escape closes it, and
 * Escape gives focus back to the button. A form inside that handles its own Escape first
 * marks it handled (`preventDefault`), and the panel stays.
 */
export function useDisclosure() {
  const [open, setOpen] = useState(false);
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

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key !== 'Escape' || event.defaultPrevented || !open) return;
    setOpen(false);
    toggleRef.current?.focus();
  }

  return {
    open,
    toggle: () => setOpen((wasOpen) => !wasOpen),
    close: () => setOpen(false),
    rootRef,
    toggleRef,
    onKeyDown,
  };
}
