'use client';

import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { bindLobbyToStore, type LobbyClientSocket } from '@/lib/client/bind-lobby';
import { bindSocketToStore } from '@/lib/client/bind-socket';
import {
  createChatStore,
  type ChatActions,
  type ChatState,
  type ChatStore,
} from '@/lib/client/chat-store';
import { sessionStorageOutbox } from '@/lib/client/outbox';
import { createChatSocket } from '@/lib/client/socket';
import { socketTransport } from '@/lib/client/transport';
import { LOBBY_NAMESPACE } from '@/lib/protocol/events';

/** The page's chat store; `ChatProvider` provides it (tests may provide one of their own). */
export const ChatStoreContext = createContext<ChatStore | null>(null);
/** Starts watching the lobby; returns the function that stops it. */
const WatchLobbyContext = createContext<(() => () => void) | null>(null);

/**
 * Owns the page's one socket and one chat store; mounted once in the root layout so that
 * moving between pages keeps the connection.
 */
export function ChatProvider({ children }: { children: ReactNode }) {
  const [{ socket, store }] = useState(() => {
    const socket = createChatSocket();
    // The outbox lives in this tab's sessionStorage (absent while rendering on the server).
    const outbox = typeof window === 'undefined' ? undefined : sessionStorageOutbox();
    return { socket, store: createChatStore({ transport: socketTransport(socket), outbox }) };
  });

  useEffect(() => {
    const unbind = bindSocketToStore(socket, store);
    socket.connect();
    return () => {
      unbind();
      socket.disconnect();
    };
  }, [socket, store]);

  // The lobby shares the page's connection (one more namespace on the same Manager).
  const watchLobby = useCallback(() => {
    const lobby: LobbyClientSocket = socket.io.socket(LOBBY_NAMESPACE);
    const unbind = bindLobbyToStore(lobby, store);
    lobby.connect();
    return () => {
      unbind();
      lobby.disconnect();
    };
  }, [socket, store]);

  return (
    <ChatStoreContext.Provider value={store}>
      <WatchLobbyContext.Provider value={watchLobby}>{children}</WatchLobbyContext.Provider>
    </ChatStoreContext.Provider>
  );
}

/** Watches the public lobby while the calling component is mounted. */
export function useLobbyFeed(): void {
  const watchLobby = useContext(WatchLobbyContext);
  if (!watchLobby) throw new Error('useLobbyFeed must be used inside <ChatProvider>');
  useEffect(() => watchLobby(), [watchLobby]);
}

/** Reads from the chat store with a selector (one field, or `useShallow` for several). */
export function useChatStore<T>(selector: (state: ChatState & ChatActions) => T): T {
  const store = useContext(ChatStoreContext);
  if (!store) throw new Error('useChatStore must be used inside <ChatProvider>');
  return useStore(store, selector);
}
