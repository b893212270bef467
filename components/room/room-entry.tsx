'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { type ErrorBody, ErrorCode } from '@/lib/protocol/errors';
import { useChatStore } from '../chat-provider';
import { readRememberedNickname } from '../remembered-nickname';
import { EntryShell } from './entry-shell';
import { JoinRoomForm } from './join-room-form';
import { tabWasInRoom } from './room-of-this-tab';
import { RoomView } from './room-view';

/** Where a visitor of a room link stands before the room itself is shown. */
type Entry =
  { kind: 'checking' } | { kind: 'asking'; error?: string } | { kind: 'missing'; message: string };

/**
 * The room link's page. A member (after a reload, or arriving from the landing page) goes
 * straight in, as does a reloaded tab whose grace period ran out; anyone else is asked for a
 * nickname first; an unknown room says so. Removed by the room's keepers, the page goes to the
 * start page, which says why.
 */
export function RoomEntry({ roomId }: { roomId: string }) {
  const router = useRouter();
  const inRoom = useChatStore((state) => state.room?.roomId === roomId);
  const checkMembership = useChatStore((state) => state.checkMembership);
  const joinRoom = useChatStore((state) => state.joinRoom);
  const leaveRoom = useChatStore((state) => state.leaveRoom);
  const [entry, setEntry] = useState<Entry>({ kind: 'checking' });
  const [leaving, setLeaving] = useState(false);
  const removed = useChatStore((state) => state.removal?.roomId === roomId);
  // Only a removal from the room shown here leads away; an old one does not block a new visit.
  const [shown, setShown] = useState(false);
  if (inRoom && !shown) setShown(true);
  const removedHere = removed && shown;

  useEffect(() => {
    if (removedHere) router.replace('/');
  }, [removedHere, router]);

  useEffect(() => {
    if (inRoom || leaving || removedHere) return;
    let cancelled = false;
    void (async () => {
      // Only a member, or this very tab reloaded, goes in without being asked; a friend's
      // link always asks for a nickname.
      const membership = await checkMembership(roomId);
      if (cancelled) return;
      if (!membership.ok) return setEntry({ kind: 'asking', error: membership.error.message });
      const remembered = readRememberedNickname();
      const returning = membership.value || tabWasInRoom(roomId);
      if (!returning || !remembered) return setEntry({ kind: 'asking' });
      // The server answers a member's join with the nickname it holds for them.
      const joined = await joinRoom(roomId, remembered);
      if (!cancelled && !joined.ok) setEntry(entryAfterFailedJoin(joined.error));
    })();
    return () => {
      cancelled = true;
    };
  }, [roomId, inRoom, leaving, removedHere, checkMembership, joinRoom]);

  function leave() {
    setLeaving(true);
    void leaveRoom();
    router.push('/');
  }

  if (inRoom) return <RoomView roomId={roomId} onLeave={leave} />;
  if (leaving || removedHere) {
    return (
      <EntryShell>
        <p className="entry-wait">Leaving the room…</p>
      </EntryShell>
    );
  }
  switch (entry.kind) {
    case 'checking':
      return (
        <EntryShell>
          <p className="entry-wait">Opening room {roomId}…</p>
        </EntryShell>
      );
    case 'missing':
      return (
        <EntryShell>
          <h1>Room not found</h1>
          <p role="alert">{entry.message}</p>
          <Link href="/" className="button button-primary">
            Go to the start page
          </Link>
        </EntryShell>
      );
    case 'asking':
      return (
        <EntryShell>
          <h1>
            Join room <span className="room-id">{roomId}</span>
          </h1>
          <p>Choose the nickname the others will see.</p>
          <JoinRoomForm
            roomId={roomId}
            initialError={entry.error}
            onRoomMissing={(message) => setEntry({ kind: 'missing', message })}
          />
        </EntryShell>
      );
  }
}

function entryAfterFailedJoin(error: ErrorBody): Entry {
  if (error.code === ErrorCode.RoomNotFound) return { kind: 'missing', message: error.message };
  return { kind: 'asking', error: error.message };
}
