'use client';

import { useCallback } from 'react';
import { useChatStore } from '../chat-provider';

/** The id of a message's element in the log, to scroll to it. */
export function messageElementId(seq: number): string {
  return `message-${seq}`;
}

/**
 * Scrolling to a message (the original of a reply): older pages are loaded first if it is not
 * in the log yet; then it is centred, highlighted for a moment and focused, so a screen
 * reader reads it.
 */
export function useJumpToMessage(): (seq: number) => Promise<void> {
  const revealMessage = useChatStore((state) => state.revealMessage);
  return useCallback(
    async (seq: number) => {
      if (!document.getElementById(messageElementId(seq))) {
        if (!(await revealMessage(seq))) return;
        // Let the log render the loaded page (and keep its place) before scrolling.
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      }
      const element = document.getElementById(messageElementId(seq));
      if (!element) return;
      const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      element.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
      element.dataset.highlight = '';
      element.focus({ preventScroll: true });
      setTimeout(() => delete element.dataset.highlight, 2_000);
    },
    [revealMessage],
  );
}
