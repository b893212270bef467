import type { Member, Message } from '../../protocol/definitions';
import { ClientEvent } from '../../protocol/events';
import type { ConnectionState } from '../connection-state';
import { TYPING_SHOWN_MS } from '../typing-signal';
import type { ChatSlice } from './chat-slice';

/** The link to the server, and who is present how: typing, idle, round-trip time. */
export interface PresenceState {
  connection: ConnectionState;
  /** Others typing in the current room: nickname → when the signal runs out (ms, our clock). */
  typists: Record<string, number>;
  /** The last measured round-trip time to the server, in milliseconds. */
  latencyMs: number | null;
  /** Whether this tab is idle (hidden, or untouched for a while), as last told to the server. */
  idle: boolean;
}

/** Signals to and from the server about the connection and presence. */
export interface PresenceActions {
  setConnection(connection: ConnectionState): void;
  /** Tells the room whether we are typing (failures are of no interest). */
  setTyping(typing: boolean): Promise<void>;
  typingUpdated(roomId: string, nickname: string, typing: boolean): void;
  /** Tells the server this tab is idle or active again; repeated after every reconnect. */
  setIdle(idle: boolean): Promise<void>;
  /** Measures the round-trip time to the server with an acknowledged ping. */
  measureLatency(): Promise<void>;
}

export type PresenceSlice = PresenceState & PresenceActions;

/** Connecting, with nobody typing and nothing measured yet. */
export const initialPresenceState: PresenceState = {
  connection: 'connecting',
  typists: {},
  latencyMs: null,
  idle: false,
};

/** The presence slice: the connection state, typing signals, idleness and latency. */
export const createPresenceSlice: ChatSlice<PresenceSlice> =
  ({ transport, monotonic }) =>
  (set, get) => ({
    ...initialPresenceState,

    setConnection: (connection) => set({ connection }),

    async setTyping(typing) {
      const room = get().room;
      if (!room || !transport.isConnected()) return;
      await transport.request(ClientEvent.TypingSet, { roomId: room.roomId, typing });
    },

    typingUpdated(roomId, nickname, typing) {
      const room = get().room;
      if (room?.roomId !== roomId || nickname === room.nickname) return;
      set((state) => ({
        typists: typing
          ? { ...state.typists, [nickname]: monotonic() + TYPING_SHOWN_MS }
          : without(state.typists, nickname),
      }));
    },

    async setIdle(idle) {
      if (get().idle === idle) return;
      set({ idle });
      if (!transport.isConnected()) return;
      await transport.request(ClientEvent.PresenceSet, { idle });
    },

    async measureLatency() {
      if (!transport.isConnected()) return;
      const sentAt = monotonic();
      const result = await transport.request(ClientEvent.Ping, {});
      if (result.ok) set({ latencyMs: Math.max(0, Math.round(monotonic() - sentAt)) });
    },
  });

/** The typists once `message` has arrived: a message ends its author's typing. */
export function typistsAfter(typists: Record<string, number>, message: Message) {
  return message.kind === 'user' ? without(typists, message.author) : typists;
}

/** The typists still among `members`: whoever is no longer a member is no longer typing. */
export function typistsAmong(typists: Record<string, number>, members: readonly Member[]) {
  const present = new Set(members.map((member) => member.nickname));
  let remaining = typists;
  for (const nickname of Object.keys(typists)) {
    if (!present.has(nickname)) remaining = without(remaining, nickname);
  }
  return remaining;
}

/** A copy of `record` without `key` (the same object when it has no such key). */
function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}
