'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { roomPath } from '@/lib/chat/room-id';
import type { RoomPreview } from '@/lib/protocol/definitions';
import { type ErrorBody, ErrorCode } from '@/lib/protocol/errors';
import { useChatStore } from '../chat-provider';
import { readRememberedNickname, rememberNickname } from '../remembered-nickname';
import { useRecentRooms } from '../use-recent-rooms';
import { EntryShell } from './entry-shell';
import { JoinRoomForm } from './join-room-form';
import { tabWasInRoom } from './room-of-this-tab';
import { RoomView } from './room-view';

type OpenRoom = Extract<RoomPreview, { open: true }>;

/** Where a visitor of a room link stands before the room itself is shown. */
type Entry =
  | { kind: 'checking' }
  | { kind: 'asking'; error?: string; preview?: OpenRoom }
  | { kind: 'closed' };

/**
 * The room link's page. A member (after a reload, or arriving from the landing page) goes
 * straight in, as does a reloaded tab whose grace period ran out; someone who was here before
 * is welcomed back with one button; anyone else is asked for a nickname first, with a glance
 * at the room. A room that has closed says so and offers a new one. Removed by the room's
 * keepers, the page goes to the start page, which says why.
 */
export function RoomEntry({ roomId }: { roomId: string }) {
  const router = useRouter();
  const inRoom = useChatStore((state) => state.room?.roomId === roomId);
  const previewRooms = useChatStore((state) => state.previewRooms);
  const joinRoom = useChatStore((state) => state.joinRoom);
  const leaveRoom = useChatStore((state) => state.leaveRoom);
  const [entry, setEntry] = useState<Entry>({ kind: 'checking' });
  const [leaving, setLeaving] = useState(false);
  const removed = useChatStore((state) => state.removal?.roomId === roomId);
  const recent = useRecentRooms().find((room) => room.roomId === roomId);
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
      const previewed = await previewRooms([roomId]);
      if (cancelled) return;
      if (!previewed.ok) return setEntry({ kind: 'asking', error: previewed.error.message });
      const preview = previewed.value[0]!;
      if (!preview.open) return setEntry({ kind: 'closed' });
      // Only a member, or this very tab reloaded, goes in without being asked; a friend's
      // link always asks for a nickname.
      const remembered = readRememberedNickname();
      if (!(preview.member || tabWasInRoom(roomId)) || !remembered) {
        return setEntry({ kind: 'asking', preview });
      }
      // The server answers a member's join with the nickname it holds for them.
      const joined = await joinRoom(roomId, remembered);
      if (!cancelled && !joined.ok) setEntry(entryAfterFailedJoin(joined.error, preview));
    })();
    return () => {
      cancelled = true;
    };
  }, [roomId, inRoom, leaving, removedHere, previewRooms, joinRoom]);

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
    case 'closed':
      return (
        <EntryShell>
          <h1>This room has closed</h1>
          <p role="alert">
            No room is open under <span className="room-id">{roomId}</span>. A room closes when
            everyone has left it, and its messages go with it; whoever sent you the link can make a
            new one.
          </p>
          <NewRoomButton />
        </EntryShell>
      );
    case 'asking':
      return (
        <EntryShell>
          {recent && !entry.error ? (
            <WelcomeBack
              roomId={roomId}
              nickname={recent.nickname}
              preview={entry.preview}
              onRefused={(error) => setEntry(entryAfterFailedJoin(error, entry.preview))}
              onClosed={() => setEntry({ kind: 'closed' })}
            />
          ) : (
            <>
              <h1>
                {entry.preview?.title ? (
                  <>Join “{entry.preview.title}”</>
                ) : (
                  <>
                    Join room <span className="room-id">{roomId}</span>
                  </>
                )}
              </h1>
              {entry.preview && <RoomGlance preview={entry.preview} />}
              <p>Choose the nickname the others will see.</p>
              <JoinRoomForm
                roomId={roomId}
                initialError={entry.error}
                onRoomMissing={() => setEntry({ kind: 'closed' })}
              />
            </>
          )}
        </EntryShell>
      );
  }
}

/** "Welcome back": one button rejoins under the nickname this browser used there. */
function WelcomeBack({
  roomId,
  nickname,
  preview,
  onRefused,
  onClosed,
}: {
  roomId: string;
  nickname: string;
  preview?: OpenRoom;
  onRefused(error: ErrorBody): void;
  onClosed(): void;
}) {
  const joinRoom = useChatStore((state) => state.joinRoom);
  const [other, setOther] = useState(false);
  const [busy, setBusy] = useState(false);

  async function rejoin() {
    setBusy(true);
    const joined = await joinRoom(roomId, nickname);
    setBusy(false);
    if (joined.ok) rememberNickname(nickname);
    else onRefused(joined.error);
  }

  return (
    <>
      <h1>Welcome back</h1>
      <p>
        {preview?.title ? <>“{preview.title}”, room </> : <>Room </>}
        <span className="room-id">{roomId}</span>
      </p>
      {preview && <RoomGlance preview={preview} />}
      {other ? (
        <JoinRoomForm roomId={roomId} onRoomMissing={onClosed} />
      ) : (
        <div className="entry-actions">
          <button
            type="button"
            className="button button-primary"
            aria-busy={busy}
            onClick={() => void rejoin()}
          >
            Rejoin as {nickname}
          </button>
          <button type="button" className="button button-secondary" onClick={() => setOther(true)}>
            Use another nickname
          </button>
        </div>
      )}
    </>
  );
}

/** How many are in the room, and whether anyone can find it. */
function RoomGlance({ preview }: { preview: OpenRoom }) {
  const people =
    preview.memberCount === 0
      ? 'Nobody is in it right now'
      : `${preview.memberCount} ${preview.memberCount === 1 ? 'person is' : 'people are'} in it`;
  const visibility = preview.public ? 'a public room, listed on the start page' : 'a private room';
  return (
    <p className="entry-preview">
      {people} · {visibility}
    </p>
  );
}

/** Creates a new room under the remembered nickname and goes there; else the start page. */
function NewRoomButton() {
  const router = useRouter();
  const createRoom = useChatStore((state) => state.createRoom);
  const joinRoom = useChatStore((state) => state.joinRoom);
  const [error, setError] = useState('');
  const nickname = readRememberedNickname();

  async function create() {
    const created = await createRoom();
    const joined = created.ok ? await joinRoom(created.value, nickname) : created;
    if (!joined.ok) return setError(joined.error.message);
    router.push(roomPath(joined.value));
  }

  return (
    <div className="entry-actions">
      {nickname ? (
        <button type="button" className="button button-primary" onClick={() => void create()}>
          Create a new room as {nickname}
        </button>
      ) : (
        <Link href="/" className="button button-primary">
          Create a new room
        </Link>
      )}
      {error && (
        <p role="alert" className="form-alert">
          {error}
        </p>
      )}
    </div>
  );
}

function entryAfterFailedJoin(error: ErrorBody, preview?: OpenRoom): Entry {
  if (error.code === ErrorCode.RoomNotFound) return { kind: 'closed' };
  return { kind: 'asking', error: error.message, preview };
}
