import type { Socket } from 'socket.io-client';
import {
  LobbyEvent,
  type LobbyClientToServerEvents,
  type LobbyServerToClientEvents,
} from '../protocol/events';
import type { ChatStore } from './chat-store';

/** The landing page's socket on the `/lobby` namespace (multiplexed on the chat connection). */
export type LobbyClientSocket = Socket<LobbyServerToClientEvents, LobbyClientToServerEvents>;

/** Feeds the lobby's pushes into the store; returns a function that removes the listeners. */
export function bindLobbyToStore(socket: LobbyClientSocket, store: ChatStore): () => void {
  socket.on(LobbyEvent.Rooms, ({ rooms }) => store.getState().lobbyRoomsUpdated(rooms));
  socket.on(LobbyEvent.Stats, (stats) => store.getState().lobbyStatsUpdated(stats));
  return () => {
    socket.off(LobbyEvent.Rooms);
    socket.off(LobbyEvent.Stats);
  };
}
