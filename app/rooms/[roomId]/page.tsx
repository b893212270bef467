import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { RoomEntry } from '@/components/room/room-entry';
import { parseRoomId, roomPath } from '@/lib/chat/room-id';

interface RoomPageProps {
  params: Promise<{ roomId: string }>;
}

export async function generateMetadata({ params }: RoomPageProps): Promise<Metadata> {
  const roomId = canonicalRoomId((await params).roomId);
  return { title: roomId ? `Room ${roomId}` : 'Not a room' };
}

/** The shareable room link. Any spelling of a room ID is redirected to its canonical form. */
export default async function RoomPage({ params }: RoomPageProps) {
  const { roomId: requested } = await params;
  const roomId = canonicalRoomId(requested);
  if (roomId === undefined) notFound();
  if (roomId !== requested) redirect(roomPath(roomId));
  return <RoomEntry key={roomId} roomId={roomId} />;
}

function canonicalRoomId(segment: string): string | undefined {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // Keep the raw segment; parsing then rejects it.
  }
  const parsed = parseRoomId(decoded);
  return parsed.ok ? parsed.value : undefined;
}
