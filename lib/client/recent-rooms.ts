/**
 * The rooms this browser was in, newest first, so the start page can offer them again. Kept
 * in the browser only: the server never learns who visited what.
 */

/** How many rooms are remembered (and previewed in one request). */
export const MAX_RECENT_ROOMS = 10;

export const RECENT_ROOMS_KEY = 'livechat:recent-rooms';

export interface RecentRoom {
  roomId: string;
  /** The room's title when last seen; empty when it had none. */
  title: string;
  /** The nickname used there last. */
  nickname: string;
  /** When the room was last open in this browser, ISO 8601. */
  seenAt: string;
}

/** The stored list; anything unreadable counts as none. */
export function parseRecentRooms(stored: string | null): RecentRoom[] {
  if (!stored) return [];
  try {
    const value: unknown = JSON.parse(stored);
    if (!Array.isArray(value)) return [];
    return value.filter(isRecentRoom).slice(0, MAX_RECENT_ROOMS);
  } catch {
    return [];
  }
}

/** The list with `visit` first (replacing an older visit to the same room), cut to the most kept. */
export function withVisit(rooms: readonly RecentRoom[], visit: RecentRoom): RecentRoom[] {
  const others = rooms.filter((room) => room.roomId !== visit.roomId);
  return [visit, ...others].slice(0, MAX_RECENT_ROOMS);
}

/** The list without `roomId`. */
export function withoutRoom(rooms: readonly RecentRoom[], roomId: string): RecentRoom[] {
  return rooms.filter((room) => room.roomId !== roomId);
}

function isRecentRoom(value: unknown): value is RecentRoom {
  if (typeof value !== 'object' || value === null) return false;
  const room = value as Record<string, unknown>;
  return ['roomId', 'title', 'nickname', 'seenAt'].every((key) => typeof room[key] === 'string');
}
