'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useState } from 'react';
import { roomPath } from '@/lib/chat/room-id';
import type { RecentRoom } from '@/lib/client/recent-rooms';
import type { RoomPreview } from '@/lib/protocol/definitions';
import { useChatStore } from './chat-provider';
import { rememberNickname } from './remembered-nickname';
import { useForgetRecentRoom, useRecentRooms } from './use-recent-rooms';

/**
 * The rooms this browser was in, newest first, each with whether it is still open and how
 * many are in it: one click rejoins under the nickname used there, another forgets it.
 */
export function RecentRooms() {
  const rooms = useRecentRooms();
  const previewRooms = useChatStore((state) => state.previewRooms);
  const [previews, setPreviews] = useState<ReadonlyMap<string, RoomPreview>>(new Map());
  const headingId = useId();
  const roomIds = rooms.map((room) => room.roomId).join(' ');

  useEffect(() => {
    if (!roomIds) return;
    let cancelled = false;
    void previewRooms(roomIds.split(' ')).then((result) => {
      if (cancelled || !result.ok) return;
      setPreviews(new Map(result.value.map((preview) => [preview.roomId, preview])));
    });
    return () => {
      cancelled = true;
    };
  }, [roomIds, previewRooms]);

  if (rooms.length === 0) return null;
  return (
    <section className="card recent-rooms" aria-labelledby={headingId}>
      <h2 id={headingId} className="lobby-heading">
        Your recent rooms
      </h2>
      <ul className="lobby-rooms" aria-labelledby={headingId}>
        {rooms.map((room) => (
          <RecentRoomItem key={room.roomId} room={room} preview={previews.get(room.roomId)} />
        ))}
      </ul>
      <p className="hint">Only this browser keeps this list.</p>
    </section>
  );
}

function RecentRoomItem({ room, preview }: { room: RecentRoom; preview?: RoomPreview }) {
  const router = useRouter();
  const joinRoom = useChatStore((state) => state.joinRoom);
  const forget = useForgetRecentRoom();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const title = (preview?.open && preview.title) || room.title;
  const name = title || room.roomId;

  async function rejoin() {
    setBusy(true);
    const joined = await joinRoom(room.roomId, room.nickname);
    setBusy(false);
    if (!joined.ok) return setError(joined.error.message);
    rememberNickname(room.nickname);
    router.push(roomPath(joined.value));
  }

  return (
    <li className="recent-room" data-open={preview?.open}>
      <div className="recent-room-about">
        {preview?.open === false ? (
          <span className="recent-room-name">{name}</span>
        ) : (
          <Link href={roomPath(room.roomId)} className="lobby-room-link recent-room-name">
            {name}
          </Link>
        )}
        <span className="lobby-room-count">{statusText(preview, room.nickname)}</span>
        {error && (
          <span role="alert" className="recent-room-error">
            {error}
          </span>
        )}
      </div>
      {preview?.open && (
        <button
          type="button"
          className="button button-small button-primary"
          aria-label={`Rejoin ${name} as ${room.nickname}`}
          aria-busy={busy}
          onClick={() => void rejoin()}
        >
          Rejoin
        </button>
      )}
      <button
        type="button"
        className="button button-small button-quiet"
        aria-label={`Forget ${name}`}
        onClick={() => forget(room.roomId)}
      >
        Forget
      </button>
    </li>
  );
}

function statusText(preview: RoomPreview | undefined, nickname: string): string {
  if (!preview) return `as ${nickname}`;
  if (!preview.open) return 'Closed: everyone left';
  const people = preview.memberCount === 1 ? '1 person' : `${preview.memberCount} people`;
  return `Open · ${people} in it · as ${nickname}`;
}
