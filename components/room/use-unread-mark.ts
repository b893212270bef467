'use client';

import { useEffect, useRef, useState } from 'react';
import type { Message } from '@/lib/protocol/definitions';
import { readStoredValue, writeStoredValue } from '../use-stored-value';

/** Where a browser keeps the last seq it showed of a room while the page was visible. */
function seenKey(roomId: string): string {
  return `livechat:seen:${roomId}`;
}

/**
 * Where the reader left off: the last seq seen before being away (the page closed or
 * reloaded, or the tab hidden), so the log can draw a "new messages" line after it; null
 * until there is such a time.
 */
export function useUnreadMark(roomId: string, messages: readonly Message[]): number | null {
  const [mark, setMark] = useState<number | null>(() => {
    const stored = Number(readStoredValue(seenKey(roomId)));
    return Number.isSafeInteger(stored) && stored > 0 ? stored : null;
  });
  const lastSeq = messages.at(-1)?.seq ?? 0;
  const lastSeqRef = useRef(lastSeq);
  const hiddenAtSeq = useRef<number | null>(null);

  // What a visible page shows counts as seen, for the next visit.
  useEffect(() => {
    lastSeqRef.current = lastSeq;
    if (document.visibilityState === 'visible' && lastSeq > 0) {
      writeStoredValue(seenKey(roomId), String(lastSeq));
    }
  }, [roomId, lastSeq]);

  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        hiddenAtSeq.current = lastSeqRef.current;
        return;
      }
      const since = hiddenAtSeq.current;
      hiddenAtSeq.current = null;
      if (since !== null && lastSeqRef.current > since) setMark(since);
      writeStoredValue(seenKey(roomId), String(lastSeqRef.current));
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [roomId]);

  return mark;
}
