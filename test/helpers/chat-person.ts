import { io } from 'socket.io-client';
import { bindSocketToStore } from '../../lib/client/bind-socket';
import { createChatStore, type ChatStore } from '../../lib/client/chat-store';
import type { ChatClientSocket } from '../../lib/client/socket';
import { socketTransport, type ChatTransport } from '../../lib/client/transport';
import type { Message } from '../../lib/protocol/definitions';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';

/** One person: the real browser-side store and socket wiring, run in Node. */
export interface Person {
  name: string;
  socket: ChatClientSocket;
  store: ChatStore;
  acknowledged: Message[];
  /** The error code of every refused `message:send`, in order. */
  refusals: string[];
  /** The event of every request the store made, in order. */
  requested: string[];
}

export function person(url: string, name: string): Person {
  const socket: ChatClientSocket = io(url, {
    transports: ['websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
  });
  // Non-browser clients keep their session by presenting the issued token when reconnecting.
  socket.on(ServerEvent.Session, ({ token }) => {
    socket.auth = { token };
  });
  const acknowledged: Message[] = [];
  const refusals: string[] = [];
  const requested: string[] = [];
  const transport = socketTransport(socket);
  const counting: ChatTransport = {
    isConnected: transport.isConnected,
    async request(event, payload) {
      requested.push(event);
      const result = await transport.request(event, payload);
      if (event === ClientEvent.MessageSend) {
        if (!result.ok) refusals.push(result.error.code);
        else if ('message' in result) acknowledged.push(result.message as Message);
      }
      return result;
    },
  };
  const store = createChatStore({ transport: counting });
  bindSocketToStore(socket, store);
  return { name, socket, store, acknowledged, refusals, requested };
}
