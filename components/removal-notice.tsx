'use client';

import { useChatStore } from './chat-provider';

/**
 * On the start page after the room's keepers removed this person: who did it, from which
 * room, and for a ban how long it lasts; until dismissed or another room is joined.
 */
export function RemovalNotice() {
  const removal = useChatStore((state) => state.removal);
  const dismiss = useChatStore((state) => state.dismissRemoval);
  if (!removal) return null;
  return (
    <section className="card removal-notice" role="alert">
      <p>
        <strong>{removal.by}</strong> {removalText(removal.bannedUntil)} room{' '}
        <span className="room-id">{removal.roomId}</span>
        {banLengthText(removal.bannedUntil)}
      </p>
      <button type="button" className="button button-small button-secondary" onClick={dismiss}>
        Dismiss
      </button>
    </section>
  );
}

function removalText(bannedUntil: string | null | undefined): string {
  return bannedUntil === undefined ? 'removed you from' : 'banned you from';
}

function banLengthText(bannedUntil: string | null | undefined): string {
  if (bannedUntil === undefined) return '. You may join it again.';
  if (bannedUntil === null) return ' until the ban is lifted.';
  const until = new Date(bannedUntil).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return ` until ${until}.`;
}
