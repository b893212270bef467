import type { StateCreator } from 'zustand/vanilla';
import type { OutboxStorage } from '../outbox';
import type { ChatTransport } from '../transport';
import type { ChangesSlice } from './changes-slice';
import type { HistorySlice } from './history-slice';
import type { KeeperSlice } from './keeper-slice';
import type { LobbySlice } from './lobby-slice';
import type { OutboxSlice } from './outbox-slice';
import type { PresenceSlice } from './presence-slice';
import type { RoomSlice, RoomView } from './room-slice';

/** The whole chat store: every slice's state and actions. */
export type ChatStoreState = RoomSlice &
  HistorySlice &
  ChangesSlice &
  KeeperSlice &
  OutboxSlice &
  PresenceSlice &
  LobbySlice;

/** What each slice is given: the page's transport and clocks, with defaults filled in. */
export interface SliceDeps {
  transport: ChatTransport;
  newClientId: () => string;
  clock: () => Date;
  /** Keeps unacknowledged messages across reloads; absent while rendering on the server. */
  outbox: OutboxStorage | undefined;
  /** A monotonic clock in milliseconds, for round-trip times and typing expiry. */
  monotonic: () => number;
}

/** One slice of the chat store: it sees the whole store, and returns its own part. */
export type ChatSlice<Slice> = (deps: SliceDeps) => StateCreator<ChatStoreState, [], [], Slice>;

type SetState = Parameters<StateCreator<ChatStoreState>>[0];

/** Applies a change to the current room, if it is still `roomId`. */
export function updateRoom(
  set: SetState,
  roomId: string,
  change: (room: RoomView) => Partial<RoomView>,
): void {
  set((state) =>
    state.room?.roomId === roomId ? { room: { ...state.room, ...change(state.room) } } : {},
  );
}
