'use client';

import { useEffect, useRef, useState } from 'react';
import { roomPath } from '@/lib/chat/room-id';

const FEEDBACK_MS = 2500;

/** Copies the room's shareable link and says so next to the button. */
export function CopyLinkButton({ roomId }: { roomId: string }) {
  const [feedback, setFeedback] = useState('');
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  async function copy() {
    const link = new URL(roomPath(roomId), window.location.origin).href;
    const copied = await copyText(link);
    setFeedback(copied ? 'Copied' : `Copy this link: ${link}`);
    window.clearTimeout(timer.current);
    if (copied) timer.current = window.setTimeout(() => setFeedback(''), FEEDBACK_MS);
  }

  return (
    <>
      <button type="button" className="button button-quiet" onClick={() => void copy()}>
        <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
          <path
            d="M8 4h7a1 1 0 0 1 1 1v9M5 7h7a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            strokeLinejoin="round"
          />
        </svg>
        Copy link
      </button>
      <span role="status" className="copy-feedback">
        {feedback}
      </span>
    </>
  );
}

/** Puts text on the clipboard; falls back to the old API where the new one is refused. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Not a secure context, or permission refused: try the selection-based copy.
  }
  const focused = document.activeElement as HTMLElement | null;
  const scratch = document.createElement('textarea');
  scratch.value = text;
  scratch.setAttribute('readonly', '');
  scratch.className = 'visually-hidden';
  document.body.append(scratch);
  scratch.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  scratch.remove();
  focused?.focus();
  return copied;
}
