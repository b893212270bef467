'use client';

import Link from 'next/link';
import { useId } from 'react';
import { roomPath } from '@/lib/chat/room-id';
import { useChatStore, useLobbyFeed } from './chat-provider';

/**
 * The public rooms, busiest first, with their member counts and the server's figures; live
 * while the landing page is open (the `/lobby` namespace). Private rooms are never listed.
 */
export function LobbyList() {
  useLobbyFeed();
  const rooms = useChatStore((state) => state.lobby.rooms);
  const stats = useChatStore((state) => state.lobby.stats);
  const headingId = useId();

  return (
    <section className="card lobby" aria-labelledby={headingId}>
      <h2 id={headingId} className="lobby-heading">
        Public rooms
      </h2>
      {rooms === null ? (
        <p className="hint">Looking for public rooms…</p>
      ) : rooms.length === 0 ? (
        <p className="hint">No public rooms right now. Create one with “Public room” ticked.</p>
      ) : (
        <ul className="lobby-rooms" aria-label="Public rooms">
          {rooms.map((room) => (
            <li key={room.roomId} className="lobby-room">
              <Link href={roomPath(room.roomId)} className="lobby-room-link">
                {room.title ? (
                  <>
                    <span className="lobby-room-title">{room.title}</span>{' '}
                    <span className="room-id lobby-room-id">{room.roomId}</span>
                  </>
                ) : (
                  <span className="room-id">{room.roomId}</span>
                )}
              </Link>
              <span className="lobby-room-count">{memberCountText(room.memberCount)}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="lobby-stats">
        {stats
          ? `${peopleInRoomsText(stats.peopleInRooms)} · ${countText(stats.rooms, 'room', 'rooms')} open`
          : '\u00a0'}
      </p>
    </section>
  );
}

function memberCountText(count: number): string {
  return countText(count, 'member', 'members');
}

/** Members of any room, each counted once (not who is on this page). */
function peopleInRoomsText(count: number): string {
  return count === 1 ? '1 person in a room' : `${count} people in rooms`;
}

function countText(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
