'use client';

import { useCallback, useMemo } from 'react';
import { mutedStorageKey, parseMuted, withMuted } from '@/lib/client/muted';
import type { RoomRole } from '@/lib/protocol/definitions';
import { useChatStore } from '../chat-provider';
import { useStoredValue, writeStoredValue } from '../use-stored-value';

/** The reader's role in the current room, as the members list says. */
export function useOwnRole(): RoomRole {
  return useChatStore((state) => {
    const room = state.room;
    const self = room?.members.find((member) => member.nickname === room.nickname);
    return self?.role ?? 'member';
  });
}

/** Who the reader muted in `roomId` (by author key), kept in this browser only. */
export function useMuted(roomId: string): {
  muted: ReadonlySet<string>;
  setMuted(authorKey: string, on: boolean): void;
} {
  const key = mutedStorageKey(roomId);
  const stored = useStoredValue(key);
  const muted = useMemo(() => parseMuted(stored), [stored]);
  const setMuted = useCallback(
    (authorKey: string, on: boolean) => writeStoredValue(key, withMuted(muted, authorKey, on)),
    [key, muted],
  );
  return { muted, setMuted };
}
