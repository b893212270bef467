'use client';

import { CONNECTION_LABELS } from '@/lib/client/connection-state';
import { useChatStore } from './chat-provider';

/**
 * A small, always-visible indicator of the link to the server; given the round-trip time,
 * its tooltip says it.
 */
export function ConnectionStatus({ roundTripMs }: { roundTripMs?: number | null }) {
  const connection = useChatStore((state) => state.connection);
  const title =
    roundTripMs === undefined || roundTripMs === null || connection !== 'connected'
      ? undefined
      : `Round trip to the server: ${roundTripMs} ms`;
  return (
    <p
      className="connection"
      data-state={connection}
      role="status"
      aria-live="polite"
      title={title}
    >
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{CONNECTION_LABELS[connection]}</span>
    </p>
  );
}
