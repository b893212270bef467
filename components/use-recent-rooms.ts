'use client';

import { useCallback, useMemo } from 'react';
import {
  parseRecentRooms,
  RECENT_ROOMS_KEY,
  type RecentRoom,
  withoutRoom,
  withVisit,
} from '@/lib/client/recent-rooms';
import { readStoredValue, useStoredValue, writeStoredValue } from './use-stored-value';

/** The rooms this browser was in (newest first), kept in the browser only. */
export function useRecentRooms(): RecentRoom[] {
  const stored = useStoredValue(RECENT_ROOMS_KEY);
  return useMemo(() => parseRecentRooms(stored), [stored]);
}

/** Changes the list as stored now (another tab may have changed it since this one read it). */
function updateRecentRooms(change: (rooms: RecentRoom[]) => RecentRoom[]): void {
  const rooms = parseRecentRooms(readStoredValue(RECENT_ROOMS_KEY));
  writeStoredValue(RECENT_ROOMS_KEY, JSON.stringify(change(rooms)));
}

/** Notes that this browser is in a room now, under that title and nickname. */
export function rememberRecentRoom(visit: Omit<RecentRoom, 'seenAt'>): void {
  updateRecentRooms((rooms) => withVisit(rooms, { ...visit, seenAt: new Date().toISOString() }));
}

/** Takes a room off the list. */
export function useForgetRecentRoom(): (roomId: string) => void {
  return useCallback(
    (roomId: string) => updateRecentRooms((rooms) => withoutRoom(rooms, roomId)),
    [],
  );
}
