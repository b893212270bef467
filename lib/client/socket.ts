import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/events';

/** The browser's socket, typed by the livechat contract (the mirror of the server's). */
export type ChatClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Creates the page's socket to the server it was loaded from. It authenticates with the
 * session cookie the page response set, so it carries no token of its own.
 */
export function createChatSocket(): ChatClientSocket {
  return io({ autoConnect: false, withCredentials: true });
}
