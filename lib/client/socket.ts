import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/events';

/** The browser's socket, typed by the livechat contract (the mirror of the server's). */
export type ChatClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Creates the page's socket to the server it was loaded from. It authenticates with the
 * session cookie the page response set, so it carries no token of its own.
 */
export function createChatSocket(): ChatClientSocket {
  // Reconnect quickly after a drop (at most 3 s apart), with jitter so that a restarted server
  // is not hit by everyone at once.
  return io({
    autoConnect: false,
    withCredentials: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 3_000,
    randomizationFactor: 0.5,
  });
}
