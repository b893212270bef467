'use client';

import { useEffect, useId, useState } from 'react';
import { useChatStore } from '../chat-provider';
import { rememberNickname } from '../remembered-nickname';
import { rememberRecentRoom } from '../use-recent-rooms';
import { Composer } from './composer';
import { MessageActionsProvider } from './message-actions';
import { MemberList } from './member-list';
import { MessageLog } from './message-log';
import { RoomHeader } from './room-header';
import { SearchPanel } from './search-panel';
import { clearTabRoom, markTabInRoom } from './room-of-this-tab';
import { TypingIndicator } from './typing-indicator';
import { useMentionNotifications, useUnreadTitle } from './use-attention';
import { useLatencyProbe, usePresenceReporting } from './use-presence';

interface RoomViewProps {
  roomId: string;
  onLeave(): void;
}

/** The room once joined: header, message log with composer, and who is here. */
export function RoomView({ roomId, onLeave }: RoomViewProps) {
  const nickname = useChatStore((state) => state.room?.nickname);
  const title = useChatStore((state) => state.room?.info.title ?? '');
  const [membersOpen, setMembersOpen] = useState(false);
  const membersId = useId();
  const members = {
    open: membersOpen,
    listId: membersId,
    toggle: () => setMembersOpen((wasOpen) => !wasOpen),
  };
  const [searchOpen, setSearchOpen] = useState(false);
  const searchId = useId();
  const search = {
    open: searchOpen,
    listId: searchId,
    toggle: () => setSearchOpen((wasOpen) => !wasOpen),
  };
  function closeSearch() {
    setSearchOpen(false);
    document.querySelector<HTMLButtonElement>(`[aria-controls="${searchId}"]`)?.focus();
  }
  usePresenceReporting();
  useLatencyProbe();
  useUnreadTitle(roomId);
  useMentionNotifications();

  // A reload skips no cleanup, so the mark survives it; leaving in any way clears it.
  useEffect(() => {
    markTabInRoom(roomId);
    return () => clearTabRoom(roomId);
  }, [roomId]);

  // The nickname in use (after a rename here or in another tab) is the one to prefill next time.
  useEffect(() => {
    if (nickname) rememberNickname(nickname);
  }, [nickname]);

  // The start page lists the rooms this browser was in, under their latest title.
  useEffect(() => {
    if (nickname) rememberRecentRoom({ roomId, title, nickname });
  }, [roomId, title, nickname]);

  return (
    <div className="room">
      <RoomHeader roomId={roomId} members={members} search={search} onLeave={onLeave} />
      <main className="room-main">
        <MessageActionsProvider>
          <MessageLog roomId={roomId} />
          <TypingIndicator />
          <Composer />
        </MessageActionsProvider>
      </main>
      {searchOpen ? (
        <SearchPanel id={searchId} onClose={closeSearch} />
      ) : (
        <MemberList roomId={roomId} id={membersId} open={membersOpen} />
      )}
    </div>
  );
}
