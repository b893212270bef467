'use client';

import { useEffect, useState } from 'react';
import { typingText } from '@/lib/client/typing-text';
import { useChatStore } from '../chat-provider';

/** "Alice is typing…" under the log, for as long as the signals last. */
export function TypingIndicator() {
  const typists = useChatStore((state) => state.typists);
  const [now, setNow] = useState(() => performance.now());
  const anyone = Object.keys(typists).length > 0;

  // Signals run out on their own (a lost "stopped"): look again every second while any show.
  useEffect(() => {
    if (!anyone) return;
    const timer = window.setInterval(() => setNow(performance.now()), 1_000);
    return () => window.clearInterval(timer);
  }, [anyone]);

  const names = Object.entries(typists)
    .filter(([, until]) => until > now)
    .map(([nickname]) => nickname)
    .sort((a, b) => a.localeCompare(b));

  return (
    <p className="typing" aria-live="polite">
      {typingText(names)}
    </p>
  );
}
