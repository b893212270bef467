import { createStore } from 'zustand/vanilla';
import type { OutboxStorage } from './outbox';
import { createChangesSlice, type ChangesActions } from './store/changes-slice';
import { type ChatStoreState, type SliceDeps } from './store/chat-slice';
import {
  createKeeperSlice,
  initialKeeperState,
  type KeeperActions,
  type KeeperState,
} from './store/keeper-slice';
import { createHistorySlice, type HistoryActions } from './store/history-slice';
import {
  createLobbySlice,
  initialLobbyState,
  type LobbyActions,
  type LobbyState,
} from './store/lobby-slice';
import {
  createOutboxSlice,
  initialOutboxState,
  type OutboxActions,
  type OutboxState,
} from './store/outbox-slice';
import {
  createPresenceSlice,
  initialPresenceState,
  type PresenceActions,
  type PresenceState,
} from './store/presence-slice';
import {
  createRoomSlice,
  initialRoomState,
  type RoomActions,
  type RoomState,
} from './store/room-slice';
import type { ChatTransport } from './transport';

export type { PendingMessage } from './outbox';
export type { RoomView } from './store/room-slice';
export type { RemovalNotice } from './store/keeper-slice';
export type { Announcement, LobbyView } from './store/lobby-slice';
export { HOLE_WAIT_MS } from './store/history-slice';
export { MAX_RATE_LIMIT_WAITS } from './store/outbox-slice';

/** Everything the chat store holds, slice by slice. */
export type ChatState = RoomState & KeeperState & OutboxState & PresenceState & LobbyState;

/** Everything the chat store can do, slice by slice. */
export type ChatActions = RoomActions &
  HistoryActions &
  ChangesActions &
  KeeperActions &
  OutboxActions &
  PresenceActions &
  LobbyActions;

export type ChatStore = ReturnType<typeof createChatStore>;

/** Sources the store needs from the page; tests pass fakes. */
export interface ChatStoreDeps {
  transport: ChatTransport;
  newClientId?: () => string;
  clock?: () => Date;
  /** Keeps unacknowledged messages across reloads (the browser passes sessionStorage). */
  outbox?: OutboxStorage;
  /** A monotonic clock in milliseconds, for round-trip times and typing expiry. */
  monotonic?: () => number;
}

/** The state of a new store before anything has happened (with no outbox to restore). */
export const initialChatState: ChatState = {
  ...initialRoomState,
  ...initialKeeperState,
  ...initialOutboxState,
  ...initialPresenceState,
  ...initialLobbyState,
};

/**
 * The client's room state and the actions that change it, composed from one slice per concern
 * (room, history, changes, keepers, outbox, presence, lobby). One store per page, created in the client
 * provider; socket events reach it through `bindSocketToStore`.
 */
export function createChatStore(deps: ChatStoreDeps) {
  const sliceDeps: SliceDeps = {
    transport: deps.transport,
    newClientId: deps.newClientId ?? (() => crypto.randomUUID()),
    clock: deps.clock ?? (() => new Date()),
    outbox: deps.outbox,
    monotonic: deps.monotonic ?? (() => performance.now()),
  };
  return createStore<ChatStoreState>()((...store) => ({
    ...createRoomSlice(sliceDeps)(...store),
    ...createHistorySlice(sliceDeps)(...store),
    ...createChangesSlice(sliceDeps)(...store),
    ...createKeeperSlice(sliceDeps)(...store),
    ...createOutboxSlice(sliceDeps)(...store),
    ...createPresenceSlice(sliceDeps)(...store),
    ...createLobbySlice(sliceDeps)(...store),
  }));
}
