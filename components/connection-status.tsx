'use client';

import { CONNECTION_LABELS } from '@/lib/client/connection-state';
import { useChatStore } from './chat-provider';

/** A small, always-visible indicator of the link to the server. */
export function ConnectionStatus() {
  const connection = useChatStore((state) => state.connection);
  return (
    <p className="connection" data-state={connection} role="status" aria-live="polite">
      <span className="connection-dot" aria-hidden="true" />
      {CONNECTION_LABELS[connection]}
    </p>
  );
}
