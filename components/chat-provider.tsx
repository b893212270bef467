'use client';

import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
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

const ChatStoreContext = createContext<ChatStore | null>(null);

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

  return <ChatStoreContext.Provider value={store}>{children}</ChatStoreContext.Provider>;
}

/** Reads from the chat store with a selector (one field, or `useShallow` for several). */
export function useChatStore<T>(selector: (state: ChatState & ChatActions) => T): T {
  const store = useContext(ChatStoreContext);
  if (!store) throw new Error('useChatStore must be used inside <ChatProvider>');
  return useStore(store, selector);
}
